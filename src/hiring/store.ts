import { sql, type Kysely } from 'kysely';
import { containsPattern } from '../platform/db/like.js';
import type { Database } from '../platform/db/schema.js';
import type { JobWeights, ScoreParams } from './score.js';

export interface TalentProfile {
  id: string;
  userId: string;
  discoverable: boolean;
  headline: string;
  availableFrom: string | null;
  daysPerWeek: number | null;
  dayRate: number | null;
  desiredRoles: string[];
  /** The holdings that count; null: every one that verifies. */
  holdingIds: string[] | null;
  updatedAt: Date;
}

export interface JobSkillRow {
  skill: string;
  label: string;
  weight: number;
  minLevel: number | null;
  required: boolean;
  /** For a project's team: how many members must hold it (absent in rows saved before: 1). */
  members?: number;
}

export interface StoredJob {
  id: string;
  orgId: string;
  title: string;
  description: string;
  kind: 'job' | 'project';
  status: 'draft' | 'open' | 'closed';
  skills: JobSkillRow[];
  weights: { credentials: number; workHistory: number; references: number };
  location: string | null;
  remote: boolean;
  blind: boolean;
  /** For a project: the largest team, and the most its day rates may add up to (null: no limit). */
  maxTeamSize: number | null;
  budget: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewJob = Omit<StoredJob, 'id' | 'createdAt' | 'updatedAt' | 'maxTeamSize' | 'budget'> &
  Partial<Pick<StoredJob, 'maxTeamSize' | 'budget'>>;

export interface EvidenceRow {
  holdingId: string;
  skill: string;
  kind: 'credential' | 'work';
  status: string;
  validUntil: string | null;
  facts: Record<string, unknown>;
}

export interface RecordRow {
  holdingId: string;
  kind: 'work' | 'reference';
  status: string;
  validUntil: string | null;
  facts: Record<string, unknown>;
}

const chunk = 1000;

export interface RankBoundsInput {
  /** The asked skills and every skill that counts toward them. */
  codes: string[];
  /** Per code: the sum, over the asked skills it counts toward, of the skill's weight × the relation's factor. */
  factors: number[];
  at: Date;
  params: ScoreParams;
  weights: JobWeights;
  /** How many of the best bounds to return (all of them when absent). */
  limit?: number;
}

export interface CandidateBound {
  candidateId: string;
  userId: string;
  /** No score of this candidate is higher. */
  bound: number;
}
interface RankParamsRow {
  tested: number;
  reviewed: number;
  attendance: number;
  score_floor: number;
  unscored: number;
  untrusted: number;
}
const jsonOf = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value);

function toProfile(row: {
  id: string;
  user_id: string;
  discoverable: boolean;
  headline: string;
  available_from: string | null;
  days_per_week: number | null;
  day_rate: number | null;
  desired_roles: unknown;
  holding_ids: unknown;
  updated_at: Date;
}): TalentProfile {
  return {
    id: row.id,
    userId: row.user_id,
    discoverable: row.discoverable,
    headline: row.headline,
    availableFrom: row.available_from,
    daysPerWeek: row.days_per_week,
    dayRate: row.day_rate,
    desiredRoles: jsonOf(row.desired_roles) as string[],
    holdingIds: (jsonOf(row.holding_ids) as string[] | null) ?? null,
    updatedAt: row.updated_at,
  };
}

