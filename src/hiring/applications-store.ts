import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { FunnelCount } from './funnel.js';
import { finalStages, type ApplicationStage } from './stages.js';

/** A holding the worker attached to an application, as verified when they attached it. */
export interface AttachedHolding {
  holdingId: string;
  name: string;
  kind: string;
  issuer: string | null;
  status: string;
  /** A verified credential aligned to one of the job's skills (or a related one). */
  aligned: boolean;
  skills: { code: string; label: string }[];
}

export interface StoredApplication {
  id: string;
  jobId: string;
  orgId: string;
  userId: string;
  origin: 'applied' | 'invited';
  stage: ApplicationStage;
  furthest: number;
  note: string;
  invitationNote: string;
  holdings: AttachedHolding[];
  aligned: boolean | null;
  rejectionReason: string | null;
  rejectionNote: string | null;
  revealedAt: Date | null;
  appliedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationEvent {
  applicationId: string;
  from: ApplicationStage | null;
  to: ApplicationStage;
  byUser: string | null;
  byRole: 'candidate' | 'employer';
  reason: string | null;
  note: string | null;
  at: Date;
}

export interface StoredEngagement {
  id: string;
  orgId: string;
  jobId: string | null;
  applicationId: string | null;
  userId: string;
  role: string;
  startDate: string;
  dayRate: number | null;
  agreedValue: number | null;
  status: 'open' | 'closing' | 'closed';
  endDate: string | null;
  value: number | null;
  ratings: { communication: number | null; timeliness: number | null; reliability: number | null } | null;
  credentialsAtHire: AttachedHolding[];
  workHistoryId: string | null;
  referenceId: string | null;
  openedAt: Date;
  closedAt: Date | null;
}

/** A notice to a worker, written to the outbox in the same transaction as what it tells of. */
export interface Notice {
  to: string;
  subject: string;
  text: string;
  orgId: string | null;
}

export interface NewEngagement {
  orgId: string;
  jobId: string;
  userId: string;
  role: string;
  startDate: string;
  dayRate: number | null;
  agreedValue: number | null;
  credentialsAtHire: AttachedHolding[];
  openedBy: string;
}

const jsonOf = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

function toApplication(row: Record<string, unknown>): StoredApplication {
  return {
    id: row.id as string,
    jobId: row.job_id as string,
    orgId: row.org_id as string,
    userId: row.user_id as string,
    origin: row.origin as StoredApplication['origin'],
    stage: row.stage as ApplicationStage,
    furthest: Number(row.furthest),
    note: row.note as string,
    invitationNote: row.invitation_note as string,
    holdings: jsonOf(row.holdings) as AttachedHolding[],
    aligned: row.aligned as boolean | null,
    rejectionReason: row.rejection_reason as string | null,
    rejectionNote: row.rejection_note as string | null,
    revealedAt: row.revealed_at as Date | null,
    appliedAt: row.applied_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function toEngagement(row: Record<string, unknown>): StoredEngagement {
  return {
    id: row.id as string,
    orgId: row.org_id as string,
    jobId: row.job_id as string | null,
    applicationId: row.application_id as string | null,
    userId: row.user_id as string,
    role: row.role as string,
    startDate: row.start_date as string,
    dayRate: row.day_rate as number | null,
    agreedValue: row.agreed_value as number | null,
    status: row.status as StoredEngagement['status'],
    endDate: row.end_date as string | null,
    value: row.value as number | null,
    ratings: (jsonOf(row.ratings) as StoredEngagement['ratings']) ?? null,
    credentialsAtHire: jsonOf(row.credentials_at_hire) as AttachedHolding[],
    workHistoryId: row.work_history_id as string | null,
    referenceId: row.reference_id as string | null,
    openedAt: row.opened_at as Date,
    closedAt: row.closed_at as Date | null,
  };
}

const engagementColumns = [
  'id',
  'org_id',
  'job_id',
  'application_id',
  'user_id',
  'role',
  sql<string>`start_date::text`.as('start_date'),
  'day_rate',
  'agreed_value',
  'status',
  sql<string | null>`end_date::text`.as('end_date'),
  'value',
  'ratings',
  'credentials_at_hire',
  'work_history_id',
  'reference_id',
  'opened_at',
  'closed_at',
] as const;

async function writeNotice(trx: Transaction<Database>, notice: Notice | undefined) {
  if (!notice) return;
  await trx
    .insertInto('outbox')
    .values({
      id: randomUUID(),
      org_id: notice.orgId,
      to_email: notice.to,
      subject: notice.subject,
      text: notice.text,
      claim_id: null,
    })
    .execute();
}

async function writeEvent(trx: Transaction<Database>, event: Omit<ApplicationEvent, 'at'>) {
  await trx
    .insertInto('hiring_application_events')
    .values({
      application_id: event.applicationId,
      from_stage: event.from,
      to_stage: event.to,
      by_user: event.byUser,
      by_role: event.byRole,
      reason: event.reason,
      note: event.note,
    })
    .execute();
}

export interface StageChange {
  stage: ApplicationStage;
  furthest: number;
  rejectionReason?: string | null;
  rejectionNote?: string | null;
  revealedAt?: Date | null;
  note?: string;
  holdings?: AttachedHolding[];
  aligned?: boolean | null;
  appliedAt?: Date | null;
}

/** The SQL of applications, their moves and engagements. Each write and its notice commit together or not at all. */
export function createApplicationsStore(db: Kysely<Database>) {
  return {
    /** A new application (or invitation) with its first event and notice; 'exists' when the worker has one already. */
    async create(
      application: Omit<
        StoredApplication,
        'id' | 'createdAt' | 'updatedAt' | 'revealedAt' | 'rejectionReason' | 'rejectionNote'
      >,
      event: { byUser: string; byRole: 'candidate' | 'employer' },
      notice?: Notice,
    ): Promise<StoredApplication | 'exists'> {
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('hiring_applications')
            .values({
              job_id: application.jobId,
              org_id: application.orgId,
              user_id: application.userId,
              origin: application.origin,
              stage: application.stage,
              furthest: application.furthest,
              note: application.note,
              invitation_note: application.invitationNote,
              holdings: JSON.stringify(application.holdings),
              aligned: application.aligned,
              applied_at: application.appliedAt,
              updated_at: new Date(),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await writeEvent(trx, {
            applicationId: row.id,
            from: null,
            to: application.stage,
            byUser: event.byUser,
            byRole: event.byRole,
            reason: null,
            note: null,
          });
          await writeNotice(trx, notice);
          return toApplication(row);
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === '23505') return 'exists';
        throw error;
      }
    },

    async application(id: string): Promise<StoredApplication | undefined> {
      const row = await db.selectFrom('hiring_applications').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApplication(row);
    },

    async applicationOf(jobId: string, userId: string): Promise<StoredApplication | undefined> {
      const row = await db
        .selectFrom('hiring_applications')
        .selectAll()
        .where('job_id', '=', jobId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toApplication(row);
    },

    /** A job's applications (the pipeline board), oldest first, and how many stand at each stage. */
    async forJob(jobId: string, query: { stage?: string | undefined; limit: number; offset: number }) {
      let q = db.selectFrom('hiring_applications').where('job_id', '=', jobId);
      if (query.stage) q = q.where('stage', '=', query.stage);
      const [rows, counts] = await Promise.all([
        q.selectAll().orderBy('created_at').orderBy('id').limit(query.limit).offset(query.offset).execute(),
        db
          .selectFrom('hiring_applications')
          .select(['stage', (eb) => eb.fn.countAll<string | number>().as('count')])
          .where('job_id', '=', jobId)
          .groupBy('stage')
          .execute(),
      ]);
      return {
        applications: rows.map(toApplication),
        counts: Object.fromEntries(counts.map((c) => [c.stage, Number(c.count)])) as Record<string, number>,
      };
    },

    /** The applications to a job still in play (accepted, not final), with the holdings each worker attached. */
    async live(jobId: string): Promise<{ userId: string; holdingIds: string[] }[]> {
      const rows = await db
        .selectFrom('hiring_applications')
        .select(['user_id', 'holdings'])
        .where('job_id', '=', jobId)
        .where('stage', 'not in', ['invited', ...finalStages])
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        userId: r.user_id,
        holdingIds: (jsonOf(r.holdings) as AttachedHolding[]).map((h) => h.holdingId),
      }));
    },

    /** A worker's applications and invitations, newest first, with the job and its organization. */
    async forUser(userId: string) {
      const rows = await db
        .selectFrom('hiring_applications as a')
        .innerJoin('hiring_jobs as j', 'j.id', 'a.job_id')
        .innerJoin('organizations as o', 'o.id', 'a.org_id')
        .selectAll('a')
        .select(['j.title as job_title', 'j.status as job_status', 'j.kind as job_kind', 'o.name as org_name'])
        .where('a.user_id', '=', userId)
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id')
        .execute();
      return rows.map((r) => ({
        ...toApplication(r),
        jobTitle: r.job_title,
        jobStatus: r.job_status,
        jobKind: r.job_kind,
        orgName: r.org_name,
      }));
    },

    async events(applicationIds: string[]): Promise<ApplicationEvent[]> {
      if (applicationIds.length === 0) return [];
      const rows = await db
        .selectFrom('hiring_application_events')
        .selectAll()
        .where('application_id', 'in', applicationIds)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        applicationId: r.application_id,
        from: r.from_stage as ApplicationStage | null,
        to: r.to_stage as ApplicationStage,
        byUser: r.by_user,
        byRole: r.by_role,
        reason: r.reason,
        note: r.note,
        at: r.at,
      }));
    },

    /**
     * Moves an application from `from` (only if it still stands there: 'stale' otherwise), recording the event, a
     * reveal, an engagement and the notice in one transaction.
     */
    async move(
      id: string,
      from: ApplicationStage,
      change: StageChange,
      event: { byUser: string; byRole: 'candidate' | 'employer'; reason?: string | null; note?: string | null },
      extras: { reveal?: { jobId: string; userId: string }; engagement?: NewEngagement; notice?: Notice } = {},
    ): Promise<{ application: StoredApplication; engagementId: string | null } | 'stale'> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('hiring_applications')
          .set({
            stage: change.stage,
            furthest: change.furthest,
            ...(change.rejectionReason !== undefined ? { rejection_reason: change.rejectionReason } : {}),
            ...(change.rejectionNote !== undefined ? { rejection_note: change.rejectionNote } : {}),
            ...(change.revealedAt !== undefined ? { revealed_at: change.revealedAt } : {}),
            ...(change.note !== undefined ? { note: change.note } : {}),
            ...(change.holdings !== undefined ? { holdings: JSON.stringify(change.holdings) } : {}),
            ...(change.aligned !== undefined ? { aligned: change.aligned } : {}),
            ...(change.appliedAt !== undefined ? { applied_at: change.appliedAt } : {}),
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .where('stage', '=', from)
          .returningAll()
          .executeTakeFirst();
        if (!row) return 'stale' as const;
        await writeEvent(trx, {
          applicationId: id,
          from,
          to: change.stage,
          byUser: event.byUser,
          byRole: event.byRole,
          reason: event.reason ?? null,
          note: event.note ?? null,
        });
        if (extras.reveal) {
          await trx
            .insertInto('hiring_reveals')
            .values({ job_id: extras.reveal.jobId, user_id: extras.reveal.userId, revealed_by: event.byUser })
            .execute();
        }
        let engagementId: string | null = null;
        if (extras.engagement) {
          const e = extras.engagement;
          const inserted = await trx
            .insertInto('hiring_engagements')
            .values({
              org_id: e.orgId,
              job_id: e.jobId,
              application_id: id,
              user_id: e.userId,
              role: e.role,
              start_date: e.startDate,
              day_rate: e.dayRate,
              agreed_value: e.agreedValue,
              credentials_at_hire: JSON.stringify(e.credentialsAtHire),
              opened_by: e.openedBy,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          engagementId = inserted.id;
        }
        await writeNotice(trx, extras.notice);
        return { application: toApplication(row), engagementId };
      });
    },

    /**
     * Counts for the funnel, from the counts the trigger keeps: by group, furthest stage and where each stands, for
     * applications made from `from` to `to` (days, UTC, inclusive); invitations apart.
     */
    async funnel(query: {
      /** One organization, or several pooled (none: empty counts). */
      orgId: string | readonly string[];
      jobId?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
    }) {
      const orgIds = typeof query.orgId === 'string' ? [query.orgId] : [...query.orgId];
      if (orgIds.length === 0) {
        return { counts: [] as FunnelCount[], invitations: { sent: 0, pending: 0, declined: 0, accepted: 0 } };
      }
      // One job (the caller checked it is the organization's), or all of the organizations'.
      let q = db.selectFrom('hiring_funnel_counts');
      q = query.jobId ? q.where('job_id', '=', query.jobId) : q.where('org_id', 'in', orgIds);
      if (query.from) q = q.where('day', '>=', query.from);
      if (query.to) q = q.where('day', '<=', query.to);
      let inv = db.selectFrom('hiring_applications').where('org_id', 'in', orgIds).where('origin', '=', 'invited');
      if (query.jobId) inv = inv.where('job_id', '=', query.jobId);
      if (query.from) inv = inv.where('created_at', '>=', new Date(`${query.from}T00:00:00Z`));
      if (query.to) inv = inv.where('created_at', '<', new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000));
      const [rows, invitations] = await Promise.all([
        q
          .select(['aligned', 'furthest', 'stage', (eb) => eb.fn.sum<string | number>('count').as('count')])
          .groupBy(['aligned', 'furthest', 'stage'])
          .execute(),
        inv
          .select([
            (eb) => eb.fn.countAll<string | number>().as('sent'),
            sql<string | number>`count(*) filter (where stage = 'invited')`.as('pending'),
            sql<string | number>`count(*) filter (where stage = 'declined')`.as('declined'),
          ])
          .executeTakeFirstOrThrow(),
      ]);
      const counts: FunnelCount[] = rows.map((r) => ({
        aligned: r.aligned === true,
        furthest: Number(r.furthest),
        stage: r.stage,
        count: Number(r.count),
      }));
      const sent = Number(invitations.sent);
      const pending = Number(invitations.pending);
      const declined = Number(invitations.declined);
      return { counts, invitations: { sent, pending, declined, accepted: sent - pending - declined } };
    },

    async engagements(orgId: string, query: { status?: string | undefined; limit: number; offset: number }) {
      let q = db.selectFrom('hiring_engagements').select(engagementColumns).where('org_id', '=', orgId);
      if (query.status) q = q.where('status', '=', query.status as StoredEngagement['status']);
      const rows = await q.orderBy('opened_at', 'desc').orderBy('id').limit(query.limit).offset(query.offset).execute();
      return rows.map(toEngagement);
    },

    async engagement(orgId: string, id: string): Promise<StoredEngagement | undefined> {
      const row = await db
        .selectFrom('hiring_engagements')
        .select(engagementColumns)
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toEngagement(row);
    },

    async engagementsOfUser(userId: string): Promise<StoredEngagement[]> {
      const rows = await db
        .selectFrom('hiring_engagements')
        .select(engagementColumns)
        .where('user_id', '=', userId)
        .orderBy('opened_at', 'desc')
        .execute();
      return rows.map(toEngagement);
    },

    /** Takes an open engagement for closing (one closer at a time); false when it is not open. */
    async claimClose(id: string): Promise<boolean> {
      const result = await db
        .updateTable('hiring_engagements')
        .set({ status: 'closing' })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Gives a claimed engagement back (signing failed): open again. */
    async releaseClose(id: string): Promise<void> {
      await db
        .updateTable('hiring_engagements')
        .set({ status: 'open' })
        .where('id', '=', id)
        .where('status', '=', 'closing')
        .execute();
    },

    async finishClose(
      id: string,
      fields: {
        endDate: string;
        value: number;
        ratings: StoredEngagement['ratings'];
        workHistoryId: string;
        referenceId: string | null;
        closedBy: string;
      },
      notice?: Notice,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('hiring_engagements')
          .set({
            status: 'closed',
            end_date: fields.endDate,
            value: fields.value,
            ratings: JSON.stringify(fields.ratings),
            work_history_id: fields.workHistoryId,
            reference_id: fields.referenceId,
            closed_by: fields.closedBy,
            closed_at: new Date(),
          })
          .where('id', '=', id)
          .where('status', '=', 'closing')
          .execute();
        await writeNotice(trx, notice);
      });
    },
  };
}

export type ApplicationsStore = ReturnType<typeof createApplicationsStore>;
