import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { Baseline, Surface, Variant } from './experiments.js';
import type { OutcomeKind, OutcomeSource } from './ledger.js';

export interface StoredOutcome {
  userId: string;
  date: string;
  kind: OutcomeKind;
  value: number;
  source: OutcomeSource;
  recordedBy: string | null;
}

/** Which credentials are events: all earned here, or those of one micro-credential or one issuer. */
export interface EventFilter {
  achievementId?: string | undefined;
  orgId?: string | undefined;
}

/** One event's outcome sums per window (or per week relative to the event), and whether it was the worker's first. */
export interface EventWindows {
  eventId: string;
  workerId: string;
  /** The day the credential was issued (UTC), as milliseconds since the epoch. */
  day: number;
  /** Sum (or count, for `count`) of the outcome per bucket: bucket = window (−1 before, 0 after) or week. */
  buckets: Map<number, { sum: number; count: number }>;
  /** No earnings and no project before the event. */
  newEntrant: boolean;
}

const chunkSize = 1000;

export interface AnalyticsStoreOptions {
  /**
   * SQL selecting the credentials earned on this instance by an account and not revoked (`id`, `worker_id`,
   * `day` issued in UTC), filtered: the events. Issuance owns that table; src/app passes its query in.
   */
  earnedCredentials: (filter: EventFilter) => RawBuilder<{ id: string; worker_id: string; day: Date }>;
  /** SQL selecting every share action (`user_id`, `at`): sharing owns that table; src/app passes its query in. */
  shareActions: () => RawBuilder<{ user_id: string; at: Date }>;
}

export interface StoredExperiment {
  id: string;
  name: string;
  baselineRate: number;
  effect: number;
  power: number;
  plannedSize: number;
  startedAt: Date;
  stoppedAt: Date | null;
}

export interface StoredExposure {
  experimentId: string;
  userId: string;
  variant: Variant;
  stratum: string;
  surface: Surface;
  at: Date;
  baseline: Baseline;
}

/** One learner of an experiment whose outcome window has ended: arm, stratum, baseline facts and the outcome. */
export interface ExperimentRow {
  variant: Variant;
  stratum: string;
  baseline: Baseline;
  y: number;
}

/**
 * The SQL behind the outcomes ledger and the event-study panels. The panels compose issuance's query of the
 * credentials earned here (a port, `earnedCredentials`) with the outcomes: one query joins each credential to
 * its holder's outcomes in the windows around it, so a 100,000-event panel is one round trip.
 */
