import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';

// The issuer dashboard over HTTP: an organization's two micro-credentials, one with twelve candidates (one of
// them tried twice), eleven holders (through the real award path) of whom three shared (a link or a share
// action, through the real sharing routes), the other with three candidates and two holders: every cell of the
// small one is withheld and marked, the large one's counts and Wilson intervals are the known numbers, and its
// event study is the one analysts get for the same credentials.
let t: TestApp;
let admin: Client;
let owner: Client;
let issuer: Client;
let orgId: string;
let big: string;
let small: string;
const workers: Client[] = [];
const eventDay = Date.UTC(2026, 5, 1);
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function attempt(achievementId: string, userId: string, passed: boolean, finishedAt: Date) {
  await t.platform.database.db
    .insertInto('attempts')
    .values({
      id: randomUUID(),
      achievement_id: achievementId,
      version: 1,
      user_id: userId,
      policy: JSON.stringify({}),
      started_at: new Date(finishedAt.getTime() - 600_000),
      deadline: new Date(finishedAt.getTime() + 600_000),
      finished_at: finishedAt,
      score: JSON.stringify({ percent: passed ? 90 : 40 }),
      passed,
    })
    .execute();
}

async function award(achievementId: string, worker: Client): Promise<string> {
  const issued = await t.platform.awarding.awardByHand({
    orgId,
    achievementId,
    email: worker.email,
    issuedBy: owner.userId,
  });
  return issued.record.id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app, 'Ana Analyst');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner);
  issuer = await signUp(t.app, 'Ivy Issuer');
  await grantRole(t.app, owner, orgId, issuer.email, 'issuer');
  big = await publishAchievement(t.app, owner, orgId, sqlDefinition({ prerequisites: [], title: 'Data cleaning' }));
  small = await publishAchievement(
    t.app,
    owner,
    orgId,
    sqlDefinition({ prerequisites: [], title: '=HYPERLINK("http://x.example","small")' }),
  );
  for (let i = 0; i < 12; i++) workers.push(await signUp(t.app, `Worker ${i}`));
  // Twelve candidates of the large one: 0 to 8 pass (0 after a first failed try), 9 to 11 fail.
  await attempt(big, workers[0]!.userId, false, new Date('2026-05-01T10:00:00Z'));
  for (const [i, worker] of workers.entries()) {
    await attempt(big, worker.userId, i < 9, new Date('2026-05-10T10:00:00Z'));
  }
  // Eleven holders, the credential earned on 1 June 2026 (the award path stamps today).
  const holdings: string[] = [];
  for (const worker of workers.slice(0, 11)) {
    const id = await award(big, worker);
    holdings.push(id);
    await sql`update credentials set issued_at = ${new Date(eventDay).toISOString()} where id = ${id}`.execute(
      t.platform.database.db,
    );
  }
  // Three share: two make a public link (one twice), one copies it; a fourth only looks at the share panel.
  for (const i of [0, 1, 0]) {
    const shared = await request(t.app, workers[i]!, 'POST', `/api/me/wallet/${holdings[i]}/share`, {});
    expect(shared.statusCode).toBe(200);
  }
  const copied = await request(t.app, workers[2]!, 'POST', `/api/me/wallet/${holdings[2]}/share-events`, {
    kind: 'copy',
  });
  expect(copied.statusCode).toBe(204);
  expect((await request(t.app, workers[3]!, 'GET', `/api/me/wallet/${holdings[3]}/share`)).statusCode).toBe(200);

  // The small one: three candidates, two holders, one of whom shared.
  for (const worker of workers.slice(0, 3)) await attempt(small, worker.userId, true, new Date('2026-05-12T10:00:00Z'));
  const smallHolding = await award(small, workers[0]!);
  await award(small, workers[1]!);
  await request(t.app, workers[0]!, 'POST', `/api/me/wallet/${smallHolding}/share`, {});

  // Earnings around the large one's day, imported by the analyst (as in the event-study test).
  const lines = ['worker,date,kind,value'];
  workers.slice(0, 11).forEach((worker, i) => {
    lines.push(`${worker.email},${iso(eventDay - 3 * day)},earnings,${100 + 13 * i}`);
    lines.push(`${worker.email},${iso(eventDay + 2 * day)},earnings,${150 + 29 * ((i * 7) % 5)}`);
  });
  const imported = await request(t.app, admin, 'POST', '/api/admin/analytics/outcomes', { csv: lines.join('\n') });
  expect(imported.statusCode).toBe(201);
});
afterAll(() => t.close());

interface Row {
  achievementId: string;
  title: string;
  [key: string]: unknown;
}
const rowOf = (body: { achievements: Row[] }, id: string) => body.achievements.find((r) => r.achievementId === id)!;

