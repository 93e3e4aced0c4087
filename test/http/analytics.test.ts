import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateEventStudy, readPanelCsv } from '../../src/analytics/event-study.js';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';

// The outcomes ledger and an event study on the platform's own records: workers earn a credential (through the
// real award path), their earnings around it are imported by an analyst, and the study over HTTP equals the
// estimator run on the same panel written out by hand.
let t: TestApp;
let admin: Client;
let owner: Client;
let orgId: string;
let achievementId: string;
const workers: Client[] = [];
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const eventDay = Date.UTC(2026, 5, 1);

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app, 'Ana Analyst');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner);
  achievementId = await publishAchievement(t.app, owner, orgId);
  for (let i = 0; i < 14; i++) {
    const worker = await signUp(t.app, `Worker ${i}`);
    workers.push(worker);
    const issued = await t.platform.awarding.awardByHand({
      orgId,
      achievementId,
      email: worker.email,
      issuedBy: owner.userId,
    });
    // History: the credential was earned on 1 June 2026 (the award path stamps today).
    await sql`update credentials set issued_at = ${new Date(eventDay).toISOString()} where id = ${issued.record.id}`.execute(
      t.platform.database.db,
    );
  }
});
afterAll(() => t.close());

/** Earnings of worker i: some before the event, more after it (worker 0 had none before: a new entrant). */
function ledgerCsv(): { csv: string; panel: string } {
  const lines = ['worker,date,kind,value'];
  const panel = ['worker_id,event_id,post,y,new_entrant'];
  workers.forEach((worker, i) => {
    const before = i === 0 ? 0 : 100 + 13 * i;
    const after = 150 + 29 * ((i * 7) % 5) + (i === 0 ? 40 : 0);
    if (before > 0) lines.push(`${worker.email},${iso(eventDay - 3 * day)},earnings,${before}`);
    lines.push(`${worker.userId},${iso(eventDay + 2 * day)},earnings,${after}`);
    // Outside both 14-day windows: counted by neither.
    lines.push(`${worker.email},${iso(eventDay + 40 * day)},earnings,5000`);
    panel.push(`w${i},e${i},0,${Math.log1p(before)},${i === 0 ? 1 : 0}`);
    panel.push(`w${i},e${i},1,${Math.log1p(after)},${i === 0 ? 1 : 0}`);
  });
  return { csv: `${lines.join('\n')}\n`, panel: `${panel.join('\n')}\n` };
}

