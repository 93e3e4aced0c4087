import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { bakePng } from '../../src/vc/baking.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { axeViolations, signInThroughForm, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { achievementCredential } from '../helpers/credentials.js';
import { solidPng } from '../helpers/images.js';

/**
 * A learner brings a badge from a second organization into their wallet as a baked PNG, in Chromium against
 * a real server: the import page's file chooser, the verified holding, the list; axe-core on each page.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let bakedBadge: Buffer;
let othersBadge: Buffer;
const password = 'a long enough password';
const learnerEmail = 'learner@wallet.test';
const badgeName = 'SQL <b>Basics</b>';

async function bakedFor(email: string, orgId: string): Promise<Buffer> {
  const { issuance, catalog } = server.platform;
  const unsigned = achievementCredential();
  const subject = { ...(unsigned.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.achievement = { ...(subject.achievement as object), name: badgeName };
  const credential = (
    await issuance.issue(
      { orgId, profile: await catalog.issuerProfile(orgId) },
      { ...unsigned, credentialSubject: { ...subject, identifier: [hashedIdentity(email)] } },
    )
  ).verifiableCredential as Record<string, unknown>;
  return Buffer.from(bakePng(solidPng(), { kind: 'json', credential }));
}

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts } = server.platform;
  await signUpConfirmed(server.platform, { email: learnerEmail, name: 'Lin Learner', password });
  const owner = await signUpConfirmed(server.platform, { email: 'owner@second.test', name: 'Second Owner', password });
  const org = await accounts.createOrganization(owner.id, { name: 'Second University' });
  bakedBadge = await bakedFor(learnerEmail, org.id);
  othersBadge = await bakedFor('someone-else@wallet.test', org.id);
});
afterAll(() => rig?.close());

async function expectAccessible(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

it("imports a second organization's baked PNG badge and shows it verified in the wallet", async () => {
  const page = await context.newPage();
  await signInThroughForm(page, server.url, learnerEmail, password);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My credentials' }).click();
  await page.waitForURL('**/wallet');
  await page.getByText('Your wallet is empty.').waitFor();
  await expectAccessible(page, 'empty wallet');

  await page.getByRole('link', { name: 'Import a credential' }).first().click();
  await page.getByRole('heading', { name: 'Import a credential' }).waitFor();
  await expectAccessible(page, 'import page');

  // Someone else's badge is refused, with a reason the learner can act on.
  await page.getByLabel(/Choose a badge image/).setInputFiles({
    name: 'theirs.png',
    mimeType: 'image/png',
    buffer: othersBadge,
  });
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/issued to someone else/);
  await expectAccessible(page, 'import page with an error');

  await page.getByLabel(/Choose a badge image/).setInputFiles({
    name: 'badge.png',
    mimeType: 'image/png',
    buffer: bakedBadge,
  });
  await page.waitForURL(/\/wallet\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();
  // The name carries markup as text: shown literally, never rendered.
  await page.getByRole('heading', { level: 1, name: badgeName }).waitFor();
  expect(await page.locator('main b').count()).toBe(0);
  expect(await page.getByRole('status').textContent()).toMatch(/added to your wallet/);
  expect(await page.textContent('main')).toContain('Issued by Second University');
  expect(await page.getByRole('row', { name: /Signature Passed/ }).count()).toBe(1);
  await expectAccessible(page, 'holding page');

  await page.getByRole('link', { name: '← My credentials' }).click();
  await page.waitForURL('**/wallet');
  const cards = page.getByRole('list', { name: 'Credentials' });
  await cards.getByRole('link', { name: badgeName }).waitFor();
  expect(await cards.textContent()).toContain('Valid');
  expect(await cards.textContent()).toContain('Second University');
  await expectAccessible(page, 'wallet with a credential');

  // An imported credential can be removed (the holder's copy only), once confirmed.
  await cards.getByRole('link', { name: badgeName }).click();
  const remove = page.getByRole('region', { name: 'Remove from wallet' });
  expect(await remove.textContent()).toMatch(
    /You imported this credential on \w.+\d\. Removing it deletes only your copy here\./,
  );
  await remove.getByRole('button', { name: 'Remove…' }).click();
  await remove.getByRole('button', { name: 'Keep it' }).click();
  await remove.getByRole('button', { name: 'Remove…' }).click();
  await remove.getByRole('button', { name: 'Yes, remove it' }).click();
  await page.waitForURL('**/wallet');
  await page.getByText('Your wallet is empty.').waitFor();

  // The old address leads to the wallet.
  await page.goto(`${server.url}/credentials`);
  await page.waitForURL('**/wallet');
  await page.close();
});
