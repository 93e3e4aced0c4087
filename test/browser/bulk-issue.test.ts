import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';

/** An issuer issues a CSV from the web page; a recipient opens their claim link. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

it('previews a CSV, issues it with live progress, and offers the downloads', { timeout: 180_000 }, async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Your name').fill('Bulk Issuer');
  await page.getByLabel('Email').fill(`bulk-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Organization name').fill('Bulk Browser Academy');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bulk Browser Academy' }).waitFor();

  const org = (await server.platform.database.db
    .selectFrom('organizations')
    .select('id')
    .where('name', '=', 'Bulk Browser Academy')
    .executeTakeFirstOrThrow()) as { id: string };
  const { record } = await server.platform.catalog.create(org.id, sqlDefinition({ prerequisites: [] }));
  await server.platform.catalog.publish(org.id, record.id);

  await page.getByRole('link', { name: 'Bulk issue from a CSV file' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bulk issue' }).waitFor();
  const csv =
    'email,name,achievement,narrative\n' +
    Array.from({ length: 12 }, (_, i) => `web${i}@example.org,Web ${i},${record.id},"<b>bold</b> ${i}"`).join('\n') +
    `\nnot-an-email,Broken,${record.id},\n`;
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'awards.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('13 rows: 12 ready, 1 with errors, 0 duplicates.').waitFor();
  await page.getByRole('cell', { name: /not an email address/ }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Issue 12 credentials' }).click();
  await page.getByText(/13 of 13 · completed/).waitFor({ timeout: 120_000 });
  expect(await page.getByLabel('Rows done').getAttribute('value')).toBe('13');
  await page.getByText('12 issued, 0 issued before, 1 errors, 0 duplicates.').waitFor();
  const claims = page.getByRole('link', { name: 'Download the claim links (CSV)' });
  const response = await page.request.get(new URL((await claims.getAttribute('href'))!, server.url).toString());
  expect(response.status()).toBe(200);
  const link = (await response.text()).match(/https?:\/\/\S+\/claim\/[A-Za-z0-9_-]{43}/)![0];
  expect(await page.getByRole('link', { name: 'Download the rows not issued (CSV)' }).isVisible()).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();

  // The recipient, not signed in, opens the link: what waits, and how to claim it.
  await context.clearCookies();
  const visitor = await context.newPage();
  await visitor.goto(`${server.url}${new URL(link).pathname}`);
  await visitor.getByRole('heading', { level: 2, name: 'Data Analysis with SQL' }).waitFor();
  await visitor.getByText('Awarded by Bulk Browser Academy').waitFor();
  expect(await axeViolations(visitor)).toEqual([]);
  await visitor.close();
});
