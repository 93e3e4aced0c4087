import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';

/** The web shell in a real Chromium against a real server on the embedded database. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const shots = process.env.SKILLPROOF_SCREENSHOTS;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

it('signs up, switches organization, signs out and back in', async () => {
  const page = await context.newPage();
  const email = `browser-${Date.now()}@example.org`;
  const password = 'a long enough password';

  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Create an account' }).click();

  await page.getByLabel('Your name').fill('Grace Hopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('at least 10 characters');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Welcome, Grace Hopper' }).waitFor();

  // Two organizations, then switch between them.
  for (const name of ['Alpha Academy', 'Beta Labs']) {
    await page.getByLabel('Organization name').fill(name);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  }
  await page.getByRole('heading', { name: 'Members' }).waitFor();
  await shot(page, 'dashboard');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Organization', { exact: true }).selectOption({ label: 'Alpha Academy' });
  await page.getByRole('heading', { level: 1, name: 'Alpha Academy' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('email or password is not right');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The chosen organization is remembered across sessions in this browser.
  await page.getByRole('heading', { level: 1, name: 'Alpha Academy' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.close();
});

it('shows a 404 page for unknown addresses and a problem for unknown API routes', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await shot(page, 'not-found');
  const api = await page.request.get(`${server.url}/api/no-such-route`);
  expect(api.status()).toBe(404);
  expect(api.headers()['content-type']).toContain('application/problem+json');
  await page.close();
});

it('serves the API docs offline', async () => {
  const page = await context.newPage();
  const external: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url)) external.push(request.url());
  });
  await page.goto(`${server.url}/docs`);
  await page.getByText('Skillproof API').first().waitFor();
  expect(external).toEqual([]);
  await page.close();
});