export function createAnalyticsStore(db: Kysely<Database>, { earnedCredentials, shareActions }: AnalyticsStoreOptions) {
  return {
    async insertOutcomes(rows: StoredOutcome[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += chunkSize) {
          await trx
            .insertInto('outcome_events')
            .values(
              rows.slice(i, i + chunkSize).map((row) => ({
                user_id: row.userId,
                occurred_on: row.date,
                kind: row.kind,
                value: row.value,
                source: row.source,
                recorded_by: row.recordedBy,
              })),
            )
            .execute();
        }
      });
    },

    async outcomesOf(userId: string): Promise<StoredOutcome[]> {
      const rows = await db
        .selectFrom('outcome_events')
        .select([
          'user_id',
          sql<string>`to_char(occurred_on, 'YYYY-MM-DD')`.as('date'),
          'kind',
          'value',
          'source',
          'recorded_by',
        ])
        .where('user_id', '=', userId)
        .orderBy('occurred_on')
        .execute();
      return rows.map((r) => ({
        userId: r.user_id,
        date: r.date,
        kind: r.kind,
        value: Number(r.value),
        source: r.source,
        recordedBy: r.recorded_by,
      }));
    },

    /** When the organization began sharing its hiring funnel (undefined: it does not). */
    async funnelSharedAt(orgId: string): Promise<Date | undefined> {
      const row = await db
        .selectFrom('funnel_sharing')
        .select('shared_at')
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row?.shared_at;
    },

    async setFunnelSharing(orgId: string, shared: boolean, by: string): Promise<void> {
      if (shared) {
        await db
          .insertInto('funnel_sharing')
          .values({ org_id: orgId, shared_by: by })
          .onConflict((oc) => oc.column('org_id').doNothing())
          .execute();
      } else {
        await db.deleteFrom('funnel_sharing').where('org_id', '=', orgId).execute();
      }
    },

    /** The organizations sharing their hiring funnel. */
    async funnelSharers(): Promise<string[]> {
      const rows = await db.selectFrom('funnel_sharing').select('org_id').orderBy('org_id').execute();
      return rows.map((r) => r.org_id);
    },

    async optedOut(userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('outcome_opt_outs')
        .select('user_id')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async setOptOut(userId: string, optOut: boolean): Promise<void> {
      if (optOut) {
        await db
          .insertInto('outcome_opt_outs')
          .values({ user_id: userId })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .execute();
      } else {
        await db.deleteFrom('outcome_opt_outs').where('user_id', '=', userId).execute();
      }
    },

    /**
     * Every unrevoked credential earned by a worker who has not opted out, with the chosen outcome summed per
     * bucket of `bucketDays` days around the day it was issued (bucket 0 starts that day), over `buckets`
     * buckets on each side.
     */
    async eventWindows(
      filter: EventFilter,
      kind: OutcomeKind,
      bucketDays: number,
      buckets: number,
    ): Promise<EventWindows[]> {
      const span = bucketDays * buckets;
      // One analytic query: PostgreSQL's JIT compilation costs more than it saves here (about 1 s of 4.5 s at
      // the published scale), so it is off for this transaction. Index probes per event beat the former hash
      // joins over the whole ledger (a pass for each worker's first outcome, one for the windows): 0.75 s against
      // 1.1 s of PostgreSQL execution at the published scale on the shared bench host.
      const rows = await db.transaction().execute(async (trx) => {
        await sql`set local jit = off`.execute(trx);
        return sql<{
          event_id: string;
          worker_id: string;
          day: string;
          bucket: number | null;
          total: number | string | null;
          n: number | string;
          new_entrant: boolean;
        }>`
        with events as (
          select c.id, c.worker_id, c.day
          from (${earnedCredentials(filter)}) c
          where not exists (select 1 from outcome_opt_outs x where x.user_id = c.worker_id)
        )
        -- Per event, two probes of the (user_id, kind, occurred_on) index rather than two passes over the whole
        -- ledger: its outcomes in the windows, summed by bucket (no row: the event keeps one row, bucket null),
        -- and whether the worker had any earnings or project before it (none: a new entrant).
        select e.id as event_id, e.worker_id, to_char(e.day, 'YYYY-MM-DD') as day,
               o.bucket, o.total, coalesce(o.n, 0) as n,
               not exists (
                 select 1 from outcome_events p
                 where p.user_id = e.worker_id and p.kind in ('earnings', 'project') and p.occurred_on < e.day
               ) as new_entrant
        from events e
        left join lateral (
          select floor((w.occurred_on - e.day)::numeric / ${bucketDays})::int as bucket,
                 sum(w.value) as total, count(*) as n
          from outcome_events w
          where w.user_id = e.worker_id and w.kind = ${kind}
            and w.occurred_on >= e.day - ${span}::int and w.occurred_on < e.day + ${span}::int
          group by 1
        ) o on true
      `.execute(trx);
      });
      const events = new Map<string, EventWindows>();
      for (const row of rows.rows) {
        let event = events.get(row.event_id);
        if (!event) {
          event = {
            eventId: row.event_id,
            workerId: row.worker_id,
            day: Date.parse(`${row.day}T00:00:00Z`),
            buckets: new Map(),
            newEntrant: row.new_entrant,
          };
          events.set(row.event_id, event);
        }
        if (row.bucket !== null) event.buckets.set(row.bucket, { sum: Number(row.total), count: Number(row.n) });
      }
      return [...events.values()];
    },
    async createExperiment(experiment: Omit<StoredExperiment, 'startedAt' | 'stoppedAt'>, by: string) {
      try {
        const row = await db
          .insertInto('share_experiments')
          .values({
            id: experiment.id,
            name: experiment.name,
            baseline_rate: experiment.baselineRate,
            effect: experiment.effect,
            power: experiment.power,
            planned_size: experiment.plannedSize,
            created_by: by,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toExperiment(row);
      } catch (error) {
        if (String((error as { code?: string }).code) === '23505') return undefined;
        throw error;
      }
    },

    async experiments(): Promise<(StoredExperiment & { exposed: number })[]> {
      const rows = await db
        .selectFrom('share_experiments as e')
        .selectAll('e')
        .select((eb) =>
          eb
            .selectFrom('share_experiment_exposures as x')
            .whereRef('x.experiment_id', '=', 'e.id')
            .select(sql<string>`count(*)`.as('n'))
            .as('exposed'),
        )
        .orderBy('e.started_at', 'desc')
        .execute();
      return rows.map((row) => ({ ...toExperiment(row), exposed: Number(row.exposed ?? 0) }));
    },

    async runningExperiment(): Promise<StoredExperiment | undefined> {
      const row = await db
        .selectFrom('share_experiments')
        .selectAll()
        .where('stopped_at', 'is', null)
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    async stopExperiment(id: string, at: Date): Promise<StoredExperiment | undefined> {
      const row = await db
        .updateTable('share_experiments')
        .set({ stopped_at: sql`coalesce(stopped_at, ${at})` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    async experiment(id: string): Promise<StoredExperiment | undefined> {
      const row = await db.selectFrom('share_experiments').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toExperiment(row);
    },

    /** The learner's facts before `at`: engagements and jobs in the ledger, credentials earned here. */
    async baselineCounts(userId: string, at: Date): Promise<{ priorEngagements: number; credentialsHeld: number }> {
      const day = at.toISOString().slice(0, 10);
      const row = await sql<{ engagements: string | number; credentials: string | number }>`
        select
          (select count(*) from outcome_events o
            where o.user_id = ${userId} and o.kind in ('project', 'job-start') and o.occurred_on < ${day}::date)
            as engagements,
          (select count(*) from (${earnedCredentials({})}) c where c.worker_id = ${userId} and c.day <= ${day}::date)
            as credentials
      `.execute(db);
      return {
        priorEngagements: Number(row.rows[0]!.engagements),
        credentialsHeld: Number(row.rows[0]!.credentials),
      };
    },

    async exposure(experimentId: string, userId: string): Promise<{ variant: Variant } | undefined> {
      return db
        .selectFrom('share_experiment_exposures')
        .select('variant')
        .where('experiment_id', '=', experimentId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** Logs a nudge shown: the first one fixes arm, stratum and baseline; later ones are counted. */
    async recordExposure(exposure: StoredExposure): Promise<{ variant: Variant }> {
      return db
        .insertInto('share_experiment_exposures')
        .values({
          experiment_id: exposure.experimentId,
          user_id: exposure.userId,
          variant: exposure.variant,
          stratum: exposure.stratum,
          first_surface: exposure.surface,
          first_exposed_at: exposure.at,
          last_exposed_at: exposure.at,
          prior_engagements: exposure.baseline.priorEngagements,
          credentials_held: exposure.baseline.credentialsHeld,
          months_on_platform: exposure.baseline.monthsOnPlatform,
        })
        .onConflict((oc) =>
          oc.columns(['experiment_id', 'user_id']).doUpdateSet({
            last_exposed_at: exposure.at,
            exposures: sql`share_experiment_exposures.exposures + 1`,
          }),
        )
        .returning('variant')
        .executeTakeFirstOrThrow();
    },

    /**
     * The experiment's learners whose window of `days` after the first exposure has ended by `now` (and who
     * have not opted out of studies), with the outcome: 1 if they shared (`shared`) or reported a job start
     * (`job-start`) within the window, else 0.
     */
    async experimentRows(
      experimentId: string,
      outcome: 'shared' | 'job-start',
      days: number,
      now: Date,
    ): Promise<{ rows: ExperimentRow[]; exposed: number }> {
      const happened =
        outcome === 'shared'
          ? sql`exists (select 1 from (${shareActions()}) s where s.user_id = x.user_id
                 and s.at >= x.first_exposed_at and s.at < x.first_exposed_at + ${days} * interval '1 day')`
          : sql`exists (select 1 from outcome_events o where o.user_id = x.user_id and o.kind = 'job-start'
                 and o.occurred_on >= (x.first_exposed_at at time zone 'UTC')::date
                 and o.occurred_on < (x.first_exposed_at at time zone 'UTC')::date + ${days}::int)`;
      const result = await sql<{
        variant: Variant;
        stratum: string;
        prior_engagements: number;
        credentials_held: number;
        months_on_platform: number;
        complete: boolean;
        y: boolean;
      }>`
        select x.variant, x.stratum, x.prior_engagements, x.credentials_held, x.months_on_platform,
               x.first_exposed_at + ${days} * interval '1 day' <= ${now} as complete, ${happened} as y
        from share_experiment_exposures x
        where x.experiment_id = ${experimentId}
          and not exists (select 1 from outcome_opt_outs p where p.user_id = x.user_id)
        order by x.user_id
      `.execute(db);
      return {
        exposed: result.rows.length,
        rows: result.rows
          .filter((r) => r.complete)
          .map((r) => ({
            variant: r.variant,
            stratum: r.stratum,
            baseline: {
              priorEngagements: r.prior_engagements,
              credentialsHeld: r.credentials_held,
              monthsOnPlatform: Number(r.months_on_platform),
            },
            y: r.y ? 1 : 0,
          })),
      };
    },
  };
}

function toExperiment(row: {
  id: string;
  name: string;
  baseline_rate: number;
  effect: number;
  power: number;
  planned_size: number;
  started_at: Date;
  stopped_at: Date | null;
}): StoredExperiment {
  return {
    id: row.id,
    name: row.name,
    baselineRate: Number(row.baseline_rate),
    effect: Number(row.effect),
    power: Number(row.power),
    plannedSize: row.planned_size,
    startedAt: new Date(row.started_at),
    stoppedAt: row.stopped_at && new Date(row.stopped_at),
  };
}

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
