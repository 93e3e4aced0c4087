import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, launchBrowser, startBrowserRig, startSkillTest, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { itemsCsv } from '../helpers/items.js';

/**
 * Earning and sharing in Chromium: a learner passes a skill test, makes the credential public from the result
 * page's invitation, and a signed-out visitor sees it verified, then revoked once the issuer revokes it.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let orgId: string;
let achievementId: string;
const password = 'a long enough password';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts } = server.platform;
  const issuer = await signUpConfirmed(server.platform, { email: 'issuer@share.test', name: 'Ines Issuer', password });
  orgId = (await accounts.createOrganization(issuer.id, { name: 'Share University' })).id;
  await signUpConfirmed(server.platform, { email: 'learner@share.test', name: 'Lara Learner', password });
});
afterAll(() => rig?.close());

async function signIn(page: Page, email: string) {
  await context.clearCookies();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/dashboard');
}

/** A call to the API from the signed-in page, with its CSRF token. */
function callApi(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: {
          'x-csrf-token': session.csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

it('an issuer publishes a skill-test micro-credential', async () => {
  const page = await context.newPage();
  await signIn(page, 'issuer@share.test');
  const created = await callApi(page, 'POST', `/api/orgs/${orgId}/achievements`, sqlDefinition());
  expect(created.status).toBe(201);
  achievementId = created.body.id as string;
  const base = `/api/orgs/${orgId}/achievements/${achievementId}`;
  const published = await callApi(page, 'POST', `${base}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBeLessThan(300);
  expect(
    (await callApi(page, 'POST', `${base}/items/import`, { format: 'csv', content: itemsCsv(15) })).status,
  ).toBeLessThan(300);
  const policy = {
    length: 5,
    passMark: 60,
    timeLimitMinutes: 10,
    maxAttempts: 3,
    cooldownHours: 1,
    stratifyBySkill: true,
    maxExposure: 1000,
    poolFactor: 3,
  };
  expect((await callApi(page, 'PUT', `${base}/test-policy`, policy)).status).toBeLessThan(300);
  await page.close();
});

it('a learner earns it, shares it from the result page, and a visitor sees it verified, then revoked', async () => {
  const page = await context.newPage();
  await signIn(page, 'learner@share.test');
  await page.goto(`${server.url}/catalog/${achievementId}`);
  const count = await startSkillTest(page);
  expect(count).toBe(5);
  for (let n = 1; n <= count; n++) {
    await page.getByRole('button', { name: new RegExp(`^Question ${n},`) }).click();
    await page
      .getByRole('radio', { name: /^Right/ })
      .first()
      .check();
    await page.getByRole('button', { name: `Question ${n}, answered` }).waitFor();
  }
  await page.getByRole('button', { name: 'Submit the test' }).click();
  await page.getByRole('button', { name: 'Yes, submit' }).click();
  await page.getByRole('heading', { name: 'You passed' }).waitFor();

  // The invitation to share, right where the credential was earned.
  const nudge = page.getByRole('region', { name: 'Share your credential' });
  await nudge.getByText('Private: only you can see it.').waitFor();
  await nudge.getByText('is available once the credential is public').waitFor();
  await nudge.getByLabel('Name shown on the public page (optional)').fill('Lara "L" <Learner>');
  await nudge.getByRole('button', { name: 'Make it public' }).click();
  const addToProfile = nudge.getByRole('link', { name: 'Add to LinkedIn profile' });
  await addToProfile.waitFor();
  expect(await axeViolations(page), 'result page with the share panel').toEqual([]);

  const publicUrl = (await nudge.getByRole('link', { name: /\/c\// }).getAttribute('href'))!;
  expect(publicUrl).toMatch(/\/c\/[A-Za-z0-9_-]{43}$/);
  const [credential] = await server.platform.issuance.ofRecipient(
    (await server.platform.accounts.findUserByEmail('learner@share.test'))!.id,
  );
  const linkedIn = new URL((await addToProfile.getAttribute('href'))!);
  expect(linkedIn.origin + linkedIn.pathname).toBe('https://www.linkedin.com/profile/add');
  const issued = credential!.issuedAt;
  expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({
    startTask: 'CERTIFICATION_NAME',
    name: 'Data Analysis with SQL',
    organizationName: 'Share University',
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    certUrl: publicUrl,
    certId: credential!.credentialId,
  });
  // The expiry goes to LinkedIn exactly when the credential has one.
  const validUntil = credential!.validUntil;
  expect(linkedIn.searchParams.get('expirationYear')).toBe(validUntil ? String(validUntil.getUTCFullYear()) : null);
  expect(linkedIn.searchParams.get('expirationMonth')).toBe(validUntil ? String(validUntil.getUTCMonth() + 1) : null);

  // A visitor: a fresh browser with no session at all.
  const visitor = await launchBrowser();
  try {
    const view = await visitor.context.newPage();
    let transferred = 0;
    view.on('requestfinished', (request) => {
      void request.sizes().then((s) => (transferred += s.responseBodySize + s.responseHeadersSize));
    });
    const pagePath = new URL(publicUrl).pathname;
    const response = await view.goto(`${server.url}${pagePath}`);
    expect(response!.status()).toBe(200);
    expect(await view.locator('.verdict').textContent()).toBe('Verified');
    await view.getByRole('heading', { name: 'Data Analysis with SQL' }).waitFor();
    await view.getByText('Held by Lara "L" <Learner>').waitFor();
    expect(await view.locator('script').count()).toBe(0);
    await expect.poll(() => transferred).toBeGreaterThan(0);
    const sizes = await response!.request().sizes();
    expect(sizes.responseBodySize + sizes.responseHeadersSize).toBeLessThan(100 * 1024);
    expect(transferred, 'every byte the page needed').toBeLessThan(100 * 1024);
    expect(await axeViolations(view), 'public page').toEqual([]);

    // The issuer revokes it; the same page now says so.
    const issuerPage = await context.newPage();
    await signIn(issuerPage, 'issuer@share.test');
    const revoked = await callApi(issuerPage, 'POST', `/api/orgs/${orgId}/credentials/${credential!.id}/revoke`, {
      reason: 'Awarded in error',
    });
    expect(revoked.status).toBeLessThan(300);
    await issuerPage.close();
    await view.reload();
    expect(await view.locator('.verdict').textContent()).toBe('Revoked');
    await view.getByText('The issuer has revoked this credential.').waitFor();
    expect(await axeViolations(view), 'revoked public page').toEqual([]);
  } finally {
    await visitor.close();
  }
  await page.close();
});

it('a learner is reminded to share later, and publishes an opt-in profile', async () => {
  const learnerId = (await server.platform.accounts.findUserByEmail('learner@share.test'))!.id;
  // A second credential, earned four days ago and never shared.
  const issuerId = (await server.platform.accounts.findUserByEmail('issuer@share.test'))!.id;
  const { record } = await server.platform.awarding.awardByHand({
    orgId,
    achievementId,
    email: 'learner@share.test',
    issuedBy: issuerId,
    // A second copy on purpose: this one is never shared.
    allowDuplicate: true,
  });
  await sql`update credentials set issued_at = now() - interval '4 days' where id = ${record.id}`.execute(
    server.platform.database.db,
  );
  expect(record.recipientUserId).toBe(learnerId);

  const page = await context.newPage();
  await signIn(page, 'learner@share.test');
  const reminders = page.getByRole('region', { name: 'Reminders' });
  await reminders.getByText('have not shared it yet').waitFor();
  expect(await axeViolations(page), 'dashboard with a reminder').toEqual([]);
  await reminders.getByRole('button', { name: /^Dismiss/ }).click();
  await reminders.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'My public profile' }).click();
  await page.getByRole('heading', { name: 'Public profile' }).waitFor();
  await page.getByLabel('Handle').fill('lara-learner');
  await page.getByLabel('Name shown').fill('Lara <b>Learner</b>');
  await page.getByLabel('Show my public profile').check();
  await page.getByRole('checkbox', { name: 'Data Analysis with SQL' }).first().check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  // The earlier share: the visitor opened it twice within the hour (verified, then revoked), one view.
  await page.reload();
  const shared = page.getByRole('table', { name: 'Shared credentials' });
  await shared.getByRole('row').nth(1).waitFor();
  expect(await shared.getByRole('row').nth(1).getByRole('cell').nth(2).textContent()).toBe('1');
  expect(await axeViolations(page), 'profile settings').toEqual([]);
  await page.close();

  const visitor = await launchBrowser();
  try {
    const view = await visitor.context.newPage();
    expect((await view.goto(`${server.url}/u/lara-learner`))!.status()).toBe(200);
    await view.getByRole('heading', { name: 'Lara <b>Learner</b>' }).waitFor();
    await view
      .getByRole('list', { name: 'Credentials' })
      .getByRole('link', { name: 'Data Analysis with SQL' })
      .waitFor();
    expect(await axeViolations(view), 'public profile').toEqual([]);
    expect((await view.goto(`${server.url}/u/nobody-at-all`))!.status()).toBe(404);
  } finally {
    await visitor.close();
  }
});
