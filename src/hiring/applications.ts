import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import type {
  ApplicationEvent,
  ApplicationsStore,
  AttachedHolding,
  Notice,
  StoredApplication,
  StoredEngagement,
} from './applications-store.js';
import { funnelSvg, groupFunnel, interviewToOffer, pipelineStages, type FunnelCount } from './funnel.js';
import type { Hiring, HiringDeps } from './hiring.js';
import {
  allowedMoves,
  applicationStages,
  identityShown,
  rejectionReasons,
  stageRank,
  type ApplicationStage,
} from './stages.js';
import type { HiringStore, StoredJob } from './store.js';

/**
 * Applications, invitations, the pipeline and engagements. A worker applies to an open job with a note and the
 * holdings they choose to attach, or accepts an employer's invitation; the employer moves the application one stage
 * at a time (or rejects it, with a reason from a fixed list); hired opens an engagement, whose closing signs the
 * work-history credential (and the reference) through hiring's engagement code. Each move is recorded (who, when);
 * the notices to the worker are written to the outbox in the same transaction as the move.
 */
export interface ApplicationsDeps {
  store: ApplicationsStore;
  hiringStore: HiringStore;
  hiring: Pick<Hiring, 'relatedCodes' | 'engagementTerms' | 'issueEngagement'>;
  holdings: HiringDeps['holdings'];
  identity: HiringDeps['identity'];
  orgName: HiringDeps['orgName'];
  /** Where the worker reads their applications (links in notices). */
  publicUrl: string;
  /** Has the outbox delivered now (mail configured), after a notice was written. */
  kickMail?: () => void;
  /** Told of each engagement closed here with its value: the outcomes ledger records the earnings and the project. */
  engagementEarned?: (engagement: {
    workerId: string;
    until: string;
    value: number;
    recordedBy: string;
  }) => Promise<void>;
  now?: () => Date;
}

export const applicationLimits = {
  maxNote: 2000,
  maxAttached: 50,
  maxLimit: 200,
  maxOffset: 100_000,
  maxDayRate: 1_000_000,
  maxValue: 1_000_000_000,
};

export interface EngagementTermsInput {
  role?: string | undefined;
  start: string;
  dayRate?: number | null | undefined;
  value?: number | null | undefined;
}

export interface MoveInput {
  stage: ApplicationStage;
  reason?: string | undefined;
  note?: string | undefined;
  engagement?: EngagementTermsInput | undefined;
}

export interface CloseInput {
  end: string;
  value: number;
  ratings?: { communication?: number | null; timeliness?: number | null; reliability?: number | null } | undefined;
  skills?: string[] | undefined;
  summary?: string | undefined;
  reference?: { comment: string } | null | undefined;
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A calendar date that exists, 1970 to 2100. */
function isCalendarDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1970 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const stageLabels: Record<ApplicationStage, string> = {
  invited: 'invited',
  declined: 'declined',
  applied: 'applied',
  screening: 'screening',
  interview: 'interview',
  offer: 'offer',
  hired: 'hired',
  rejected: 'not selected',
  withdrawn: 'withdrawn',
};
const reasonLabels: Record<string, string> = {
  'skills-not-matching': 'the skills asked for did not match',
  experience: 'experience',
  availability: 'availability',
  rate: 'the rate',
  'position-filled': 'the position was filled',
  'other-candidate': 'another candidate was chosen',
  'no-response': 'no response',
  other: 'another reason',
};

function checkNote(note: string | undefined, field = 'note'): string {
  const text = (note ?? '').trim();
  if (text.length > applicationLimits.maxNote) {
    throw invalid(`${field} is at most ${applicationLimits.maxNote.toLocaleString('en')} characters.`, { field });
  }
  return text;
}

function checkPage(limit: number, offset: number) {
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= applicationLimits.maxLimit)) {
    throw invalid(`limit is a whole number from 1 to ${applicationLimits.maxLimit}.`, { field: 'limit' });
  }
  if (!(Number.isInteger(offset) && offset >= 0 && offset <= applicationLimits.maxOffset)) {
    throw invalid(`offset is a whole number from 0 to ${applicationLimits.maxOffset}.`, { field: 'offset' });
  }
}

