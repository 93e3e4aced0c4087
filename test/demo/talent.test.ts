import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { seedTalentDemo, talentJobTitles } from '../../src/demo/talent.js';
import { pipelinePlan, seedCloudPipeline } from '../../src/demo/pipeline.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  await seedDemo(t.platform);
}, 120_000);
afterAll(() => t.close());

it(
  'seeds Contoso’s two open jobs and a ranked pool showing every kind of term, once',
  { timeout: 300_000 },
  async () => {
    const first = await seedTalentDemo(t.platform, { candidates: 60 });
    expect(first.created).toBe(true);
    expect(first.jobs.map((j) => j.title)).toEqual([talentJobTitles.analyst, talentJobTitles.cloud]);
    const kinds = new Set<string>();
    let revokedShown = false;
    let expiredShown = false;
    for (const job of first.jobs) {
      const ranked = await t.platform.hiring.candidates(first.orgId, job.id, { limit: 100, offset: 0 });
      expect(ranked.total).toBeGreaterThan(5);
      expect(ranked.job.blind).toBe(true);
      for (const c of ranked.candidates) {
        expect(c.score).toBe(c.terms.reduce((s, x) => s + x.points, 0));
        for (const term of c.terms) kinds.add(term.kind);
        if (c.terms.some((x) => x.points === 0 && /revoked/.test(x.note))) revokedShown = true;
        if (c.terms.some((x) => x.points === 0 && /“Cloud Operations” expired \(on \d{4}-\d{2}-\d{2}\)/.test(x.note)))
          expiredShown = true;
      }
    }
    expect([...kinds].sort()).toEqual(['credential', 'reference', 'saturation', 'track-record', 'work-history']);
    expect(revokedShown).toBe(true);
    expect(expiredShown).toBe(true);
    // Both demo issuers' credentials count.
    const issuers = await t.platform.database.db
      .selectFrom('talent_evidence')
      .select((eb) => eb.fn.count<number>('holding_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(issuers.n)).toBeGreaterThan(60);

    const again = await seedTalentDemo(t.platform, { candidates: 60 });
    expect(again).toEqual({ ...first, created: false });
    expect((await t.platform.hiring.jobs(first.orgId)).length).toBe(2);
  },
);

it(
  'seeds the cloud project’s pipeline: every stage, an invitation, two closed engagements with references, a staffed team; once',
  { timeout: 300_000 },
  async () => {
    const talent = await seedTalentDemo(t.platform, { candidates: 60 });
    const cloud = talent.jobs.find((j) => j.title === talentJobTitles.cloud)!;
    const first = await seedCloudPipeline(t.platform);
    expect(first).toMatchObject({ orgId: talent.orgId, jobId: cloud.id, created: true });
    for (const stage of ['applied', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn', 'invited']) {
      expect(first.counts[stage], stage).toBeGreaterThanOrEqual(1);
    }
    // The rejections give a reason; the withdrawal is the candidate's own move.
    const board = await t.platform.applications.board(talent.orgId, cloud.id, { limit: 100, offset: 0 });
    expect(board.total).toBe(pipelinePlan.length + 1);
    const rejected = board.applications.filter((a) => a.stage === 'rejected');
    expect(rejected.every((a) => a.rejection?.reason)).toBe(true);
    const withdrawn = await t.platform.applications.application(
      talent.orgId,
      cloud.id,
      board.applications.find((a) => a.stage === 'withdrawn')!.id,
    );
    expect(withdrawn.history!.at(-1)).toMatchObject({ to: 'withdrawn', by: 'candidate' });
    // Applicants attached their cloud credentials.
    expect(board.applications.filter((a) => a.stage !== 'invited').every((a) => a.holdings.length > 0)).toBe(true);

    // Two closed engagements whose work history and reference verify (signed, in the workers' wallets).
    expect(first.closed).toHaveLength(2);
    const engagements = await t.platform.applications.engagements(talent.orgId, {
      status: 'closed',
      limit: 100,
      offset: 0,
    });
    for (const c of first.closed) {
      const engagement = engagements.engagements.find((e) => e.id === c.engagementId)!;
      expect(engagement).toMatchObject({
        status: 'closed',
        workHistoryId: c.workHistoryId,
        referenceId: c.referenceId,
      });
      expect(engagement.ratings).not.toBeNull();
      expect(engagement.value).toBeGreaterThan(0);
      expect(engagement.endDate).not.toBeNull();
      expect(Object.values(engagement.ratings ?? {}).every((r) => typeof r === 'number')).toBe(true);
      for (const id of [c.workHistoryId, c.referenceId]) {
        const holding = await t.platform.wallet.holding(c.userId, id);
        const verdict = await t.platform.verifier.verify({ text: holding.document });
        expect(verdict.verified, id).toBe(true);
      }
      const reference = JSON.parse((await t.platform.wallet.holding(c.userId, c.referenceId)).document);
      expect(reference.credentialSubject.id).toBe(
        JSON.parse((await t.platform.wallet.holding(c.userId, c.workHistoryId)).document).id,
      );
    }
    const open = await t.platform.applications.engagements(talent.orgId, { status: 'open', limit: 100, offset: 0 });
    expect(open.engagements.length).toBeGreaterThanOrEqual(1);

    // The team builder staffs the project from the ranked pool: optimal, and no smaller or cheaper team covers it.
    const answer = await t.platform.hiring.team(talent.orgId, cloud.id, { candidatePool: 'ranked' });
    expect(answer.status).toBe('optimal');
    expect(first.team).toEqual({ status: 'optimal', size: answer.team!.size, totalDayRate: answer.team!.totalDayRate });
    const pool = answer.pool.candidates;
    const covers = (members: typeof pool) =>
      answer.requirements.every((r) => members.filter((m) => m.covers.includes(r.skill)).length >= r.members);
    expect(answer.team!.coverage.every((c) => c.members.length >= c.needed)).toBe(true);
    expect(answer.team!.size).toBeGreaterThanOrEqual(2);
    let cheapest = Infinity;
    const teams = (size: number, from: number, chosen: typeof pool): void => {
      if (chosen.length === size) {
        if (covers(chosen))
          cheapest = Math.min(
            cheapest,
            chosen.reduce((s, m) => s + m.dayRate, 0),
          );
        return;
      }
      for (let i = from; i < pool.length; i++) teams(size, i + 1, [...chosen, pool[i]!]);
    };
    for (let size = 1; size < answer.team!.size; size++) teams(size, 0, []);
    expect(cheapest).toBe(Infinity);
    teams(answer.team!.size, 0, []);
    expect(answer.team!.totalDayRate).toBe(cheapest);

    // A second run adds nothing.
    const again = await seedCloudPipeline(t.platform);
    expect(again).toEqual({ ...first, created: false });
    expect((await t.platform.applications.board(talent.orgId, cloud.id, { limit: 1, offset: 0 })).total).toBe(
      board.total,
    );
    expect(
      (await t.platform.applications.engagements(talent.orgId, { status: 'closed', limit: 100, offset: 0 }))
        .engagements,
    ).toHaveLength(engagements.engagements.length);
  },
);
