import type { BrowserContext } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { axeViolations, startBrowserRig, type BrowserRig } from '../helpers/browser.js';
import { sqlDefinition } from '../helpers/definitions.js';

/**
 * A visitor without an account asks "what would it take?": lists a skill and a micro-credential they hold,
 * picks a role and sees the least-hours plan and the roles within reach; nothing is stored, here or there.
 */
let rig: BrowserRig;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  rig = await startBrowserRig();
  ({ server, context } = rig);
});
afterAll(() => rig?.close());

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

it(
  'plans for a role from what an anonymous visitor lists, axe-clean, storing nothing',
  { timeout: 180_000 },
  async () => {
    const { accounts, catalog, skills, database } = server.platform;
    const db = database.db;
    const owner = await accounts.signUp({
      email: `what-if-${Date.now()}@example.org`,
      name: 'What-if Owner',
      password: 'a long enough password',
    });
    const org = await accounts.createOrganization(owner.id, { name: 'What-if Academy' });
    const code = (
      await db
        .selectFrom('occupations')
        .select('code')
        .where('name', '=', 'software developer')
        .executeTakeFirstOrThrow()
    ).code;
    const developer = await skills.occupationByCode(code);
    const [first, second, third] = developer!.skills.filter((s) => s.relation === 'essential');
    const skill = async (c: string) => {
      const s = await db
        .selectFrom('skills')
        .select(['code', 'name', 'url'])
        .where('code', '=', c)
        .executeTakeFirstOrThrow();
      return { code: s.code, name: s.name, url: s.url, framework: 'ESCO' };
    };
    const publish = async (title: string, hours: number, codes: string[]) => {
      const { record } = await catalog.create(
        org.id,
        sqlDefinition({
          title,
          workloadHours: hours,
          ectsCredits: undefined,
          // Assessed by exam: the catalog lists skill tests only once their bank can serve one.
          assessmentType: 'exam',
          prerequisites: [],
          skills: await Promise.all(codes.map(skill)),
        }),
      );
      await catalog.publish(org.id, record.id);
    };
    await publish('Already taken', 10, [second!.code]);
    await publish('The missing piece', 12, [third!.code]);
    await publish('All three at once', 60, [first!.code, second!.code, third!.code]);

    const tables = (
      await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
    ).rows.map((r) => r.name);
    const rows = async () => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const { rows: found } = await sql<{
          n: string | number;
        }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        counts[table] = Number(found[0]!.n);
      }
      return counts;
    };
    const before = await rows();

    const page = await context.newPage();
    await page.goto(`${server.url}/catalog`);
    await page.getByRole('link', { name: 'What would it take?' }).click();
    await page.getByRole('heading', { level: 1, name: 'What would it take?' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // A skill they have, by search.
    await page.getByLabel('Search skills').fill(first!.name);
    await page
      .getByRole('list', { name: 'Matching skills' })
      .getByRole('button', { name: new RegExp(`^Add ${escape(first!.name)} \\(ESCO\\)`) })
      .first()
      .click();
    await page.getByRole('list', { name: 'Chosen skills' }).getByText(first!.name).waitFor();
    // A micro-credential they hold, from the catalog: what it teaches counts.
    await page.getByLabel('Search micro-credentials').fill('Already taken');
    await page
      .getByRole('list', { name: 'Matching micro-credentials' })
      .getByRole('button', { name: 'Add Already taken' })
      .click();
    await page.getByRole('list', { name: 'Chosen micro-credentials' }).getByText('Already taken').waitFor();

    await page.getByLabel('Search occupations').fill('software developer');
    await page
      .getByRole('list', { name: 'Matching occupations' })
      .getByRole('button', { name: 'Plan for software developer', exact: true })
      .click();
    const have = page.getByRole('region', { name: 'Skills you have' });
    await have.getByText(first!.name).first().waitFor();
    await have.getByText(second!.name).first().waitFor();
    const plan = page.getByRole('region', { name: 'Plan', exact: true });
    await plan.getByRole('link', { name: 'The missing piece' }).waitFor();
    expect(await plan.getByRole('link', { name: 'All three at once' }).count()).toBe(0);
    expect(await plan.getByRole('heading').textContent()).toMatch(/least total hours/);
    await page
      .getByText(/nothing was verified/)
      .first()
      .waitFor({ state: 'attached' });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Show roles within reach' }).click();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('row').count()).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);

    // Nothing stored: no cookie, nothing in the browser's storage, the same rows in every table.
    expect(await context.cookies()).toEqual([]);
    const storage = await page.evaluate(() => {
      const web = globalThis as unknown as Record<'localStorage' | 'sessionStorage', { length: number }>;
      return [web.localStorage.length, web.sessionStorage.length];
    });
    expect(storage).toEqual([0, 0]);
    expect(await rows()).toEqual(before);
  },
);
