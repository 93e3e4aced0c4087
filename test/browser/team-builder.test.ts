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
  escoSkill,
} from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/** A project lead staffs a project: picks the pool, sees the optimal team and the runners-up, swaps a member. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

const password = 'a long enough password';

it(
  'shows the optimal team, who covers what, the runners-up, and what a swap breaks',
  { timeout: 240_000 },
  async () => {
    const stamp = Date.now();
    const leadEmail = `team-lead-${stamp}@example.org`;
    const lead = await apiClient(server.url, { name: 'Tess Lead', email: leadEmail, password });
    const org = await lead.call('POST', '/api/orgs', { name: 'Team Builder Projects' });
    const orgId = (await org.json()).id as string;
    const db = server.platform.database.db;
    const skill = (name: string) => escoSkill(server, name);
    const sql = await skill('SQL');
    const python = await skill('Python (computer programming)');
    const course = (title: string, skills: Awaited<ReturnType<typeof skill>>[]) =>
      publishedAchievement(lead, orgId, sqlDefinition({ title, prerequisites: [], skills }));
    const sqlCourse = await course('SQL for teams', [sql]);
    const pyCourse = await course('Python for teams', [python]);
    const bothCourse = await course('SQL and Python for teams', [sql, python]);
    const leadUser = await db.selectFrom('users').select('id').where('email', '=', leadEmail).executeTakeFirstOrThrow();
    // alice: SQL, 400 a day; bob: Python, 300; carol: both, 900.
    for (const [name, achievementId, dayRate] of [
      ['alice', sqlCourse, 400],
      ['bob', pyCourse, 300],
      ['carol', bothCourse, 900],
    ] as const) {
      const email = `team-${name}-${stamp}@example.org`;
      const worker = await apiClient(server.url, { name: `Worker ${name}`, email, password });
      await confirmEmailByLink(server.platform, email);
      await server.platform.awarding.awardByHand({ orgId, achievementId, email, issuedBy: leadUser.id, score: 90 });
      const saved = await worker.call('PUT', '/api/me/talent', { discoverable: true, dayRate });
      if (saved.status !== 200) throw new Error(`talent of ${name}: ${saved.status}`);
    }
    const created = await lead.call('POST', `/api/orgs/${orgId}/jobs`, {
      title: 'Data platform project',
      kind: 'project',
      status: 'open',
      blind: false,
      skills: [
        { skill: sql.code, weight: 5, required: true },
        { skill: python.code, weight: 3, required: true },
      ],
    });
    if (created.status !== 201) throw new Error(`project: ${created.status}`);
    const jobId = (await created.json()).job.id as string;

    const page = await signInAs(context, server.url, leadEmail, password);
    await page.goto(`${server.url}/hiring/${orgId}/jobs/${jobId}/team`);
    await page.getByRole('heading', { level: 1, name: 'Team builder: Data platform project' }).waitFor();
    await page.getByRole('radio', { name: 'Ranked candidates (discoverable)' }).check();
    await page.getByRole('button', { name: 'Find the best team' }).click();

    const best = page.getByRole('table', { name: 'Members of the best team' });
    await best.waitFor();
    await page.getByText(/^Optimal, proven by solving the integer program exactly/).waitFor();
    expect(await best.getByRole('rowheader').allTextContents()).toEqual(['Worker carol']);
    expect(await page.getByRole('list', { name: 'Coverage' }).getByRole('listitem').allTextContents()).toEqual([
      'SQL (needs 1): Worker carol',
      'Python (computer programming) (needs 1): Worker carol',
    ]);
    const runnerUp = page.getByRole('table', { name: /^Runner-up 1: 2 member\(s\), day rates 700/ });
    expect((await runnerUp.getByRole('rowheader').allTextContents()).sort()).toEqual(['Worker alice', 'Worker bob']);
    expect(await axeViolations(page)).toEqual([]);

    // Swap carol for bob: Python is still held, SQL is not.
    await page.getByLabel('Take out').selectOption({ label: 'Worker carol' });
    await page.getByLabel('Put in').selectOption({ label: 'Worker bob · 300 a day' });
    const breaks = page.getByRole('list', { name: 'What breaks' });
    await breaks.waitFor();
    expect(await breaks.getByRole('listitem').allTextContents()).toEqual([
      'SQL: held by 0 of the 1 member(s) it needs',
    ]);
    await page.getByText('The changed team: 1 members, day rates 300').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  },
);
