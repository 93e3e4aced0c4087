import type { Platform } from '../app/platform.js';
import { DomainError } from '../platform/errors.js';
import type { ApplicationStage, RejectionReason } from '../hiring/stages.js';
import { demoAccounts, demoOrganizations } from './seed.js';
import { talentJobTitles } from './talent.js';

/**
 * The cloud project's pipeline, on top of `seedTalentDemo`: demo candidates apply to "Cloud migration project"
 * (attaching their cloud holdings) and Contoso's employer moves them through the real hiring services, so the
 * project has applicants at every stage (applied, screening, interview, offer, hired, rejected with a reason,
 * withdrawn by the candidate) and one invitation pending. Two of the hired candidates' engagements are closed
 * with an end date, a value, ratings and a reference: the work-history credentials and references are signed
 * through the issuance path to their wallets. The talent pool's candidates state a day rate (in their talent
 * profile), so the team builder staffs the project from the ranked pool; the seeding solves it once and returns
 * the team (the page solves again when asked; nothing of a team is stored).
 *
 * Idempotent: each planned candidate's application is found again (the candidates are picked in a fixed order)
 * and moved only as far as its planned stage is not reached yet; a second run adds nothing.
 */
export interface PipelineStep {
  /** Where the application ends. */
  stage: Exclude<ApplicationStage, 'invited' | 'declined'>;
  /** For `rejected`: the stage it is rejected at, and why. */
  rejectedAt?: 'applied' | 'screening' | 'interview' | 'offer';
  reason?: RejectionReason;
  /** For `withdrawn`: the stage the candidate withdraws at. */
  withdrawnAt?: 'applied' | 'screening' | 'interview' | 'offer';
  /** For `hired`: close the engagement, with a reference. */
  closed?: { reference: string; ratings: { communication: number; timeliness: number; reliability: number } };
}

export const pipelinePlan: PipelineStep[] = [
  {
    stage: 'hired',
    closed: {
      reference: 'Moved our reporting stack to the cloud on time, with monitoring we could trust.',
      ratings: { communication: 92, timeliness: 88, reliability: 95 },
    },
  },
  {
    stage: 'hired',
    closed: {
      reference: 'Automated the deployments end to end and documented every step.',
      ratings: { communication: 85, timeliness: 94, reliability: 90 },
    },
  },
  { stage: 'hired' },
  { stage: 'offer' },
  { stage: 'interview' },
  { stage: 'screening' },
  { stage: 'applied' },
  { stage: 'rejected', rejectedAt: 'interview', reason: 'other-candidate' },
  { stage: 'rejected', rejectedAt: 'applied', reason: 'skills-not-matching' },
  { stage: 'withdrawn', withdrawnAt: 'screening' },
];

const forward = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;
const cloudCodes = [
  'http://data.europa.eu/esco/skill/6195c5f7-a4fb-425d-a3dd-c4467c4471a3',
  'http://data.europa.eu/esco/skill/8efa6a7a-6556-4cb8-908d-59d3b5c58d2f',
  'http://data.europa.eu/esco/skill/ce8ae6ca-61d8-4174-b457-641de96cbff4',
];
const dayMs = 86_400_000;
const dateOf = (time: number) => new Date(time).toISOString().slice(0, 10);
/** The pool's synthetic candidates, as `seedTalentDemo` names them. */
export const talentCandidateEmail = (n: number) =>
  `candidate-${String(n).padStart(3, '0')}@talent.demo.skillproof.test`;
/** A candidate's day rate: fixed per candidate, 280 to 480. */
const dayRateOf = (n: number) => 280 + ((n * 37) % 11) * 20;

export interface PipelineResult {
  orgId: string;
  jobId: string;
  /** Whether this run changed anything. */
  created: boolean;
  counts: Record<string, number>;
  /** The closed engagements' work-history credentials and references, by worker. */
  closed: { userId: string; engagementId: string; workHistoryId: string; referenceId: string }[];
  /** The team builder's answer for the ranked pool, as the page shows it first. */
  team: { status: string; size: number; totalDayRate: number } | null;
}

