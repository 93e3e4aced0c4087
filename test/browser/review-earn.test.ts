import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  publishedAchievement,
  signInAs as signInThroughFormAs,
  startBrowserRig,
  type ApiClient,
  type BrowserRig,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';

/**
 * A micro-credential assessed by review, earned entirely in the web app: the issuer writes the rubric in the
 * issuer console, the learner submits work from the catalog page, an assessor accepts it, and the learner holds
 * the credential. Then the issuer awards it by hand to someone else.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const password = 'a long enough password';
const stamp = Date.now();
const emails = {
  owner: `owner-${stamp}@example.org`,
  assessor: `assessor-${stamp}@example.org`,
  learner: `learner-${stamp}@example.org`,
  other: `other-${stamp}@example.org`,
};
let orgId: string;
let achievementId: string;

let owner: ApiClient;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const signUp = (name: string, email: string) => apiClient(server.url, { name, email, password });
  owner = await signUp('Olive Owner', emails.owner);
  await signUp('Asa Assessor', emails.assessor);
  await signUp('Lee Learner', emails.learner);
  await signUp('Sam Other', emails.other);
  orgId = (await (await owner.call('POST', '/api/orgs', { name: 'Northwind Institute' })).json()).id;
  expect(
    (await owner.call('POST', `/api/orgs/${orgId}/members`, { email: emails.assessor, role: 'assessor' })).status,
  ).toBe(201);
  achievementId = await publishedAchievement(
    owner,
    orgId,
    sqlDefinition({ prerequisites: [], assessmentType: 'assessor-review', title: 'Relational Schema Design' }),
  );
});
afterAll(() => rig?.close());

const signInAs = (email: string) => signInThroughFormAs(context, server.url, email, password);

it('an issuer writes a rubric, a learner submits, an assessor accepts, and the learner holds the credential', async () => {
  // The issuer writes the rubric in the issuer console.
  let page = await signInAs(emails.owner);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Issuer console' }).click();
  await page.getByRole('link', { name: 'Relational Schema Design' }).click();
  const rubric = page.getByRole('region', { name: 'Rubric for assessors' });
  await rubric.getByLabel('Name of criterion 1').waitFor();
  await rubric.getByLabel('Name of criterion 1').fill('Schema design');
  await rubric.getByLabel('Level 1 of criterion 1', { exact: true }).fill('Missing');
  await rubric.getByLabel('Level 2 of criterion 1', { exact: true }).fill('Excellent');
  await rubric.getByLabel('Points for level 2 of criterion 1').fill('4');
  await rubric.getByRole('button', { name: 'Add a criterion' }).click();
  await rubric.getByLabel('Name of criterion 2').fill('Queries');
  await rubric.getByLabel('Level 1 of criterion 2', { exact: true }).fill('Wrong');
  await rubric.getByLabel('Level 2 of criterion 2', { exact: true }).fill('Right');
  await rubric.getByLabel('Points for level 2 of criterion 2').fill('6');
  // A threshold above the most one can score is refused with the reason, which goes once the field changes.
  await rubric.getByLabel('Points needed to pass').fill('11');
  await rubric.getByRole('button', { name: 'Save the rubric' }).click();
  await rubric.getByRole('alert').getByText('from 1 to 10').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await rubric.getByLabel('Points needed to pass').fill('6');
  expect(await rubric.getByRole('alert').count()).toBe(0);
  await rubric.getByRole('button', { name: 'Save the rubric' }).click();
  await rubric.getByText('Rubric saved.').waitFor();
  const stored = await (await owner.call('GET', `/api/orgs/${orgId}/achievements/${achievementId}/rubric`)).json();
  expect(stored).toMatchObject({
    passPoints: 6,
    criteria: [
      {
        name: 'Schema design',
        levels: [
          { name: 'Missing', points: 0 },
          { name: 'Excellent', points: 4 },
        ],
      },
      {
        name: 'Queries',
        levels: [
          { name: 'Wrong', points: 0 },
          { name: 'Right', points: 6 },
        ],
      },
    ],
  });
  await page.close();

  // Signed out, the catalog page says how it is assessed and asks to sign in to submit.
  await context.clearCookies();
  page = await context.newPage();
  await page.goto(`${server.url}/catalog/${achievementId}`);
  const review = page.getByRole('region', { name: 'Assessed by review' });
  await review.getByText('6 points are needed to pass.').waitFor();
  await review.getByRole('link', { name: 'Sign in to submit your work' }).waitFor();
  await page.close();

  // The learner finds the way to submit on the catalog page.
  page = await signInAs(emails.learner);
  await page.goto(`${server.url}/catalog`);
  await page.getByRole('link', { name: 'Relational Schema Design' }).click();
  await page.getByRole('region', { name: 'Assessed by review' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Submit your work' }).click();
  await page.getByRole('heading', { name: 'Submit work: Relational Schema Design' }).waitFor();
  await page.getByLabel('Describe your work').fill('A normalized schema for a library, with the queries.');
  await page.getByLabel('Links (https, one per line)').fill('https://example.org/lee/library-schema');
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await page.getByText('Your work is waiting for an assessor.').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.close();

  // The assessor accepts it from the review queue.
  page = await signInAs(emails.assessor);
  await page.getByRole('link', { name: 'Open the review queue' }).click();
  await page.getByRole('link', { name: 'Review the submission of Lee Learner' }).click();
  await page.getByText('A normalized schema for a library').waitFor();
  await page.getByLabel('Excellent (4 points)').check();
  await page.getByLabel('Right (6 points)').check();
  await page.getByRole('button', { name: 'Accept and issue the credential' }).click();
  await page.getByText('Nothing waits for review.').waitFor();
  await page.close();

  // The learner holds the credential, and the catalog page says so.
  page = await signInAs(emails.learner);
  await page.getByRole('link', { name: 'My credentials' }).click();
  await page.getByText('Relational Schema Design').first().waitFor();
  await page.goto(`${server.url}/catalog/${achievementId}`);
  await page.getByText('Your latest submission: Accepted.').waitFor();
  await page.close();
});

it('an issuer awards a published micro-credential by hand, once for a double click', async () => {
  const page = await signInAs(emails.owner);
  await page.goto(`${server.url}/issuer/achievements/${achievementId}`);
  const award = page.getByRole('region', { name: 'Award by hand' });
  await award.getByLabel("Learner's email").fill('not an email');
  await award.getByRole('button', { name: 'Award the credential' }).click();
  await award.getByRole('alert').waitFor();
  await award.getByLabel("Learner's email").fill(emails.other);
  expect(await award.getByRole('alert').count()).toBe(0);
  await award
    .getByLabel('What they did (optional, goes into the credential as evidence)')
    .fill('Passed the oral exam.');
  await award.getByRole('button', { name: 'Award the credential' }).dblclick();
  await award.getByText(`Awarded to ${emails.other}.`).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  const issued = await (
    await owner.call('GET', `/api/orgs/${orgId}/credentials?q=${encodeURIComponent(emails.other)}`)
  ).json();
  expect(issued.total).toBe(1);
  await page.close();
});
