#!/usr/bin/env node
// `npm test`: builds, then runs the unit and integration tests on the embedded database (PGlite), the
// integration tests (test/) again on PostgreSQL when DATABASE_URL (or SKILLPROOF_TEST_DATABASE_URL) names a
// reachable server, then the browser tests in Debian's Chromium. Ends with one line `tests: N passed, N failed, N skipped`,
// where a test file that fails to load counts as one failed test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { tally } from './test-report.mjs';

const reports = mkdtempSync(path.join(tmpdir(), 'skillproof-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const stages = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  stages.push({ label, ok });
  return ok;
}

function vitest(label, config, env) {
  const report = path.join(reports, `${stages.length}.json`);
  const ok = run(
    label,
    'npx',
    ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  if (existsSync(report)) {
    const counts = tally(JSON.parse(readFileSync(report, 'utf8')));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    for (const failure of counts.failures) failures.push({ label, ...failure });
    for (const { file, reason } of counts.broken) {
      console.error(`${label}: ${path.relative(process.cwd(), file)} failed to run: ${reason}`);
      stages.at(-1).ok = false;
    }
    if (counts.total === 0 && counts.broken.length === 0) {
      console.error(`${label}: no test ran`);
      stages.at(-1).ok = false;
    }
  } else if (ok) {
    stages.at(-1).ok = false;
  }
}

async function postgresUrl() {
  const url = process.env.SKILLPROOF_TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) return undefined;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (error) {
    console.error(`PostgreSQL at ${url.replace(/:[^:@/]+@/, ':***@')} does not answer (${error.message}).`);
    process.exitCode = 1;
    stages.push({ label: 'PostgreSQL reachable', ok: false });
    return undefined;
  }
}

const onlyEmbedded = { DATABASE_URL: '', SKILLPROOF_TEST_BACKEND: 'pglite' };
if (run('build (TypeScript and web app)', 'npm', ['run', 'build', '--silent'])) {
  vitest('unit and integration tests on PGlite', 'vitest.config.ts', onlyEmbedded);
  const url = await postgresUrl();
  if (url) {
    // Only test/ touches a database: the pure unit tests beside the code in src/ ran once already.
    vitest('integration tests on PostgreSQL', 'vitest.config.ts', {
      SKILLPROOF_TEST_BACKEND: 'postgres',
      SKILLPROOF_TEST_DATABASE_URL: url,
      SKILLPROOF_TEST_SCOPE: 'integration',
    });
  } else if (!stages.some((s) => s.label === 'PostgreSQL reachable')) {
    console.log('\nDATABASE_URL is not set: the PostgreSQL run is left out (CI sets it).');
  }
  vitest('browser tests (Chromium)', 'vitest.browser.config.ts', onlyEmbedded);
}
rmSync(reports, { recursive: true, force: true });

if (failures.length > 0) {
  console.log('\nFailed tests:');
  for (const { label, file, test, reason } of failures) {
    console.log(`  ${label}: ${path.relative(process.cwd(), file)} > ${test}\n      ${reason}`);
  }
}
console.log('\nStages:');
for (const stage of stages) console.log(`  ${stage.ok ? 'ok  ' : 'FAIL'} ${stage.label}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(stages.every((s) => s.ok) && totals.failed === 0 ? 0 : 1);