describe('the outcomes ledger', () => {
  it('is imported by analysts only, all rows or none, naming what is wrong', async () => {
    const learner = workers[1]!;
    const refused = await request(t.app, learner, 'POST', '/api/admin/analytics/outcomes', { csv: 'x' });
    expect(refused.statusCode).toBe(403);

    const bad = await request(t.app, admin, 'POST', '/api/admin/analytics/outcomes', {
      csv: 'worker,date,kind,value\nnobody@example.org,2026-02-30,salary,-1\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().problems?.[0] ?? bad.json().details?.problems?.[0]).toMatchObject({ line: 2 });
    const unknown = await request(t.app, admin, 'POST', '/api/admin/analytics/outcomes', {
      csv: 'worker,date,kind,value\nnobody@example.org,2026-05-01,earnings,10\n',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('nobody@example.org');

    const { csv } = ledgerCsv();
    const imported = await request(t.app, admin, 'POST', '/api/admin/analytics/outcomes', { csv });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toEqual({ imported: 14 * 3 - 1, workers: 14 });
  });

  it('shows workers their own records and lets them report a job and opt out', async () => {
    const worker = workers[2]!;
    const mine = await request(t.app, worker, 'GET', '/api/me/outcomes');
    expect(mine.json().studied).toBe(true);
    expect(mine.json().outcomes).toHaveLength(3);
    expect(mine.json().outcomes[0]).toEqual({ date: '2026-05-29', kind: 'earnings', value: 126, source: 'import' });
    const future = await request(t.app, worker, 'POST', '/api/me/outcomes', { date: '2999-01-01', kind: 'job-start' });
    expect(future.statusCode).toBe(400);
    const job = await request(t.app, worker, 'POST', '/api/me/outcomes', { date: '2026-07-01', kind: 'job-start' });
    expect(job.statusCode).toBe(201);
    const after = (await request(t.app, worker, 'GET', '/api/me/outcomes')).json();
    expect(after.outcomes).toContainEqual({ date: '2026-07-01', kind: 'job-start', value: 1, source: 'self' });
  });
});

describe('an event study on the platform records', () => {
  const study = (body: object) => request(t.app, admin, 'POST', '/api/admin/analytics/event-study', body);

  it('equals the estimator on the same panel, with every worker who consents', async () => {
    const answer = await study({ outcome: 'log-earnings', achievementId, windowDays: 14 });
    expect(answer.statusCode).toBe(200);
    const expected = estimateEventStudy(readPanelCsv(ledgerCsv().panel));
    expect(answer.json()).toMatchObject({ n: 28, events: 14, clusters: 14, incompleteEvents: 0 });
    for (const field of ['estimate', 'stdError', 'ciLow', 'ciHigh'] as const) {
      expect(answer.json().coefficients.post[field]).toBeCloseTo(expected.coefficients.post![field], 10);
    }
  });

  it('withholds a group with fewer than 10 workers on one side, and the whole study below 10 workers', async () => {
    const byEntrant = (await study({ outcome: 'log-earnings', achievementId, by: ['new_entrant'] })).json();
    expect(byEntrant.coefficients['post:new_entrant']).toMatchObject({ suppressed: true });
    expect(byEntrant.coefficients.post.estimate).toEqual(expect.any(Number));

    // Five workers opt out: nine remain, fewer than ten.
    for (const worker of workers.slice(0, 5)) {
      expect((await request(t.app, worker, 'PUT', '/api/me/analytics/consent', { studied: false })).statusCode).toBe(
        200,
      );
    }
    const withheld = (await study({ outcome: 'log-earnings', achievementId })).json();
    expect(withheld.suppressed).toMatch(/Fewer than 10 workers/);
    expect(withheld.coefficients).toEqual({});
    for (const worker of workers.slice(0, 5)) {
      await request(t.app, worker, 'PUT', '/api/me/analytics/consent', { studied: true });
    }
  });

  it('estimates weekly leads and lags against the week before', async () => {
    const weekly = (await study({ outcome: 'log-earnings', achievementId, windowDays: 14, dynamic: true })).json();
    expect(Object.keys(weekly.coefficients).sort()).toEqual(['week -2', 'week 0', 'week 1']);
    expect(weekly.n).toBe(14 * 4);
  });

  it('refuses bad studies with a clear problem', async () => {
    expect((await study({ outcome: 'happiness' })).statusCode).toBe(400);
    expect((await study({ outcome: 'projects', windowDays: 0 })).statusCode).toBe(400);
    expect((await study({ outcome: 'projects', dynamic: true, by: ['new_entrant'] })).statusCode).toBe(400);
    // No project was ever recorded: the outcome never changes, which is said, not answered with a zero error.
    const flat = await study({ outcome: 'projects', achievementId });
    expect(flat.statusCode).toBe(400);
    expect(flat.json().detail).toMatch(/outcome does not change within any group/);
    const learner = await request(t.app, workers[3]!, 'POST', '/api/admin/analytics/event-study', {
      outcome: 'projects',
    });
    expect(learner.statusCode).toBe(403);
  });
});

describe('the dashboards', () => {
  it('plot the event study as SVG rendered on the server and give its table as CSV, equal to the study', async () => {
    const json = (
      await request(t.app, admin, 'POST', '/api/admin/analytics/event-study', {
        outcome: 'log-earnings',
        achievementId,
        by: ['new_entrant'],
      })
    ).json();
    const query = `outcome=log-earnings&achievementId=${achievementId}`;
    const svg = await request(t.app, admin, 'GET', `/api/admin/analytics/event-study.svg?${query}`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg[^>]* role="img" aria-label="Event study of log-earnings/);
    // The point drawn is the estimate (the description lists it), and the withheld group is named, not drawn.
    expect(svg.body).toContain(`post: ${json.coefficients.post.estimate.toFixed(3)} (95% CI`);
    expect(svg.body).toContain('Withheld (fewer than 10): post:new_entrant');
    expect(svg.body).toContain('<path'); // marks
    const csv = await request(t.app, admin, 'GET', `/api/admin/analytics/event-study.csv?${query}`);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="event-study.csv"');
    const [header, post, entrant] = csv.body.trim().split('\n');
    expect(header).toBe('term,group,estimate,std_error,ci_low,ci_high,withheld');
    expect(post!.split(',').slice(2, 6).map(Number)).toEqual([
      json.coefficients.post.estimate,
      json.coefficients.post.stdError,
      json.coefficients.post.ciLow,
      json.coefficients.post.ciHigh,
    ]);
    expect(entrant).toMatch(/^"post:new_entrant","",,,,,"Fewer than 10 workers/);
  });

  it("show issuers their own credentials' study only, and refuse bad questions with a 4xx", async () => {
    const query = `outcome=log-earnings&achievementId=${achievementId}`;
    const own = await request(t.app, owner, 'GET', `/api/orgs/${orgId}/analytics/event-study.csv?${query}`);
    expect(own.statusCode).toBe(200);
    expect(own.body.split('\n')[1]).toMatch(/^"post"/);
    const other = await signUp(t.app, 'Other owner');
    const otherOrg = await createOrg(t.app, other);
    const theirs = await request(t.app, other, 'GET', `/api/orgs/${otherOrg}/analytics/event-study.csv?${query}`);
    // Their organization issued none of these credentials: nothing to show.
    expect(theirs.body.trim().split('\n')[1]).toMatch(/^"post","",,,,,"Fewer than 10 workers/);
    expect(
      (await request(t.app, other, 'GET', `/api/orgs/${orgId}/analytics/event-study.svg?${query}`)).statusCode,
    ).toBe(403);
    expect((await request(t.app, admin, 'GET', '/api/admin/analytics/event-study.svg?outcome=mood')).statusCode).toBe(
      400,
    );
    const flat = await request(
      t.app,
      admin,
      'GET',
      `/api/admin/analytics/event-study.svg?outcome=projects&achievementId=${achievementId}`,
    );
    expect(flat.statusCode).toBe(400);
  });
});
