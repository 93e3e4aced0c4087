import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the test runner script, without types
import { tally } from '../../scripts/test-report.mjs';

/** `npm test`'s closing line counts a test file that fails to load as failed (it has no failed test of its own). */
const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the closing line of npm test', () => {
  it('counts a test file that fails to load, and one whose hook fails, as failed', () => {
    writeFileSync(path.join(dir, 'fine.test.js'), "it('passes', () => {});\nit('passes too', () => {});\n");
    writeFileSync(path.join(dir, 'one-fails.test.js'), "it('fails', () => { throw new Error('no'); });\n");
    writeFileSync(
      path.join(dir, 'broken.test.js'),
      "import { readFileSync } from 'node:fs';\nreadFileSync('/no/such/fixture.json');\nit('never runs', () => {});\n",
    );
    writeFileSync(
      path.join(dir, 'hook.test.js'),
      "beforeAll(() => { throw new Error('setup failed'); });\nit('skipped by its hook', () => {});\n",
    );
    const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const report = path.join(dir, 'report.json');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', '--root', dir, '--globals', '--reporter=json', `--outputFile.json=${report}`],
      { encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
    expect(run.status).toBe(1);
    const counts = tally(JSON.parse(readFileSync(report, 'utf8')));
    expect(counts.passed).toBe(2);
    expect(counts.failed).toBe(3);
    expect(counts.broken.map((b: { file: string }) => path.basename(b.file)).sort()).toEqual([
      'broken.test.js',
      'hook.test.js',
    ]);
    expect(counts.broken.find((b: { file: string }) => b.file.endsWith('broken.test.js')).reason).toContain('ENOENT');
    // The failed test is named with its first error line and the line it failed at, for the end of a long log.
    expect(counts.failures).toEqual([
      { file: path.join(dir, 'one-fails.test.js'), test: 'fails', reason: 'Error: no · at one-fails.test.js:1' },
    ]);
  });

  it('says what a timed-out browser test was waiting for', () => {
    const message = [
      'TimeoutError: locator.waitFor: Timeout 30000ms exceeded.',
      'Call log:',
      "\u001b[2m  - waiting for getByRole('heading', { name: 'You passed' }) to be visible\u001b[22m",
      '',
      '    at /repo/test/helpers/browser.ts:10:5',
      '    at /repo/test/browser/sharing.test.ts:104:62',
    ].join('\n');
    const report = {
      numPassedTests: 0,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 0,
      numTotalTests: 1,
      testResults: [
        {
          name: '/repo/test/browser/sharing.test.ts',
          status: 'failed',
          assertionResults: [{ status: 'failed', fullName: 'a learner earns it', failureMessages: [message] }],
        },
      ],
    };
    expect(tally(report).failures[0].reason).toBe(
      "TimeoutError: locator.waitFor: Timeout 30000ms exceeded. · waiting for getByRole('heading', { name: 'You passed' }) to be visible · at sharing.test.ts:104",
    );
  });
});
