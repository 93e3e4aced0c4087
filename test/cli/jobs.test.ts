import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { startServer, type RunningServer } from '../../src/app/server.js';

/** `skillproof jobs` as a recruiter runs it, against a demo instance. */
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

const skillUri = 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d';

describe('skillproof jobs', () => {
  let server: RunningServer;
  let dataDir: string;
  let home: string;
  let env: Record<string, string>;
  let jobId: string;
  let learnerToken: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'skillproof-jobs-cli-'));
    home = mkdtempSync(path.join(tmpdir(), 'skillproof-jobs-home-'));
    server = await startServer(loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      print: () => {},
      init: true,
      seedDemo: true,
      workers: false,
    });
    const { accounts, hiring } = server.platform;
    const employer = (await accounts.findUserByEmail('employer@demo.skillproof.test'))!;
    const learner = (await accounts.findUserByEmail('learner@demo.skillproof.test'))!;
    const contoso = (await accounts.memberships(employer.id)).find((m) => m.org.name === 'Contoso Talent')!.org.id;
    await hiring.saveTalent(learner.id, { discoverable: true, headline: 'Data analyst' });
    jobId = (
      await hiring.createJob(contoso, employer.id, {
        title: 'CLI data analyst',
        kind: 'job',
        status: 'open',
        skills: [{ skill: skillUri, weight: 5, required: true }],
      })
    ).id;
    const { token } = await accounts.createApiToken(employer.id, { name: 'cli test', scopes: ['read'] });
    learnerToken = (await accounts.createApiToken(learner.id, { name: 'cli test', scopes: ['read'] })).token;
    env = { SKILLPROOF_URL: server.url, XDG_CONFIG_HOME: home, SKILLPROOF_TOKEN: token };
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it(
    'lists and shows jobs, and ranks candidates with every term, blind unless asked',
    { timeout: 120_000 },
    async () => {
      const list = await cli(['jobs', 'list'], env);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain(jobId);
      expect(list.stdout).toContain('CLI data analyst');

      const show = await cli(['jobs', 'show', jobId], env);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toMatch(/Python \(computer programming\) — weight 5, required/);

      const blind = await cli(['jobs', 'candidates', jobId], env);
      expect(blind.code, blind.stderr).toBe(0);
      expect(blind.stdout).toContain('1 candidate (blind review: names withheld)');
      expect(blind.stdout).not.toContain('Lea Learner');
      expect(blind.stdout).toMatch(/Data Analysis with SQL.*proves “Python \(computer programming\)”/);
      expect(blind.stdout).toContain('Diminishing returns');

      const named = await cli(['jobs', 'candidates', jobId, '--no-blind', '--json'], env);
      expect(named.code, named.stderr).toBe(0);
      const answer = JSON.parse(named.stdout);
      expect(answer.candidates[0].displayName).toBe('Lea Learner');
      expect(answer.candidates[0].score).toBe(
        answer.candidates[0].terms.reduce((s: number, t: { points: number }) => s + t.points, 0),
      );
      const forcedBlind = JSON.parse((await cli(['jobs', 'candidates', jobId, '--blind', '--json'], env)).stdout);
      expect(forcedBlind.candidates[0].displayName).toBeNull();
    },
  );

  it('exits 2 on bad input and 1 when refused or not found', { timeout: 120_000 }, async () => {
    const badJob = await cli(['jobs', 'show', 'nope'], env);
    expect(badJob.code).toBe(2);
    expect(badJob.stderr).toContain('JOB is a job id');
    expect((await cli(['jobs', 'candidates', jobId, '--limit', '1000'], env)).code).toBe(2);
    expect((await cli(['jobs', 'list', '--org', 'contoso'], env)).code).toBe(2);
    const missing = await cli(['jobs', 'show', '00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
    const learner = await cli(['jobs', 'list'], { ...env, SKILLPROOF_TOKEN: learnerToken });
    expect(learner.code).toBe(2);
    expect(learner.stderr).toContain('employer in no organization');
  });
});
