import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newcombe } from '../../src/hiring/funnel.js';
import { createOrg, createTestApp, request, signUp, type Client, type TestApp } from '../helpers/app.js';

// Funnels in the outcome analytics: hiring's interview-to-offer funnel per employer and pooled over the employers
// who share theirs, with small cells withheld; the pool is the sum of the sharers' applications, and its
// difference is Newcombe's interval on the summed counts.
let t: TestApp;
let admin: Client;
const employers: { owner: Client; orgId: string; jobId: string }[] = [];

type Plan = [count: number, aligned: boolean, furthest: number, stage: string][];
// Per employer: with a credential 6 offers of 8 decided interviews, without 3 of 9; some still applied.
const plan = (extra: number): Plan => [
  [6, true, 4, 'offer'],
  [2, true, 3, 'rejected'],
  [4 + extra, true, 1, 'applied'],
  [3, false, 5, 'hired'],
  [6, false, 3, 'rejected'],
  [5, false, 2, 'rejected'],
];

async function fill(orgId: string, jobId: string, rows: Plan) {
  const db = t.platform.database.db;
  let i = 0;
  for (const [count, aligned, furthest, stage] of rows) {
    for (let k = 0; k < count; k++, i++) {
      const user = await sql<{ id: string }>`insert into users (id, email, name, password_hash)
        values (gen_random_uuid(), ${`pool-${orgId}-${i}@funnels.test`}, ${`Pool ${i}`}, 'x') returning id`.execute(db);
      await db
        .insertInto('hiring_applications')
        .values({
          job_id: jobId,
          org_id: orgId,
          user_id: user.rows[0]!.id,
          origin: 'applied',
          stage,
          furthest,
          holdings: '[]',
          aligned,
          applied_at: new Date('2026-03-01T10:00:00Z'),
          updated_at: new Date(),
        })
        .execute();
    }
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app, 'Ana Analyst');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  await t.platform.skills.loadBundled();
  const found = (await t.app.inject({ method: 'GET', url: '/api/skills?framework=ESCO&limit=5&q=SQL' })).json();
  const sqlSkill = found.skills.find((s: { name: string }) => s.name === 'SQL').code as string;
  for (let e = 0; e < 4; e++) {
    const owner = await signUp(t.app, `Employer ${e}`);
    const orgId = await createOrg(t.app, owner);
    const created = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/jobs`, {
      title: `Analyst ${e}`,
      kind: 'job',
      status: 'open',
      skills: [{ skill: sqlSkill, weight: 5 }],
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    const jobId = created.json().job.id as string;
    employers.push({ owner, orgId, jobId });
    await fill(orgId, jobId, plan(e));
  }
}, 120_000);
afterAll(() => t.close());

const own = (e: number, query = '') =>
  request(t.app, employers[e]!.owner, 'GET', `/api/orgs/${employers[e]!.orgId}/analytics/funnel${query}`);
const share = (e: number, shared: boolean) =>
  request(t.app, employers[e]!.owner, 'PUT', `/api/orgs/${employers[e]!.orgId}/analytics/funnel-sharing`, { shared });
const cell = (
  body: { rows: { stage: string; group: string; reached: number | null; withheld: string | null }[] },
  stage: string,
  group: string,
) => body.rows.find((r) => r.stage === stage && r.group === group)!;

describe('funnels in the analytics', () => {
  it('shows an employer its own funnel with stages reached by fewer than 10 applications withheld', async () => {
    const response = await own(0);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ scope: 'employer', employers: 1, applications: 26, withheld: null });
    // With a credential: 12 applied, 8 reached screening and interview (withheld: < 10), 6 an offer.
    expect(cell(body, 'applied', 'with credential')).toMatchObject({ reached: 12, withheld: null });
    expect(cell(body, 'interview', 'with credential')).toMatchObject({ reached: null, rateOn: null });
    expect(cell(body, 'interview', 'with credential').withheld).toMatch(/Fewer than 10/);
    // Without: 14 applied and reached screening, 9 an interview (withheld).
    expect(cell(body, 'screening', 'without credential')).toMatchObject({ reached: 14, withheld: null });
    expect(cell(body, 'interview', 'without credential').reached).toBeNull();
    // 8 and 9 decided interviews: no difference shown.
    expect(body.interviewToOffer).toMatchObject({
      estimate: null,
      ci95: null,
      withCredential: 8,
      withoutCredential: 9,
    });
    // Not its funnel: another employer's organization.
    const other = await request(t.app, employers[1]!.owner, 'GET', `/api/orgs/${employers[0]!.orgId}/analytics/funnel`);
    expect(other.statusCode).toBe(403);
  });

  it('pools only the employers who share, and shows the pool to a sharer once three share', async () => {
    expect((await own(0, '?scope=pooled')).json().withheld).toMatch(/does not share/);
    expect((await share(0, true)).json()).toMatchObject({ shared: true });
    expect((await share(1, true)).json()).toMatchObject({ shared: true });
    // Two sharers: each could subtract its own, so a member does not see it; the analyst does.
    const two = (await own(0, '?scope=pooled')).json();
    expect(two.withheld).toMatch(/Fewer than 3 employers/);
    expect(two.rows).toEqual([]);
    expect(two.applications).toBeNull();
    const analyst = (await request(t.app, admin, 'GET', '/api/admin/analytics/funnel')).json();
    expect(analyst).toMatchObject({ scope: 'pooled', employers: 2, applications: 26 + 27, withheld: null });
    expect(cell(analyst, 'interview', 'with credential').reached).toBe(16);

    await share(2, true);
    const pool = (await own(1, '?scope=pooled')).json();
    expect(pool).toMatchObject({ scope: 'pooled', employers: 3, applications: 26 + 27 + 28 });
    // Employer 3 does not share: its applications are not in the pool.
    expect(cell(pool, 'applied', 'with credential').reached).toBe(12 + 13 + 14);
    expect(cell(pool, 'hired', 'without credential')).toMatchObject({ reached: null });
    // 18 of 24 with, 9 of 27 without: Newcombe's interval on the pooled counts.
    const expected = newcombe(18, 24, 9, 27)!;
    expect(pool.interviewToOffer.withCredential).toBe(24);
    expect(pool.interviewToOffer.withoutCredential).toBe(27);
    expect(pool.interviewToOffer.estimate).toBeCloseTo(expected.estimate, 4);
    expect(pool.interviewToOffer.ci95[0]).toBeCloseTo(expected.low, 4);
    expect(pool.interviewToOffer.ci95[1]).toBeCloseTo(expected.high, 4);
    // A non-sharer asking for the pool sees nothing of it.
    expect((await own(3, '?scope=pooled')).json()).toMatchObject({ applications: null, rows: [] });

    // The analyst's cut by one employer, sharer or not; a period with none of the applications.
    const one = (await request(t.app, admin, 'GET', `/api/admin/analytics/funnel?orgId=${employers[3]!.orgId}`)).json();
    expect(one).toMatchObject({ scope: 'employer', applications: 29 });
    const later = await request(t.app, admin, 'GET', '/api/admin/analytics/funnel?from=2026-03-02');
    expect(later.json()).toMatchObject({ applications: 0, employers: 3 });

    // Withdrawn: out of the pool at once.
    expect((await share(2, false)).json()).toEqual({ shared: false, sharedAt: null });
    const after = (await request(t.app, admin, 'GET', '/api/admin/analytics/funnel')).json();
    expect(after).toMatchObject({ employers: 2, applications: 26 + 27 });
    expect(
      (
        await request(t.app, employers[0]!.owner, 'GET', `/api/orgs/${employers[0]!.orgId}/analytics/funnel-sharing`)
      ).json().shared,
    ).toBe(true);
    await share(2, true);
  });

  it('draws the funnel as SVG from Vega-Lite and writes its table as CSV', async () => {
    const svg = await request(t.app, admin, 'GET', '/api/admin/analytics/funnel.svg');
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg[^>]*role="img"/);
    expect(svg.body).toContain('Hiring funnel pooled over 3 employer(s)');
    expect(svg.body).toContain('applied, with credential: 39');
    expect(svg.body).not.toContain('<script');
    const csv = await request(
      t.app,
      employers[2]!.owner,
      'GET',
      `/api/orgs/${employers[2]!.orgId}/analytics/funnel.csv?scope=pooled`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('stage,group,reached,rate_on,ci_low,ci_high,withheld');
    // Those still at applied are pending: every decided application with a credential moved on to screening.
    expect(lines).toContain('"applied","with credential",39,1,,,');
    // Without: 42 reached screening; 27 moved on to an interview, 15 were rejected at screening.
    expect(lines).toContain('"screening","without credential",42,0.6429,,,');
    expect(lines.find((l) => l.startsWith('"hired","without credential"'))).toMatch(/,,,,,"Fewer than 10/);
    const expected = newcombe(18, 24, 9, 27)!;
    const last = lines.at(-1)!.split(',');
    expect(Number(last[3])).toBeCloseTo(expected.estimate, 4);
    expect(Number(last[4])).toBeCloseTo(expected.low, 4);
  });

  it('refuses bad input with problem details', async () => {
    for (const query of ['?from=2026-02-30', '?from=2026-03-02&to=2026-03-01', '?orgId=nope', '?scope=pooled']) {
      const response = await request(t.app, admin, 'GET', `/api/admin/analytics/funnel${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await own(0, '?scope=everyone')).statusCode).toBe(400);
    expect((await share(0, 'yes' as unknown as boolean)).statusCode).toBe(400);
    expect(
      (await request(t.app, admin, 'GET', '/api/orgs/' + employers[0]!.orgId + '/analytics/funnel')).statusCode,
    ).toBe(403);
  });
});
