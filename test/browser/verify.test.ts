import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { defaultWebDir, startServer, type RunningServer } from '../../src/platform/server.js';
import { bakePng } from '../../src/vc/baking.js';
import { axeViolations, launchBrowser } from '../helpers/browser.js';
import { achievementCredential } from '../helpers/credentials.js';
import { solidPng } from '../helpers/images.js';

/** The public verify page, in Chromium, against a real server that issued the credential. */
let server: RunningServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let dataDir: string;
let credential: Record<string, unknown>;

beforeAll(async () => {
  if (!existsSync(path.join(defaultWebDir, 'index.html')))
    throw new Error('web/dist is missing: run `npm run build` first');
  dataDir = mkdtempSync(path.join(tmpdir(), 'skillproof-verify-'));
  server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), {
    print: () => {},
  });
  const { accounts, issuance } = server.platform;
  const user = await accounts.signUp({
    email: 'issuer@verify.test',
    name: 'Issuer',
    password: 'a long enough password',
  });
  const org = await accounts.createOrganization(user.id, { name: 'Verify University' });
  credential = (await issuance.issue({ orgId: org.id, name: org.name }, achievementCredential()))
    .verifiableCredential as Record<string, unknown>;
  browser = await launchBrowser();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('verifies a pasted credential and explains each check', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/verify`);
  await page.getByRole('heading', { name: 'Verify a credential' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Paste the credential (JSON) or its JWT').fill(JSON.stringify(credential));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  const report = page.getByRole('region', { name: 'Verification result' });
  await expect.poll(() => report.textContent()).toContain('Verify University');
  expect(await report.textContent()).toContain('Data Analysis with SQL');
  expect(await report.textContent()).toContain('SQL · ESCO');
  expect(await page.getByRole('row', { name: /Signature Passed/ }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);

  await page
    .getByLabel('Paste the credential (JSON) or its JWT')
    .fill(JSON.stringify({ ...credential, name: 'Forged' }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Not verified' }).waitFor();
  expect(await page.getByRole('row', { name: /Signature Failed/ }).count()).toBe(1);
  await page.close();
});

it('verifies a baked badge image chosen as a file', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/verify`);
  const baked = Buffer.from(bakePng(solidPng(), { kind: 'json', credential }));
  await page
    .getByLabel(/choose a badge image/)
    .setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: baked });
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  await page.close();
});

it('says plainly why a link cannot be checked', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/verify?url=${encodeURIComponent('http://127.0.0.1/credential.json')}`);
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/https/);
  await page.close();
});
