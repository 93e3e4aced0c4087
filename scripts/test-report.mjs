import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// Reads one vitest JSON report (`--reporter=json`) into the counts `npm test` adds up. A test file that fails to
// load (an import or top-level error), or fails in its hooks, has no failed test of its own: it counts as one
// failed test, so the closing line never hides it. Each failed test is named with its first error line, so the
// end of a long log (all a CI summary may keep) still says what failed.
export function tally(report) {
  const broken = report.testResults
    .filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'))
    .map((file) => ({ file: file.name, reason: (file.message || 'failed outside its tests').split('\n')[0] }));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + broken.length,
    skipped: report.numPendingTests + report.numTodoTests,
    total: report.numTotalTests,
    broken,
    failures: report.testResults.flatMap((file) =>
      file.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) => ({
          file: file.name,
          test: test.fullName ?? test.title,
          reason: reasonOf((test.failureMessages ?? []).join('\n'), file.name),
        })),
    ),
  };
}

// The first error line, what a browser test was waiting for (Playwright's call log) when it timed out, and the line
// of the test file it failed at: enough to find the cause from a log's tail.
function reasonOf(text, file) {
  const lines = stripVTControlCharacters(text).split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? 'failed';
  const waiting = lines.find((l) => /^\s*-\s*waiting for /.test(l))?.trim();
  const base = path.basename(file);
  const at = lines.map((l) => l.match(/([^\s(]+):(\d+):\d+\)?\s*$/)).find((m) => m && path.basename(m[1]) === base);
  const parts = [clip(first), waiting && clip(waiting.replace(/^-\s*/, '')), at && `at ${base}:${at[2]}`];
  return parts.filter(Boolean).join(' · ');
}

function clip(line) {
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
