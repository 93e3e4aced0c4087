import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../src/app/platform.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { checkIntegrity } from '../../src/platform/db/integrity.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { RefusedToStart } from '../../src/platform/errors.js';

const root = mkdtempSync(path.join(tmpdir(), 'skillproof-integrity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const config = (dataDir: string) => loadConfig({ SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

function cli(args: string[], dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** A healthy embedded database whose largest table (credential-sized rows) spans many pages. */
const healthy = path.join(root, 'healthy');
let tableFile = '';
beforeAll(async () => {
  const handle = await openDatabase({ dataDir: healthy });
  await migrateToLatest(handle.db);
  await sql`create table filler (id serial primary key, body text)`.execute(handle.db);
  await sql`insert into filler (body) select repeat(md5(g::text), 20) from generate_series(1, 5000) g`.execute(
    handle.db,
  );
  const { rows } = await sql<{ file: string }>`select pg_relation_filepath('filler') as file`.execute(handle.db);
  tableFile = rows[0]!.file;
  await handle.close();
}, 180_000);

/** A copy of the healthy folder with random bytes written into pages of the big table. */
function damagedCopy(name: string): string {
  const dir = path.join(root, name);
  cpSync(healthy, dir, { recursive: true });
  const file = path.join(dir, tableFile);
  expect(statSync(file).size).toBeGreaterThan(20 * 8192);
  const fd = openSync(file, 'r+');
  for (let page = 3; page < 20; page += 4) writeSync(fd, randomBytes(300), 0, 300, page * 8192 + 2000);
  closeSync(fd);
  return dir;
}

describe('corruption', () => {
  it('a healthy database reads back whole, quickly', async () => {
    const handle = await openDatabase({ dataDir: healthy, amcheck: true });
    try {
      const quick = await checkIntegrity(handle, { dataDir: healthy });
      expect(quick).toMatchObject({ ok: true, problems: [] });
      expect(quick.tables).toBeGreaterThan(20);
      const thorough = await checkIntegrity(handle, { dataDir: healthy, thorough: true });
      expect(thorough).toMatchObject({ ok: true, problems: [] });
      expect(thorough.indexes).toBeGreaterThan(20);
    } finally {
      await handle.close();
    }
  });

  it('refuses to start on damaged table pages, naming the table and its file', async () => {
    const dir = damagedCopy('damaged');
    const started = createPlatform(config(dir));
    await expect(started).rejects.toThrow(RefusedToStart);
    const message = await started.catch((error: Error) => error.message);
    expect(message).toContain(`The database in ${dir} is damaged`);
    expect(message).toContain(`filler (file ${path.join(dir, tableFile)})`);
    expect(message).toContain('skillproof db restore');
  });

  it(
    '`skillproof db check` reports damage with the file named (exit 1) and a healthy database (exit 0)',
    { timeout: 300_000 },
    async () => {
      const ok = await cli(['db', 'check'], healthy);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('reads back whole');
      const dir = damagedCopy('damaged-cli');
      const bad = await cli(['db', 'check'], dir);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(path.join(dir, tableFile));
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('a garbage pg_control names the folder and the file', async () => {
    const dir = path.join(root, 'no-control');
    cpSync(healthy, dir, { recursive: true });
    writeFileSync(path.join(dir, 'global', 'pg_control'), randomBytes(8192));
    await expect(createPlatform(config(dir))).rejects.toThrow(
      new RegExp(`embedded database in ${dir} cannot be opened.*global/pg_control`, 's'),
    );
  });
});
