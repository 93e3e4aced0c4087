import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { Database } from '../../src/platform/db/schema.js';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { holdingStatuses } from '../../src/pathways/reevaluate.js';
import { createHoldingFactsStore } from '../../src/pathways/facts-store.js';
import { createPathways } from '../../src/pathways/pathways.js';
import { createPathwaysStore, type PathwayVersion } from '../../src/pathways/store.js';
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
 * The holdings are generated in SQL into the application's own projection, `pathway_holding_facts` (migration
 * 0036: what the per-learner path last found of each holding, which the job reads instead of every wallet),
 * 100,000 users and 100,000 × 50 = 5,000,000 rows, in a migrated scratch database on BENCH_DATABASE_URL's server,
 * dropped afterwards. Timed: the publish-time job itself, `pathways.reevaluate` (src/pathways/pathways.ts, as the
 * `pathways.reevaluate` job runs it) with the application's stores: the pathways store (only the version it reads
 * is given here, instead of a published pathway with its organization and catalog) and the projection's store
 * (src/pathways/facts-store.ts), which refreshes marked learners (none here: the rows are as fresh as written) and
 * reads pages of 1,000 learners, each with one `COPY … TO STDOUT` of only the holdings the version can count (the
 * next page read meanwhile on a second connection), parsed and evaluated with the real `evaluate` on
 * BENCH_PATHWAY_THREADS threads (2 by default; 0: on the main thread); each complete learner gets the award
 * queued (none of the generated ones completes, as in `pathway-progress`). _identical_: the job's counts (learners,
 * complete, components satisfied) equal `evaluate` over every holding of each learner. Not timed: refreshing
 * learners whose holdings changed (the per-learner path, verifying imports) and the award jobs. Notes: the seconds
 * spent reading, the process's CPU seconds and PostgreSQL's (its backends for the scratch database, from /proc,
 * when the server is local). Skipped with a note when no server answers. `--quick`: 2,000 learners.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const statuses = holdingStatuses;
/** Learner l's user id: ascending with l, so pages follow the learners' numbers. */
const learnerId = (l: string) => sql`('00000000-0000-4000-8000-' || lpad(to_hex(${sql.raw(l)}), 12, '0'))::uuid`;

export async function populate(db: Kysely<unknown>, learners: number) {
  await sql`insert into users (id, email, name, password_hash)
    select ${learnerId('l')}, 'learner-' || l || '@bench.invalid', 'Learner ' || l, 'x'
    from generate_series(0, ${learners - 1}) l`.execute(db);
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
  // Expired holdings as the projection keeps them: active rows whose valid_until has passed (judged when read).
  await sql`insert into pathway_holding_facts (user_id, position, holding_id, name, issuer_id, issuer_name, status,
      achievement_id, achievement_url, skills, eqf_level, ects, hours, issued_at, valid_until, issuer_accepted)
    select ${learnerId('l')}, t.idx, md5(l || '-' || t.idx)::uuid, t.name, 'did:web:foreign.example', 'Foreign',
      case when t.status = 1 then 0 else t.status end, t.achievement_id, t.achievement_url, t.skills, t.eqf_level,
      t.ects, t.hours, t.issued_at, case when t.status = 1 then timestamptz '2026-01-01' end, t.accepted
    from generate_series(0, ${learners - 1}) l join bench_template t on t.variant = l % 50
    -- A learner's rows together, as the store writes them (one learner's holdings in one transaction).
    order by l, t.idx`.execute(db);
  await sql`vacuum analyze users`.execute(db);
  await sql`vacuum analyze pathway_holding_facts`.execute(db);
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
    try {
      handle = await openDatabase({ url: scratch.url });
      await migrateToLatest(handle.db);
      const began = performance.now();
      await populate(handle.db as unknown as Kysely<unknown>, learners);
      const populateSeconds = (performance.now() - began) / 1000;
      // The timed part on connections of its own, so PostgreSQL's CPU for it can be read from its backends.
      await handle.close();
      handle = await openDatabase({ url: scratch.url });
      const db = handle.db as Kysely<Database>;
      const { definition, facts } = scenario(2026);
      const version: PathwayVersion = {
        pathwayId: '00000000-0000-4000-8000-000000000001',
        orgId: '00000000-0000-4000-8000-000000000002',
        orgName: 'Bench',
        status: 'published',
        version: 1,
        definition,
        publishedAt: new Date(),
      };
      const readers = Number(process.env.BENCH_PATHWAY_READERS ?? 2);
      const threads = Number(process.env.BENCH_PATHWAY_THREADS ?? 2);
      const factsStore = createHoldingFactsStore(db, { url: scratch.url, readers });
      let readMs = 0;
      let queued = 0;
      // PostgreSQL's CPU: the last reading of each backend of the scratch database, read again just before the
      // job closes its COPY connections (their backends end with them) and after the job.
      const backendCpu = new Map<number, number | null>();
      const sampleBackends = async () => {
        const pids = (
          await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)
        ).rows.map((r) => r.pid);
        for (const pid of pids) backendCpu.set(pid, cpuOf([pid]));
      };
      const pathways = createPathways({
        // The application's pathways store, but for the version the job reads (no organization or catalog here).
        store: { ...createPathwaysStore(db), version: async () => version },
        publicUrl: 'https://bench.skillproof.invalid',
        achievements: async () => facts,
        holdings: () => Promise.reject(new Error('no learner is marked: the per-learner path is not run')),
        facts: {
          ...factsStore,
          source: (...args) => {
            const source = factsStore.source(...args);
            return {
              ...source,
              close: async () => {
                readMs += source.readMs;
                await sampleBackends();
                await source.close();
              },
            };
          },
        },
        enqueue: async () => void queued++,
        reevaluateThreads: threads,
      });
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await pathways.reevaluate({ pathwayId: version.pathwayId, version: 1 });
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      await sampleBackends();
      const readings = [...backendCpu.values()];
      const postgresCpu = readings.includes(null) ? null : readings.reduce<number>((a, b) => a + b!, 0);
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
        result.learners === learners &&
        result.complete === expected.complete &&
        result.satisfied === expected.satisfied &&
        result.queued === queued;
      return {
        skillproof: Number(seconds.toFixed(1)),
        reference: null,
        identical,
        details: {
          learners,
          satisfiedTotal: result.satisfied,
          holdingsPerLearner: 50,
          evaluated: result.learners,
          refreshed: result.refreshed,
          awardsQueued: result.queued,
          completeShare: Number((result.complete / Math.max(1, result.learners)).toFixed(2)),
          threads,
          readers,
          readSeconds: Number((readMs / 1000).toFixed(1)),
          processCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
          postgresCpuSeconds: postgresCpu === null ? 'unknown (not a local server)' : Number(postgresCpu.toFixed(1)),
          load1m: Number(loadavg()[0]!.toFixed(1)),
          populateSeconds: Number(populateSeconds.toFixed(1)),
          target: '≤ 30 s for 100,000 learners',
        },
      };
    } finally {
      await handle?.close().catch(() => undefined);
      await scratch.drop().catch(() => undefined);
    }
  },
};
