import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { unbake } from '../../src/vc/baking.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * A learner downloads a credential issued to them, in Chromium against a real server: the baked PNG from the
 * holding page's export menu and a CLR transcript from the wallet; each download verifies on its own.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let holdingId: string;
const password = 'a long enough password';
const learnerEmail = 'learner@export.test';
const badgeName = 'Data & <i>Analysis</i>';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, issuance, catalog } = server.platform;
  const learner = await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Lin Learner', password });
  const owner = await signUpConfirmed(server.platform, { email: 'owner@export.test', name: 'Org Owner', password });
  const org = await accounts.createOrganization(owner.id, { name: 'Northwind Academy' });
  const unsigned = achievementCredential();
  const subject = { ...(unsigned.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.achievement = { ...(subject.achievement as object), name: badgeName };
  const issued = await issuance.issue(
    { orgId: org.id, profile: await catalog.issuerProfile(org.id) },
    { ...unsigned, credentialSubject: { ...subject, identifier: [hashedIdentity(learnerEmail)] } },
    { recipientUserId: learner.id },
  );
  holdingId = issued.record.id;
});
afterAll(() => rig?.close());

/** What the instance's own verifier (the VC API endpoint) says of a credential, over HTTP. */
async function verified(verifiableCredential: unknown) {
  const response = await fetch(`${server.url}/credentials/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiableCredential }),
  });
  return { status: response.status, body: (await response.json()) as { checks?: unknown; detail?: string } };
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(file) };
}

it('downloads a baked PNG from the holding page and a CLR transcript from the wallet, each of which verifies', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, learnerEmail, password);

  await page.goto(`${server.url}/wallet/${holdingId}`);
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  const menu = page.getByRole('region', { name: `Download “${badgeName}”` });
  await menu.waitFor();
  expect(await axeViolations(page), 'holding page with the export menu').toEqual([]);

  const png = await downloaded(page, () => menu.getByRole('link', { name: 'Badge image (PNG)' }).click());
  expect(png.name).toMatch(/^[a-z0-9-]+\.png$/);
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const baked = unbake(png.bytes);
  expect(baked.kind).toBe('json');
  const credential = (baked as { credential: Record<string, unknown> }).credential;
  const pngVerdict = await verified(credential);
  expect(pngVerdict.status, JSON.stringify(pngVerdict.body)).toBe(200);

  await page.getByRole('link', { name: '← My credentials' }).click();
  await page.waitForURL('**/wallet');
  const transcript = await downloaded(page, () => page.getByRole('button', { name: 'Create CLR transcript' }).click());
  expect(transcript.name).toMatch(/^clr-transcript-\d{4}-\d{2}-\d{2}\.json$/);
  const clr = JSON.parse(transcript.bytes.toString('utf8')) as Record<string, unknown>;
  expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
  const embedded = (clr.credentialSubject as { verifiableCredential: { id: string }[] }).verifiableCredential;
  expect(embedded.map((c) => c.id)).toEqual([credential.id]);
  const clrVerdict = await verified(clr);
  expect(clrVerdict.status, JSON.stringify(clrVerdict.body)).toBe(200);
  await page.getByRole('status').getByText('Transcript downloaded with 1 credential.').waitFor();
  expect(await axeViolations(page), 'wallet after the transcript').toEqual([]);
  await page.close();
});
