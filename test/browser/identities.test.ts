import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * A learner links a DID from the wallet's import page: gets a challenge on the identities page, has it signed
 * (here by a key the test holds, as a wallet app would) and pastes the presentation back; axe-core throughout.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const password = 'a long enough password';
const learnerEmail = 'learner@identities.test';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Lin Learner', password });
});
afterAll(() => rig?.close());

it('links a DID by pasting a presentation signed over the challenge the page shows', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, learnerEmail, password);
  await page.goto(`${server.url}/wallet/import`);
  await page.getByRole('link', { name: 'your identities' }).click();
  await page.waitForURL('**/identities');
  await page.getByText('No DID is linked yet.').waitFor();
  expect(await page.getByText(learnerEmail).count()).toBeGreaterThan(0);
  expect(await axeViolations(page), 'identities page').toEqual([]);

  await page.getByRole('button', { name: 'Get a challenge' }).click();
  const challenge = (await page.locator('dt:has-text("Challenge") + dd').textContent())!.trim();
  const domain = (await page.locator('dt:has-text("Domain") + dd').textContent())!.trim();
  expect(domain).toBe(new URL(server.platform.config.publicUrl).host);
  expect(await axeViolations(page), 'with a challenge').toEqual([]);

  const key = generateEd25519KeyPair();
  const did = `did:key:${key.publicKeyMultibase}`;
  const vp = await signEddsaRdfc2022(
    { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: did },
    key.privateKey!,
    { verificationMethod: `${did}#${key.publicKeyMultibase}`, proofPurpose: 'authentication', challenge, domain },
  );
  await page.getByLabel('The signed presentation (JSON)').fill(JSON.stringify(vp));
  await page.getByRole('button', { name: 'Link this DID' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Linked ${did}.` })
    .waitFor();
  await page.getByRole('button', { name: `Unlink ${did}` }).waitFor();
  expect(await axeViolations(page), 'with a linked DID').toEqual([]);

  // The same presentation again: the challenge is spent, and the page says so.
  await page.getByLabel('The signed presentation (JSON)').fill(JSON.stringify(vp));
  await page.getByRole('button', { name: 'Link this DID' }).click();
  await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();

  await page.getByRole('button', { name: `Unlink ${did}` }).click();
  await page.getByText('No DID is linked yet.').waitFor();
  await page.close();
});

it('adds an email address through the link sent to it', async () => {
  // Still signed in from the test above: the context keeps its session cookie.
  const page = await context.newPage();
  await page.goto(`${server.url}/identities`);
  await page.getByLabel('Email address to add').fill('lin@work.test');
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await page.getByRole('status').filter({ hasText: 'A confirmation link was sent to lin@work.test' }).waitFor();
  expect(await axeViolations(page), 'after sending a link').toEqual([]);

  const message = await server.platform.database.db
    .selectFrom('outbox')
    .select('text')
    .where('to_email', '=', 'lin@work.test')
    .executeTakeFirstOrThrow();
  const link = /https?:\/\/\S+\/identities\/email\/[\w-]+/.exec(message.text)![0];
  await page.goto(`${server.url}${new URL(link).pathname}`);
  expect(await axeViolations(page), 'confirmation page').toEqual([]);
  await page.getByRole('button', { name: 'Confirm the address' }).click();
  await page.getByRole('status').filter({ hasText: 'lin@work.test is confirmed' }).waitFor();
  await page.getByRole('link', { name: 'Your identities' }).click();
  await page.getByRole('button', { name: 'Remove lin@work.test' }).waitFor();
  await page.close();
});
