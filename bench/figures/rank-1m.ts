import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createHiring, candidateEvidence } from '../../src/hiring/hiring.js';
import { rankCandidates, relationFrom } from '../../src/hiring/score.js';
import { createHiringStore } from '../../src/hiring/store.js';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { Database } from '../../src/platform/db/schema.js';
import { scratchDatabase } from '../../test/helpers/scratch-database.js';
import { postgresAnswers } from '../bulk.js';
import type { Figure, FigureResult } from '../figure.js';

/**
 * Ranking candidates for a job at scale: BENCH_RANK_PROFILES discoverable profiles (1,000,000 by default) with a
 * long-tailed spread of credentials (1 + ⌊Exp(mean 3)⌋, median 3; 2% of workers hold 10–40), each credential
 * aligned to 1–3 of 2,000 skills (skill popularity skewed: index ⌊2000·u²⌋), 3% revoked, 5% expired; 20% of
 * workers with a work-history record, 10% with a reference. Generated in SQL straight into the precomputed
 * evidence index (the rows a recompute writes), then a 10-skill job ranked for its top 50 with every term.
 *
 * - skillproof: p50 ms of the ranking as the service runs it (an upper bound of every candidate's score from one
 *   index entry per (candidate, asked skill) of migration 0035's rows, the best bounds only, then the evidence and
 *   records of the best bounds scored exactly until the page's last score is above every bound left out; sort,
 *   page, every term). Targets:
 *   p50 ≤ 150 ms, p99 ≤ 400 ms on PostgreSQL. `identical`: for each of the five jobs the answer equals the
 *   exhaustive ranking's (every candidate holding an asked skill scored; `exhaustiveMaxMs` its slowest time).
 * - reference: p50 ms of a naive ranking that scores every profile (all evidence rows, read in chunks of 50,000
 *   workers, scored and kept to the top 50), with the same scoring code: the ratio is what the index saves.
 * On PostgreSQL (BENCH_DATABASE_URL's server, a scratch database dropped afterwards) when one answers; otherwise,
 * or with BENCH_RANK_BACKEND=pglite, on the embedded database.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const skillCount = 2000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => Number(x.toFixed(1));

export async function populate(db: Kysely<Database>, profiles: number): Promise<void> {
  await sql`insert into users (id, email, name, password_hash)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'w' || i || '@bench.test', 'Worker ' || i, 'x'
    from generate_series(1, ${profiles}::int) i`.execute(db);
  // Migration 0035's per-(worker, skill) rows are computed once at the end (its triggers would do it per statement).
  const rankTriggers = ['rank_profile_inserted', 'rank_profile_updated', 'rank_profile_deleted'];
  const evidenceTriggers = ['rank_evidence_inserted', 'rank_evidence_updated', 'rank_evidence_deleted'];
  const triggers = async (on: boolean) => {
    for (const [table, names] of [
      ['talent_profiles', rankTriggers],
      ['talent_evidence', evidenceTriggers],
    ] as const) {
      for (const name of names) {
        await sql`alter table ${sql.id(table)} ${sql.raw(on ? 'enable' : 'disable')} trigger ${sql.id(name)}`.execute(
          db,
        );
      }
    }
  };
  await triggers(false);
  await sql`insert into talent_profiles (user_id, discoverable) select id, true from users`.execute(db);
  await sql`select setseed(0.2026)`.execute(db);
  // A bulk load: the indexes and key are built once after it (each generated row is unique already), as the
  // migrations define them.
  const indexes = (
    await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes
      where tablename = 'talent_evidence' and indexname <> 'talent_evidence_pk'`.execute(db)
  ).rows;
  for (const index of indexes) await sql`drop index ${sql.id(index.indexname)}`.execute(db);
  await sql`alter table talent_evidence drop constraint talent_evidence_pk`.execute(db);
  await sql`insert into talent_evidence (user_id, holding_id, skill, kind, status, valid_until, facts)
    select c.user_id, c.holding_id, 'bench:skill:' || s.skill, 'credential', c.status, c.valid_until,
      jsonb_build_object('name', 'Credential', 'issuer', 'Issuer ' || c.issuer, 'trusted', c.issuer < 8,
        'assessment', case when c.tested then 'tested' else 'attendance' end,
        'score', case when c.tested then c.score else null end, 'skillLabel', 'Skill ' || s.skill, 'skillScore', null)
    from (
      select u.id as user_id, gen_random_uuid() as holding_id, (40 + random() * 60)::int as score,
        random() < 0.7 as tested, floor(random() * 10)::int as issuer,
        case when random() < 0.03 then 'revoked' else 'active' end as status,
        case when random() < 0.05 then now() - interval '1 day' else null end as valid_until
      from users u, lateral generate_series(1,
        case when random() < 0.02 then 10 + floor(random() * 31)::int
             else least(40, 1 + floor(-ln(1 - random()) * 3)::int) end + 0 * length(u.email)) g
    ) c,
    lateral (select distinct floor(${skillCount}::int * random() ^ 2)::int as skill
             from generate_series(1, 1 + floor(random() * 3)::int + 0 * length(c.user_id::text))) s`.execute(db);
  await sql`alter table talent_evidence add constraint talent_evidence_pk primary key (user_id, holding_id, skill)`.execute(
    db,
  );
  for (const index of indexes) await sql.raw(index.indexdef).execute(db);
  await sql`insert into talent_records (user_id, holding_id, kind, status, valid_until, facts)
    select id, gen_random_uuid(), 'work', 'active', null,
      jsonb_build_object('issuer', 'Employer', 'skills', jsonb_build_array('bench:skill:' || floor(${skillCount}::int * random() ^ 2)::int),
        'work', jsonb_build_object('role', 'Analyst', 'months', 1 + floor(random() * 60)::int,
          'ratings', jsonb_build_object('communication', 80, 'timeliness', 70, 'reliability', 90)))
    from users where random() < 0.2`.execute(db);
  await sql`insert into talent_records (user_id, holding_id, kind, status, valid_until, facts)
    select id, gen_random_uuid(), 'reference', 'active', null, jsonb_build_object('issuer', 'Employer')
    from users where random() < 0.1`.execute(db);
  await triggers(true);
  await sql`select rank_skill_rebuild()`.execute(db);
  // What autovacuum does after a bulk load on PostgreSQL (statistics, and the visibility map that lets the ranking
  // read the index alone); the embedded database has no autovacuum, so the same is done there by hand.
  for (const table of ['talent_evidence', 'talent_rank_skill', 'talent_records', 'talent_profiles', 'users']) {
    await sql`vacuum analyze ${sql.id(table)}`.execute(db);
  }
  await sql`analyze`.execute(db);
}

export const figure: Figure = {
  name: 'rank-1m',
  unit: 'ms',
  hasReference: true,
  lowerIsBetter: true,
  async measure({ quick, side }): Promise<FigureResult> {
    const profiles = quick ? 2000 : Number(process.env.BENCH_RANK_PROFILES ?? 1_000_000);
    const postgres = process.env.BENCH_RANK_BACKEND !== 'pglite' && (await postgresAnswers(server));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillproof-bench-rank-'));
    const scratch = postgres ? await scratchDatabase(server, 'skillproof_bench_rank') : undefined;
    let handle: DatabaseHandle | undefined;
    try {
      handle = await openDatabase({ url: scratch?.url, dataDir: dir });
      const db = handle.db;
      await migrateToLatest(db);
      const began = performance.now();
      await populate(db, profiles);
      const populateSeconds = (performance.now() - began) / 1000;
      const counts = (
        await sql<{ rows: number; users: number }>`select count(*)::int as rows,
          count(distinct user_id)::int as users from talent_evidence`.execute(db)
      ).rows[0]!;

      const store = createHiringStore(db);
      const org = (
        await sql<{ id: string }>`insert into organizations (id, name) values (gen_random_uuid(), 'Bench Talent')
          returning id`.execute(db)
      ).rows[0]!.id;
      const hiring = createHiring({
        store,
        holdings: async () => [],
        verdict: async () => undefined,
        skills: { skillsByCode: async () => [], broaderPairs: async () => [], taxonomyStamp: async () => 'bench' },
        identity: async () => ({ displayName: '', email: '' }),
        orgName: async () => 'Bench Talent',
        issue: async () => {
          throw new Error('not in the bench');
        },
        workerByEmail: async () => undefined,
      });
      // Five 10-skill jobs, skills spread over the popularity range (seeded).
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const jobs = [];
      for (let j = 0; j < 5; j++) {
        const skills = new Set<number>();
        while (skills.size < 10) skills.add(Math.floor(skillCount * next()));
        const job = await store.createJob(
          {
            orgId: org,
            title: `Bench job ${j}`,
            description: '',
            kind: 'job',
            status: 'open',
            skills: [...skills].map((s, i) => ({
              skill: `bench:skill:${s}`,
              label: `Skill ${s}`,
              weight: 1 + (i % 5),
              minLevel: null,
              required: false,
            })),
            weights: { credentials: 1, workHistory: 1, references: 1 },
            location: null,
            remote: true,
            blind: true,
          },
          (await sql<{ id: string }>`select id from users limit 1`.execute(db)).rows[0]!.id,
        );
        jobs.push(job);
      }
      // The answer is the same as scoring every candidate holding an asked skill (the ranking before bounds).
      let identical: boolean | null = null;
      let exhaustiveMs = 0;
      if (side === 'skillproof') {
        identical = true;
        for (const job of jobs) {
          const start = performance.now();
          const exhaustive = await hiring.candidates(org, job.id, {
            limit: 50,
            offset: 0,
            blind: true,
            strategy: 'exhaustive',
          });
          exhaustiveMs = Math.max(exhaustiveMs, performance.now() - start);
          const bounded = await hiring.candidates(org, job.id, { limit: 50, offset: 0, blind: true });
          if (JSON.stringify(bounded) !== JSON.stringify(exhaustive)) identical = false;
        }
      }
      const rounds = quick ? 3 : side === 'skillproof' ? 40 : 2;
      // The first round of the service warms its caches (the connection pool, the plan cache); the naive side's
      // rounds are long enough that none is left out.
      const warmUp = side === 'skillproof' ? 1 : 0;
      const times: number[] = [];
      const cpu: number[] = [];
      let candidates = 0;
      const relationOf = relationFrom(() => []);
      for (let r = 0; r < rounds + warmUp; r++) {
        const job = jobs[r % jobs.length]!;
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        if (side === 'skillproof') {
          const answer = await hiring.candidates(org, job.id, { limit: 50, offset: 0, blind: true });
          if (answer.candidates.length === 0) throw new Error('no candidates');
          candidates = answer.total;
        } else {
          // Naive: every profile's evidence, chunk by chunk, each scored, the top 50 kept.
          const all = (
            await sql<{ user_id: string }>`select user_id from talent_profiles where discoverable
            order by user_id`.execute(db)
          ).rows.map((row) => row.user_id);
          let best: ReturnType<typeof rankCandidates>['candidates'] = [];
          let total = 0;
          for (let i = 0; i < all.length; i += 50_000) {
            const ids = all.slice(i, i + 50_000);
            const rows = await db
              .selectFrom('talent_evidence')
              .selectAll()
              .where('user_id', '>=', ids[0]!)
              .where('user_id', '<=', ids.at(-1)!)
              .execute();
            const records = await store.recordsOf(ids);
            const byUser = new Map<string, { rows: typeof rows; records: typeof records }>();
            for (const row of rows) {
              const entry = byUser.get(row.user_id) ?? { rows: [], records: [] };
              entry.rows.push(row);
              byUser.set(row.user_id, entry);
            }
            for (const record of records) byUser.get(record.userId)?.records.push(record);
            const ranked = rankCandidates(
              [...byUser].map(([userId, entry]) => ({
                candidateId: userId,
                identity: { displayName: '', email: '', handle: null, country: null },
                evidence: candidateEvidence(
                  entry.rows.map((row) => ({
                    holdingId: row.holding_id,
                    skill: row.skill,
                    kind: row.kind,
                    status: row.status,
                    validUntil: row.valid_until,
                    facts: (typeof row.facts === 'string' ? JSON.parse(row.facts) : row.facts) as Record<
                      string,
                      unknown
                    >,
                  })),
                  entry.records,
                  new Date(),
                ),
              })),
              {
                skills: job.skills.map((s) => ({ ...s, code: s.skill })),
                weights: job.weights,
              },
              relationOf,
              { blind: true, limit: 50, offset: 0 },
            );
            total += ranked.total;
            best = [...best, ...ranked.candidates]
              .sort((a, b) => b.score - a.score || (a.candidateId < b.candidateId ? -1 : 1))
              .slice(0, 50);
          }
          if (best.length === 0) throw new Error('no candidates');
          candidates = total;
        }
        if (r >= warmUp) {
          times.push(performance.now() - start);
          const used = process.cpuUsage(cpuStart);
          cpu.push((used.user + used.system) / 1000);
        }
      }
      const p50 = percentile(times, 50);
      return {
        skillproof: side === 'skillproof' ? ms(p50) : null,
        reference: side === 'reference' ? ms(p50) : null,
        identical,
        details: {
          backend: postgres ? 'postgresql' : 'pglite',
          profiles,
          evidenceRows: counts.rows,
          workersWithEvidence: counts.users,
          [`${side}P99Ms`]: ms(percentile(times, 99)),
          // This process's CPU (scoring, JSON, the driver), not the database server's: on a loaded machine the
          // wall time also counts the waits for a core.
          [`${side}CpuP50Ms`]: ms(percentile(cpu, 50)),
          [`${side}Rounds`]: times.length,
          ...(side === 'skillproof' ? { exhaustiveMaxMs: ms(exhaustiveMs) } : {}),
          candidatesPerJob: candidates,
          populateSeconds: Number(populateSeconds.toFixed(1)),
          loadAverage: Number(os.loadavg()[0]!.toFixed(1)),
        },
      };
    } finally {
      await handle?.close().catch(() => undefined);
      await scratch?.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
