import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, startSkillTest, type BrowserRig } from '../helpers/browser.js';
import { signUpConfirmed } from '../helpers/mail.js';

/**
 * The whole loop in Chromium against a real server: an issuer defines and publishes a skill-test
 * micro-credential with its item bank and policy; a learner finds it, passes, gets a credential that
 * verifies; another fails and is held back by the cooldown.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const password = 'a long enough password';
const sqlCode = 'http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742';

// 15 single-answer items (the pool must hold 3× the test length); the right option is always "Right N".
const itemsCsv = [
  'stem,options,correct,skills,difficulty',
  ...Array.from(
    { length: 15 },
    (_, i) =>
      `"Query ${i + 1}: which is right?","Wrong ${i}|Right ${i}|Also wrong ${i}",b,${i % 2 ? sqlCode : 'custom:modelling'},${1 + (i % 5)}`,
  ),
].join('\n');

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const { accounts } = server.platform;
  const issuer = await signUpConfirmed(server.platform, { email: 'issuer@earn.test', name: 'Ines Issuer', password });
  await accounts.createOrganization(issuer.id, { name: 'Earn University' });
  for (const [email, name] of [
    ['learner@earn.test', 'Lara Learner'],
    ['unlucky@earn.test', 'Uma Unlucky'],
  ] as const) {
    await signUpConfirmed(server.platform, { email, name, password });
  }
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

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
}

async function expectAccessible(page: Page, where: string) {
  expect(await axeViolations(page), where).toEqual([]);
}

let achievementUrl = '';

it('an issuer publishes a micro-credential with its skill test', async () => {
  const page = await context.newPage();
  await signIn(page, 'issuer@earn.test');
  await page.getByRole('link', { name: 'Issuer console', exact: true }).click();
  await page.getByRole('heading', { name: 'Issuer console' }).waitFor();

  await page.getByLabel('Country').fill('PT');
  await page.getByLabel('Accrediting body').fill('A3ES');
  await page.getByLabel('Accreditation id').fill('A3ES-2024-17');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved.').waitFor();
  await expectAccessible(page, 'issuer console');

  await page.getByRole('link', { name: 'New micro-credential' }).click();
  await page.getByLabel('Title').fill('Data Analysis with SQL');
  await page.getByLabel('Description').fill('Writes SQL queries that answer business questions.');
  await page.getByLabel('Learning outcomes').fill('Write joins and aggregates\nExplain a query plan');
  await page.getByLabel('Workload (hours)').fill('50');
  await page.getByLabel('ECTS credits').fill('20'); // 2.5 hours per credit: publishing refuses it
  await page.getByLabel('EQF level').selectOption('5');
  await page.getByLabel('Criteria').fill('Pass a 5-question skill test with at least 60%.');
  await page.getByLabel('Validity').fill('P2Y');
  await page.getByLabel('Search skills').fill('SQL');
  await page.getByRole('button', { name: 'Add SQL (ESCO)' }).click();
  await page.getByRole('list', { name: 'Chosen skills' }).getByText('SQL').waitFor();
  await expectAccessible(page, 'new micro-credential');
  await page.getByRole('button', { name: 'Save draft' }).click();

  await page.getByRole('heading', { name: 'Data Analysis with SQL' }).waitFor();
  const ects = page.getByLabel('ECTS credits');
  await expect.poll(() => ects.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('.field-error', { hasText: 'To publish' }).first().textContent()).toMatch(/ECTS/);
  await ects.fill('2');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect.poll(() => ects.getAttribute('aria-invalid')).toBeNull();

  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('region', { name: 'Preview: how learners will see it' }).getByText('EQF 5').waitFor();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published version 1.').waitFor();
  await expectAccessible(page, 'micro-credential editor');
  achievementUrl = page.url();

  await page.getByRole('link', { name: 'Item bank and test' }).click();
  await page.getByRole('heading', { name: 'Item bank and test' }).waitFor();
  await page
    .getByLabel('Choose a CSV or JSON file')
    .setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from('stem,options\n"Q","a|b"\n') });
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('correct');
  await page
    .getByLabel('Choose a CSV or JSON file')
    .setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(itemsCsv) });
  await page.getByText('Imported 15 items.').waitFor();

  await page.getByRole('button', { name: 'Add an item' }).click();
  const form = page.getByRole('region', { name: 'New item' });
  await form.getByLabel('Question').fill('Which clause filters groups?');
  await form.getByLabel('Option 1', { exact: true }).fill('Right: HAVING');
  await form.getByLabel('Option 2', { exact: true }).fill('Wrong: WHERE');
  await form.getByLabel('Option 3', { exact: true }).fill('Wrong: ORDER BY');
  await form.getByRole('checkbox', { name: 'SQL' }).check();
  await form.getByRole('button', { name: 'Add the item' }).click();
  await page.getByRole('cell', { name: 'Which clause filters groups?', exact: true }).waitFor();
  await page.getByText('16 live items of 16.').waitFor();

  await page.getByLabel('Items per test').fill('5');
  await page.getByLabel('Pass mark (%)').fill('60');
  await page.getByLabel('Time limit (minutes)').fill('10');
  await page.getByLabel('Attempts allowed').fill('3');
  await page.getByLabel('Cooldown after a fail (hours)').fill('1');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByText('Policy saved.').waitFor();
  await page.getByText('The pool is deep enough').waitFor();

  await page.getByRole('button', { name: 'Preview a test' }).click();
  await page.getByText('5 items · 10 minutes · pass mark 60%').waitFor();
  expect(await page.locator('.preview-items fieldset').count()).toBe(5);
  await page.getByRole('table', { name: 'Statistics per item' }).waitFor();
  await expectAccessible(page, 'item bank');
  await page.close();
});

/** Answers every question of the test page, with the option whose text starts with `prefix`. */
async function answerAll(page: Page, prefix: 'Right' | 'Wrong') {
  const count = await page.getByRole('navigation', { name: 'Questions' }).getByRole('button').count();
  for (let n = 1; n <= count; n++) {
    await page.getByRole('button', { name: new RegExp(`^Question ${n},`) }).click();
    const option = page.getByRole('radio', { name: new RegExp(`^${prefix}`) }).first();
    if (n === 1) {
      // Keyboard only: focus the option and press Space.
      await option.focus();
      await page.keyboard.press('Space');
    } else {
      await option.check();
    }
    await page.getByRole('button', { name: `Question ${n}, answered` }).waitFor();
    await page.getByText('Answer saved.').waitFor();
  }
}

