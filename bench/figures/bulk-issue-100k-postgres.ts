import { measureBulk, postgresAnswers } from '../bulk.js';
import type { Figure } from '../figure.js';

/**
 * 100,000 CSV rows through the real bulk job on PostgreSQL: a fresh database on BENCH_DATABASE_URL's server
 * (postgres://postgres@127.0.0.1:5432/postgres by default), dropped afterwards. Skipped, with a note, when no
 * server answers.
 */
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const figure: Figure = {
  name: 'bulk-issue-100k-postgres',
  unit: 'credentials/s',
  hasReference: false,
  async measure({ quick }) {
    if (!(await postgresAnswers(server))) {
      return {
        skillproof: null,
        reference: null,
        identical: null,
        details: { skipped: `no PostgreSQL server answers at ${new URL(server).host}` },
      };
    }
    return measureBulk({ rows: quick ? 500 : 100_000, postgres: server });
  },
};
