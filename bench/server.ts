import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDatabase } from '../test/helpers/scratch-database.js';

/**
 * A real server (`skillproof serve`) on loopback for the load figures. By default one process on the embedded
 * database in a temp folder. With BENCH_DATABASE_URL (a PostgreSQL server's URL; a fresh database is made on it
 * and dropped afterwards) the server runs with `--processes ${BENCH_PROCESSES:-2}`, one process per core, as a
 * production deployment would.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Deployment {
  /** Extra environment for the server: its database. */
  env: Record<string, string>;
  processes: number;
  dispose(): Promise<void>;
}

export async function deployment(): Promise<Deployment> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skillproof-bench-'));
    return {
      env: { SKILLPROOF_DATA_DIR: dataDir },
      processes: 1,
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await scratchDatabase(adminUrl, 'skillproof_bench');
  return {
    env: { DATABASE_URL: database.url },
    processes: Number(process.env.BENCH_PROCESSES ?? 2),
    dispose: database.drop,
  };
}

export async function startServer(port: number, where: Deployment, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<folder>: profile the server (node --cpu-prof) to see where its time goes.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      path.join(root, 'src/cli/main.ts'),
      'serve',
      '--port',
      String(port),
      '--no-workers',
      '--processes',
      String(where.processes),
      ...extraArgs,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ...where.env,
        HOST: '127.0.0.1',
        SKILLPROOF_PUBLIC_URL: `http://127.0.0.1:${port}`,
        SKILLPROOF_RATE_LIMIT_ALLOW: '127.0.0.1,::1,::ffff:127.0.0.1',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start within two minutes');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
