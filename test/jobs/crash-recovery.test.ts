import { expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createPlatform } from '../../src/app/platform.js';
import { runWorker, workerDatabases } from '../helpers/worker-process.js';

/**
 * A worker process is killed (SIGKILL) in the middle of the sample job; a new process takes over the
 * database and the job finishes exactly once: every item recorded once, one completion.
 */
const databaseEnv = workerDatabases('crash');

it('finishes a job exactly once after its worker is killed mid-run', { timeout: 120_000 }, async () => {
  const env = await databaseEnv();
  const count = 30;
  const first = await runWorker(
    'test/fixtures/sample-worker.ts',
    { ...env, SAMPLE_COUNT: String(count), SAMPLE_DELAY_MS: '100' },
    5,
  );
  expect(first.killed).toBe(true);
  expect(first.output).not.toContain('finished');

  // The same key after the restart: the queue must not start a second run.
  const second = await runWorker('test/fixtures/sample-worker.ts', {
    ...env,
    SAMPLE_COUNT: String(count),
    SAMPLE_DELAY_MS: '0',
  });
  expect(second.output).toContain('finished');

  const platform = await createPlatform(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  try {
    const db = platform.database.db;
    const runs = await db.selectFrom('job_runs').selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ state: 'completed', done: count, total: count });
    expect(runs[0]!.attempts).toBeGreaterThanOrEqual(2);
    const items = await db.selectFrom('sample_count_items').select('item').orderBy('item').execute();
    expect(items.map((i) => i.item)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  } finally {
    await platform.close();
  }
});
