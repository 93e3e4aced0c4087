import { sql, type Kysely, type Selectable } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Database, PathwayHoldingFactsTable } from '../platform/db/schema.js';
import type { HeldCredential } from './progress.js';
import {
  countable,
  holdingStatuses,
  type LearnerHoldings,
  type LearnerOutcome,
  type ReevaluationPage,
  type ReevaluationSource,
  type VersionToEvaluate,
} from './reevaluate.js';

/**
 * Pathways' projection of every wallet (`pathway_holding_facts`, migration 0036): per holding, what `evaluate`
 * reads, so re-evaluating every learner after a pathway version changes reads rows in bulk instead of each
 * learner's wallet (and verifying their imports with their issuers) one at a time.
 *
 * What the projection trusts. Rows are written only from the per-learner path (`PathwaysDeps.holdings`: the
 * wallet's holdings with its status rules, imports verified, their issuers looked up in the trust registry), at
 * the time it ran. A learner whose holdings changed here since (a credential issued, revoked, suspended, lifted,
 * re-dated; an import added or removed) is marked by the database's triggers and refreshed before a re-evaluation
 * reads; a removed holding's row goes at once. What no write here reveals is trusted as last seen: an imported
 * credential's status with its own issuer (revoked there, its status list changed) and whether its issuer is in
 * the trust registry. Those are as fresh as the learner's last refresh (on import, on the learner job, on the
 * periodic recheck of learners holding stacked credentials); the award job itself evaluates the learner's wallet
 * live, so a stale row can delay an award or queue one that then finds the pathway incomplete, never award
 * wrongly. Expiry is not trusted: an active row whose `valid_until` has passed reads as expired.
 */
export interface HoldingFactsRow extends HeldCredential {
  validUntil?: string | null | undefined;
}

/** The columns of a projection row that `evaluate` reads (the status as its index in `holdingStatuses`). */
type FactsColumns = Omit<Selectable<PathwayHoldingFactsTable>, 'user_id' | 'position' | 'valid_until' | 'refreshed_at'>;

/** A projection row as the holding `evaluate` reads. */
function heldOf(r: FactsColumns): HeldCredential {
  return {
    holdingId: r.holding_id,
    name: r.name,
    issuer: { id: r.issuer_id, name: r.issuer_name },
    status: holdingStatuses[Number(r.status)] ?? 'unverified',
    achievementId: r.achievement_id,
    achievementUrl: r.achievement_url,
    skills: r.skills,
    eqfLevel: r.eqf_level,
    ectsCredits: r.ects,
    workloadHours: r.hours,
    issuedAt: r.issued_at,
    issuerAccepted: r.issuer_accepted,
  };
}

/** A re-evaluation's source on the projection, with the connections it opened to close. */
export type FactsSource = ReevaluationSource & { close(): Promise<void>; readMs: number };

