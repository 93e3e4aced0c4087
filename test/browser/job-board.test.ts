import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import {
  apiClient,
  axeViolations,
  signInAs,
  startBrowserRig,
  type ApiClient,
  type BrowserRig,
  escoSkill,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/**
 * Issue 20, item 5 (the worker's job board): a learner with credentials searches the open jobs by text and by
 * skill, opens one, applies with a note and one of their holdings, sees the application on the job and in "My
 * applications"; the employer's pipeline shows it with that holding only. The board and the job page are axe-clean.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;
let employer: ApiClient;
let worker: ApiClient;
const password = 'a long enough password';
const stamp = Date.now();
const employerEmail = `board-employer-${stamp}@example.org`;
const workerEmail = `board-worker-${stamp}@example.org`;
let orgId: string;
let jobId: string;
let draftId: string;
const note = 'Five years of reporting in SQL; happy to start in March.';

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
  const platform = server.platform;
  await platform.skills.loadBundled();
  const skill = (name: string) => escoSkill(server, name);
  const sql = await skill('SQL');
  const js = await skill('JavaScript');

  // The worker holds two credentials from an academy: SQL and JavaScript.
  worker = await apiClient(server.url, { name: 'Wren Worker', email: workerEmail, password });
  await confirmEmailByLink(platform, workerEmail);
  const teacher = await platform.accounts.signUp({
    email: `board-academy-${stamp}@example.org`,
    name: 'Ada Academy',
    password,
  });
  const academy = await platform.accounts.createOrganization(teacher.id, { name: 'Board Academy' });
  for (const [title, taught] of [
    ['Querying for reports', sql],
    ['Scripting the browser', js],
  ] as const) {
    const { record } = await platform.catalog.create(
      academy.id,
      sqlDefinition({ title, ectsCredits: undefined, prerequisites: [], skills: [taught] }),
    );
    await platform.catalog.publish(academy.id, record.id);
    await platform.awarding.awardByHand({
      orgId: academy.id,
      achievementId: record.id,
      email: workerEmail,
      issuedBy: teacher.id,
      score: 90,
    });
  }

  // The employer opens two jobs (SQL, JavaScript) and keeps a draft that no one may find.
  employer = await apiClient(server.url, { name: 'Elm Employer', email: employerEmail, password });
  orgId = (await (await employer.call('POST', '/api/orgs', { name: 'Harbour Hiring Ltd' })).json()).id;
  const post = async (title: string, status: string, asked: { code: string }, description: string) => {
    const created = await employer.call('POST', `/api/orgs/${orgId}/jobs`, {
      title,
      kind: 'job',
      status,
      description,
      location: 'Harbour City',
      remote: true,
      skills: [{ skill: asked.code, weight: 4, required: true }],
    });
    expect(created.status).toBe(201);
    return (await created.json()).job.id as string;
  };
  jobId = await post('Harbour data analyst', 'open', sql, 'Weekly reports on the harbour traffic, in SQL.');
  await post('Harbour web developer', 'open', js, 'The harbour web site.');
  draftId = await post('Harbour secret draft', 'draft', sql, 'Not yet.');
}, 240_000);
afterAll(() => rig?.close());

it(
  'the worker searches the board by text and skill, opens a job, applies with a note and one holding',
  { timeout: 240_000 },
  async () => {
    const page = await signInAs(context, server.url, workerEmail, password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Job board' }).waitFor();
    const found = page.getByRole('region', { name: 'Open jobs found' });
    await found.getByRole('link', { name: 'Harbour data analyst' }).waitFor();
    expect(await found.getByRole('listitem').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    // By text, then by text and skill: the skill is picked by name from the skills search.
    await page.getByLabel('Search', { exact: true }).fill('harbour');
    await page.getByLabel('Skill', { exact: true }).fill('SQL');
    await page.getByText('Skill: SQL', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/skill=/);
    await expect.poll(() => found.getByRole('listitem').count()).toBe(1);
    const card = found.getByRole('listitem');
    await card.getByText('Harbour Hiring Ltd · Job · Harbour City · remote').waitFor();
    await card.getByText('Skills asked: SQL (required)').waitFor();
    expect(await found.getByText('Harbour web developer').count()).toBe(0);
    expect(await found.getByText('secret draft').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // The job, its skills, and the form to apply.
    await card.getByRole('link', { name: 'Harbour data analyst' }).click();
    await page.getByRole('heading', { level: 1, name: 'Harbour data analyst' }).waitFor();
    await page.getByText('Weekly reports on the harbour traffic, in SQL.').waitFor();
    const skills = page.getByRole('region', { name: 'Skills asked' });
    expect(await skills.getByRole('row').count()).toBe(2);
    await skills.getByRole('rowheader', { name: 'SQL' }).waitFor();
    const holdings = page.getByRole('group', { name: 'Credentials to attach' });
    await holdings.getByRole('checkbox', { name: /Querying for reports/ }).waitFor();
    expect(await holdings.getByRole('checkbox').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    // Apply with the keyboard: a note and one of the two holdings.
    await page.getByLabel('Note to the employer').fill(note);
    await holdings.getByRole('checkbox', { name: /Querying for reports/ }).focus();
    await page.keyboard.press('Space');
    expect(await holdings.getByRole('checkbox', { name: /Querying for reports/ }).isChecked()).toBe(true);
    expect(await holdings.getByRole('checkbox', { name: /Scripting the browser/ }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Apply', exact: true }).focus();
    await page.keyboard.press('Enter');
    const mine = page.getByRole('region', { name: 'Your application' });
    await mine.getByText('Your application is sent.').waitFor();
    expect(await mine.getByTestId('stage').textContent()).toBe('applied');
    const attached = mine.getByRole('list', { name: 'Credentials you attached' });
    expect(await attached.getByRole('listitem').count()).toBe(1);
    await attached.getByText(/Querying for reports/).waitFor();
    expect(await page.getByRole('button', { name: 'Apply', exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // "My applications" lists it.
    await mine.getByRole('link', { name: 'My applications' }).click();
    await page.getByRole('heading', { level: 1, name: 'My applications' }).waitFor();
    const listed = page.getByRole('region', { name: 'Harbour data analyst · Harbour Hiring Ltd' });
    await listed.waitFor();
    expect(await listed.getByTestId('stage').textContent()).toBe('applied');

    // Back on the board and on the job: it shows the worker applied, and offers no second application.
    await page.goto(`${server.url}/jobs?q=harbour`);
    await found.getByText('You applied').waitFor();
    await page.goto(`${server.url}/jobs/${jobId}`);
    await page
      .getByRole('region', { name: 'Your application' })
      .getByText('You applied to this job', { exact: false })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Apply', exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // A draft has no public page: the page says so.
    await page.goto(`${server.url}/jobs/${draftId}`);
    await page.getByRole('alert').getByText('That open job was not found.').waitFor();
    await page.getByRole('link', { name: 'All open jobs' }).waitFor();
    await page.close();

    // The API refuses a second application with a problem the page would show.
    const again = await worker.call('POST', `/api/jobs/${jobId}/applications`, { note: 'Again' });
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toBe('You applied to this job already.');
  },
);

it(
  'the employer’s pipeline shows the application, its note and the one holding attached',
  { timeout: 180_000 },
  async () => {
    const board = await employer.call('GET', `/api/orgs/${orgId}/jobs/${jobId}/applications`);
    expect(board.status).toBe(200);
    const { applications } = await board.json();
    expect(applications).toHaveLength(1);
    expect(applications[0].stage).toBe('applied');
    expect(applications[0].note).toBe(note);
    expect(applications[0].holdings.map((h: { name: string }) => h.name)).toEqual(['Querying for reports']);
    expect(applications[0].holdings[0].aligned).toBe(true);

    const page = await signInAs(context, server.url, employerEmail, password);
    await page.goto(`${server.url}/hiring/jobs/${jobId}/pipeline`);
    await page.getByRole('heading', { name: 'Pipeline: Harbour data analyst' }).waitFor();
    await page.getByText(note).waitFor();
    await page.close();
  },
);
