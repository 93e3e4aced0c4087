import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateItt, employabilityTertiles, planSampleSize, type Variant } from '../../src/analytics/experiments.js';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';

// A sharing-nudge experiment end to end: an admin plans and starts it, learners who earned a credential are
// shown nudges (each logged as an exposure with the arm from the stable hash), some share or report a job,
// and the report, read once the planned size is reached, equals the estimator on the rows the test knows.
let t: TestApp;
let admin: Client;
let owner: Client;
let orgId: string;
let achievementId: string;
const learners: { client: Client; holdingId: string; variant?: Variant }[] = [];
const day = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signUp(t.app, 'Ana Analyst');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
  owner = await signUp(t.app, 'Owner');
  orgId = await createOrg(t.app, owner);
  achievementId = await publishAchievement(t.app, owner, orgId);
  for (let i = 0; i < 48; i++) {
    const client = await signUp(t.app, `Learner ${i}`);
    const issued = await t.platform.awarding.awardByHand({
      orgId,
      achievementId,
      email: client.email,
      issuedBy: owner.userId,
    });
    learners.push({ client, holdingId: issued.record.id });
  }
});
afterAll(() => t.close());

describe('sharing experiments', () => {
  let experimentId: string;

  it('plans its size, refuses bad plans and a second running experiment, admins only', async () => {
    const plan = await request(t.app, admin, 'GET', '/api/admin/analytics/sample-size?baselineRate=0.2&effect=0.6');
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toEqual(planSampleSize({ baselineRate: 0.2, effect: 0.6 }));
    const bad = await request(t.app, admin, 'GET', '/api/admin/analytics/sample-size?baselineRate=0.9&effect=0.2');
    expect(bad.statusCode).toBe(400);
    const text = await request(t.app, admin, 'GET', '/api/admin/analytics/sample-size?baselineRate=lots&effect=0.2');
    expect(text.statusCode).toBe(400);
    const learner = learners[0]!.client;
    expect((await request(t.app, learner, 'POST', '/api/admin/analytics/experiments', {})).statusCode).toBe(403);

    const started = await request(t.app, admin, 'POST', '/api/admin/analytics/experiments', {
      name: 'Nudge 1',
      baselineRate: 0.2,
      effect: 0.6,
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ plannedSize: plan.json().total, stoppedAt: null });
    experimentId = started.json().id;
    const second = await request(t.app, admin, 'POST', '/api/admin/analytics/experiments', {
      name: 'Nudge 2',
      baselineRate: 0.2,
      effect: 0.6,
    });
    expect(second.statusCode).toBe(409);
  });

  it('tells each learner what to show, the same arm every time, and logs the exposure', async () => {
    for (const learner of learners) {
      const first = await request(t.app, learner.client, 'POST', '/api/me/share-nudge', {
        holdingId: learner.holdingId,
        surface: 'result',
      });
      expect(first.statusCode).toBe(200);
      const body = first.json();
      expect(body.experimentId).toBe(experimentId);
      expect(body.reminder).toBe(body.variant !== 'none');
      expect(body.panel).toBe(body.variant === 'reminder+panel');
      learner.variant = body.variant;
      const again = await request(t.app, learner.client, 'POST', '/api/me/share-nudge', {
        holdingId: learner.holdingId,
        surface: 'dashboard',
      });
      expect(again.json().variant).toBe(body.variant);
    }
    expect(new Set(learners.map((l) => l.variant)).size).toBe(3);
    // Someone else's holding is not a nudge to log.
    const foreign = await request(t.app, learners[0]!.client, 'POST', '/api/me/share-nudge', {
      holdingId: learners[1]!.holdingId,
      surface: 'result',
    });
    expect(foreign.statusCode).toBe(404);
    const row = await t.platform.database.db
      .selectFrom('share_experiment_exposures')
      .select(['exposures', 'first_surface', 'stratum'])
      .where('user_id', '=', learners[0]!.client.userId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ exposures: 2, first_surface: 'result', stratum: orgId });
  });

  it('is read only at its planned size; then the ITT effects equal the estimator on the same learners', async () => {
    const early = await request(t.app, admin, 'GET', `/api/admin/analytics/experiments/${experimentId}/report`);
    expect(early.statusCode).toBe(200);
    expect(early.json().outcomes.every((o: { ready: boolean }) => !o.ready)).toBe(true);

    // The history: exposures 400 days ago; learners share (more in the nudged arms) two days after, some
    // report a job 100 days after.
    const db = t.platform.database.db;
    const exposedAt = new Date(Date.now() - 400 * day);
    await sql`update share_experiment_exposures set first_exposed_at = ${exposedAt} where experiment_id = ${experimentId}`.execute(
      db,
    );
    const shared = new Map<string, number>();
    const jobs = new Map<string, number>();
    for (const [i, learner] of learners.entries()) {
      const arm = ['none', 'reminder', 'reminder+panel'].indexOf(learner.variant!);
      const shares = (i * 7 + arm * 3) % 5 < 1 + arm;
      shared.set(learner.client.userId, shares ? 1 : 0);
      if (shares) {
        const action = await request(
          t.app,
          learner.client,
          'POST',
          `/api/me/wallet/${learner.holdingId}/share-events`,
          {
            kind: 'copy',
          },
        );
        expect(action.statusCode).toBe(204);
        await sql`update share_events set at = ${new Date(exposedAt.getTime() + 2 * day)} where user_id = ${learner.client.userId}`.execute(
          db,
        );
      }
      const job = i % 3 === 0;
      jobs.set(learner.client.userId, job ? 1 : 0);
      if (job) {
        const date = new Date(exposedAt.getTime() + 100 * day).toISOString().slice(0, 10);
        expect(
          (await request(t.app, learner.client, 'POST', '/api/me/outcomes', { date, kind: 'job-start' })).statusCode,
        ).toBe(201);
      }
    }
    const report = await request(t.app, admin, 'GET', `/api/admin/analytics/experiments/${experimentId}/report`);
    expect(report.statusCode).toBe(200);
    const body = report.json();
    expect(body.experiment.exposed).toBe(learners.length);
    const ordered = [...learners].sort((a, b) => (a.client.userId < b.client.userId ? -1 : 1));
    for (const [outcome, truth] of [
      ['shared-7d', shared],
      ['shared-30d', shared],
      ['job-start-1y', jobs],
    ] as const) {
      const read = body.outcomes.find((o: { outcome: string }) => o.outcome === outcome);
      expect(read.ready, outcome).toBe(true);
      const rows = ordered.map((l) => ({ variant: l.variant!, stratum: orgId, y: truth.get(l.client.userId)! }));
      const counts = ['none', 'reminder', 'reminder+panel'].map((v) => rows.filter((r) => r.variant === v).length);
      expect(read.pooled.learners).toBe(learners.length);
      if (Math.min(...counts) >= 10) {
        const expected = estimateItt(rows);
        for (const arm of ['reminder', 'reminder+panel'] as const) {
          expect(read.pooled.effects[arm].estimate).toBeCloseTo(expected.effects[arm]!.estimate, 12);
          expect(read.pooled.effects[arm].stdError).toBeCloseTo(expected.effects[arm]!.stdError, 12);
        }
      } else {
        expect(read.pooled.effects.reminder.suppressed).toBe(true);
      }
      // Tertiles of 16 learners: an arm under 10 is always withheld, never shown.
      expect(read.byTertile).toHaveLength(3);
      for (const cell of read.byTertile) {
        expect(cell.learners).toBe(16);
        expect(cell.effects.reminder.suppressed).toBe(true);
      }
    }
    // The tertiles are the documented model's (every learner alike here: a stable split by order).
    expect(
      employabilityTertiles(
        ordered.map(() => ({ priorEngagements: 0, credentialsHeld: 1, monthsOnPlatform: 0 })),
      ).filter((x) => x === 1).length,
    ).toBe(16);
  });

  it('stops: learners see everything again, and the report stays', async () => {
    const stopped = await request(t.app, admin, 'POST', `/api/admin/analytics/experiments/${experimentId}/stop`);
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json().stoppedAt).not.toBeNull();
    const after = await request(t.app, learners[0]!.client, 'POST', '/api/me/share-nudge', {
      holdingId: learners[0]!.holdingId,
      surface: 'result',
    });
    expect(after.json()).toEqual({ experimentId: null, variant: null, reminder: true, panel: true });
    const list = await request(t.app, admin, 'GET', '/api/admin/analytics/experiments');
    expect(list.json().experiments[0]).toMatchObject({ id: experimentId, exposed: learners.length });
    const missing = await request(t.app, admin, 'GET', `/api/admin/analytics/experiments/${orgId}/report`);
    expect(missing.statusCode).toBe(404);
  });

  it('feeds engagements closed by employers into the ledger as job starts', async () => {
    const worker = learners[5]!.client;
    const closed = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/engagements`, {
      worker: worker.email,
      role: 'Data analyst',
      from: '2026-03-02',
    });
    expect(closed.statusCode, closed.body).toBeLessThan(300);
    const mine = await request(t.app, worker, 'GET', '/api/me/outcomes');
    expect(mine.json().outcomes).toContainEqual({
      date: '2026-03-02',
      kind: 'job-start',
      value: 1,
      source: 'engagement',
    });
  });
});
