import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig, escoSkill } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/** A learner finds an employer's open job on the Advice page and gets the plan toward its skills. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

it(
  'finds an open job by searching jobs and plans toward its skills; drafts are not offered',
  { timeout: 180_000 },
  async () => {
    const page = await context.newPage();
    const email = `advice-jobs-${Date.now()}@example.org`;
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Your name').fill('Jo Jobseeker');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Organization name').waitFor();
    await confirmEmailByLink(server.platform, email);
    await page.getByLabel('Organization name').fill('Jobs Browser Academy');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Jobs Browser Academy' }).waitFor();

    const db = server.platform.database.db;
    const academy = await db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Jobs Browser Academy')
      .executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const skill = (name: string) => escoSkill(server, name);
    const sql = await skill('SQL');
    const js = await skill('JavaScript');
    const publish = async (title: string, hours: number, taught: Awaited<ReturnType<typeof skill>>) => {
      const { record } = await server.platform.catalog.create(
        academy.id,
        sqlDefinition({ title, workloadHours: hours, ectsCredits: undefined, prerequisites: [], skills: [taught] }),
      );
      await server.platform.catalog.publish(academy.id, record.id);
      return record.id;
    };
    const proven = await publish('Querying basics', 10, sql);
    await publish('Scripting the web', 14, js);
    await server.platform.awarding.awardByHand({
      orgId: academy.id,
      achievementId: proven,
      email,
      issuedBy: user.id,
      score: 90,
    });

    // An employer (another account, another organization) posts an open job and keeps a draft.
    const employer = await server.platform.accounts.signUp({
      email: `employer-${Date.now()}@example.org`,
      name: 'Eve Employer',
      password: 'a long enough password',
    });
    const employerOrg = await server.platform.accounts.createOrganization(employer.id, { name: 'Harbour Web Ltd' });
    const post = (title: string, status: 'open' | 'draft') =>
      server.platform.hiring.createJob(employerOrg.id, employer.id, {
        title,
        kind: 'job',
        status,
        location: 'Harbour City',
        skills: [
          { skill: js.code, weight: 5, required: true },
          { skill: sql.code, weight: 2 },
        ],
      });
    await post('Harbour web developer', 'open');
    await post('Harbour web lead (draft)', 'draft');

    await page.getByRole('link', { name: 'Advice', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Reskilling advice' }).waitFor();
    await page.getByRole('radio', { name: 'An open job' }).check();
    await page.getByLabel('Search open jobs').fill('harbour');
    const found = page.getByRole('list', { name: 'Matching open jobs' });
    await found.getByText('Harbour Web Ltd', { exact: false }).waitFor();
    expect(await found.getByRole('listitem').count()).toBe(1);
    expect(await found.getByText('draft', { exact: false }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await found.getByRole('button', { name: 'Plan for Harbour web developer', exact: true }).click();
    await page.getByRole('heading', { name: 'Your gap to Harbour web developer' }).waitFor();
    await page.getByRole('region', { name: 'Skills you prove' }).getByText('SQL').waitFor();
    await page
      .getByRole('region', { name: 'Skills you are missing' })
      .getByText('JavaScript', { exact: false })
      .first()
      .waitFor();
    const plan = page.getByRole('region', { name: 'Plan', exact: true });
    await plan.getByRole('link', { name: 'Scripting the web' }).waitFor();
    expect(await plan.getByRole('link', { name: 'Querying basics' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  },
);
