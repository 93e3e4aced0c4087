import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { startServer, type RunningServer } from '../../src/platform/server.js';

/** The `skillproof` command as a user runs it: a separate process, its output and exit code. */
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function cli(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin ?? '');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('usage', () => {
  it('prints help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'db', 'demo', 'users', 'login']) expect(result.stdout).toContain(command);
  });
  it('exits 2 on an unknown command or a missing option', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['users', 'create', '--name', 'x'])).code).toBe(2);
  });
  it('exits 2 on a bad setting', async () => {
    const result = await cli(['db', 'migrate'], { PORT: 'eighty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be a whole number');
  });
  it('exits 1 with a clear message when no server answers', async () => {
    const result = await cli(['whoami', '--url', 'http://127.0.0.1:9', '--token', 'sp_x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No Skillproof server answers');
  });
});

describe('direct database commands', () => {
  it('migrates, seeds the demo once, and refuses while a server holds the database', async () => {
    const dataDir = tempDir('skillproof-cli-');
    const env = { SKILLPROOF_DATA_DIR: dataDir };
    const migrated = await cli(['db', 'migrate', '--json'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain('0001-accounts');
    expect(JSON.parse((await cli(['db', 'migrate', '--json'], env)).stdout).applied).toEqual([]);

    const seeded = await cli(['demo', 'seed', '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout).created).toBe(true);
    expect(JSON.parse((await cli(['demo', 'seed', '--json'], env)).stdout).created).toBe(false);

    const server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      workers: false,
    });
    try {
      const refused = await cli(['db', 'migrate'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is in use by a Skillproof server (pid ${process.pid}`);
      const seedRefused = await cli(['demo', 'seed'], env);
      expect(seedRefused.code).toBe(1);
    } finally {
      await server.stop();
    }
    expect((await cli(['db', 'migrate'], env)).code).toBe(0);
  });
});

describe('commands over the API', () => {
  let server: RunningServer;
  let home: string;
  beforeAll(async () => {
    const dataDir = tempDir('skillproof-cli-api-');
    home = tempDir('skillproof-cli-home-');
    server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      seedDemo: true,
      workers: false,
    });
  });
  afterAll(() => server?.stop());

  it('logs in, saves a private token, creates users with roles, and logs out', async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    const login = await cli(
      ['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'],
      env,
      'skillproof-demo\n',
    );
    expect(login.code, login.stderr).toBe(0);
    const credentials = path.join(home, 'skillproof', 'credentials.json');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);

    const who = await cli(['whoami', '--json'], env);
    expect(who.code, who.stderr).toBe(0);
    const session = JSON.parse(who.stdout);
    const org = session.memberships.find((m: { roles: string[] }) => m.roles.includes('owner')).org;

    const created = await cli(
      [
        'users',
        'create',
        '--email',
        'new.assessor@example.org',
        '--name',
        'New Assessor',
        '--org',
        org.id,
        '--role',
        'assessor',
        '--password-stdin',
        '--json',
      ],
      env,
      'a fine long password\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).roles).toEqual(['assessor']);

    const weak = await cli(
      ['users', 'create', '--email', 'weak@example.org', '--name', 'W', '--password-stdin'],
      env,
      'short\n',
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('at least 10 characters');

    const wrongPassword = await cli(
      ['login', '--email', 'issuer@demo.skillproof.test', '--password-stdin'],
      env,
      'nope\n',
    );
    expect(wrongPassword.code).toBe(1);

    expect((await cli(['logout'], env)).code).toBe(0);
    const after = await cli(['whoami'], env);
    expect(after.code).toBe(1);
  });
});
