import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  countable,
  holdingStatuses,
  reevaluate,
  type LearnerOutcome,
  type ReevaluationSource,
  type VersionToEvaluate,
} from '../../src/pathways/reevaluate.js';
import { scratchDatabase } from '../../test/helpers/scratch-database.js';
import { postgresAnswers } from '../bulk.js';
import type { Figure, FigureResult } from '../figure.js';
import { scenario } from './pathway-progress.js';
import { evaluate } from '../../src/pathways/progress.js';

/**
 * Issue 21's second speed target: re-evaluating 100,000 learners after a pathway version change, ≤ 30 s on
 * PostgreSQL. The pathway is `pathway-progress`'s (41 nodes, two credit sums, 20 recognition rules); each learner
 * has 50 holdings drawn from that figure's 50 generated learners (20 components, 4 revoked or expired, 15 foreign
 * ones recognized by alignment or achievement id, 15 unrelated), with their own ids.
 *
 * The holdings are generated in SQL into a scratch table of exactly the facts progress reads per holding (the
 * wallet's status, achievement id or URL, skills, EQF level, credits, issue date, whether the issuer is
 * accepted): 100,000 × 50 = 5,000,000 rows, in a scratch database on BENCH_DATABASE_URL's server, dropped
 * afterwards. Timed: `reevaluate` (src/pathways/reevaluate.ts), the function a re-evaluation runs, over a source
 * on that table: pages of 1,000 learners, each read with one `COPY … TO STDOUT` (in learner order, only the
 * holdings the version can count: `countable`), parsed and evaluated with the real `evaluate` on
 * BENCH_PATHWAY_THREADS threads (2 by default; 0: on the main thread) while the main thread reads the next page
 * and writes the outcomes (complete or not, components satisfied) of the last one in one statement, only those
 * that changed, as a re-evaluation that queues awards would. The outcomes are checked against `evaluate` on every
 * holding of each learner (_identical_). Not timed: verifying imported credentials with their issuers (the wallet
 * does that on read; a re-evaluation uses the statuses already known) and the award jobs themselves. Notes: the
 * seconds spent reading and writing, the process's CPU seconds and PostgreSQL's (its backends for the scratch
 * database, from /proc, when the server is local). Skipped with a note when no server answers.
 * `--quick`: 2,000 learners.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const statuses = holdingStatuses;

export async function populate(db: Kysely<unknown>, learners: number) {
  await sql`create table bench_holdings (
    learner integer not null, idx smallint not null, holding_id text not null, name text not null,
    status smallint not null, achievement_id text, achievement_url text, skills text[] not null,
    eqf_level smallint, ects real, hours real, issued_at text, accepted boolean not null,
    primary key (learner, idx))`.execute(db);
  await sql`create table bench_outcomes (learner integer primary key, complete boolean not null,
    satisfied smallint not null)`.execute(db);
  // The 50 template learners' holdings, then each learner as a copy of one of them (learner % 50).
  await sql`create temporary table bench_template (variant integer, idx smallint, name text, status smallint,
    achievement_id text, achievement_url text, skills text[], eqf_level smallint, ects real, hours real,
    issued_at text, accepted boolean)`.execute(db);
  for (let v = 0; v < 50; v++) {
    const { holdings } = scenario(2026 + v);
    await sql`insert into bench_template values ${sql.join(
      holdings.map(
        (h, i) =>
          sql`(${v}, ${i}, ${h.name}, ${statuses.indexOf(h.status)}, ${h.achievementId}, ${h.achievementUrl},
            ${sql.val(h.skills)}::text[], ${h.eqfLevel}, ${h.ectsCredits}, ${h.workloadHours}, ${h.issuedAt},
            ${h.issuerAccepted})`,
      ),
    )}`.execute(db);
  }
  await sql`insert into bench_holdings
    select l, t.idx, l || '-' || t.idx, t.name, t.status, t.achievement_id, t.achievement_url, t.skills,
      t.eqf_level, t.ects, t.hours, t.issued_at, t.accepted
    from generate_series(0, ${learners - 1}) l join bench_template t on t.variant = l % 50`.execute(db);
  await sql`analyze bench_holdings`.execute(db);
}

/** CPU seconds (user + system) of local processes by pid, from /proc; null where it cannot be read. */
function cpuOf(pids: number[]): number | null {
  try {
    const tick = 100; // USER_HZ on Linux
    let total = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    }
    return total;
  } catch {
    return null;
  }
}

/**
 * The re-evaluation's source on the scratch table: each page is one `COPY … TO STDOUT` of its learners' rows
 * (the cheapest form for PostgreSQL to produce; the evaluating threads parse it), each learner with only the
 * holdings the version can count (the rest change nothing), and one statement per page writes the outcomes that
 * changed. Learners are numbered 0 … learners − 1, so the pages are ranges known in advance: while one page is
 * read, the next ones are read already on the other connections (one page per connection in flight).
 */
