import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toAchievement } from '../../src/catalog/definition.js';
import { toProfile } from '../../src/catalog/profile.js';
import { elmCredential } from '../../src/pathways/elm.js';
import { sqlDefinition } from '../helpers/definitions.js';

/** `skillproof elm validate` as a user runs it: a separate process, its output and exit code. */
const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-elm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], stdin = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', SKILLPROOF_TOKEN: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const profile = toProfile('did:web:skillproof.test:orgs:n', 'Northwind Academy', { country: 'PT' });
const exported = elmCredential({
  credential: {
    id: 'urn:uuid:c1',
    issuer: profile,
    validFrom: '2026-03-01T10:00:00Z',
    credentialSubject: {
      achievement: toAchievement(sqlDefinition({ qualityAssurance: 'internal' }), {
        id: 'https://skillproof.test/achievements/1/versions/1',
        version: 1,
      }),
    },
  },
  learner: { id: 'u1', name: 'Ana Andromeda' },
  key: 'cli',
});

describe('skillproof elm validate', () => {
  it("passes the Commission's sample and an export, offline, and reports as JSON", async () => {
    const sample = await cli(['elm', 'validate', 'test/fixtures/standards/elm/Sample-MC-Annex1-unsigned.jsonld']);
    expect(sample.code, sample.stderr).toBe(0);
    expect(sample.stdout).toContain('conforms to the EDC shapes');
    expect(sample.stdout).toContain('Not checked (not bundled): http://data.europa.eu/snb/model/ap/edc-generic-no-cv');
    const file = path.join(dir, 'export.jsonld');
    writeFileSync(file, JSON.stringify(exported));
    const ours = await cli(['elm', 'validate', '--json', file]);
    expect(ours.code, ours.stderr).toBe(0);
    const report = JSON.parse(ours.stdout);
    expect(report.conforms).toBe(true);
    expect(report.warnings).toEqual([]);
  }, 60_000);

  it('exits 1 with each violation, and 2 on a file that is not JSON-LD', async () => {
    const broken = structuredClone(exported) as Record<string, unknown>;
    delete broken.credentialProfiles;
    const brokenResult = await cli(['elm', 'validate', '-'], JSON.stringify(broken));
    expect(brokenResult.code).toBe(1);
    expect(brokenResult.stdout).toContain('1 violation(s)');
    expect(brokenResult.stdout).toContain('http://data.europa.eu/snb/model/elm/credentialProfiles');
    const notJson = await cli(['elm', 'validate', '-'], '{"a": 1');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('not JSON');
    const unknownTerm = await cli(['elm', 'validate', '-'], JSON.stringify({ ...exported, notAnElmTerm: 1 }));
    expect(unknownTerm.code).toBe(2);
    expect((await cli(['elm', 'validate', path.join(dir, 'missing.jsonld')])).code).toBe(2);
  }, 60_000);
});
