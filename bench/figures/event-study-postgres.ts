import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createPlatform } from '../../src/app/platform.js';
import { loadConfig } from '../../src/platform/config.js';
import { scratchDatabase } from '../../test/helpers/scratch-database.js';
import { postgresAnswers } from '../bulk.js';
import type { Figure, FigureResult } from '../figure.js';

/**
 * The event study from the database on PostgreSQL, at the published study's scale: 46,791 workers, 100,000
 * credentials earned over 18 months (the events) and 467,455 paid projects in the outcomes ledger. Seconds from
 * the request to the estimates (`analytics.eventStudy`, what POST /api/admin/analytics/event-study runs): the
 * one query joining each credential to its holder's earnings in the 14-day windows, the panel, and the
 * estimator with event fixed effects and worker-clustered errors. Target ≤ 2 s.
 *
 * The rows are synthetic, written straight into a fresh database on BENCH_DATABASE_URL's server
 * (postgres://postgres@127.0.0.1:5432/postgres by default, dropped afterwards): accounts, credentials with a
 * placeholder document (the study reads who earned what when, never the document), and the ledger. Skipped,
 * with a note, when no server answers.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const figure: Figure = {
  name: 'event-study-postgres',
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
    const workers = quick ? 500 : 46_791;
    const events = quick ? 1_000 : 100_000;
    const projects = quick ? 5_000 : 467_455;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillproof-bench-esdb-'));
    const database = await scratchDatabase(server, 'skillproof_bench_es');
    try {
      const platform = await createPlatform(
        loadConfig({
          SKILLPROOF_DATA_DIR: dir,
          SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'),
          LOG_LEVEL: 'silent',
          DATABASE_URL: database.url,
        }),
      );
      try {
        const owner = await platform.accounts.signUp({
          email: 'bench@example.org',
          name: 'Bench',
          password: 'a long enough password',
        });
        const org = await platform.accounts.createOrganization(owner.id, { name: 'Bench Academy' });
        const db = platform.database.db;
        const start = '2025-01-01';
        await sql`select setseed(0.2026)`.execute(db);
        await sql`
          insert into users (id, email, name, password_hash)
          select gen_random_uuid(), 'worker' || i || '@example.org', 'Worker ' || i, 'x'
          from generate_series(1, ${workers}) i`.execute(db);
        await sql`create temporary table bench_workers as
          select row_number() over (order by id) as n, id from users where email like 'worker%'`.execute(db);
        // Events: credentials on random days of 18 months, to random workers.
        await sql`
          insert into credentials (id, org_id, credential_id, format, document, issued_at, recipient_user_id)
          select gen_random_uuid(), ${org.id}, 'urn:uuid:' || gen_random_uuid(), 'ldp_vc', '{}',
                 ${start}::timestamptz + (random() * 540) * interval '1 day', w.id
          from generate_series(1, ${events}) i
          join bench_workers w on w.n = 1 + (i * 7919) % ${workers}`.execute(db);
        // Paid projects: earnings on random days (no planted effect: the figure is the time, not the estimate).
        await sql`
          insert into outcome_events (user_id, occurred_on, kind, value, source)
          select w.id, ${start}::date + floor(random() * 560)::int, 'earnings', round((20 + random() * 400)::numeric, 2),
                 'import'
          from (select 1 + floor(random() * ${workers})::int as n from generate_series(1, ${projects})) p
          join bench_workers w on w.n = p.n`.execute(db);
        // As autovacuum leaves a loaded table: statistics and the visibility map.
        await sql`vacuum analyze`.execute(db);
        const today = new Date('2026-12-01T00:00:00Z');
        const load = os.loadavg()[0]!;
        const cpu = process.cpuUsage();
        const began = performance.now();
        const answer = await platform.analytics.eventStudy({ outcome: 'log-earnings', by: ['new_entrant'], today });
        const seconds = (performance.now() - began) / 1000;
        const used = process.cpuUsage(cpu);
        const post = answer.coefficients.post;
        return {
          skillproof: seconds,
          reference: null,
          identical: null,
          details: {
            nodeCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(3)),
            rows: answer.n,
            events: answer.events,
            workers: answer.clusters,
            ledgerRows: projects,
            post: post && 'estimate' in post ? Number(post.estimate.toFixed(5)) : 'withheld',
            loadAverage: Number(load.toFixed(2)),
          },
        };
      } finally {
        await platform.close();
      }
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