it('a learner finds it, passes the test, and gets a credential that verifies', async () => {
  const page = await context.newPage();
  await signIn(page, 'learner@earn.test');
  await page.getByRole('link', { name: 'Catalog', exact: true }).click();
  await page.getByLabel('Search', { exact: true }).fill('SQL');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('link', { name: 'Data Analysis with SQL' }).click();
  await page.getByText('Awarded by Earn University · PT').waitFor();
  await page.getByText('A3ES-2024-17').waitFor();
  await page.getByText('3 of 3 left').waitFor();
  await expectAccessible(page, 'achievement page');

  await startSkillTest(page);
  expect(await page.getByRole('timer').textContent()).toMatch(/Time left (10:00|9:5\d)/);
  await page
    .getByRole('radio', { name: /^(Wrong|Also wrong)/ })
    .first()
    .check();
  await page.getByText('Answer saved.').waitFor();
  await page.locator('body').dispatchEvent('paste');

  // A reload resumes the same attempt, with the answer given.
  const attemptId = page.url().split('/').at(-1)!;
  await page.reload();
  await page.getByRole('button', { name: 'Question 1, answered' }).waitFor();
  expect(await page.getByRole('button', { name: /not answered/ }).count()).toBe(4);
  await expectAccessible(page, 'test page');

  await answerAll(page, 'Right');
  await page.getByRole('button', { name: 'Submit the test' }).click();
  await page.getByRole('heading', { name: 'Submit your answers?' }).waitFor();
  await page.getByRole('button', { name: 'Yes, submit' }).click();
  await page.getByRole('heading', { name: 'You passed' }).waitFor();
  expect(await page.locator('.score').textContent()).toContain('100%');
  await page.getByRole('table', { name: 'By skill' }).getByRole('cell', { name: 'SQL' }).waitFor();
  const card = page.locator('.credential');
  await card.getByRole('heading', { name: 'Data Analysis with SQL' }).waitFor();
  expect(await card.textContent()).toContain('Issued by Earn University');
  expect(await card.textContent()).toMatch(/Valid until\s*\w+/);
  await expectAccessible(page, 'result page');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^credential-.*\.json$/);

  await card.getByRole('link', { name: 'Verify it' }).click();
  await page.getByRole('heading', { name: 'Verified', exact: true }).waitFor();

  await page.getByRole('link', { name: 'My credentials', exact: true }).click();
  await page.getByRole('list', { name: 'Credentials' }).getByText('Data Analysis with SQL').waitFor();
  await expectAccessible(page, 'my credentials');

  // The OB 3.0 verifier of the VC-API agrees.
  const verified = await page.evaluate(async () => {
    const mine = (await (await fetch('/api/me/credentials')).json()) as {
      credentials: { verifiableCredential: unknown }[];
    };
    const response = await fetch('/credentials/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: mine.credentials[0]?.verifiableCredential }),
    });
    const body = (await response.json()) as { verified: boolean };
    return { status: response.status, verified: body.verified, count: mine.credentials.length };
  });
  expect(verified).toEqual({ status: 200, verified: true, count: 1 });

  // The paste was recorded as an integrity signal of that attempt.
  const audit = await server.platform.database.db
    .selectFrom('attempts')
    .select('integrity')
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  expect(audit.integrity.map((e: { type: string }) => e.type)).toContain('paste');
  await signOut(page);
  await page.close();
});