export async function seedCloudPipeline(
  platform: Pick<Platform, 'accounts' | 'hiring' | 'applications'>,
  options: { now?: Date } = {},
): Promise<PipelineResult> {
  const { accounts, hiring, applications } = platform;
  const now = (options.now ?? new Date()).getTime();
  const employer = await accounts.findUserByEmail(demoAccounts[1].email);
  if (!employer) throw new Error('The cloud pipeline needs the demo accounts: seed the demo first.');
  const contoso = (await accounts.memberships(employer.id)).find((m) => m.org.name === demoOrganizations.employer)?.org
    .id;
  const cloud = contoso
    ? (await hiring.jobs(contoso)).find((j) => j.title === talentJobTitles.cloud && j.status === 'open')
    : undefined;
  if (!contoso || !cloud) throw new Error('The cloud pipeline needs the talent demo: seed it first.');
  let created = false;

  // The pool's candidates, in order; each states a day rate once (the team builder staffs from those who do).
  const pool: { n: number; userId: string }[] = [];
  for (let n = 1; ; n++) {
    const user = await accounts.findUserByEmail(talentCandidateEmail(n));
    if (!user) break;
    pool.push({ n, userId: user.id });
  }
  const board = await applications.board(contoso, cloud.id, { limit: 1, offset: 0 });
  const done = board.total >= pipelinePlan.length + 1;
  if (!done) {
    for (const c of pool) {
      const talent = await hiring.talent(c.userId);
      if (talent.dayRate === null && talent.discoverable) {
        await hiring.saveTalent(c.userId, { discoverable: true, dayRate: dayRateOf(c.n) });
        created = true;
      }
    }
  }

  const closed: PipelineResult['closed'] = [];
  // The planned candidates: the first in the pool who hold a credential aligned to the project's skills.
  let next = 0;
  for (const step of pipelinePlan) {
    let picked: { userId: string; n: number; holdings: string[] } | undefined;
    while (!picked && next < pool.length) {
      const c = pool[next++]!;
      const holdings = (await hiring.workerHoldings(c.userId)).filter(
        (h) => h.kind === 'credential' && h.skills.some((s) => cloudCodes.includes(s.code)),
      );
      if (holdings.length) picked = { userId: c.userId, n: c.n, holdings: holdings.map((h) => h.holdingId) };
    }
    if (!picked) throw new Error('The talent pool has too few cloud candidates for the pipeline demo.');
    const { userId } = picked;
    const dayRate = dayRateOf(picked.n);
    const find = async () => (await applications.mine(userId)).applications.find((a) => a.job.id === cloud.id);
    let application = await find();
    if (!application) {
      application = await applications.apply(userId, cloud.id, {
        note: 'I would like to work on this migration.',
        holdingIds: picked.holdings,
      });
      created = true;
    }
    const target =
      step.stage === 'rejected' ? step.rejectedAt! : step.stage === 'withdrawn' ? step.withdrawnAt! : step.stage;
    const rank = (stage: string) => forward.indexOf(stage as (typeof forward)[number]);
    // Hired engagements: the closed ones started four months ago, the open one today.
    const start = dateOf(step.closed ? now - 120 * dayMs : now);
    while (rank(application.stage) >= 0 && rank(application.stage) < rank(target)) {
      const to = forward[rank(application.stage) + 1]!;
      await applications.move(contoso, cloud.id, application.id, employer.id, {
        stage: to,
        ...(to === 'hired' ? { engagement: { start, dayRate } } : {}),
      });
      created = true;
      application = (await find())!;
    }
    if (step.stage === 'rejected' && application.stage === target) {
      await applications.move(contoso, cloud.id, application.id, employer.id, {
        stage: 'rejected',
        reason: step.reason,
      });
      created = true;
    }
    if (step.stage === 'withdrawn' && application.stage === target) {
      await applications.answer(userId, application.id, 'withdrawn', { note: 'I took another project.' });
      created = true;
    }
    application = (await find())!;
    const engagement = application.engagement;
    if (step.closed && engagement) {
      if (engagement.status === 'open') {
        const end = dateOf(now - 10 * dayMs);
        const days = Math.round((Date.parse(end) - Date.parse(engagement.startDate)) / dayMs);
        const issued = await applications.closeEngagement(contoso, engagement.id, employer.id, {
          end,
          value: Math.round((days * 5) / 7) * dayRate,
          ratings: step.closed.ratings,
          reference: { comment: step.closed.reference },
        });
        created = true;
        closed.push({
          userId,
          engagementId: engagement.id,
          workHistoryId: issued.workHistory.id,
          referenceId: issued.reference!.id,
        });
      } else {
        const known = (await applications.engagements(contoso, { status: 'closed', limit: 200, offset: 0 }))
          .engagements;
        const e = known.find((x) => x.id === engagement.id);
        if (e?.workHistoryId && e.referenceId) {
          closed.push({ userId, engagementId: e.id, workHistoryId: e.workHistoryId, referenceId: e.referenceId });
        }
      }
    }
  }

  // One invitation pending: the best-ranked candidate without an application to the project yet.
  const invited = (await applications.board(contoso, cloud.id, { limit: 1, offset: 0 })).counts.invited ?? 0;
  if (invited === 0) {
    const ranked = await hiring.candidates(contoso, cloud.id, { limit: 50, offset: 0 });
    for (const c of ranked.candidates) {
      const sent = await applications
        .invite(contoso, cloud.id, employer.id, {
          candidateId: c.candidateId,
          note: 'Your verified cloud skills fit our migration project.',
        })
        .then(
          () => true,
          (error: unknown) => {
            if (error instanceof DomainError && error.code === 'conflict') return false;
            throw error;
          },
        );
      if (sent) {
        created = true;
        break;
      }
    }
  }

  const counts = (await applications.board(contoso, cloud.id, { limit: 1, offset: 0 })).counts;
  let team: PipelineResult['team'] = null;
  try {
    const answer = await hiring.team(contoso, cloud.id, { candidatePool: 'ranked' });
    team = answer.team
      ? { status: answer.status, size: answer.team.size, totalDayRate: answer.team.totalDayRate }
      : { status: answer.status, size: 0, totalDayRate: 0 };
  } catch (error) {
    // A pool with nobody to staff from (say, the profiles were changed since): the demo goes without a team.
    if (!(error instanceof DomainError)) throw error;
  }
  return { orgId: contoso, jobId: cloud.id, created, counts, closed, team };
}