function toJob(row: Record<string, unknown>): StoredJob {
  return {
    id: row.id as string,
    orgId: row.org_id as string,
    title: row.title as string,
    description: row.description as string,
    kind: row.kind as StoredJob['kind'],
    status: row.status as StoredJob['status'],
    skills: jsonOf(row.skills) as JobSkillRow[],
    weights: jsonOf(row.weights) as StoredJob['weights'],
    location: row.location as string | null,
    remote: row.remote as boolean,
    blind: row.blind as boolean,
    maxTeamSize: (row.team_max_size as number | null | undefined) ?? null,
    budget: (row.team_budget as number | null | undefined) ?? null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

const profileColumns = [
  'id',
  'user_id',
  'discoverable',
  'headline',
  sql<string | null>`available_from::text`.as('available_from'),
  'days_per_week',
  'day_rate',
  'desired_roles',
  'holding_ids',
  'updated_at',
] as const;

/** The SQL of hiring: talent profiles, jobs, the precomputed evidence index and reveals. */
export function createHiringStore(db: Kysely<Database>) {
  // The quality parameters migration 0035's points were summed with (read once: only a migration changes them).
  let rankParamsRead: Promise<RankParamsRow | undefined> | undefined;
  const rankParams = () =>
    (rankParamsRead ??= sql<RankParamsRow>`select tested, reviewed, attendance, score_floor, unscored, untrusted
      from talent_rank_params`
      .execute(db)
      .then((r) => r.rows[0])
      .catch(() => undefined));
  return {
    async profileOf(userId: string): Promise<TalentProfile | undefined> {
      const row = await db
        .selectFrom('talent_profiles')
        .select(profileColumns)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toProfile(row);
    },

    async profileById(id: string): Promise<TalentProfile | undefined> {
      const row = await db.selectFrom('talent_profiles').select(profileColumns).where('id', '=', id).executeTakeFirst();
      return row && toProfile(row);
    },

    /** Several workers' profiles at once (team staffing reads the day rates and availability of a whole pool). */
    async profilesOf(userIds: string[]): Promise<TalentProfile[]> {
      const found: TalentProfile[] = [];
      for (let i = 0; i < userIds.length; i += chunk) {
        const rows = await db
          .selectFrom('talent_profiles')
          .select(profileColumns)
          .where('user_id', 'in', userIds.slice(i, i + chunk))
          .execute();
        found.push(...rows.map(toProfile));
      }
      return found;
    },

    async saveProfile(
      userId: string,
      fields: Omit<TalentProfile, 'id' | 'userId' | 'updatedAt'>,
    ): Promise<TalentProfile> {
      const values = {
        discoverable: fields.discoverable,
        headline: fields.headline,
        available_from: fields.availableFrom,
        days_per_week: fields.daysPerWeek,
        day_rate: fields.dayRate,
        desired_roles: JSON.stringify(fields.desiredRoles),
        holding_ids: fields.holdingIds === null ? null : JSON.stringify(fields.holdingIds),
        updated_at: new Date(),
      };
      await db
        .insertInto('talent_profiles')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
      return (await this.profileOf(userId))!;
    },

    /** Replaces a worker's evidence and records, all at once (an empty list clears them: opted out). */
    async replaceEvidence(userId: string, evidence: EvidenceRow[], records: RecordRow[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('talent_evidence').where('user_id', '=', userId).execute();
        await trx.deleteFrom('talent_records').where('user_id', '=', userId).execute();
        for (let i = 0; i < evidence.length; i += chunk) {
          await trx
            .insertInto('talent_evidence')
            .values(
              evidence.slice(i, i + chunk).map((e) => ({
                user_id: userId,
                holding_id: e.holdingId,
                skill: e.skill,
                kind: e.kind,
                status: e.status,
                valid_until: e.validUntil ? new Date(e.validUntil) : null,
                facts: JSON.stringify(e.facts),
              })),
            )
            .onConflict((oc) => oc.columns(['user_id', 'holding_id', 'skill']).doNothing())
            .execute();
        }
        if (records.length) {
          await trx
            .insertInto('talent_records')
            .values(
              records.map((r) => ({
                user_id: userId,
                holding_id: r.holdingId,
                kind: r.kind,
                status: r.status,
                valid_until: r.validUntil ? new Date(r.validUntil) : null,
                facts: JSON.stringify(r.facts),
              })),
            )
            .onConflict((oc) => oc.columns(['user_id', 'holding_id']).doNothing())
            .execute();
        }
      });
    },

    async markDirty(userId: string): Promise<void> {
      await sql`select talent_mark_dirty(${userId}::uuid)`.execute(db);
    },

    /**
     * The issuers of indexed credentials, each with whether it was trusted when indexed (null: a row indexed
     * before the issuer's id was kept).
     */
    async indexedIssuers(): Promise<{ issuer: string | null; trusted: boolean }[]> {
      const rows = await sql<{ issuer: string | null; trusted: boolean | null }>`
        select distinct facts->>'issuerId' as issuer, (facts->>'trusted')::boolean as trusted
        from talent_evidence where kind = 'credential'`.execute(db);
      return rows.rows.map((r) => ({ issuer: r.issuer, trusted: r.trusted === true }));
    },

    /** Marks for recompute every worker holding a credential of these issuers (and, with legacy, of rows without one). */
    async markDirtyByIssuers(issuers: string[], legacy: boolean): Promise<number> {
      let marked = 0;
      const mark = async (where: ReturnType<typeof sql>) => {
        const result = await sql`
          insert into talent_dirty (user_id)
            select distinct user_id from talent_evidence where kind = 'credential' and ${where}
          on conflict (user_id) do update set marked_at = clock_timestamp()`.execute(db);
        marked += Number(result.numAffectedRows ?? 0);
      };
      for (let i = 0; i < issuers.length; i += chunk) {
        const part = issuers.slice(i, i + chunk);
        await mark(sql`facts->>'issuerId' in (${sql.join(part)})`);
      }
      if (legacy) await mark(sql`not jsonb_exists(facts, 'issuerId')`);
      return marked;
    },

    /** Workers waiting to be recomputed, oldest mark first. */
    async dirty(limit: number): Promise<{ userId: string; markedAt: Date }[]> {
      const rows = await db
        .selectFrom('talent_dirty')
        .select(['user_id', 'marked_at'])
        .orderBy('marked_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ userId: r.user_id, markedAt: r.marked_at }));
    },

    /** Done with a worker, unless they were marked again since (then the next pass takes them). */
    async clearDirty(userId: string, markedAt: Date): Promise<void> {
      await db.deleteFrom('talent_dirty').where('user_id', '=', userId).where('marked_at', '<=', markedAt).execute();
    },

    /** Evidence rows of discoverable workers for any of these skills (the index by skill), with the profile id. */
    async evidenceFor(skills: string[]) {
      if (skills.length === 0) return [];
      const rows = await db
        .selectFrom('talent_evidence as e')
        .innerJoin('talent_profiles as p', 'p.user_id', 'e.user_id')
        .select([
          'p.id as candidate_id',
          'e.user_id',
          'e.holding_id',
          'e.skill',
          'e.kind',
          'e.status',
          'e.valid_until',
          'e.facts',
        ])
        .where('e.skill', 'in', skills)
        .where('p.discoverable', '=', true)
        .execute();
      return rows.map((r) => ({
        candidateId: r.candidate_id,
        userId: r.user_id,
        holdingId: r.holding_id,
        skill: r.skill,
        kind: r.kind,
        status: r.status,
        validUntil: r.valid_until,
        facts: jsonOf(r.facts) as Record<string, unknown>,
      }));
    },

    /**
     * Each discoverable candidate holding an asked skill (or a related one) whom the score gives a term, with an
     * upper bound of their score computed from the covered columns of the indexes (never the facts), best bound
     * first (ties by candidate id).
     *
     * `factors` gives, for each code, the sum over the asked skills it counts toward of weight × relation factor,
     * so a credential's bound is at least what it proves for every asked skill (whatever minimum result the job
     * asks), each counting in full (no diminishing returns), times the track record's factor (or the most it can be);
     * work history as fully relevant, whatever its status, and references as if all verified, each rounded term given
     * its half point.
     */
    async candidateBounds(input: RankBoundsInput): Promise<{ total: number; top: CandidateBound[] }> {
      if (input.codes.length === 0) return { total: 0, top: [] };
      const p = input.params;
      const a = p.quality.assessment;
      const credentialScale = input.weights.credentials > 0 ? (p.credentialPoints / 5) * input.weights.credentials : 0;
      const workScale = input.weights.workHistory > 0 ? p.workPoints * input.weights.workHistory : 0;
      const referenceScale = input.weights.references > 0 ? p.referencePoints * input.weights.references : 0;
      // The track record's factor: exact when every work record verifies now (its months are all verified), else
      // at most its value at the peak or at all the months, whichever comes first (it rises to the peak, then falls).
      const tr = p.trackRecord;
      const factor = (months: ReturnType<typeof sql>) => sql`case when ${months} <= ${tr.peakMonths}::float8
          then ${tr.none}::float8 + (1 - ${tr.none}::float8) * ${months} / ${tr.peakMonths}::float8
        when ${months} >= ${tr.longMonths}::float8 then ${tr.long}::float8
        else 1 - (1 - ${tr.long}::float8) * (${months} - ${tr.peakMonths}::float8)
          / (${tr.longMonths}::float8 - ${tr.peakMonths}::float8) end`;
      // An active row past its validity is expired when read; a millisecond either side keeps the bound safe.
      const since = new Date(input.at.getTime() - 1);
      const after = new Date(input.at.getTime() + 1);
      const quality = await rankParams();
      const a2 = quality && p.quality.assessment;
      const current =
        quality !== undefined &&
        quality.tested === a2!.tested &&
        quality.reviewed === a2!.reviewed &&
        quality.attendance === a2!.attendance &&
        quality.score_floor === p.quality.scoreFloor &&
        quality.unscored === p.quality.unscored &&
        quality.untrusted === p.quality.untrustedIssuer;
      const limit = input.limit === undefined ? sql`all` : sql`${Math.max(1, Math.floor(input.limit))}::int`;
      const trackFactor = (u: string) => sql`case when ${sql.raw(u)}.record_settled_until >= ${after}
                    then ${factor(sql.raw(`${u}.record_months`))}
                    else greatest(${tr.none}::float8,
                      ${factor(sql`least(${sql.raw(u)}.record_months, ${tr.peakMonths}::float8)`)}) end`;
      const records = (u: string) => sql`case when ${workScale}::float8 > 0
                then ${workScale}::float8 * ${sql.raw(u)}.record_duration + 0.5 * ${sql.raw(u)}.record_works else 0 end
            + case when ${referenceScale}::float8 > 0
                then ${referenceScale}::float8 * (1 - power(0.6::float8, ${sql.raw(u)}.record_refs)) / 0.4
                  + 0.5 * ${sql.raw(u)}.record_refs
              else 0 end`;
      const boundOf = (u: string, raw: ReturnType<typeof sql>) => sql`
            case when ${raw} > 0 and ${credentialScale}::float8 > 0 then
              ${raw} * ${credentialScale}::float8 * ${trackFactor(u)} + 0.5
            else 0 end
            + ${records(u)}`;
      const ranks = (
        u: string,
        credential: ReturnType<typeof sql>,
      ) => sql`(${credentialScale}::float8 > 0 and ${credential})
            or (${workScale}::float8 > 0 and ${sql.raw(u)}.record_works > 0)
            or (${referenceScale}::float8 > 0 and ${sql.raw(u)}.record_refs > 0)`;
      // Migration 0035's rows: one per (candidate, asked skill), each with the candidate's profile summary, and the
      // quality of its credentials summed with the same parameters (else the evidence rows themselves, below). The
      // profile's terms are the same on each of a candidate's rows, so each row carries its share of the bound and
      // the rows are grouped by worker alone (a narrow hash table); the best bounds are ordered by worker among
      // equals, so that a longer list starts with a shorter one, and only they are joined to their profile.
      const query = current
        ? sql<{ candidate_id: string; user_id: string; bound: number; total: number }>`
        with asked as (
          select * from unnest(${input.codes}::text[], ${input.factors}::float8[]) as a(skill, factor)
        ), shares as (
          select r.user_id, raw * ${trackFactor('r')} as credit, raw > 0 as scored, ${records('r')} as records,
            ${ranks('r', sql`r.credential`)} as ranks
          from asked a join talent_rank_skill r on r.skill = a.skill
          cross join lateral (select a.factor
            * (r.points + case when r.dated_until >= ${since} then r.dated_points else 0 end) as raw) x
          where r.discoverable
        ), bounds as materialized (
          select user_id, case when bool_or(scored) and ${credentialScale}::float8 > 0
              then sum(credit) * ${credentialScale}::float8 + 0.5 else 0 end + max(records) as bound
          from shares group by user_id having bool_or(ranks)
        ), top as (
          select user_id, bound from bounds order by bound desc, user_id limit ${limit}
        )
        select p.id as candidate_id, t.user_id, t.bound * (1 + 1e-9) + 1e-6 as bound,
          (select count(*) from bounds)::int as total
        from top t join talent_profiles p on p.user_id = t.user_id
        order by t.bound desc, t.user_id`
        : sql<{ candidate_id: string; user_id: string; bound: number; total: number }>`
        with asked as (
          select * from unnest(${input.codes}::text[], ${input.factors}::float8[]) as a(skill, factor)
        ), users as (
          select e.user_id, bool_or(e.kind = 'credential') as credential,
            sum(case when e.kind = 'credential' and e.status = 'active'
                       and (e.valid_until is null or e.valid_until >= ${since})
              then a.factor
                * case coalesce(e.assessment, 'attendance') when 'tested' then ${a.tested}::float8
                    when 'reviewed' then ${a.reviewed}::float8 when 'attendance' then ${a.attendance}::float8
                    else ${Math.max(a.tested, a.reviewed, a.attendance)}::float8 end
                * case when e.level is null then ${p.quality.unscored}::float8
                    else ${p.quality.scoreFloor}::float8 + (1 - ${p.quality.scoreFloor}::float8) * e.level / 100 end
                * case when e.trusted then 1 else ${p.quality.untrustedIssuer}::float8 end
              else 0 end) as raw
          from asked a join talent_evidence e on e.skill = a.skill
          group by e.user_id
        ), bounds as (
          select p.id as candidate_id, u.user_id, ${boundOf('p', sql`u.raw`)} as bound
          from users u
          join talent_profiles p on p.user_id = u.user_id and p.discoverable
          where ${ranks('p', sql`u.credential`)}
        )
        select candidate_id, user_id, bound * (1 + 1e-9) + 1e-6 as bound, count(*) over ()::int as total from bounds
        order by bound desc, user_id limit ${limit}`;
      const rows = current
        ? // Enough memory for the hash table of every candidate (~8 MB for 45,000), not a sort spilled to disk.
          await db.transaction().execute(async (trx) => {
            await sql`set local work_mem = '32MB'`.execute(trx);
            return (await query.execute(trx)).rows;
          })
        : // The candidates are a small part of the profiles: each is looked up in the profiles' covering index (a
          // hash join would read every profile, in parallel workers that each aggregate the evidence again).
          await db.transaction().execute(async (trx) => {
            await sql`set local enable_hashjoin = off`.execute(trx);
            await sql`set local enable_mergejoin = off`.execute(trx);
            return (await query.execute(trx)).rows;
          });
      return {
        total: rows[0]?.total ?? 0,
        top: rows.map((r) => ({ candidateId: r.candidate_id, userId: r.user_id, bound: Number(r.bound) })),
      };
    },

    /** The evidence rows for these skills of these workers (a ranking's candidates), in a fixed order. */
    async evidenceOfFor(userIds: string[], skills: string[]) {
      const found = [];
      for (let i = 0; i < userIds.length && skills.length; i += chunk) {
        const rows = await db
          .selectFrom('talent_evidence')
          .select(['user_id', 'holding_id', 'skill', 'kind', 'status', 'valid_until', 'facts'])
          .where('user_id', 'in', userIds.slice(i, i + chunk))
          .where('skill', 'in', skills)
          .orderBy('user_id')
          .orderBy('holding_id')
          .orderBy('skill')
          .execute();
        found.push(
          ...rows.map((r) => ({
            userId: r.user_id,
            holdingId: r.holding_id,
            skill: r.skill,
            kind: r.kind,
            status: r.status,
            validUntil: r.valid_until,
            facts: jsonOf(r.facts) as Record<string, unknown>,
          })),
        );
      }
      return found;
    },

    /** Every evidence row of one worker (the candidate page). */
    async evidenceOf(userId: string) {
      const rows = await db.selectFrom('talent_evidence').selectAll().where('user_id', '=', userId).execute();
      return rows.map((r) => ({
        holdingId: r.holding_id,
        skill: r.skill,
        kind: r.kind,
        status: r.status,
        validUntil: r.valid_until,
        facts: jsonOf(r.facts) as Record<string, unknown>,
      }));
    },

    /** Work history and references of these workers. */
    async recordsOf(userIds: string[]) {
      const rows = [];
      for (let i = 0; i < userIds.length; i += chunk) {
        const part = userIds.slice(i, i + chunk);
        rows.push(...(await db.selectFrom('talent_records').selectAll().where('user_id', 'in', part).execute()));
      }
      return rows.map((r) => ({
        userId: r.user_id,
        holdingId: r.holding_id,
        kind: r.kind,
        status: r.status,
        validUntil: r.valid_until,
        facts: jsonOf(r.facts) as Record<string, unknown>,
      }));
    },

    async createJob(job: NewJob, createdBy: string): Promise<StoredJob> {
      const row = await db
        .insertInto('hiring_jobs')
        .values({
          org_id: job.orgId,
          title: job.title,
          description: job.description,
          kind: job.kind,
          status: job.status,
          skills: JSON.stringify(job.skills),
          weights: JSON.stringify(job.weights),
          location: job.location,
          remote: job.remote,
          blind: job.blind,
          team_max_size: job.maxTeamSize ?? null,
          team_budget: job.budget ?? null,
          created_by: createdBy,
          updated_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toJob(row);
    },

    async updateJob(orgId: string, id: string, job: Omit<NewJob, 'orgId'>): Promise<StoredJob | undefined> {
      const row = await db
        .updateTable('hiring_jobs')
        .set({
          title: job.title,
          description: job.description,
          kind: job.kind,
          status: job.status,
          skills: JSON.stringify(job.skills),
          weights: JSON.stringify(job.weights),
          location: job.location,
          remote: job.remote,
          blind: job.blind,
          team_max_size: job.maxTeamSize ?? null,
          team_budget: job.budget ?? null,
          updated_at: new Date(),
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toJob(row);
    },

    async job(orgId: string, id: string): Promise<StoredJob | undefined> {
      const row = await db
        .selectFrom('hiring_jobs')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toJob(row);
    },

    /** A job anyone may see: open, whatever its organization. */
    async openJob(id: string): Promise<StoredJob | undefined> {
      const row = await db
        .selectFrom('hiring_jobs')
        .selectAll()
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return row && toJob(row);
    },

    /** Open jobs anyone may find, newest first: text in the title or description, and a skill code. */
    async searchOpenJobs(query: {
      text?: string | undefined;
      skill?: string | undefined;
      limit: number;
      offset: number;
    }): Promise<{ total: number; jobs: (StoredJob & { orgName: string })[] }> {
      let q = db
        .selectFrom('hiring_jobs as j')
        .innerJoin('organizations as o', 'o.id', 'j.org_id')
        .where('j.status', '=', 'open');
      if (query.text) {
        const pattern = containsPattern(query.text);
        q = q.where((eb) => eb.or([eb('j.title', 'ilike', pattern), eb('j.description', 'ilike', pattern)]));
      }
      if (query.skill) {
        q = q.where(sql<boolean>`j.skills @> ${JSON.stringify([{ skill: query.skill }])}::jsonb`);
      }
      const [count, rows] = await Promise.all([
        q.select((eb) => eb.fn.countAll<string | number>().as('count')).executeTakeFirstOrThrow(),
        q
          .selectAll('j')
          .select('o.name as org_name')
          .orderBy('j.created_at', 'desc')
          .orderBy('j.id')
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
      ]);
      return {
        total: Number(count.count),
        jobs: rows.map((row) => ({ ...toJob(row), orgName: row.org_name })),
      };
    },

    async jobs(orgId: string): Promise<StoredJob[]> {
      const rows = await db
        .selectFrom('hiring_jobs')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toJob);
    },

    async deleteJob(orgId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('hiring_jobs')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async addReveal(jobId: string, userId: string, revealedBy: string): Promise<Date> {
      const row = await db
        .insertInto('hiring_reveals')
        .values({ job_id: jobId, user_id: userId, revealed_by: revealedBy })
        .returning('revealed_at')
        .executeTakeFirstOrThrow();
      return row.revealed_at;
    },

    /** The workers revealed for a job (any of these). */
    async revealedFor(jobId: string, userIds: string[]): Promise<Set<string>> {
      if (userIds.length === 0) return new Set();
      const found = new Set<string>();
      for (let i = 0; i < userIds.length; i += chunk) {
        const rows = await db
          .selectFrom('hiring_reveals')
          .select('user_id')
          .where('job_id', '=', jobId)
          .where('user_id', 'in', userIds.slice(i, i + chunk))
          .execute();
        for (const r of rows) found.add(r.user_id);
      }
      return found;
    },

    /** Every reveal of a worker, newest first: who, when, which job (and its organization). */
    async revealsOf(userId: string) {
      const rows = await db
        .selectFrom('hiring_reveals as r')
        .innerJoin('hiring_jobs as j', 'j.id', 'r.job_id')
        .select(['r.id', 'r.revealed_at', 'r.revealed_by', 'j.id as job_id', 'j.title', 'j.org_id'])
        .where('r.user_id', '=', userId)
        .orderBy('r.revealed_at', 'desc')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        revealedAt: r.revealed_at,
        revealedBy: r.revealed_by,
        jobId: r.job_id,
        jobTitle: r.title,
        orgId: r.org_id,
      }));
    },
  };
}

export type HiringStore = ReturnType<typeof createHiringStore>;