export interface HoldingFactsOptions {
  /** The PostgreSQL connection string: pages are then read with `COPY … TO STDOUT` on connections of their own. */
  url?: string | undefined;
  /** Connections reading pages at once (PostgreSQL): the next page is read while the last is evaluated. */
  readers?: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createHoldingFactsStore(db: Kysely<Database>, options: HoldingFactsOptions = {}) {
  /** The filter on rows the version can count (the rest change nothing in `evaluate`), as SQL over literals. */
  function countableWhere(version: VersionToEvaluate) {
    const keys = countable(version);
    const patterns = keys.urlPrefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const array = (values: string[]) =>
      `${pg.escapeLiteral(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`)}::text[]`;
    return `(achievement_id = any(${array(keys.achievementIds)})
      or achievement_url = any(${array(keys.achievementUrls)})
      or achievement_url like any(${array(patterns)})
      or skills && ${array(keys.skills)})`;
  }

  /** The status as read at `now`: an active holding past its `valid_until` is expired. */
  const statusAt = (now: Date) =>
    `case when status = 0 and valid_until < '${now.toISOString()}'::timestamptz then 1 else status end`;

  /**
   * The learners of the page after `after` (ascending ids), at most `limit`: a range of the users' primary key,
   * a cheap read (a user holding nothing the version counts gives no rows in the page, and is left out).
   */
  async function learnersAfter(after: string | null, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('users')
      .select(sql<string>`id::text`.as('learner'))
      .$if(after !== null, (q) => q.where('id', '>', after!))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.learner);
  }

  return {
    /** Learners marked since their rows were written, ascending after `after`, each with the mark (as text). */
    async marked(after: string | null, limit: number): Promise<{ userId: string; mark: string }[]> {
      const rows = await db
        .selectFrom('pathway_facts_dirty')
        .select([sql<string>`user_id::text`.as('learner'), sql<string>`marked_at::text`.as('mark')])
        .$if(after !== null, (q) => q.where('user_id', '>', after!))
        .orderBy('user_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ userId: r.learner, mark: r.mark }));
    },

    /** The learner's mark, if they are marked (read before their holdings, so a later change keeps it). */
    async markOf(userId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('pathway_facts_dirty')
        .select(sql<string>`marked_at::text`.as('mark'))
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.mark;
    },

    /**
     * Replaces a learner's rows with their holdings as the per-learner path gave them (in its order), and clears
     * their mark if it is still `mark` (read before the holdings were): a change meanwhile leaves them marked.
     */
    async replace(userId: string, holdings: readonly HoldingFactsRow[], mark: string | undefined): Promise<void> {
      await db.transaction().execute(async (trx) => {
        // One writer per learner at a time (the learner job and a re-evaluation may refresh the same learner).
        await sql`select pg_advisory_xact_lock(hashtextextended(${`pathway-facts:${userId}`}, 0))`.execute(trx);
        await trx.deleteFrom('pathway_holding_facts').where('user_id', '=', userId).execute();
        for (let i = 0; i < holdings.length; i += 500) {
          await trx
            .insertInto('pathway_holding_facts')
            .values(
              holdings.slice(i, i + 500).map((h, k) => ({
                user_id: userId,
                position: i + k,
                holding_id: h.holdingId,
                name: h.name,
                issuer_id: h.issuer.id,
                issuer_name: h.issuer.name,
                // Expiry is judged when read (from valid_until); a holding already expired stays so.
                status: holdingStatuses.indexOf(h.status),
                achievement_id: h.achievementId,
                achievement_url: h.achievementUrl,
                skills: sql<string[]>`${sql.val(h.skills)}::text[]`,
                eqf_level: h.eqfLevel,
                ects: h.ectsCredits,
                hours: h.workloadHours,
                issued_at: h.issuedAt,
                valid_until: h.validUntil ?? null,
                issuer_accepted: h.issuerAccepted,
              })),
            )
            .execute();
        }
        if (mark !== undefined) {
          await trx
            .deleteFrom('pathway_facts_dirty')
            .where('user_id', '=', userId)
            .where(sql<boolean>`marked_at = ${mark}::timestamptz`)
            .execute();
        }
      });
    },

    /** A learner's rows as a re-evaluation reads them at `now` (every holding, not only those a version counts). */
    async of(userId: string, now = new Date()): Promise<HoldingFactsRow[]> {
      const rows = await db
        .selectFrom('pathway_holding_facts')
        .selectAll()
        .select(sql<number>`${sql.raw(statusAt(now))}`.as('status_now'))
        .where('user_id', '=', userId)
        .orderBy('position')
        .execute();
      return rows.map((r) => ({
        ...heldOf({ ...r, status: Number(r.status_now) }),
        validUntil: r.valid_until?.toISOString() ?? null,
      }));
    },

    /**
     * A re-evaluation's source over the projection at `now`: pages of learners (ascending ids), each learner with
     * only the holdings the version can count (a learner with none is left out), in the wallet's order. On
     * PostgreSQL a page is one `COPY … TO STDOUT` (the evaluating threads parse it), the next pages read
     * meanwhile on the other connections; on PGlite, one query. `write` hands each page's outcomes to `outcomes`.
     */
    source(version: VersionToEvaluate, now: Date, outcomes: (page: LearnerOutcome[]) => Promise<void>): FactsSource {
      const clients: pg.Client[] = [];
      const connecting: Promise<void>[] = [];
      const readers = Math.max(1, options.readers ?? 2);
      if (options.url) {
        for (let i = 0; i < readers; i++) {
          const client = new pg.Client({ connectionString: options.url });
          client.on('error', () => {});
          clients.push(client);
          connecting.push(client.connect().then(() => undefined));
        }
      }
      const where = countableWhere(version);
      const columns = `user_id, holding_id, name, ${statusAt(now)} as status, achievement_id, achievement_url, skills,
        eqf_level, ects, hours, issued_at, issuer_accepted, issuer_id, issuer_name`;
      let turn = 0;

      async function pageOf(after: string | null, upto: string): Promise<ReevaluationPage> {
        for (const id of [after, upto]) if (id !== null && !uuidPattern.test(id)) throw new Error('Not a learner id');
        const range = `${after === null ? '' : `user_id > '${after}' and `}user_id <= '${upto}'`;
        const query = `select ${columns} from pathway_holding_facts where ${range} and ${where}
          order by user_id, position`;
        if (clients.length) {
          await Promise.all(connecting);
          const client = clients[turn++ % clients.length]!;
          // COPY takes no parameters: the literals are ids checked above, a timestamp and escaped arrays.
          const stream = client.query(copyTo(`copy (${query}) to stdout`));
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return { tsv: Buffer.concat(chunks) };
        }
        const rows = (await sql<FactsColumns & { user_id: string }>`${sql.raw(query)}`.execute(db)).rows;
        const learners: LearnerHoldings[] = [];
        for (const r of rows) {
          let current = learners[learners.length - 1];
          if (current?.learner !== r.user_id) learners.push((current = { learner: r.user_id, holdings: [] }));
          current.holdings.push(heldOf(r));
        }
        return { learners };
      }

      // Pages read or being read, by the cursor they follow: each, once its learners are known, starts the next
      // (up to one page per connection ahead), so the database reads while the threads evaluate.
      type Read = { page: ReevaluationPage; next: string | null };
      const reading = new Map<string, Promise<Read>>();
      const keyOf = (after: string | null) => after ?? '';
      let pageLimit = 1000;
      const start = (after: string | null): Promise<Read> => {
        const existing = reading.get(keyOf(after));
        if (existing) return existing;
        const read = (async (): Promise<Read> => {
          const learners = await learnersAfter(after, pageLimit);
          if (learners.length === 0) return { page: { learners: [] }, next: null };
          const upto = learners[learners.length - 1]!;
          const next = learners.length < pageLimit ? null : upto;
          if (next !== null && reading.size < readers) void start(next);
          const t0 = performance.now();
          const page = await pageOf(after, upto);
          source.readMs += performance.now() - t0;
          return { page, next };
        })();
        read.catch(() => undefined); // awaited by its read; a failure before then is not unhandled
        reading.set(keyOf(after), read);
        return read;
      };

      const source: FactsSource = {
        readMs: 0,
        async read(after, limit) {
          pageLimit = limit;
          const read = await start(after);
          reading.delete(keyOf(after));
          if (read.next !== null && reading.size < readers) void start(read.next);
          return read;
        },
        write: outcomes,
        async close() {
          await Promise.allSettled([...reading.values()]);
          await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        },
      };
      return source;
    },
  };
}

export type HoldingFactsStore = ReturnType<typeof createHoldingFactsStore>;
