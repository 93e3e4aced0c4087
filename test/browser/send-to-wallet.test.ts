import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * A learner sends a credential issued to them to their wallet app, in Chromium against a real server: the holding
 * page shows the OpenID4VCI offer as a QR code and a link with the transaction code, and that code, typed as a
 * wallet would, exchanges the offer's pre-authorized code for an access token.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let holdingId: string;
const password = 'a long enough password';
const learnerEmail = 'learner@send-to-wallet.test';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, issuance, catalog } = server.platform;
  const learner = await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Wim Wallet', password });
  const owner = await signUpConfirmed(server.platform, { email: 'owner@send-to-wallet.test', name: 'Owner', password });
  const org = await accounts.createOrganization(owner.id, { name: 'Wallet Academy' });
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

it('shows the offer as a QR code and a link with its transaction code, which a wallet redeems', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, learnerEmail, password);
  await page.goto(`${server.url}/wallet/${holdingId}`);
  const panel = page.getByRole('region', { name: 'Send to my wallet' });
  await panel.getByRole('button', { name: 'Send to my wallet' }).click();
  const qr = panel.getByRole('img', { name: /QR code of the credential offer/ });
  await qr.waitFor();
  // The test's TypeScript has no DOM types: the element's properties are read as a plain object's.
  const drawn = () =>
    qr.evaluate((img) => {
      const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
      return complete && naturalWidth > 0;
    });
  await expect.poll(drawn).toBe(true);
  expect(await axeViolations(page), 'holding page with a wallet offer').toEqual([]);

  const link = await panel.getByRole('link', { name: 'open the offer in your wallet app' }).getAttribute('href');
  expect(link).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/);
  const txCode = (await panel.locator('strong.code').textContent())!.trim();
  expect(txCode).toMatch(/^\d{6}$/);
  const offer = JSON.parse(new URL(link!).searchParams.get('credential_offer')!);
  // By default the pre-authorized grant alone, which every wallet we test against redeems.
  expect(Object.keys(offer.grants)).toEqual(['urn:ietf:params:oauth:grant-type:pre-authorized_code']);
  const grant = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];
  const token = await fetch(`${server.url}/oid4vci/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': grant['pre-authorized_code'],
      tx_code: txCode,
    }),
  });
  expect(token.status).toBe(200);
  expect(((await token.json()) as { token_type: string }).token_type).toBe('Bearer');
});

it('offers the authorization-code flow through the OAuth 2.0 server too, when the learner asks for it', async () => {
  // The browser context is still signed in as the learner.
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet/${holdingId}`);
  const panel = page.getByRole('region', { name: 'Send to my wallet' });
  const signIn = panel.getByRole('checkbox', { name: /ask me to sign in to Skillproof/ });
  await signIn.waitFor();
  expect(await axeViolations(page), 'holding page before an offer').toEqual([]);
  await signIn.check();
  await panel.getByRole('button', { name: 'Send to my wallet' }).click();
  const link = await panel.getByRole('link', { name: 'open the offer in your wallet app' }).getAttribute('href');
  const offer = JSON.parse(new URL(link!).searchParams.get('credential_offer')!);
  expect(offer.grants.authorization_code.authorization_server).toBe(`${server.url}/oauth`);
  expect(offer.grants.authorization_code.issuer_state).toMatch(/^[0-9a-f-]{36}$/);
  expect(offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']).toBeDefined();
});