function movedTo(application: StoredApplication, mover: 'employer' | 'candidate', to: ApplicationStage) {
  const allowed = allowedMoves(application.stage, mover);
  if (allowed.includes(to)) return;
  const message =
    allowed.length === 0
      ? `The application is ${stageLabels[application.stage]}: ${
          mover === 'employer' && application.stage === 'invited'
            ? 'the candidate accepts or declines the invitation.'
            : 'it is final and does not move.'
        }`
      : `The application is at “${application.stage}”: it moves to ${allowed.join(' or ')}, not ${to}.`;
  throw new DomainError('conflict', message, { stage: application.stage, allowed });
}

export function createApplications(deps: ApplicationsDeps) {
  const { store, hiringStore } = deps;
  const now = deps.now ?? (() => new Date());
  const kick = () => deps.kickMail?.();
  const link = `${deps.publicUrl.replace(/\/$/, '')}/hiring/applications`;

  async function jobOf(orgId: string, jobId: string): Promise<StoredJob> {
    const job = isUuid(jobId) ? await hiringStore.job(orgId, jobId) : undefined;
    if (!job) throw notFound('That job');
    return job;
  }

  async function applicationOfJob(job: StoredJob, applicationId: string) {
    const application = isUuid(applicationId) ? await store.application(applicationId) : undefined;
    if (!application || application.jobId !== job.id) throw notFound('That application');
    return application;
  }

  async function ownApplication(userId: string, applicationId: string) {
    const application = isUuid(applicationId) ? await store.application(applicationId) : undefined;
    if (!application || application.userId !== userId) throw notFound('That application');
    return application;
  }

  /** The holdings a worker attaches, each as verified now, and whether it is a verified credential aligned to the job. */
  async function attach(userId: string, job: StoredJob, holdingIds: string[] | undefined): Promise<AttachedHolding[]> {
    const ids = [...new Set(holdingIds ?? [])];
    if (ids.length > applicationLimits.maxAttached) {
      throw invalid(`An application attaches at most ${applicationLimits.maxAttached} holdings.`, {
        field: 'holdingIds',
      });
    }
    if (ids.length === 0) return [];
    const held = new Map((await deps.holdings(userId)).map((h) => [h.holdingId, h]));
    const foreign = ids.filter((id) => !held.has(id));
    if (foreign.length) {
      throw invalid(`holdingIds names ${foreign.length} credential(s) your wallet does not hold.`, {
        field: 'holdingIds',
      });
    }
    const related = new Set(await deps.hiring.relatedCodes(job.skills.map((s) => s.skill)));
    return ids.map((id) => {
      const h = held.get(id)!;
      return {
        holdingId: h.holdingId,
        name: h.name,
        kind: h.kind,
        issuer: h.issuer.name ?? h.issuer.id,
        status: h.status,
        aligned: h.kind === 'credential' && h.status === 'active' && h.skills.some((s) => related.has(s.code)),
        skills: h.skills.map((s) => ({ code: s.code, label: s.label })),
      };
    });
  }

  async function emailOf(userId: string) {
    return (await deps.identity(userId)).email;
  }

  async function notice(application: StoredApplication, subject: string, text: string): Promise<Notice> {
    return {
      to: await emailOf(application.userId),
      subject,
      text: `${text}\n\nYour applications and where each stands: ${link}\n`,
      orgId: application.orgId,
    };
  }

  const historyView = (events: ApplicationEvent[], names: Map<string, string>, forCandidate: boolean) =>
    events.map((e) => ({
      from: e.from,
      to: e.to,
      at: e.at.toISOString(),
      by: e.byRole,
      byName: e.byRole === 'employer' && e.byUser ? (names.get(e.byUser) ?? null) : null,
      reason: e.reason,
      // A rejection's note is the employer's; the candidate sees the reason.
      note: forCandidate && e.byRole === 'employer' ? null : e.note,
    }));

  async function namesOf(events: ApplicationEvent[]) {
    const ids = [...new Set(events.filter((e) => e.byRole === 'employer' && e.byUser).map((e) => e.byUser!))];
    const names = new Map<string, string>();
    for (const id of ids) {
      const who = await deps.identity(id).catch(() => undefined);
      if (who) names.set(id, who.displayName);
    }
    return names;
  }

  /** What the employer sees of an application: nothing of an invitation until accepted, no identity while blind. */
  async function employerView(application: StoredApplication, job: StoredJob, events?: ApplicationEvent[]) {
    const answered = application.stage !== 'invited' && application.stage !== 'declined';
    const shown = identityShown({ blind: job.blind, stage: application.stage, revealed: !!application.revealedAt });
    const who = shown ? await deps.identity(application.userId) : undefined;
    return {
      id: application.id,
      jobId: application.jobId,
      origin: application.origin,
      stage: application.stage,
      allowedMoves: allowedMoves(application.stage, 'employer'),
      displayName: who?.displayName ?? null,
      email: who?.email ?? null,
      revealedAt: application.revealedAt?.toISOString() ?? null,
      note: answered ? application.note : null,
      invitationNote: application.invitationNote || null,
      holdings: answered ? application.holdings : [],
      alignedCredential: answered ? application.aligned : null,
      rejection: application.rejectionReason
        ? { reason: application.rejectionReason, note: application.rejectionNote }
        : null,
      appliedAt: application.appliedAt?.toISOString() ?? null,
      createdAt: application.createdAt.toISOString(),
      updatedAt: application.updatedAt.toISOString(),
      ...(events ? { history: historyView(events, await namesOf(events), false) } : {}),
    };
  }

  function engagementView(e: StoredEngagement, displayName: string | null) {
    return {
      id: e.id,
      jobId: e.jobId,
      applicationId: e.applicationId,
      displayName,
      role: e.role,
      startDate: e.startDate,
      dayRate: e.dayRate,
      agreedValue: e.agreedValue,
      status: e.status,
      endDate: e.endDate,
      value: e.value,
      ratings: e.ratings,
      credentialsAtHire: e.credentialsAtHire,
      workHistoryId: e.workHistoryId,
      referenceId: e.referenceId,
      openedAt: e.openedAt.toISOString(),
      closedAt: e.closedAt?.toISOString() ?? null,
    };
  }

  function checkTerms(input: EngagementTermsInput, job: StoredJob) {
    const role = (input.role ?? job.title).trim();
    if (!role || role.length > 200)
      throw invalid('engagement.role is 1 to 200 characters.', { field: 'engagement.role' });
    if (!isCalendarDate(input.start)) {
      throw invalid('engagement.start is a date, YYYY-MM-DD.', { field: 'engagement.start' });
    }
    const dayRate = input.dayRate ?? null;
    const value = input.value ?? null;
    if (dayRate === null && value === null) {
      throw invalid('An engagement agrees a day rate or a value (engagement.dayRate or engagement.value).', {
        field: 'engagement',
      });
    }
    if (dayRate !== null && !(Number.isFinite(dayRate) && dayRate >= 0 && dayRate <= applicationLimits.maxDayRate)) {
      throw invalid(`engagement.dayRate is from 0 to ${applicationLimits.maxDayRate.toLocaleString('en')}.`, {
        field: 'engagement.dayRate',
      });
    }
    if (value !== null && !(Number.isFinite(value) && value >= 0 && value <= applicationLimits.maxValue)) {
      throw invalid(`engagement.value is from 0 to ${applicationLimits.maxValue.toLocaleString('en')}.`, {
        field: 'engagement.value',
      });
    }
    return { role, startDate: input.start, dayRate, agreedValue: value };
  }

  return {
    /** A worker applies to an open job: a note and the holdings they attach. */
    async apply(
      userId: string,
      jobId: string,
      input: { note?: string | undefined; holdingIds?: string[] | undefined },
    ) {
      const job = isUuid(jobId) ? await hiringStore.openJob(jobId) : undefined;
      if (!job) throw notFound('That job');
      const note = checkNote(input.note);
      const existing = await store.applicationOf(job.id, userId);
      if (existing) {
        throw new DomainError(
          'conflict',
          existing.stage === 'invited'
            ? 'You were invited to this job: accept the invitation instead of applying.'
            : 'You applied to this job already.',
          { applicationId: existing.id, stage: existing.stage },
        );
      }
      const holdings = await attach(userId, job, input.holdingIds);
      const at = now();
      const created = await store.create(
        {
          jobId: job.id,
          orgId: job.orgId,
          userId,
          origin: 'applied',
          stage: 'applied',
          furthest: stageRank('applied'),
          note,
          invitationNote: '',
          holdings,
          aligned: holdings.some((h) => h.aligned),
          appliedAt: at,
        },
        { byUser: userId, byRole: 'candidate' },
      );
      if (created === 'exists') throw conflict('You applied to this job already.');
      return (await this.mine(userId)).applications.find((a) => a.id === created.id)!;
    },

    /** An employer invites a discoverable candidate from the ranking; nothing of them shows until they accept. */
    async invite(
      orgId: string,
      jobId: string,
      byUserId: string,
      input: { candidateId: string; note?: string | undefined },
    ) {
      const job = await jobOf(orgId, jobId);
      if (job.status !== 'open') throw conflict(`The job is ${job.status}: open it to invite candidates.`);
      const profile = isUuid(input.candidateId) ? await hiringStore.profileById(input.candidateId) : undefined;
      if (!profile?.discoverable) throw notFound('That candidate');
      const note = checkNote(input.note);
      const organization = (await deps.orgName(orgId)) ?? 'An employer';
      const created = await store.create(
        {
          jobId: job.id,
          orgId,
          userId: profile.userId,
          origin: 'invited',
          stage: 'invited',
          furthest: 0,
          note: '',
          invitationNote: note,
          holdings: [],
          aligned: null,
          appliedAt: null,
        },
        { byUser: byUserId, byRole: 'employer' },
        {
          to: await emailOf(profile.userId),
          subject: `${organization} invites you to apply: ${job.title}`,
          text:
            `${organization} found your verified skills and invites you to apply for “${job.title}”.` +
            `${note ? `\n\nTheir note: ${note}` : ''}\n\nAccept (choosing what to attach) or decline; nothing of you ` +
            `is shown to them until you accept.\n\nYour applications and where each stands: ${link}\n`,
          orgId,
        },
      );
      if (created === 'exists') {
        throw conflict('This candidate already has an application or an invitation for this job.');
      }
      kick();
      return employerView(created, job, await store.events([created.id]));
    },

    /** The candidate answers an invitation (accept, with a note and holdings; or decline) or withdraws. */
    async answer(
      userId: string,
      applicationId: string,
      to: 'applied' | 'declined' | 'withdrawn',
      input: { note?: string | undefined; holdingIds?: string[] | undefined } = {},
    ) {
      const application = await ownApplication(userId, applicationId);
      movedTo(application, 'candidate', to);
      const note = checkNote(input.note);
      const job = (await hiringStore.job(application.orgId, application.jobId))!;
      let change: Parameters<ApplicationsStore['move']>[2] = { stage: to, furthest: application.furthest };
      if (to === 'applied') {
        if (job.status !== 'open')
          throw conflict(`The job is ${job.status}: the invitation can no longer be accepted.`);
        const holdings = await attach(userId, job, input.holdingIds);
        change = {
          stage: 'applied',
          furthest: stageRank('applied'),
          note,
          holdings,
          aligned: holdings.some((h) => h.aligned),
          appliedAt: now(),
        };
      } else if (input.holdingIds?.length) {
        throw invalid('Only accepting an invitation attaches holdings.', { field: 'holdingIds' });
      }
      const moved = await store.move(application.id, application.stage, change, {
        byUser: userId,
        byRole: 'candidate',
        note: to === 'applied' ? null : note || null,
      });
      if (moved === 'stale') throw conflict('The application moved meanwhile: load it again.');
      return (await this.mine(userId)).applications.find((a) => a.id === application.id)!;
    },

    /** The worker's own applications and invitations: where each stands, and every move (who, when). */
    /** Team staffing's `applicants` pool: the workers whose application to a job is in play, with what they attached. */
    applicants: (jobId: string) => store.live(jobId),

    async mine(userId: string) {
      const rows = await store.forUser(userId);
      const events = await store.events(rows.map((r) => r.id));
      const engagements = await store.engagementsOfUser(userId);
      const names = await namesOf(events);
      return {
        applications: rows.map((a) => {
          const engagement = engagements.find((e) => e.applicationId === a.id);
          return {
            id: a.id,
            job: { id: a.jobId, title: a.jobTitle, kind: a.jobKind, status: a.jobStatus, organization: a.orgName },
            origin: a.origin,
            stage: a.stage,
            allowedMoves: allowedMoves(a.stage, 'candidate'),
            note: a.note,
            invitationNote: a.invitationNote || null,
            holdings: a.holdings,
            rejectionReason: a.rejectionReason,
            revealedAt: a.revealedAt?.toISOString() ?? null,
            appliedAt: a.appliedAt?.toISOString() ?? null,
            createdAt: a.createdAt.toISOString(),
            history: historyView(
              events.filter((e) => e.applicationId === a.id),
              names,
              true,
            ),
            engagement: engagement
              ? {
                  id: engagement.id,
                  role: engagement.role,
                  startDate: engagement.startDate,
                  status: engagement.status,
                  endDate: engagement.endDate,
                }
              : null,
          };
        }),
      };
    },

    /** The pipeline board of a job: the applications (a page, oldest first), with how many stand at each stage. */
    async board(orgId: string, jobId: string, query: { stage?: string | undefined; limit: number; offset: number }) {
      checkPage(query.limit, query.offset);
      if (query.stage && !(applicationStages as readonly string[]).includes(query.stage)) {
        throw invalid(`stage is one of ${applicationStages.join(', ')}.`, { field: 'stage' });
      }
      const job = await jobOf(orgId, jobId);
      const page = await store.forJob(job.id, query);
      const counts = Object.fromEntries(applicationStages.map((s) => [s, page.counts[s] ?? 0]));
      return {
        job: { id: job.id, title: job.title, status: job.status, blind: job.blind },
        counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        applications: await Promise.all(page.applications.map((a) => employerView(a, job))),
      };
    },

    async application(orgId: string, jobId: string, applicationId: string) {
      const job = await jobOf(orgId, jobId);
      const application = await applicationOfJob(job, applicationId);
      return employerView(application, job, await store.events([application.id]));
    },

    /**
     * The employer moves an application one stage on, or rejects it. Interview reveals a blind job's candidate
     * (recorded, and shown to them); hired opens an engagement. The worker is told (the outbox, same transaction).
     */
    async move(orgId: string, jobId: string, applicationId: string, byUserId: string, input: MoveInput) {
      const job = await jobOf(orgId, jobId);
      const application = await applicationOfJob(job, applicationId);
      if (!(applicationStages as readonly string[]).includes(input.stage)) {
        throw invalid(`stage is one of ${applicationStages.join(', ')}.`, { field: 'stage' });
      }
      movedTo(application, 'employer', input.stage);
      const note = checkNote(input.note);
      if (input.stage === 'rejected') {
        if (!input.reason || !(rejectionReasons as readonly string[]).includes(input.reason)) {
          throw invalid(`A rejection gives a reason: one of ${rejectionReasons.join(', ')}.`, { field: 'reason' });
        }
      } else if (input.reason !== undefined) {
        throw invalid('Only a rejection gives a reason.', { field: 'reason' });
      }
      if (input.stage !== 'hired' && input.engagement) {
        throw invalid('Only hiring opens an engagement.', { field: 'engagement' });
      }
      if (input.stage === 'hired' && !input.engagement) {
        throw invalid('Hiring opens an engagement: give engagement.start and a day rate or value.', {
          field: 'engagement',
        });
      }
      const terms = input.stage === 'hired' ? checkTerms(input.engagement!, job) : undefined;
      const at = now();
      const reveal = input.stage === 'interview' && job.blind && !application.revealedAt;
      const organization = (await deps.orgName(orgId)) ?? 'The employer';
      const told: Record<string, string> = {
        screening: `${organization} is screening your application for “${job.title}”.`,
        interview: `${organization} would like to interview you for “${job.title}”.${
          reveal ? ' Your name and contact details are now shown to them (recorded in your talent preview).' : ''
        }`,
        offer: `${organization} is making you an offer for “${job.title}”.`,
        hired: `${organization} hired you for “${job.title}”${terms ? ` as ${terms.role}, from ${terms.startDate}` : ''}.`,
        rejected: `${organization} did not select your application for “${job.title}”${
          input.reason ? `: ${reasonLabels[input.reason] ?? input.reason}` : ''
        }.`,
      };
      const credentialsAtHire =
        input.stage === 'hired'
          ? await attach(
              application.userId,
              job,
              application.holdings.map((h) => h.holdingId),
            ).catch(
              () =>
                // A holding removed from the wallet since: what was attached, as it was.
                application.holdings,
            )
          : [];
      const moved = await store.move(
        application.id,
        application.stage,
        {
          stage: input.stage,
          furthest: input.stage === 'rejected' ? application.furthest : stageRank(input.stage),
          ...(input.stage === 'rejected' ? { rejectionReason: input.reason!, rejectionNote: note || null } : {}),
          ...(reveal ? { revealedAt: at } : {}),
        },
        { byUser: byUserId, byRole: 'employer', reason: input.reason ?? null, note: note || null },
        {
          ...(reveal ? { reveal: { jobId: job.id, userId: application.userId } } : {}),
          ...(terms
            ? {
                engagement: {
                  orgId,
                  jobId: job.id,
                  userId: application.userId,
                  ...terms,
                  credentialsAtHire,
                  openedBy: byUserId,
                },
              }
            : {}),
          notice: await notice(application, `${job.title}: ${stageLabels[input.stage]}`, told[input.stage]!),
        },
      );
      if (moved === 'stale') throw conflict('The application moved meanwhile: load it again.');
      kick();
      return {
        application: await employerView(moved.application, job, await store.events([application.id])),
        engagementId: moved.engagementId,
      };
    },

    async engagements(orgId: string, query: { status?: string | undefined; limit: number; offset: number }) {
      checkPage(query.limit, query.offset);
      const rows = await store.engagements(orgId, query);
      return {
        engagements: await Promise.all(
          rows.map(async (e) =>
            engagementView(e, (await deps.identity(e.userId).catch(() => undefined))?.displayName ?? null),
          ),
        ),
      };
    },

    /**
     * Closes an engagement: its end, its value (earnings) and the ratings are recorded, and the work-history
     * credential (and the reference, if written) is signed to the worker's wallet by hiring's engagement code.
     */
    async closeEngagement(orgId: string, engagementId: string, byUserId: string, input: CloseInput) {
      const engagement = isUuid(engagementId) ? await store.engagement(orgId, engagementId) : undefined;
      if (!engagement) throw notFound('That engagement');
      if (engagement.status !== 'open') throw conflict(`The engagement is ${engagement.status} already.`);
      if (!isCalendarDate(input.end)) throw invalid('end is a date, YYYY-MM-DD.', { field: 'end' });
      if (input.end < engagement.startDate) {
        throw invalid(`end is not before the engagement’s start (${engagement.startDate}).`, { field: 'end' });
      }
      if (input.end > now().toISOString().slice(0, 10)) {
        throw invalid('end is not in the future: close an engagement once it ended.', { field: 'end' });
      }
      if (!(Number.isFinite(input.value) && input.value >= 0 && input.value <= applicationLimits.maxValue)) {
        throw invalid(`value (the earnings) is from 0 to ${applicationLimits.maxValue.toLocaleString('en')}.`, {
          field: 'value',
        });
      }
      const job = engagement.jobId ? await hiringStore.job(orgId, engagement.jobId) : undefined;
      const who = await deps.identity(engagement.userId);
      const terms = await deps.hiring.engagementTerms({
        worker: who.email,
        role: engagement.role,
        from: engagement.startDate,
        until: input.end,
        skills: input.skills ?? job?.skills.map((s) => s.skill) ?? [],
        ratings: input.ratings,
        summary: input.summary,
        reference: input.reference,
      });
      if (!(await store.claimClose(engagement.id))) throw conflict('The engagement is being closed or closed already.');
      let issued: Awaited<ReturnType<ApplicationsDeps['hiring']['issueEngagement']>>;
      try {
        issued = await deps.hiring.issueEngagement(orgId, byUserId, engagement.userId, terms);
      } catch (error) {
        await store.releaseClose(engagement.id);
        throw error;
      }
      const organization = (await deps.orgName(orgId)) ?? 'The employer';
      await store.finishClose(
        engagement.id,
        {
          endDate: input.end,
          value: input.value,
          ratings: terms.ratings,
          workHistoryId: issued.workHistory.id,
          referenceId: issued.reference?.id ?? null,
          closedBy: byUserId,
        },
        {
          to: who.email,
          subject: `${organization} closed your engagement: ${engagement.role}`,
          text:
            `${organization} closed your engagement as ${engagement.role} (${engagement.startDate} to ${input.end}). ` +
            `A verified work-history credential${issued.reference ? ' and a reference' : ''} from them ` +
            `${issued.reference ? 'are' : 'is'} now in your wallet.\n\nYour applications and where each stands: ${link}\n`,
          orgId,
        },
      );
      kick();
      await deps.engagementEarned?.({
        workerId: engagement.userId,
        until: input.end,
        value: input.value,
        recordedBy: byUserId,
      });
      const closed = (await store.engagement(orgId, engagement.id))!;
      return { engagement: engagementView(closed, who.displayName), ...issued };
    },

    /** Counts and conversions at each stage, split by a verified aligned credential, with the difference's interval. */
    async funnel(
      orgId: string,
      query: { jobId?: string | undefined; from?: string | undefined; to?: string | undefined },
    ) {
      const job = query.jobId ? await jobOf(orgId, query.jobId) : undefined;
      checkPeriod(query);
      const { counts, invitations } = await store.funnel({ orgId, jobId: job?.id, from: query.from, to: query.to });
      return funnelOf(counts, invitations, job ? { id: job.id, title: job.title } : null, query);
    },

    /**
     * The funnel pooled over several organizations (the caller chose them: those who share theirs), all their
     * jobs, applications made from `from` to `to`.
     */
    async pooledFunnel(orgIds: readonly string[], query: { from?: string | undefined; to?: string | undefined }) {
      checkPeriod(query);
      const { counts, invitations } = await store.funnel({ orgId: orgIds, from: query.from, to: query.to });
      return funnelOf(counts, invitations, null, query);
    },

    /** The funnel as a server-rendered SVG chart. */
    async funnelChart(
      orgId: string,
      query: { jobId?: string | undefined; from?: string | undefined; to?: string | undefined },
    ) {
      const funnel = await this.funnel(orgId, query);
      return funnelSvg({
        title: `Hiring funnel: ${funnel.job?.title ?? 'all jobs'}${
          funnel.from || funnel.to ? ` (${funnel.from ?? '…'} to ${funnel.to ?? '…'})` : ''
        }`,
        withCredential: funnel.withCredential,
        withoutCredential: funnel.withoutCredential,
        interviewToOffer: funnel.interviewToOffer,
      });
    },
  };
}

