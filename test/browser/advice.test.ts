import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { confirmEmailByLink } from '../helpers/mail.js';

/** A learner with a verified skill asks for advice: held vs missing, the plan, its links, roles within reach. */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

const esco = (name: string) =>
  server.platform.database.db
    .selectFrom('skills')
    .select(['code', 'name', 'url'])
    .where('framework', '=', 'ESCO')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();

it(
  'shows the gap to an occupation, the least-hours plan with links, and roles within reach',
  { timeout: 180_000 },
  async () => {
    const page = await context.newPage();
    const email = `advice-${Date.now()}@example.org`;
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Your name').fill('Ada Advice');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('Organization name').waitFor();
    // The learner follows the confirmation link, so what is awarded to the email reaches the wallet.
    await confirmEmailByLink(server.platform, email);
    await page.getByLabel('Organization name').fill('Advice Browser Academy');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Advice Browser Academy' }).waitFor();

    const db = server.platform.database.db;
    const org = await db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Advice Browser Academy')
      .executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    // The occupation's first two essential skills: one proven, one taught by a published micro-credential.
    const developer = await server.platform.skills.occupationByCode(
      (
        await db
          .selectFrom('occupations')
          .select('code')
          .where('name', '=', 'software developer')
          .executeTakeFirstOrThrow()
      ).code,
    );
    const [first, second] = developer!.skills.filter((s) => s.relation === 'essential');
    const skill = async (code: string) => {
      const s = await db
        .selectFrom('skills')
        .select(['code', 'name', 'url'])
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      return { code: s.code, name: s.name, url: s.url, framework: 'ESCO' };
    };
    const publish = async (title: string, hours: number, code: string) => {
      const { record } = await server.platform.catalog.create(
        org.id,
        sqlDefinition({
          title,
          workloadHours: hours,
          ectsCredits: undefined,
          prerequisites: [],
          skills: [await skill(code)],
        }),
      );
      await server.platform.catalog.publish(org.id, record.id);
      return record.id;
    };
    const proven = await publish('What I already know', 10, first!.code);
    await publish('The next step', 12, second!.code);
    await publish('The long way round', 40, second!.code);
    await server.platform.awarding.awardByHand({
      orgId: org.id,
      achievementId: proven,
      email,
      issuedBy: user.id,
      score: 90,
    });
    expect((await esco(first!.name)).code).toBe(first!.code);

    await page.getByRole('link', { name: 'Advice', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Reskilling advice' }).waitFor();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('row').count()).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Search occupations').fill('software developer');
    await page
      .getByRole('list', { name: 'Matching occupations' })
      .getByRole('button', { name: 'Plan for software developer', exact: true })
      .click();
    const held = page.getByRole('region', { name: 'Skills you prove' });
    await held.getByText(first!.name).waitFor();
    await page
      .getByRole('region', { name: 'Skills you are missing' })
      .getByText(second!.name, { exact: false })
      .first()
      .waitFor();
    const plan = page.getByRole('region', { name: 'Plan', exact: true });
    await plan.getByRole('link', { name: 'The next step' }).waitFor();
    expect(await plan.getByRole('heading').textContent()).toMatch(/least total hours/);
    expect(
      await page
        .getByRole('region', { name: 'Alternative 1' })
        .getByRole('link', { name: 'The long way round' })
        .count(),
    ).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await plan.getByRole('link', { name: 'The next step' }).click();
    await page.getByRole('heading', { name: 'Roles it brings closer' }).waitFor();
    await page
      .getByText(/Closes \d+ of the \d+ essential skills of/)
      .first()
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
  },
);
