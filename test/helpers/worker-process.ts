import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { testBackend } from './database.js';
import { scratchDatabase } from './scratch-database.js';

/**
 * Worker processes for crash tests: the environment of a database they share with the test (a data folder
 * for PGlite, a fresh PostgreSQL database otherwise), removed after the file's tests.
 */
export function workerDatabases(prefix: string) {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  return async function databaseEnv(): Promise<Record<string, string>> {
    const dir = mkdtempSync(path.join(tmpdir(), `skillproof-${prefix}-`));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env = { SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'), SKILLPROOF_DATA_DIR: dir };
    if (testBackend === 'pglite') return env;
    const base = process.env.SKILLPROOF_TEST_DATABASE_URL ?? process.env.DATABASE_URL!;
    const database = await scratchDatabase(base, `skillproof_${prefix.replace(/\W/g, '_')}`);
    cleanups.push(database.drop);
    return { ...env, DATABASE_URL: database.url };
  };
}

/**
 * Runs a worker script (it prints `progress N` lines) and, when asked, SIGKILLs it once it reports
 * `killAtProgress` items done: the crash under test.
 */
export function runWorker(script: string, env: Record<string, string>, killAtProgress?: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
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
