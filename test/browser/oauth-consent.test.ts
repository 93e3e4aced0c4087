import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { obScope, pkcePair, redirectUri } from '../helpers/oauth.js';

/** A learner allows another platform into their wallet on the consent page, then disconnects it. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const email = 'learner@consent.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  await signUpConfirmed(server.platform, { email, name: 'Lea Learner', password });
});
afterAll(() => rig?.close());

it('shows who asks and what for, allows, lists the application and disconnects it', async () => {
  const registered = await fetch(`${server.url}/oauth/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Campus LMS',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      scope: `${obScope.credentialRead} ${obScope.profileRead}`,
    }),
  });
  expect(registered.status).toBe(201);
  const client = (await registered.json()) as { client_id: string };

  const page = await context.newPage();
  await signInThroughForm(page, server.url, email, password);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: `${obScope.credentialRead} ${obScope.profileRead}`,
    state: 'st',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  });
  await page.goto(`${server.url}/oauth/auth?${query}`);
  await page.getByRole('heading', { name: 'Allow Campus LMS into your wallet?' }).waitFor();
  expect(await page.getByText('See the Open Badges credentials in your wallet').count()).toBe(1);
  expect(await page.getByText('client.example').count()).toBeGreaterThan(0);
  expect(JSON.stringify(await axeViolations(page))).toBe('[]');
  // The browser is sent back to the client's redirect URI (which does not resolve here: the request is enough).
  const callback = page.waitForRequest((request) => request.url().startsWith(`${redirectUri}?`));
  await page.getByRole('button', { name: 'Allow' }).click();
  const back = new URL((await callback).url());
  expect(back.searchParams.get('code')).toBeTruthy();
  expect(back.searchParams.get('iss')).toBe(`${server.url}/oauth`);

  // A new tab: the first one is on the browser's error page for the unresolvable client.
  const apps = await context.newPage();
  await apps.goto(`${server.url}/connected-apps`);
  await apps.getByRole('heading', { name: 'Campus LMS' }).waitFor();
  expect(JSON.stringify(await axeViolations(apps))).toBe('[]');
  await apps.getByRole('button', { name: 'Disconnect Campus LMS' }).click();
  await apps.getByText('No application is connected to your wallet.').waitFor();
});
