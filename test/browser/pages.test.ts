import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultWebDir, type RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/** What every page shares: a quiet console, a compressed bundle without a public source map, tidy layout. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

it('logs no console error on signed-out pages and on the API docs', async () => {
  await context.clearCookies();
  for (const route of ['/sign-in', '/catalog', '/verify', '/docs']) {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${server.url}${route}`, { waitUntil: 'networkidle' });
    expect(errors, route).toEqual([]);
    await page.close();
  }
});

it('serves the bundle precompressed, and no source map', async () => {
  const script = readdirSync(path.join(defaultWebDir, 'assets')).find((f) => f.endsWith('.js'))!;
  const url = `${server.url}/assets/${script}`;
  const brotli = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
  expect(brotli.status).toBe(200);
  expect(brotli.headers.get('content-encoding')).toBe('br');
  const body = await brotli.text();
  expect(body).not.toContain('sourceMappingURL');
  const gzip = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers.get('content-encoding')).toBe('gzip');
  expect(await gzip.text()).toBe(body);
  expect((await fetch(`${url}.map`)).status).toBe(404);
  expect((await fetch(`${url}.br`)).status).toBe(404);
});

it('keeps the dashboard links apart', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Your name').fill('Layout Learner');
  await page.getByLabel('Email').fill(`layout-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/dashboard');
  const first = await page.getByRole('link', { name: 'My submissions for review' }).boundingBox();
  const second = await page.getByRole('link', { name: 'My public profile' }).boundingBox();
  // One under the other, not run together on a line.
  expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});

it("verifies a link to this instance's own public page from the URL field", async () => {
  const { platform } = server;
  const email = `url-${Date.now()}@example.org`;
  const user = await platform.accounts.signUp({ email, name: 'Una Url', password: 'a long enough password' });
  await confirmEmailByLink(platform, email);
  const org = await platform.accounts.createOrganization(user.id, { name: 'Url Academy' });
  const { record } = await platform.catalog.create(
    org.id,
    sqlDefinition({ prerequisites: [], assessmentType: 'exam' }),
  );
  await platform.catalog.publish(org.id, record.id);
  const issued = await platform.awarding.awardByHand({
    orgId: org.id,
    achievementId: record.id,
    email,
    issuedBy: user.id,
  });
  const share = await platform.sharing.share(user.id, issued.record.id);

  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${server.url}/verify`);
  await page.getByLabel('Or the address of a credential or its public page').fill(share.url);
  await page.getByRole('button', { name: 'Verify the address' }).click();
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
