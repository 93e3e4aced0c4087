// Reads one vitest JSON report (`--reporter=json`) into the counts `npm test` adds up. A test file that fails to
// load (an import or top-level error), or fails in its hooks, has no failed test of its own: it counts as one
// failed test, so the closing line never hides it.
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
  };
}