describe('the issuer dashboard', () => {
  it("counts the organization's candidates, credentials and sharers, with Wilson intervals", async () => {
    const answer = await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer`);
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ orgId, outcome: 'log-earnings', privacyFloor: 10 });
    expect(body.achievements).toHaveLength(2);
    const row = rowOf(body, big);
    expect(row).toMatchObject({ title: 'Data cleaning', attempts: 13, candidates: 12, issued: 11, holders: 11 });
    // Known numbers: R's prop.test(9, 12, correct = FALSE) and prop.test(3, 11, correct = FALSE).
    expect(row.passRate).toMatchObject({ successes: 9, trials: 12, estimate: 0.75 });
    const pass = row.passRate as { ciLow: number; ciHigh: number };
    expect(pass.ciLow).toBeCloseTo(0.467694665, 8);
    expect(pass.ciHigh).toBeCloseTo(0.911058332, 8);
    expect(row.shareRate).toMatchObject({ successes: 3, trials: 11 });
    const share = row.shareRate as { ciLow: number; ciHigh: number };
    expect(share.ciLow).toBeCloseTo(0.097460593, 8);
    expect(share.ciHigh).toBeCloseTo(0.565645301, 8);
  });

  it("gives each micro-credential's event study as analysts get it", async () => {
    const study = await request(t.app, admin, 'POST', '/api/admin/analytics/event-study', {
      outcome: 'log-earnings',
      achievementId: big,
      orgId,
    });
    expect(study.statusCode).toBe(200);
    expect(study.json()).toMatchObject({ events: 11, clusters: 11 });
    const row = rowOf((await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer`)).json(), big);
    expect(row.eventStudy).toEqual(study.json().coefficients.post);
  });

  it('withholds and marks every cell from fewer than 10 workers', async () => {
    const row = rowOf((await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer`)).json(), small);
    expect(row).toMatchObject({ attempts: null, candidates: null, issued: null, holders: null });
    expect(row.passRate).toEqual({ suppressed: true, reason: 'Fewer than 10 candidates: withheld.' });
    expect(row.shareRate).toEqual({ suppressed: true, reason: 'Fewer than 10 holders: withheld.' });
    expect(row.eventStudy).toMatchObject({ suppressed: true });
    // No person is named anywhere in the answer.
    const text = (await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer`)).body;
    for (const worker of workers) {
      expect(text).not.toContain(worker.email);
      expect(text).not.toContain(worker.userId);
    }
  });

  it('downloads the table as formula-safe CSV and the rates as a server-rendered SVG', async () => {
    const csv = await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="issuer.csv"');
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(3);
    const bigLine = lines.find((l) => l.startsWith(`"${big}"`))!;
    expect(bigLine.split(',').slice(1, 6)).toEqual(expect.arrayContaining(['13', '12', '0.75']));
    const smallLine = lines.find((l) => l.startsWith(`"${small}"`))!;
    expect(smallLine).toContain(`"'=HYPERLINK(""http://x.example"",""small"")"`);
    expect(smallLine).toContain('pass rate: Fewer than 10 candidates: withheld.');

    const svg = await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer.svg`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg[^>]* role="img" aria-label="Pass rate and share rate per micro-credential\./);
    expect(svg.body).toContain('pass rate 75.0% (95% CI 46.8% to 91.1%)');
    expect(svg.body).toContain('share rate 27.3% (95% CI 9.7% to 56.6%)');
    expect(svg.body).toContain('pass rate withheld, share rate withheld');
  });

  it("is the organization's issuers' and instance admins' only, and refuses bad questions with a 4xx", async () => {
    const own = (await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer`)).json();
    const asAdmin = await request(t.app, admin, 'GET', `/api/admin/analytics/issuer?orgId=${orgId}`);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toEqual(own);
    expect((await request(t.app, admin, 'GET', '/api/admin/analytics/issuer.csv')).statusCode).toBe(400);
    const unknown = `/api/admin/analytics/issuer?orgId=${randomUUID()}`;
    expect((await request(t.app, admin, 'GET', unknown)).statusCode).toBe(404);

    const other = await signUp(t.app, 'Other owner');
    const otherOrg = await createOrg(t.app, other);
    for (const suffix of ['', '.csv', '.svg']) {
      const theirs = await request(t.app, other, 'GET', `/api/orgs/${orgId}/analytics/issuer${suffix}`);
      expect(theirs.statusCode).toBe(403);
    }
    expect((await request(t.app, other, 'GET', `/api/orgs/${otherOrg}/analytics/issuer`)).json().achievements).toEqual(
      [],
    );
    expect((await request(t.app, workers[0]!, 'GET', `/api/orgs/${orgId}/analytics/issuer`)).statusCode).toBe(403);
    expect((await request(t.app, issuer, 'GET', `/api/admin/analytics/issuer?orgId=${orgId}`)).statusCode).toBe(403);
    expect(
      (await request(t.app, issuer, 'GET', `/api/orgs/${orgId}/analytics/issuer?outcome=happiness`)).statusCode,
    ).toBe(400);
  });
});
