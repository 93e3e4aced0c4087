import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoAccounts, demoHandle, demoOrganizations, formatLogins, seedDemo } from '../../src/demo/seed.js';
import { createTestApp, signIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Rows in every table the demo writes: a second seed must leave each count as it was. */
async function counts(): Promise<Record<string, number>> {
  const tables = [
    'users',
    'organizations',
    'memberships',
    'achievements',
    'achievement_versions',
    'credentials',
    'shares',
    'share_events',
    'public_profiles',
    'pathways',
    'pathway_versions',
  ];
  const result: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(
      t.platform.database.db,
    );
    result[table] = Number(rows[0]!.n);
  }
  return result;
}

it(
  'seeds a learner with credentials from two issuers, one shared publicly, and seeds it only once',
  { timeout: 60_000 },
  async () => {
    const first = await seedDemo(t.platform);
    expect(first.created).toBe(true);
    const afterFirst = await counts();
    expect(afterFirst).toMatchObject({ credentials: 2, shares: 1, public_profiles: 1 });
    expect(afterFirst.share_events).toBeGreaterThan(0);

    const second = await seedDemo(t.platform);
    expect(second.created).toBe(false);
    expect(await counts()).toEqual(afterFirst);
    expect(second.publicPages).toEqual(first.publicPages);

    // The learner's wallet holds one credential from each demo issuer.
    const learner = await t.platform.accounts.findUserByEmail(demoAccounts[2].email);
    const holdings = await t.platform.wallet.holdings(learner!.id);
    const issuers = await Promise.all(
      holdings.map(async (h) => (await t.platform.accounts.getOrganization(h.issued!.orgId)).name),
    );
    expect(issuers.sort()).toEqual([demoOrganizations.secondIssuer, demoOrganizations.issuer].sort());

    // The printed public page answers without a login and verifies; the profile lists it.
    const url = new URL(first.publicPages.credential!);
    expect(url.pathname).toMatch(/^\/c\//);
    const page = await t.app.inject({ method: 'GET', url: url.pathname, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Verified');
    expect(page.body).toContain('Data Analysis with SQL');
    expect(first.publicPages.profile).toBe(`https://skillproof.test/u/${demoHandle}`);
    const profile = await t.app.inject({ method: 'GET', url: `/u/${demoHandle}`, headers: { accept: 'text/html' } });
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('Lea Learner');
    expect(profile.body).toContain(url.pathname);

    // The issuer's share-rate table has a row with the seeded shares and views.
    const issuer = await t.platform.accounts.findUserByEmail(demoAccounts[0].email);
    const northwind = (await t.platform.accounts.memberships(issuer!.id)).find(
      (m) => m.org.name === demoOrganizations.issuer,
    )!.org.id;
    // Iris issues for Northwind only, so the CLI and the VC-API need no organization named for her.
    const irisIssues = (await t.platform.accounts.memberships(issuer!.id)).filter((m) =>
      m.roles.some((role) => role === 'owner' || role === 'issuer'),
    );
    expect(irisIssues.map((m) => m.org.name)).toEqual([demoOrganizations.issuer]);
    const [stats] = await t.platform.sharing.shareStats(northwind);
    expect(stats).toMatchObject({ name: 'Data Analysis with SQL', issued: 1, shared: 1, shareRate: 1 });
    expect(stats!.views).toBeGreaterThan(0);

    // The review-assessed project has a rubric, so learners can submit work for it from its catalog page.
    const harborOwner = await t.platform.accounts.findUserByEmail(demoAccounts[4].email);
    const harbor = (await t.platform.accounts.memberships(harborOwner!.id)).find(
      (m) => m.org.name === demoOrganizations.secondIssuer,
    )!.org.id;
    const cloud = (await t.platform.catalog.list(harbor)).find((r) => r.draft.assessmentType === 'project')!;
    const shown = await t.platform.review.publishedRubric(cloud.id);
    expect(shown.rubric?.criteria.length).toBeGreaterThan(0);

    // The Cloud Data Engineering pathway of Northwind accepts Harbor's credential; the learner is one part short.
    const { pathways } = await t.platform.pathways.mine(learner!.id);
    expect(pathways).toEqual([
      expect.objectContaining({ title: 'Cloud Data Engineering', components: 3, satisfied: 2, complete: false }),
    ]);
    const progress = await t.platform.pathways.progress(learner!.id, pathways[0]!.pathwayId);
    expect(progress.progress.satisfied.map((s) => s.holding.issuer).sort()).toEqual(
      [demoOrganizations.issuer, demoOrganizations.secondIssuer].sort(),
    );
    expect(progress.route).toMatchObject({ status: 'optimal', steps: [{ name: 'Data Pipelines with Python' }] });

    // Every demo login works, and the seed output names the public pages.
    for (const account of demoAccounts) await signIn(t.app, account.email, 'skillproof-demo');
    const printed = formatLogins(second);
    expect(printed).toContain(first.publicPages.credential!);
    expect(printed).toContain(first.publicPages.profile!);
  },
);

it('leaves a withdrawn share withdrawn on the next seed', { timeout: 60_000 }, async () => {
  const before = await seedDemo(t.platform);
  const learner = await t.platform.accounts.findUserByEmail(demoAccounts[2].email);
  const [shared] = await t.platform.sharing.mine(learner!.id);
  await t.platform.sharing.withdraw(learner!.id, shared!.holdingId);
  const again = await seedDemo(t.platform);
  expect(again.publicPages.credential).toBeUndefined();
  const gone = await t.app.inject({ method: 'GET', url: new URL(before.publicPages.credential!).pathname });
  expect(gone.statusCode).toBe(410);
});
