import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  publishedAchievement,
  startBrowserRig,
  type ApiClient,
  type BrowserRig,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { sampleRubric as rubric } from '../helpers/rubrics.js';

/** Assessor review and revocation in a real Chromium against a real server on the embedded database. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const password = 'a long enough password';

const html = '<img src=x onerror="document.title=\'owned\'"> My schema & queries';

let ownerEmail: string;
let learner: ApiClient;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  ownerEmail = `owner-${Date.now()}@example.org`;
  const owner = await apiClient(server.url, { name: 'Olive Owner', email: ownerEmail, password });
  const org = await (await owner.call('POST', '/api/orgs', { name: 'Northwind Institute' })).json();
  const achievementId = await publishedAchievement(
    owner,
    org.id,
    sqlDefinition({ prerequisites: [], assessmentType: 'portfolio' }),
  );
  expect((await owner.call('PUT', `/api/orgs/${org.id}/achievements/${achievementId}/rubric`, rubric)).status).toBe(
    200,
  );
  learner = await apiClient(server.url, { name: 'Lee Learner', email: `learner-${Date.now()}@example.org`, password });
  const submitted = await learner.call('POST', `/api/achievements/${achievementId}/submissions`, {
    narrative: html,
    links: ['https://github.com/lee/sql-project'],
  });
  expect(submitted.status).toBe(201);
});
afterAll(() => rig?.close());

it('an assessor accepts a submission in the review queue, and the issuer then revokes the credential', async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email').fill(ownerEmail);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Northwind Institute' }).waitFor();

  await page.getByRole('link', { name: 'Open the review queue' }).click();
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Review the submission of Lee Learner' }).click();
  await page.getByRole('heading', { name: 'Review a submission' }).waitFor();

  // The learner's text is shown as text: the markup is visible, nothing runs.
  await page.getByText(html).waitFor();
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.title()).not.toBe('owned');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Excellent (4 points)').check();
  await page.getByLabel('Right (6 points)').check();
  await expect.poll(() => page.getByText('Score: 10 points').count()).toBe(1);
  await page.getByRole('button', { name: 'Accept and issue the credential' }).click();
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await page.getByText('Nothing waits for review.').waitFor();

  const wallet = await (await learner.call('GET', '/api/me/credentials')).json();
  expect(wallet.credentials).toHaveLength(1);
  expect(wallet.credentials[0].status).toBe('active');

  await page.goto(`${server.url}/dashboard`);
  await page.getByRole('link', { name: 'Issued credentials' }).click();
  await page.getByRole('heading', { name: 'Issued credentials' }).waitFor();
  await page.getByLabel('Recipient or credential name').fill('lee');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('Showing 1–1 of 1.').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Revoke Data Analysis with SQL of Lee Learner' }).click();
  await page.getByLabel('Reason for revoking Data Analysis with SQL').fill('Work copied from another learner');
  await page.getByRole('button', { name: 'Revoke for good' }).click();
  await page.getByText('Work copied from another learner').waitFor();
  await page.getByRole('table').getByText('Revoked', { exact: true }).waitFor();

  const after = await (await learner.call('GET', '/api/me/credentials')).json();
  expect(after.credentials[0]).toMatchObject({
    status: 'revoked',
    revocationReason: 'Work copied from another learner',
  });
  await page.close();
});
