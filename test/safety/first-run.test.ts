import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlatform } from '../../src/app/platform.js';
import { startServer } from '../../src/app/server.js';
import {
  demoAccounts,
  demoPassword,
  demoPasswordFor,
  formatLogins,
  replacePublishedDemoPasswords,
  seedDemo,
} from '../../src/demo/seed.js';
import { loadConfig } from '../../src/platform/config.js';
import { RefusedToStart } from '../../src/platform/errors.js';
import { createTestApp, signIn } from '../helpers/app.js';
import { scratchDatabase } from '../helpers/scratch-database.js';
import { testBackend } from '../helpers/database.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-first-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const config = (dataDir: string) => loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
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

describe('a missing or empty data folder', () => {
  it(
    'is refused unless the start is an explicit first run, and a deleted folder is never replaced',
    { timeout: 240_000 },
    async () => {
      const parent = tempDir();
      const dataDir = path.join(parent, 'data');
      await expect(startServer(config(dataDir), { print: () => {}, workers: false })).rejects.toThrow(RefusedToStart);
      await expect(startServer(config(dataDir), { print: () => {}, workers: false })).rejects.toThrow(
        /no Skillproof database in .*data \(the folder is missing\).*serve --init.*db restore/s,
      );
      // Refused before anything was written: not even the folder.
      expect(existsSync(dataDir)).toBe(false);

      // The explicit first run makes the instance.
      const first = await createPlatform(config(dataDir), { init: false }).catch((error: Error) => error);
      expect(first).toBeInstanceOf(RefusedToStart);
      const platform = await createPlatform(config(dataDir), { init: true });
      await platform.close();
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);

      // The folder is deleted (or not mounted) and recreated empty: still refused, with the way out named.
      rmSync(dataDir, { recursive: true, force: true });
      const served = await cli(['serve', '--port', '0'], { SKILLPROOF_DATA_DIR: dataDir });
      expect(served.code).toBe(1);
      expect(served.stderr).toContain(`There is no Skillproof database in ${dataDir}`);
      expect(served.stderr).not.toMatch(/\n\s+at /);
      expect((await cli(['db', 'migrate'], { SKILLPROOF_DATA_DIR: dataDir })).code).toBe(1);
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(false);
      const init = await cli(['db', 'migrate', '--init', '--json'], { SKILLPROOF_DATA_DIR: dataDir });
      expect(init.code, init.stderr).toBe(0);
      expect(JSON.parse(init.stdout).applied).toContain('0001-accounts');
    },
  );

  it('makes a new database only in an empty folder, even with --init', async () => {
    const dataDir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dataDir, 'notes.txt'), 'my files');
    await expect(createPlatform(config(dataDir), { init: true })).rejects.toThrow(
      /holds files that are not a Skillproof database \(notes\.txt\)/,
    );
  });

  it.runIf(testBackend === 'postgres')(
    'refuses a PostgreSQL database without Skillproof tables unless --init',
    async () => {
      const base = process.env.SKILLPROOF_TEST_DATABASE_URL ?? process.env.DATABASE_URL!;
      const scratch = await scratchDatabase(base, 'skillproof_first_run');
      try {
        const pgConfig = loadConfig({ DATABASE_URL: scratch.url, SKILLPROOF_DATA_DIR: tempDir(), LOG_LEVEL: 'silent' });
        await expect(createPlatform(pgConfig, { init: false })).rejects.toThrow(/no Skillproof tables/);
        const platform = await createPlatform(pgConfig, { init: true });
        await platform.close();
        const again = await createPlatform(pgConfig, { init: false });
        await again.close();
      } finally {
        await scratch.drop();
      }
    },
  );
});

describe('demo passwords', () => {
  it('are random, and printed once, on an instance bound to a reachable address', { timeout: 120_000 }, async () => {
    const t = await createTestApp();
    try {
      const password = demoPasswordFor('0.0.0.0');
      expect(password).not.toBe(demoPassword);
      expect(demoPasswordFor('0.0.0.0')).not.toBe(password);
      const seeded = await seedDemo(t.platform, { password });
      expect(seeded.passwordsSet).toBe(true);
      expect(formatLogins(seeded)).toContain(password);
      expect(formatLogins(seeded)).toContain('shown only now');
      for (const account of demoAccounts) {
        await signIn(t.app, account.email, password);
        const published = await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: account.email, password: demoPassword },
        });
        expect(published.statusCode).toBe(401);
      }
      // A later run knows no password, and prints none.
      const again = await seedDemo(t.platform, { password: demoPasswordFor('0.0.0.0') });
      expect(again.passwordsSet).toBe(false);
      expect(again.logins.every((login) => login.password === null)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it(
    'are the published one only on loopback, and lose it when the instance is bound elsewhere',
    { timeout: 120_000 },
    async () => {
      const t = await createTestApp();
      try {
        for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]']) expect(demoPasswordFor(host)).toBe(demoPassword);
        const seeded = await seedDemo(t.platform, { password: demoPasswordFor('127.0.0.1') });
        expect(seeded.logins.every((login) => login.password === demoPassword)).toBe(true);
        const admin = demoAccounts[3].email;
        const session = await signIn(t.app, admin, demoPassword);
        expect(await replacePublishedDemoPasswords(t.platform, '127.0.0.1')).toEqual([]);

        const replaced = await replacePublishedDemoPasswords(t.platform, '0.0.0.0');
        expect(replaced.map((login) => login.email).sort()).toEqual(demoAccounts.map((a) => a.email).sort());
        const fresh = replaced[0]!.password;
        expect(fresh).not.toBe(demoPassword);
        const refused = await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: admin, password: demoPassword },
        });
        expect(refused.statusCode).toBe(401);
        await signIn(t.app, admin, fresh);
        // Sessions opened with the published password end with it.
        const me = await t.app.inject({ method: 'GET', url: '/api/session', headers: session.cookie });
        expect(me.statusCode).toBe(401);
        expect(await replacePublishedDemoPasswords(t.platform, '0.0.0.0')).toEqual([]);
      } finally {
        await t.close();
      }
    },
  );
});
