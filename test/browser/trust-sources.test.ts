import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';

/** An instance admin has a registry refreshed from a URL and sees how its refresh went. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const adminEmail = 'admin@sources.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  await signUpConfirmed(server.platform, { email: adminEmail, name: 'Ada Admin', password });
  await server.platform.accounts.grantInstanceAdmin(adminEmail);
});
afterAll(() => rig?.close());

it('registers a registry URL, shows its failed refresh (nothing imported), refreshes again and stops', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, adminEmail, password);
  await page.goto(`${server.url}/admin/trust`);
  await page.getByLabel('Name for the fetched registry').fill('Loopback registry');
  // This instance fetches no private or local address (the default), so the refresh fails: the page says so.
  await page.getByLabel('Registry URL').fill('https://127.0.0.1:9/registry.json');
  await page.getByLabel('Every (hours)').fill('6');
  await page.getByRole('button', { name: 'Refresh from this URL' }).click();
  const row = page.getByRole('row', { name: /Loopback registry/ });
  await row.getByText('every 6 hours').waitFor();
  await row.getByText(/Refresh failed/).waitFor({ timeout: 30_000 });
  const text = await row.textContent();
  expect(text).toContain('private or local address');
  expect(text).toContain('nothing was imported yet');
  expect(await axeViolations(page)).toEqual([]);

  await row.getByRole('button', { name: 'Refresh now: Loopback registry' }).click();
  await row.getByRole('button', { name: 'Stop refreshing Loopback registry' }).click();
  await page.getByText('No registry is refreshed from a URL.').waitFor();
});
