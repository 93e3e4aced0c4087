import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createPlatform } from '../../src/app/platform.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { runWorker, workerDatabases } from '../helpers/worker-process.js';

/**
 * A worker process is killed (SIGKILL) in the middle of a bulk run of 1,000 rows; a new process takes over
 * and the run ends with exactly 1,000 credentials: none lost, none issued twice.
 */
const databaseEnv = workerDatabases('bulk-crash');

it(
  'ends a bulk run of 1,000 rows with exactly 1,000 credentials after its worker is killed',
  { timeout: 300_000 },
  async () => {
    const env = await databaseEnv();
    const rows = 1000;
    const setup = await createPlatform(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
    let ids: { org: string; user: string; achievement: string };
    try {
      const user = await setup.accounts.signUp({
        email: 'bulk@example.org',
        name: 'Bulk',
        password: 'a long enough password',
      });
      const org = await setup.accounts.createOrganization(user.id, { name: 'Crash Academy' });
      const { record } = await setup.catalog.create(org.id, sqlDefinition({ prerequisites: [] }));
      await setup.catalog.publish(org.id, record.id);
      ids = { org: org.id, user: user.id, achievement: record.id };
    } finally {
      await setup.close();
    }
    const file = path.join(env.SKILLPROOF_DATA_DIR!, 'bulk.csv');
    writeFileSync(
      file,
      'email,name,achievement,score\n' +
        Array.from(
          { length: rows },
          (_, i) => `learner${i}@example.org,Learner ${i},${ids.achievement},${i % 101}`,
        ).join('\n') +
        '\n',
    );
    const workerEnv = { ...env, BULK_FILE: file, BULK_ORG: ids.org, BULK_USER: ids.user };

    const first = await runWorker('test/fixtures/bulk-worker.ts', workerEnv, 200);
    expect(first.killed).toBe(true);
    expect(first.output).not.toContain('finished');
    const reached = Math.max(...[...first.output.matchAll(/progress (\d+)/g)].map((m) => Number(m[1])));
    expect(reached).toBeLessThan(rows);

    // The same file after the restart: the same run, picked up where it stopped.
    const second = await runWorker('test/fixtures/bulk-worker.ts', workerEnv);
    expect(second.output).toContain('existing');
    expect(second.output).toContain('finished');

    const platform = await createPlatform(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
    try {
      const db = platform.database.db;
      const runs = await db.selectFrom('job_runs').selectAll().where('queue', '=', 'bulk.issue').execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ state: 'completed', done: rows, total: rows });
      expect(runs[0]!.attempts).toBeGreaterThanOrEqual(2);
      const credentials = await db
        .selectFrom('credentials')
        .select(['source_key', 'revocation_list_id', 'revocation_index'])
        .execute();
      expect(credentials).toHaveLength(rows);
      expect(new Set(credentials.map((c) => c.source_key)).size).toBe(rows);
      expect(new Set(credentials.map((c) => `${c.revocation_list_id}:${c.revocation_index}`)).size).toBe(rows);
      const outcomes = await db.selectFrom('bulk_rows').select(['row', 'status']).execute();
      expect(outcomes).toHaveLength(rows);
      expect(outcomes.every((o) => o.status === 'issued' || o.status === 'existing')).toBe(true);
      const lists = await db.selectFrom('status_lists').select('allocated').execute();
      expect(lists.reduce((sum, l) => sum + l.allocated, 0)).toBe(rows);
      expect(await db.selectFrom('claims').select('id').execute()).toHaveLength(rows);
      // One claim notice per row (the owner's sign-up confirmation is in the outbox too, tied to no claim).
      expect(await db.selectFrom('outbox').select('id').where('claim_id', 'is not', null).execute()).toHaveLength(rows);
      // A sample, signed on the signing threads of either process, verifies through the platform's verifier.
      const sample = await db.selectFrom('credentials').select('id').orderBy('id').limit(12).execute();
      for (const { id } of sample) {
        const result = await platform.verifier.verify({ text: (await platform.issuance.find(id)).document });
        expect(result.verified, JSON.stringify(result.checks)).toBe(true);
      }
    } finally {
      await platform.close();
    }
  },
);
