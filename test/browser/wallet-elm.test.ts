import { readFile } from 'node:fs/promises';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { validateElm } from '../../src/pathways/elm-shacl.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * A learner downloads a credential issued to them as a European Learning Model document from the holding page's
 * export menu, in Chromium against a real server; the file conforms to the EDC shapes and names them.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let holdingId: string;
const password = 'a long enough password';
const learnerEmail = 'learner@elm.test';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, issuance, catalog } = server.platform;
  const learner = await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Ana Andromeda', password });
  const owner = await signUpConfirmed(server.platform, { email: 'owner@elm.test', name: 'Org Owner', password });
  const org = await accounts.createOrganization(owner.id, { name: 'Northwind Academy' });
  const unsigned = achievementCredential();
  const subject = { ...(unsigned.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  const issued = await issuance.issue(
    { orgId: org.id, profile: await catalog.issuerProfile(org.id) },
    { ...unsigned, credentialSubject: { ...subject, identifier: [hashedIdentity(learnerEmail)] } },
    { recipientUserId: learner.id },
  );
  holdingId = issued.record.id;
});
afterAll(() => rig?.close());

it('downloads a credential as ELM from the holding page, and the file conforms to the EDC shapes', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, learnerEmail, password);
  await page.goto(`${server.url}/wallet/${holdingId}`);
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  const link = page.getByRole('link', { name: 'European Learning Model' });
  await link.waitFor();
  expect(await axeViolations(page), 'holding page with the ELM link').toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('european-learning-model.jsonld');
  const document = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(document.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
  expect(document.credentialSubject.fullName).toEqual({ en: 'Ana Andromeda' });
  expect(document.issuer.legalName).toEqual({ en: 'Northwind Academy' });
  const validation = await validateElm(document);
  expect(validation.violations).toEqual([]);
  await page.close();
});