export type Applications = ReturnType<typeof createApplications>;

function checkPeriod(query: { from?: string | undefined; to?: string | undefined }) {
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isCalendarDate(value)) {
      throw invalid(`${field} is a date, YYYY-MM-DD.`, { field });
    }
  }
  if (query.from && query.to && query.to < query.from) throw invalid('to is not before from.', { field: 'to' });
}

/** The funnel's answer from the store's counts: both groups, the interview-to-offer difference, the definition. */
function funnelOf(
  counts: FunnelCount[],
  invitations: { sent: number; pending: number; declined: number; accepted: number },
  job: { id: string; title: string } | null,
  query: { from?: string | undefined; to?: string | undefined },
) {
  const withCredential = groupFunnel(counts.filter((c) => c.aligned));
  const withoutCredential = groupFunnel(counts.filter((c) => !c.aligned));
  return {
    job,
    from: query.from ?? null,
    to: query.to ?? null,
    stages: [...pipelineStages],
    all: groupFunnel(counts),
    withCredential,
    withoutCredential,
    interviewToOffer: interviewToOffer(withCredential, withoutCredential),
    invitations,
    definition:
      'An application counts as “with a credential” when at least one credential the applicant attached, verified ' +
      'when they applied, aligns to one of the job’s skills (or a narrower or broader one).',
  };
}

export type FunnelAnswer = ReturnType<typeof funnelOf>;
