import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = mkdtempSync(path.join(tmpdir(), 'skillproof-backup-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

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

it(
  '`db backup` and `db restore`: a checked copy, refused input with a message and no stack trace',
  { timeout: 600_000 },
  async () => {
    const source = { SKILLPROOF_DATA_DIR: path.join(root, 'source') };
    expect((await cli(['db', 'migrate', '--init'], source)).code).toBe(0);
    const file = path.join(root, 'copy.backup');
    const backup = await cli(['db', 'backup', file, '--json'], source);
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const target = { SKILLPROOF_DATA_DIR: path.join(root, 'target') };
    const restored = await cli(['db', 'restore', file], target);
    expect(restored.code, restored.stderr).toBe(0);
    expect(existsSync(path.join(root, 'target', 'PG_VERSION'))).toBe(true);
    const again = await cli(['db', 'restore', file], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a database');

    writeFileSync(path.join(root, 'garbage.backup'), 'not a backup');
    const garbage = await cli(['db', 'restore', path.join(root, 'garbage.backup')], {
      SKILLPROOF_DATA_DIR: path.join(root, 'x'),
    });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('is not a Skillproof backup');
    expect(garbage.stderr).not.toMatch(/\n\s+at /);

    const postgres = await cli(['db', 'backup', file], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('pg_dump');
  },
);
