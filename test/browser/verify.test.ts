import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { bakePng } from '../../src/vc/baking.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';
import { solidPng } from '../helpers/images.js';

/** The public verify page, in Chromium, against a real server that issued the credential. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let credential: Record<string, unknown>;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, issuance, catalog } = server.platform;
  const user = await signUpConfirmed(server.platform, {
    email: 'issuer@verify.test',
    name: 'Issuer',
    password: 'a long enough password',
  });
  const org = await accounts.createOrganization(user.id, { name: 'Verify University' });
  credential = (
    await issuance.issue({ orgId: org.id, profile: await catalog.issuerProfile(org.id) }, achievementCredential())
  ).verifiableCredential as Record<string, unknown>;
});
afterAll(() => rig?.close());

it('verifies a pasted credential and explains each check', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/verify`);
  await page.getByRole('heading', { name: 'Verify a credential' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Paste the credential (JSON) or its JWT').fill(JSON.stringify(credential));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
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
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
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
  await expect
    .poll(() => page.getByRole('alert').textContent())
    .toContain('Only https:// addresses are fetched, not http://.');
  await page.close();
});
