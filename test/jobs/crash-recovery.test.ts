import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createPlatform } from '../../src/platform/platform.js';
import { testBackend } from '../helpers/database.js';

/**
 * A worker process is killed (SIGKILL) in the middle of the sample job; a new process takes over the
 * database and the job finishes exactly once: every item recorded once, one completion.
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function databaseEnv(): Promise<Record<string, string>> {
  if (testBackend === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { SKILLPROOF_DATA_DIR: dir };
  }
  const base = process.env.SKILLPROOF_TEST_DATABASE_URL ?? process.env.DATABASE_URL!;
  const name = `skillproof_crash_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

function runWorker(env: Record<string, string>, killAtProgress?: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/sample-worker.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ output: string; killed: boolean }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const done = [...output.matchAll(/progress (\d+)/g)].map((m) => Number(m[1])).pop() ?? 0;
      if (killAtProgress !== undefined && done >= killAtProgress && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ output, killed: true });
      else if (code === 0) resolve({ output, killed: false });
      else reject(new Error(`worker exited ${code}: ${stderr}`));
    });
  });
}

it('finishes a job exactly once after its worker is killed mid-run', { timeout: 120_000 }, async () => {
  const env = await databaseEnv();
  const count = 30;
  const first = await runWorker({ ...env, SAMPLE_COUNT: String(count), SAMPLE_DELAY_MS: '100' }, 5);
  expect(first.killed).toBe(true);
  expect(first.output).not.toContain('finished');

  // The same key after the restart: the queue must not start a second run.
  const second = await runWorker({ ...env, SAMPLE_COUNT: String(count), SAMPLE_DELAY_MS: '0' });
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
