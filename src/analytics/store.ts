import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../platform/db/schema.js';
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
}

/**
 * The SQL behind the outcomes ledger and the event-study panels. The panels compose issuance's query of the
 * credentials earned here (a port, `earnedCredentials`) with the outcomes: one query joins each credential to
 * its holder's outcomes in the windows around it, so a 100,000-event panel is one round trip.
 */
export function createAnalyticsStore(db: Kysely<Database>, { earnedCredentials }: AnalyticsStoreOptions) {
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
      const rows = await sql<{
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
        select e.id as event_id, e.worker_id, to_char(e.day, 'YYYY-MM-DD') as day,
               floor((o.occurred_on - e.day)::numeric / ${bucketDays})::int as bucket,
               sum(o.value) as total, count(o.user_id) as n,
               not exists (
                 select 1 from outcome_events p
                 where p.user_id = e.worker_id and p.kind in ('earnings', 'project') and p.occurred_on < e.day
               ) as new_entrant
        from events e
        left join outcome_events o
          on o.user_id = e.worker_id and o.kind = ${kind}
         and o.occurred_on >= e.day - ${span}::int and o.occurred_on < e.day + ${span}::int
        group by e.id, e.worker_id, e.day, bucket
        order by e.id
      `.execute(db);
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
  };
}

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
