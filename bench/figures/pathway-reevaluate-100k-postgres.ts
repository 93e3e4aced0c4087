import { sql, type Kysely } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { evaluate, type HeldCredential, type HoldingStatus } from '../../src/pathways/progress.js';
import { scratchDatabase } from '../../test/helpers/scratch-database.js';
import { postgresAnswers } from '../bulk.js';
import type { Figure, FigureResult } from '../figure.js';
import { scenario } from './pathway-progress.js';

/**
 * Issue 21's second speed target: re-evaluating 100,000 learners after a pathway version change, ≤ 30 s on
 * PostgreSQL. The pathway is `pathway-progress`'s (41 nodes, two credit sums, 20 recognition rules); each learner
 * has 50 holdings drawn from that figure's 50 generated learners (20 components, 4 revoked or expired, 15 foreign
 * ones recognized by alignment or achievement id, 15 unrelated), with their own ids.
 *
 * The holdings are generated in SQL into a scratch table of exactly the facts progress reads per holding (the
 * wallet's status, achievement id or URL, skills, EQF level, credits, issue date, whether the issuer is
 * accepted): 100,000 × 50 = 5,000,000 rows, in a scratch database on BENCH_DATABASE_URL's server, dropped
 * afterwards. Timed: reading every learner's holdings from PostgreSQL in pages of 1,000 learners (one query per
 * page, in learner order, one JSON array per learner; the next page is read while one is evaluated), evaluating the new version for each (the real `evaluate`), and writing one outcome row
 * per learner (complete or not, components satisfied), as a re-evaluation that queues awards would. Not timed:
 * verifying imported credentials with their issuers (the wallet does that on read; a re-evaluation uses the
 * statuses already known) and the award jobs themselves. Skipped with a note when no server answers.
 * `--quick`: 2,000 learners.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const statuses: HoldingStatus[] = ['active', 'expired', 'revoked', 'suspended', 'unverified'];

async function populate(db: Kysely<unknown>, learners: number) {
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

interface Row {
  holding_id: string;
  name: string;
  status: number;
  achievement_id: string | null;
  achievement_url: string | null;
  skills: string[];
  eqf_level: number | null;
  ects: number | null;
  hours: number | null;
  issued_at: string | null;
  accepted: boolean;
}

const held = (r: Row): HeldCredential => ({
  holdingId: r.holding_id,
  name: r.name,
  issuer: { id: 'did:web:foreign.example', name: 'Foreign' },
  status: statuses[r.status]!,
  achievementId: r.achievement_id,
  achievementUrl: r.achievement_url,
  skills: r.skills,
  eqfLevel: r.eqf_level,
  ectsCredits: r.ects,
  workloadHours: r.hours,
  issuedAt: r.issued_at,
  issuerAccepted: r.accepted,
});

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
      const db = handle.db as unknown as Kysely<unknown>;
      const began = performance.now();
      await populate(db, learners);
      const populateSeconds = (performance.now() - began) / 1000;
      const { definition, achievement } = scenario(2026);
      const page = 1000;
      let complete = 0;
      let evaluated = 0;
      let evaluateMs = 0;
      const cpu = process.cpuUsage();
      const start = performance.now();
      // One row per learner (its holdings as one JSON array), and the next page read while this one is evaluated.
      const read = (from: number) =>
        sql<{ learner: number; holdings: Row[] }>`select learner, json_agg(json_build_object(
            'holding_id', holding_id, 'name', name, 'status', status, 'achievement_id', achievement_id,
            'achievement_url', achievement_url, 'skills', skills, 'eqf_level', eqf_level, 'ects', ects,
            'hours', hours, 'issued_at', issued_at, 'accepted', accepted) order by idx) as holdings
          from bench_holdings where learner >= ${from} and learner < ${from + page}
          group by learner order by learner`.execute(db);
      let next = read(0);
      for (let from = 0; from < learners; from += page) {
        const rows = (await next).rows;
        if (from + page < learners) next = read(from + page);
        const byLearner = new Map<number, HeldCredential[]>(rows.map((r) => [r.learner, r.holdings.map(held)]));
        const outcomes: { learner: number; complete: boolean; satisfied: number }[] = [];
        const t0 = performance.now();
        for (const [learner, holdings] of byLearner) {
          const { progress } = evaluate({ definition, holdings, achievement });
          outcomes.push({ learner, complete: progress.complete, satisfied: progress.satisfied.length });
          if (progress.complete) complete++;
          evaluated++;
        }
        evaluateMs += performance.now() - t0;
        await sql`insert into bench_outcomes (learner, complete, satisfied) values ${sql.join(
          outcomes.map((o) => sql`(${o.learner}, ${o.complete}, ${o.satisfied})`),
        )} on conflict (learner) do update set complete = excluded.complete, satisfied = excluded.satisfied`.execute(
          db,
        );
      }
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      const written = (await sql<{ n: number }>`select count(*)::int as n from bench_outcomes`.execute(db)).rows[0]!.n;
      return {
        skillproof: Number(seconds.toFixed(1)),
        reference: null,
        identical: null,
        details: {
          learners,
          holdingsPerLearner: 50,
          evaluated,
          outcomesWritten: written,
          completeShare: Number((complete / Math.max(1, evaluated)).toFixed(2)),
          evaluateSeconds: Number((evaluateMs / 1000).toFixed(1)),
          databaseSeconds: Number((seconds - evaluateMs / 1000).toFixed(1)),
          processCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
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
