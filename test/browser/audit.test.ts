import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';

/** An owner who is also an instance admin reads the organization's audit log, then the whole instance's. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let orgId: string;
const email = 'owner@audit.test';
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts, audit } = server.platform;
  const user = await signUpConfirmed(server.platform, { email, name: 'Olga Owner', password });
  orgId = (await accounts.createOrganization(user.id, { name: 'Audited College' })).id;
  await accounts.grantInstanceAdmin(email);
  await audit.record({
    action: 'credential.revoked',
    actor: { kind: 'session', userId: user.id, email },
    orgId,
    target: 'credentialId=c0ffee',
    details: { reason: 'Issued in error' },
    ip: '198.51.100.7',
  });
});
afterAll(() => rig?.close());

it('shows the organization log, the whole instance to an admin, filters by action, and offers the CSV', async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, email, password);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  const table = page.getByRole('table');
  await table.getByRole('cell', { name: 'credential.revoked' }).waitFor();
  expect(await table.textContent()).toContain('credentialId=c0ffee');
  // The organization's log holds no instance-wide entry such as this sign-in.
  expect(await table.getByRole('cell', { name: 'account.signed-in' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toBe(
    `/api/orgs/${orgId}/audit.csv`,
  );
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('radio', { name: 'The whole instance' }).check();
  await table.getByRole('cell', { name: 'account.signed-in' }).first().waitFor();
  await page.getByLabel(/^Action/).fill('account.');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect.poll(() => table.getByRole('cell', { name: 'credential.revoked' }).count()).toBe(0);
  expect(await table.getByRole('cell', { name: 'account.signed-in' }).count()).toBeGreaterThan(0);
  expect(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href')).toBe(
    '/api/admin/audit.csv?action=account.',
  );
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
