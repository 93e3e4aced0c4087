import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  publishedAchievement,
  signInAs,
  startBrowserRig,
  type BrowserRig,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';

/**
 * The issuer console as a new issuer meets it: it opens on the organization where they issue, a skill test
 * says why it is not in the catalog yet, the item form takes a question with blank option rows and clears its
 * messages as fields change, and bulk issuance offers templates and says per row what exists already.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
const password = 'a long enough password';
const stamp = Date.now();
const issuerEmail = `iris-${stamp}@example.org`;
const learnerEmail = `lea-${stamp}@example.org`;
let orgId: string;
let awardedId: string;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  // As in the demo: the issuer is first an employer somewhere else, then issues for their own organization.
  const signUp = (name: string, email: string) => apiClient(server.url, { name, email, password });
  const employer = await signUp('Emil Employer', `emil-${stamp}@example.org`);
  const issuer = await signUp('Iris Issuer', issuerEmail);
  await signUp('Lea Learner', learnerEmail);
  const talent = (await (await employer.call('POST', '/api/orgs', { name: 'Aardvark Talent' })).json()).id;
  expect(
    (await employer.call('POST', `/api/orgs/${talent}/members`, { email: issuerEmail, role: 'employer' })).status,
  ).toBe(201);
  orgId = (await (await issuer.call('POST', '/api/orgs', { name: 'Northwind Institute' })).json()).id;
  const publish = (title: string, assessmentType: 'skill-test' | 'exam') =>
    publishedAchievement(issuer, orgId, sqlDefinition({ title, assessmentType, prerequisites: [] }));
  await publish('Spreadsheet Basics', 'skill-test');
  awardedId = await publish('Project Management Exam', 'exam');
  // The learner holds the exam's credential already.
  expect(
    (await issuer.call('POST', `/api/orgs/${orgId}/achievements/${awardedId}/awards`, { email: learnerEmail })).status,
  ).toBe(201);
});
afterAll(() => rig?.close());

it('opens on the organization where one issues, and says why a skill test is not in the catalog yet', async () => {
  const page = await signInAs(context, server.url, issuerEmail, password);
  expect(await page.getByLabel('Organization', { exact: true }).inputValue()).toBe(orgId);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Issuer console' }).click();
  await page.getByRole('link', { name: 'Spreadsheet Basics' }).click();
  await page.getByText('Not listed in the catalog until its item bank can serve a test').waitFor();
  await page.getByText('a test of 10 needs at least 20').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  // Nor is it listed in the catalog.
  const listed = (await (await fetch(`${server.url}/api/catalog?q=spreadsheet`)).json()) as { achievements: unknown[] };
  expect(listed.achievements).toEqual([]);

  // The new-item form: a message goes as its field changes; blank option rows are dropped, not refused.
  await page.getByRole('link', { name: 'Add items or change the test policy' }).click();
  await page.getByRole('button', { name: 'Add an item' }).click();
  const form = page.getByRole('region', { name: 'New item' });
  await form.getByRole('button', { name: 'Add the item' }).click();
  await form.locator('.field-error').first().waitFor();
  await form.getByLabel('Question').fill('Which function adds a range of cells?');
  await expect.poll(() => form.locator('.field-error').count()).toBe(0);
  expect(await form.getByRole('alert').count()).toBe(0);
  await form.getByLabel('Option 1', { exact: true }).fill('SUM');
  await form.getByLabel('Option 2', { exact: true }).fill('COUNT');
  expect(await form.getByLabel('Option 3', { exact: true }).inputValue()).toBe('');
  await form.getByRole('button', { name: 'Add the item' }).click();
  await page
    .getByRole('table', { name: 'Items' })
    .getByRole('cell', { name: 'Which function adds a range of cells?', exact: true })
    .waitFor();
  await page.close();
});

it('offers a CSV template per micro-credential, takes titles, and says per row what exists already', async () => {
  const page = await signInAs(context, server.url, issuerEmail, password);
  await page.goto(`${server.url}/bulk-issue`);
  const template = page.getByRole('link', { name: 'CSV template for Project Management Exam' });
  const href = (await template.getAttribute('href'))!;
  const csv = decodeURIComponent(href.slice(href.indexOf(',') + 1));
  expect(csv.split('\r\n')[0]).toBe('email,name,achievement,score,date,narrative,evidence_url');
  expect(csv).toContain('"Project Management Exam"');
  expect(await template.getAttribute('download')).toBe('project-management-exam-awards.csv');
  expect(await axeViolations(page)).toEqual([]);

  const upload =
    'email,name,achievement\n' +
    `${learnerEmail},Lea Learner,project management exam\n` +
    `new-${stamp}@example.org,New Learner,Project Management Exam\n`;
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'awards.csv', mimeType: 'text/csv', buffer: Buffer.from(upload) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('2 rows: 2 ready, 0 with errors, 0 duplicates.').waitFor();
  await page.getByRole('cell', { name: /already holds this micro-credential/ }).waitFor();
  expect(await page.getByRole('cell', { name: /already holds/ }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