it('a failed attempt shows when the learner may retry, and the retry is refused until then', async () => {
  const page = await context.newPage();
  await signIn(page, 'unlucky@earn.test');
  const achievementId = achievementUrl.split('/').at(-1)!;
  await page.goto(`${server.url}/catalog/${achievementId}`);
  await startSkillTest(page);
  await answerAll(page, 'Wrong');
  await page.getByRole('button', { name: 'Submit the test' }).click();
  await page.getByRole('button', { name: 'Yes, submit' }).click();
  await page.getByRole('heading', { name: 'Not passed this time' }).waitFor();
  expect(await page.locator('.score').textContent()).toContain('0%');
  await page.getByText(/You can try again from .* \(2 attempts left\)/).waitFor();
  await expectAccessible(page, 'failed result');

  await page.goto(`${server.url}/catalog/${achievementId}`);
  await page.getByText(/You can try again from/).waitFor();
  expect(await page.getByRole('button', { name: 'Take the test' }).count()).toBe(0);
  const retry = await page.evaluate(async (id) => {
    const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
    const response = await fetch(`/api/achievements/${id}/attempts`, {
      method: 'POST',
      headers: { 'x-csrf-token': session.csrfToken },
    });
    return { status: response.status, ...((await response.json()) as { reason: string; retryAt: string }) };
  }, achievementId);
  expect(retry).toMatchObject({ status: 409, reason: 'cooldown' });
  expect(Date.parse(retry.retryAt)).toBeGreaterThan(Date.now() + 59 * 60_000);

  await page.getByRole('link', { name: 'My credentials', exact: true }).click();
  await page.getByText('Your wallet is empty.').waitFor();
  await page.close();
});

it('the issuer publishes a new version, then retires the micro-credential', async () => {
  const page = await context.newPage();
  await signIn(page, 'issuer@earn.test');
  await page.goto(achievementUrl);
  await page.getByRole('button', { name: 'New version' }).click();
  await page.getByLabel('Stackability').fill('Counts towards the Data Analyst pathway.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('The draft has changes not yet published.').waitFor();
  await page.getByRole('button', { name: 'Publish version 2' }).click();
  await page.getByText('Published version 2.').waitFor();
  await page.getByRole('region', { name: 'Published versions' }).getByRole('link', { name: 'Version 2' }).waitFor();

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Retire' }).click();
  await page.getByText('Retired', { exact: true }).waitFor();
  await page.goto(`${server.url}/catalog`);
  await page.getByText('0 micro-credentials').waitFor();
  await page.close();
});