export function benchSource(
  db: Kysely<unknown>,
  clients: pg.Client[],
  version: VersionToEvaluate,
  learners: number,
): ReevaluationSource & { readMs: number; writeMs: number } {
  const keys = countable(version);
  const patterns = keys.urlPrefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const array = (values: string[]) =>
    `${clients[0]!.escapeLiteral(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`)}::text[]`;
  const reading = new Map<number, Promise<Buffer>>();
  const start = (from: number, limit: number) => {
    if (from >= learners || reading.has(from)) return;
    const to = Math.min(learners, from + limit);
    const client = clients[Math.floor(from / limit) % clients.length]!;
    const page = (async () => {
      const t0 = performance.now();
      // COPY takes no parameters: the literals are numbers and escaped arrays.
      const stream = client.query(
        copyTo(`copy (select learner, holding_id, name, status, achievement_id, achievement_url, skills, eqf_level,
            ects, hours, issued_at, accepted, 'did:web:foreign.example', 'Foreign'
          from bench_holdings where learner >= ${from} and learner < ${to}
            and (achievement_id = any(${array(keys.achievementIds)})
              or achievement_url = any(${array(keys.achievementUrls)})
              or achievement_url like any(${array(patterns)})
              or skills && ${array(keys.skills)})
          order by learner, idx) to stdout`),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      source.readMs += performance.now() - t0;
      return Buffer.concat(chunks);
    })();
    page.catch(() => undefined); // awaited by its read; a failure before then is not unhandled
    reading.set(from, page);
  };
  const source = {
    readMs: 0,
    writeMs: 0,
    async read(after: string | null, limit: number) {
      const from = after === null ? 0 : Number(after) + 1;
      for (let k = 0; k < clients.length; k++) start(from + k * limit, limit);
      const page = await reading.get(from)!;
      reading.delete(from);
      const to = Math.min(learners, from + limit);
      return { page: { tsv: page }, next: to < learners ? String(to - 1) : null };
    },
    async write(outcomes: LearnerOutcome[]) {
      if (outcomes.length === 0) return;
      const t0 = performance.now();
      await sql`insert into bench_outcomes (learner, complete, satisfied)
        select * from unnest(${sql.val(outcomes.map((o) => Number(o.learner)))}::int[],
          ${sql.val(outcomes.map((o) => o.complete))}::boolean[], ${sql.val(outcomes.map((o) => o.satisfied))}::smallint[])
        on conflict (learner) do update set complete = excluded.complete, satisfied = excluded.satisfied
        where (bench_outcomes.complete, bench_outcomes.satisfied) is distinct from (excluded.complete, excluded.satisfied)`.execute(
        db,
      );
      source.writeMs += performance.now() - t0;
    },
  };
  return source;
}

export const figure: Figure = {
  name: 'pathway-reevaluate-100k-postgres',
  unit: 's',
  hasReference: false,
  lowerIsBetter: true,
  async measure({ quick }): Promise<FigureResult> {
    if (!(await postgresAnswers(server))) {
      return {
        skillproof: null,
        reference: null,
        identical: null,
        details: { skipped: `no PostgreSQL server answers at ${new URL(server).host}` },
      };
    }
    const learners = quick ? 2000 : Number(process.env.BENCH_PATHWAY_LEARNERS ?? 100_000);
    const scratch = await scratchDatabase(server, 'skillproof_bench_pathways');
    let handle: DatabaseHandle | undefined;
    const clients: pg.Client[] = [];
    try {
      handle = await openDatabase({ url: scratch.url });
      const began = performance.now();
      await populate(handle.db as unknown as Kysely<unknown>, learners);
      const populateSeconds = (performance.now() - began) / 1000;
      // The timed part on connections of its own, so PostgreSQL's CPU for it can be read from its backends.
      await handle.close();
      handle = await openDatabase({ url: scratch.url });
      const db = handle.db as unknown as Kysely<unknown>;
      const { definition, facts } = scenario(2026);
      const version: VersionToEvaluate = { definition, facts };
      const readers = Number(process.env.BENCH_PATHWAY_READERS ?? 2);
      for (let i = 0; i < readers; i++) {
        const client = new pg.Client({ connectionString: scratch.url });
        clients.push(client);
        await client.connect();
      }
      const source = benchSource(db, clients, version, learners);
      const threads = Number(process.env.BENCH_PATHWAY_THREADS ?? 2);
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await reevaluate(version, source, { pageSize: 1000, threads });
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      const backends = (
        await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)
      ).rows.map((r) => r.pid);
      const postgresCpu = cpuOf(backends);
      const stored = (
        await sql<{ n: number; complete: number; satisfied: number }>`select count(*)::int as n,
          count(*) filter (where complete)::int as complete, coalesce(sum(satisfied), 0)::int as satisfied
          from bench_outcomes`.execute(db)
      ).rows[0]!;
      // The same outcomes computed directly (every holding of each template learner, evaluated on this thread).
      const expected = { complete: 0, satisfied: 0 };
      const templates = Array.from({ length: 50 }, (_, v) => {
        const s = scenario(2026 + v);
        return evaluate({ definition, holdings: s.holdings, achievement: s.achievement }).progress;
      });
      for (let l = 0; l < learners; l++) {
        const progress = templates[l % 50]!;
        if (progress.complete) expected.complete++;
        expected.satisfied += progress.satisfied.length;
      }
      const identical =
        stored.n === learners && stored.complete === expected.complete && stored.satisfied === expected.satisfied;
      const written = stored.n;
      return {
        skillproof: Number(seconds.toFixed(1)),
        reference: null,
        identical,
        details: {
          learners,
          satisfiedTotal: stored.satisfied,
          holdingsPerLearner: 50,
          evaluated: result.learners,
          outcomesWritten: written,
          completeShare: Number((result.complete / Math.max(1, result.learners)).toFixed(2)),
          threads,
          readers,
          readSeconds: Number((source.readMs / 1000).toFixed(1)),
          readWaitSeconds: Number((result.readWaitMs / 1000).toFixed(1)),
          writeSeconds: Number((source.writeMs / 1000).toFixed(1)),
          processCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
          postgresCpuSeconds: postgresCpu === null ? 'unknown (not a local server)' : Number(postgresCpu.toFixed(1)),
          load1m: Number(loadavg()[0]!.toFixed(1)),
          populateSeconds: Number(populateSeconds.toFixed(1)),
          target: '≤ 30 s for 100,000 learners',
        },
      };
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await handle?.close().catch(() => undefined);
      await scratch.drop().catch(() => undefined);
    }
  },
};
