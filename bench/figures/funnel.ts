import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createApplications } from '../../src/hiring/applications.js';
import { createApplicationsStore } from '../../src/hiring/applications-store.js';
import { createHiringStore } from '../../src/hiring/store.js';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { Database } from '../../src/platform/db/schema.js';
import { scratchDatabase } from '../../test/helpers/scratch-database.js';
import { postgresAnswers } from '../bulk.js';
import type { Figure, FigureResult } from '../figure.js';

/**
 * The hiring funnel at scale (issue 20): BENCH_FUNNEL_APPLICATIONS applications (100,000 by default) to one job, from
 * as many workers, generated in SQL: 55% with a verified aligned credential; each got as far as a stage drawn
 * (applied 100%, screening 60%, interview 35%, offer 15%, hired 8%, a little better with a credential), and 70% of
 * those that stopped short of hired were rejected or withdrew there (the rest still pending). Then the funnel of that
 * job, over all time and over one month, as the service answers it (counts from the funnel index, the two groups,
 * conversions, Newcombe's interval), read from the per-day counts the trigger keeps.
 *
 * - skillproof: p50 ms of the whole job's funnel. Target ≤ 100 ms.
 * - details: its p99, the one-month p50, and the organization-wide funnel p50.
 * On PostgreSQL (BENCH_DATABASE_URL's server, a scratch database dropped afterwards) when one answers; otherwise, or
 * with BENCH_FUNNEL_BACKEND=pglite, on the embedded database.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => Number(x.toFixed(2));

async function populate(db: Kysely<Database>, applications: number) {
  await sql`insert into users (id, email, name, password_hash)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'f' || i || '@bench.test', 'Worker ' || i, 'x'
    from generate_series(1, ${applications}::int) i`.execute(db);
  const org = (
    await sql<{ id: string }>`insert into organizations (id, name) values (gen_random_uuid(), 'Bench Hiring')
      returning id`.execute(db)
  ).rows[0]!.id;
  const job = (
    await sql<{ id: string }>`insert into hiring_jobs (org_id, title, kind, status, skills, weights)
      values (${org}, 'Bench analyst', 'job', 'open',
        '[{"skill":"bench:skill:1","label":"Skill 1","weight":3,"minLevel":null,"required":false}]'::jsonb,
        '{"credentials":1,"workHistory":1,"references":1}'::jsonb)
      returning id`.execute(db)
  ).rows[0]!.id;
  await sql`select setseed(0.2020)`.execute(db);
  // Volatile random() is drawn per row; furthest from one draw, a little better with a credential.
  await sql`with draws as (
      select id as user_id, random() < 0.55 as aligned, random() as r, random() as settled,
        timestamptz '2026-01-01' + random() * interval '300 days' as applied_at
      from users
    ), staged as (
      select d.*, case when r < 0.08 + lift then 5 when r < 0.15 + lift then 4 when r < 0.35 + lift then 3
                       when r < 0.6 then 2 else 1 end as furthest
      from (select *, case when aligned then 0.03 else 0 end as lift from draws) d
    )
    insert into hiring_applications
      (job_id, org_id, user_id, origin, stage, furthest, holdings, aligned, applied_at, updated_at)
    select ${job}::uuid, ${org}::uuid, user_id, 'applied',
      case when furthest = 5 then 'hired'
           when settled < 0.5 then 'rejected'
           when settled < 0.7 then 'withdrawn'
           else (array['applied', 'screening', 'interview', 'offer'])[furthest] end,
      furthest, '[]'::jsonb, aligned, applied_at, now()
    from staged`.execute(db);
  // As autovacuum leaves a table that has settled: statistics and the visibility map (index-only scans).
  await sql`vacuum analyze hiring_applications`.execute(db);
  return { org, job };
}

export const figure: Figure = {
  name: 'funnel',
  unit: 'ms',
  hasReference: false,
  lowerIsBetter: true,
  async measure({ quick }): Promise<FigureResult> {
    const applications = quick ? 2000 : Number(process.env.BENCH_FUNNEL_APPLICATIONS ?? 100_000);
    const postgres = process.env.BENCH_FUNNEL_BACKEND !== 'pglite' && (await postgresAnswers(server));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillproof-bench-funnel-'));
    const scratch = postgres ? await scratchDatabase(server, 'skillproof_bench_funnel') : undefined;
    let handle: DatabaseHandle | undefined;
    try {
      handle = await openDatabase({ url: scratch?.url, dataDir: dir });
      const db = handle.db;
      await migrateToLatest(db);
      const began = performance.now();
      const { org, job } = await populate(db, applications);
      const populateSeconds = (performance.now() - began) / 1000;
      const service = createApplications({
        store: createApplicationsStore(db),
        hiringStore: createHiringStore(db),
        hiring: {
          relatedCodes: async (codes) => codes,
          engagementTerms: async () => {
            throw new Error('not in the bench');
          },
          issueEngagement: async () => {
            throw new Error('not in the bench');
          },
        },
        holdings: async () => [],
        identity: async () => ({ displayName: '', email: '' }),
        orgName: async () => 'Bench Hiring',
        publicUrl: 'http://bench.test',
      });
      const rounds = quick ? 3 : 40;
      const time = async (query: { jobId?: string; from?: string; to?: string }) => {
        const times: number[] = [];
        let answer: Awaited<ReturnType<typeof service.funnel>> | undefined;
        for (let r = 0; r < rounds + 1; r++) {
          const start = performance.now();
          answer = await service.funnel(org, query);
          if (r > 0) times.push(performance.now() - start);
        }
        return { times, answer: answer! };
      };
      const whole = await time({ jobId: job });
      if (whole.answer.all.applications !== applications) {
        throw new Error(`the funnel counted ${whole.answer.all.applications} of ${applications} applications`);
      }
      const month = await time({ jobId: job, from: '2026-03-01', to: '2026-03-31' });
      const orgWide = await time({});
      const d = whole.answer.interviewToOffer.difference;
      return {
        skillproof: ms(percentile(whole.times, 50)),
        reference: null,
        identical: null,
        details: {
          backend: postgres ? 'postgresql' : 'pglite',
          applications,
          p99Ms: ms(percentile(whole.times, 99)),
          oneMonthP50Ms: ms(percentile(month.times, 50)),
          oneMonthApplications: month.answer.all.applications,
          orgWideP50Ms: ms(percentile(orgWide.times, 50)),
          interviewToOfferDifference: d ? `${d.estimate} [${d.ci95[0]}, ${d.ci95[1]}]` : 'insufficient data',
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
