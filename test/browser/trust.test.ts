import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';
import { standardsJson } from '../helpers/standards.js';

/** An employer checks several credentials at once; an instance admin imports a registry of trusted issuers. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let local: Record<string, unknown>;
let foreign: Record<string, unknown>;
let foreignDid: string;
const adminEmail = 'admin@trust.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, issuance, catalog } = server.platform;
  const user = await signUpConfirmed(server.platform, { email: 'issuer@trust.test', name: 'Issuer', password });
  const org = await accounts.createOrganization(user.id, { name: 'Batch University' });
  local = (
    await issuance.issue({ orgId: org.id, profile: await catalog.issuerProfile(org.id) }, achievementCredential())
  ).verifiableCredential as Record<string, unknown>;

  const key = generateEd25519KeyPair();
  foreignDid = `did:key:${key.publicKeyMultibase}`;
  const example = standardsJson('ob3/examples/example-basic-openbadgecredential.json');
  foreign = await signEddsaRdfc2022(
    { ...example, issuer: { ...(example.issuer as object), id: foreignDid, name: 'Example Corp' } },
    key.privateKey!,
    { verificationMethod: `${foreignDid}#${key.publicKeyMultibase}` },
  );

  await signUpConfirmed(server.platform, { email: adminEmail, name: 'Ada Admin', password });
  await accounts.grantInstanceAdmin(adminEmail);
});
afterAll(() => rig?.close());

it('verifies two pasted credentials in one go, each with its verdict and issuer standing', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/verify`);
  // A single check of the foreign credential first: verified, with its issuer plainly unknown here.
  await page.getByLabel('Paste the credential (JSON) or its JWT').fill(JSON.stringify(foreign));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const report = page.getByRole('region', { name: 'Verification result' });
  await report.getByText('Unknown issuer').waitFor();
  expect(await report.textContent()).toContain('This instance does not know this issuer.');
  expect(await page.getByRole('row', { name: /Trusted issuer Warning/ }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Verify many credentials at once' }).click();
  await page.getByRole('heading', { level: 1, name: 'Verify many credentials' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  // Pretty-printed JSON, separated by a blank line.
  await page
    .getByLabel('Paste links or credentials')
    .fill(`${JSON.stringify(local, null, 2)}\n\n${JSON.stringify(foreign, null, 2)}`);
  await page.getByRole('button', { name: 'Verify all' }).click();
  const results = page.getByRole('region', { name: 'Batch results' });
  await results.getByText('2 verified, 0 not verified, 0 could not be checked.').waitFor();
  const rows = results.getByRole('row');
  expect(await rows.count()).toBe(3);
  expect(await rows.nth(1).textContent()).toMatch(/Verified.*Batch University.*Known issuer.*Data Analysis with SQL/);
  expect(await rows.nth(2).textContent()).toMatch(/Verified.*Example Corp.*Unknown issuer.*Teamwork/);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});

it('an instance admin imports a registry, and the foreign issuer becomes known by its registry name', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill(adminEmail);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Trusted issuers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trusted issuers' }).waitFor();

  await page.getByLabel('Registry name').fill('DCC Community Registry');
  const registry = {
    meta: { created: '2026-01-01T00:00:00+0000', updated: '2026-11-01T00:00:00+0000' },
    registry: { [foreignDid]: { name: 'Example Corporation (registered)', location: 'Everywhere' } },
  };
  await page.getByLabel('Registry file (registry.json)').setInputFiles({
    name: 'registry.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(registry)),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Imported "DCC Community Registry": 1 issuer.').waitFor();
  await page.getByRole('cell', { name: foreignDid }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.goto(`${server.url}/verify`);
  await page.getByLabel('Paste the credential (JSON) or its JWT').fill(JSON.stringify(foreign));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const report = page.getByRole('region', { name: 'Verification result' });
  await report.getByText('Known issuer').waitFor();
  expect(await report.textContent()).toContain('Example Corporation (registered)');
  expect(await report.textContent()).toContain('the credential says "Example Corp"');
  expect(await page.getByRole('row', { name: /Trusted issuer Passed/ }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});

it('does not show the admin page to others', async () => {
  // The browser profile is shared: end the admin's session first.
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill('issuer@trust.test');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  expect(await page.getByRole('link', { name: 'Trusted issuers' }).count()).toBe(0);
  await page.goto(`${server.url}/admin/trust`);
  await page.getByText('Only instance admins manage the registry of trusted issuers.').waitFor();
  await page.close();
});
