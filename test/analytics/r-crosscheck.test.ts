import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { panelCsv, simulatePanel } from '../../src/analytics/simulate.js';

// The event study against R's estimatr, the reference the issue names: the same panel through the CLI and
// through `lm_robust(y ~ post + post:g, fixed_effects = ~event_id, clusters = worker_id, se_type = "stata")`.
// .ci/run installs r-base-core and r-cran-estimatr; on a machine without R the test is skipped, except in CI,
// where a missing R fails it.
const hasR = spawnSync('Rscript', ['-e', 'suppressMessages(library(estimatr))'], { stdio: 'ignore' }).status === 0;
if (!hasR && process.env.CI) throw new Error('CI must have R with estimatr (r-base-core, r-cran-estimatr).');

const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-r-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rScript = `
suppressMessages(library(estimatr))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(worker_id = "character", event_id = "character"))
n <- table(d$event_id)
d <- d[d$event_id %in% names(n[n >= 2]), ]
by <- if (length(args) > 1) args[2:length(args)] else character(0)
terms <- if (length(by) > 0) c("post", paste0("post:", by)) else "post"
f <- as.formula(paste("y ~", paste(terms, collapse = " + ")))
fit <- lm_robust(f, data = d, fixed_effects = ~event_id, clusters = worker_id, se_type = "stata")
out <- data.frame(term = names(fit$coefficients), estimate = fit$coefficients, se = fit$std.error,
                  low = fit$conf.low, high = fit$conf.high)
write.csv(out, stdout(), row.names = FALSE)
cat(sprintf("nobs,%d,clusters,%d\\n", fit$nobs, fit$nclusters))
`;

function viaR(csvFile: string, by: string[]) {
  const script = path.join(dir, 'event-study.R');
  writeFileSync(script, rScript);
  const lines = execFileSync('Rscript', [script, csvFile, ...by], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const counts = lines.pop()!.split(',');
  const coefficients = Object.fromEntries(
    lines.slice(1).map((line) => {
      const [term, estimate, se, low, high] = line.split(',');
      return [
        JSON.parse(term!) as string,
        { estimate: Number(estimate), stdError: Number(se), ciLow: Number(low), ciHigh: Number(high) },
      ];
    }),
  );
  return { n: Number(counts[1]), clusters: Number(counts[3]), coefficients };
}

function viaCli(csvFile: string, by: string[]) {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'analytics',
      'event-study',
      csvFile,
      ...by.flatMap((b) => ['--by', b]),
      '--json',
    ],
    { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  return JSON.parse(out);
}

describe.skipIf(!hasR)('the event study equals R estimatr::lm_robust', () => {
  it.each([
    { seed: 11, workers: 300, by: ['new_entrant'] },
    { seed: 12, workers: 500, by: [] },
  ])('on a simulated panel of $workers workers (seed $seed), to a relative 1e-8', ({ seed, workers, by }) => {
    const panel = simulatePanel({ workers, effect: 0.089, entrantEffect: -0.04, singleWindowShare: 0.08, seed });
    const file = path.join(dir, `panel-${seed}.csv`);
    writeFileSync(file, panelCsv(panel));
    const ours = viaCli(file, by);
    const reference = viaR(file, by);
    expect(ours.n).toBe(reference.n);
    expect(ours.clusters).toBe(reference.clusters);
    expect(ours.droppedEvents).toBeGreaterThan(0);
    expect(Object.keys(ours.coefficients).sort()).toEqual(Object.keys(reference.coefficients).sort());
    for (const [term, expected] of Object.entries(reference.coefficients)) {
      for (const field of ['estimate', 'stdError', 'ciLow', 'ciHigh'] as const) {
        const a = ours.coefficients[term][field] as number;
        const b = expected[field];
        expect(Math.abs(a - b) / Math.abs(b), `${term} ${field}: ${a} vs R ${b}`).toBeLessThan(1e-8);
      }
    }
  });
});

describe('skillproof analytics event-study, given a bad panel', () => {
  it('names the problem and exits 2, with no stack trace', () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, 'worker_id,event_id,post,y\nw1,a,0,1\nw1,a,3,2\n');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'analytics', 'event-study', file, '--json'],
      { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('Line 3: post is "3"; it must be 0 or 1.');
    expect(run.stdout).toBe('');
    const missing = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'analytics', 'event-study', path.join(dir, 'none.csv')],
      { encoding: 'utf8' },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*none\.csv: ENOENT/);
  });
});
