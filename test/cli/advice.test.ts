import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { startServer, type RunningServer } from '../../src/app/server.js';

/** `skillproof advice plan` as a user runs it, against a demo instance. */
function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_TOKEN: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end('');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const sql = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';
const securityAdministrator = 'http://data.europa.eu/esco/occupation/0464b062-cea6-4164-b10d-956c61956ae7';

describe('skillproof advice plan', () => {
  let server: RunningServer;
  let dataDir: string;
  let home: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'skillproof-advice-cli-'));
    home = mkdtempSync(path.join(tmpdir(), 'skillproof-advice-home-'));
    server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      init: true,
      seedDemo: true,
      workers: false,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('plans for an occupation as a what-if, in text and JSON', { timeout: 120_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    const text = await cli(['advice', 'plan', '--occupation', securityAdministrator, '--held', sql], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Target: ICT security administrator');
    expect(text.stdout).toMatch(/Missing: \d+ essential, \d+ optional/);
    expect(text.stdout).toContain('What-if');

    const json = await cli(['advice', 'plan', '--skills', sql, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.status).toBe('optimal');
    expect(answer.plan.credentials[0]).toMatchObject({ name: 'Data Analysis with SQL', hours: 50 });
    expect(answer.plan.totalHours).toBe(50);

    const tight = await cli(['advice', 'plan', '--skills', sql, '--max-hours', '10'], env);
    expect(tight.code, tight.stderr).toBe(0);
    expect(tight.stdout, tight.stdout).toContain('Infeasible');
    expect(tight.stdout).toMatch(/“Data Analysis with SQL” is 50 h, over the 10 h limit/);
  });

  it('exits 2 on bad input', { timeout: 120_000 }, async () => {
    const env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home };
    const neither = await cli(['advice', 'plan'], env);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Give one target');
    expect((await cli(['advice', 'plan', '--skills', sql, '--max-hours', '-3'], env)).code).toBe(2);
    const unknown = await cli(['advice', 'plan', '--skills', 'http://data.europa.eu/esco/skill/nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('does not know');
  });
});
