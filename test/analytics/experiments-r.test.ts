import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assignVariant,
  employabilityTertiles,
  estimateItt,
  planSampleSize,
  type ArmOutcome,
  type Baseline,
} from '../../src/analytics/experiments.js';
import { normal, seededRandom } from '../../src/analytics/simulate.js';

// The sharing experiments' estimates against R, the reference the issue names: the intention-to-treat effects
// through `estimatr::lm_robust(y ~ reminder + panel, fixed_effects = ~stratum, se_type = "HC2")`, pooled and per
// baseline-employability tertile, and the sample-size planner through `power.prop.test`. .ci/run installs R;
// without it the comparison is skipped, except in CI, where a missing R fails.
const hasR = spawnSync('Rscript', ['-e', 'suppressMessages(library(estimatr))'], { stdio: 'ignore' }).status === 0;
if (!hasR && process.env.CI) throw new Error('CI must have R with estimatr (r-base-core, r-cran-estimatr).');

const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-r-exp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rItt = `
suppressMessages(library(estimatr))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1], colClasses = c(stratum = "character"))
d$reminder <- as.numeric(d$variant == "reminder")
d$panel <- as.numeric(d$variant == "reminder+panel")
for (cut in c(0, 1, 2, 3)) {
  s <- if (cut == 0) d else d[d$tertile == cut, ]
  k <- table(s$stratum)
  s <- s[s$stratum %in% names(k[k >= 2]), ]
  fit <- lm_robust(y ~ reminder + panel, data = s, fixed_effects = ~stratum, se_type = "HC2")
  for (term in c("reminder", "panel")) {
    cat(sprintf("%d,%s,%.17g,%.17g,%.17g,%.17g,%d\\n", cut, term, fit$coefficients[[term]], fit$std.error[[term]],
                fit$conf.low[[term]], fit$conf.high[[term]], fit$nobs))
  }
}
`;

/** A simulated experiment: learners in unequal issuer strata (one of a single learner), arms by the real hash. */
function simulate(seed: number, learners: number) {
  const random = seededRandom(seed);
  const gauss = normal(random);
  const sizes = [0.3, 0.2, 0.15, 0.1, 0.08, 0.07, 0.05, 0.05];
  const rows: (ArmOutcome & { baseline: Baseline })[] = [];
  for (let i = 0; i < learners; i++) {
    let u = random();
    let stratum = 0;
    while (stratum < sizes.length - 1 && u > sizes[stratum]!) u -= sizes[stratum++]!;
    const variant = assignVariant('6f1c1b0e-0000-4000-8000-000000000001', `learner-${seed}-${i}`);
    const baseline = {
      priorEngagements: Math.floor(Math.exp(gauss())),
      credentialsHeld: 1 + Math.floor(random() * 4),
      monthsOnPlatform: random() * 36,
    };
    const rate = 0.12 + 0.02 * stratum + (variant === 'reminder' ? 0.05 : variant === 'reminder+panel' ? 0.12 : 0);
    rows.push({ variant, stratum: `issuer-${stratum}`, baseline, y: random() < rate ? 1 : 0 });
  }
  rows.push({
    variant: 'reminder',
    stratum: 'issuer-alone',
    baseline: { priorEngagements: 0, credentialsHeld: 1, monthsOnPlatform: 1 },
    y: 1,
  });
  return rows;
}

describe.skipIf(!hasR)('sharing experiments equal R', () => {
  it.each([
    { seed: 31, learners: 900 },
    { seed: 32, learners: 1500 },
  ])(
    'ITT effects, pooled and per tertile, equal lm_robust HC2 with stratum fixed effects (seed $seed)',
    ({ seed, learners }) => {
      const rows = simulate(seed, learners);
      const tertiles = employabilityTertiles(rows.map((r) => r.baseline));
      const file = path.join(dir, `experiment-${seed}.csv`);
      writeFileSync(
        file,
        ['stratum,variant,y,tertile', ...rows.map((r, i) => `${r.stratum},${r.variant},${r.y},${tertiles[i]}`)].join(
          '\n',
        ) + '\n',
      );
      const script = path.join(dir, 'itt.R');
      writeFileSync(script, rItt);
      const reference = execFileSync('Rscript', [script, file], { encoding: 'utf8' }).trim().split('\n');
      expect(reference).toHaveLength(8);
      for (const line of reference) {
        const [cut, term, estimate, stdError, ciLow, ciHigh, n] = line.split(',');
        const subset = Number(cut) === 0 ? rows : rows.filter((_, i) => tertiles[i] === Number(cut));
        const ours = estimateItt(subset);
        expect(ours.n).toBe(Number(n));
        const coefficient = ours.effects[term === 'panel' ? 'reminder+panel' : 'reminder']!;
        const expected = { estimate, stdError, ciLow, ciHigh };
        for (const field of ['estimate', 'stdError', 'ciLow', 'ciHigh'] as const) {
          const a = coefficient[field];
          const b = Number(expected[field]);
          expect(Math.abs(a - b) / Math.abs(b), `tertile ${cut} ${term} ${field}: ${a} vs R ${b}`).toBeLessThan(1e-8);
        }
      }
    },
  );

  it('the sample-size planner equals power.prop.test at α/2 per comparison', () => {
    const cases = [
      { baselineRate: 0.2, effect: 0.05, power: 0.8 },
      { baselineRate: 0.1, effect: 0.03, power: 0.9 },
      { baselineRate: 0.5, effect: -0.1, power: 0.8 },
      { baselineRate: 0.03, effect: 0.02, power: 0.95 },
    ];
    const script = cases
      .map(
        (c) =>
          `cat(sprintf("%.12f\\n", power.prop.test(p1 = ${c.baselineRate}, p2 = ${c.baselineRate + c.effect}, sig.level = 0.025, power = ${c.power}, tol = 1e-12)$n))`,
      )
      .join('\n');
    const reference = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' }).trim().split('\n').map(Number);
    cases.forEach((c, i) => {
      const plan = planSampleSize(c);
      expect(plan.perArm).toBe(Math.ceil(reference[i]! - 1e-6));
      expect(plan.total).toBe(3 * plan.perArm);
    });
  });
});

describe('sharing experiment assignment', () => {
  it('is stable per (experiment, learner) and close to thirds', () => {
    const experiment = 'a9e8a1f2-1c0b-4e55-9a51-0d2c3b4a5f60';
    const counts = { none: 0, reminder: 0, 'reminder+panel': 0 };
    for (let i = 0; i < 30_000; i++) counts[assignVariant(experiment, `user-${i}`)] += 1;
    for (const count of Object.values(counts)) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    expect(assignVariant(experiment, 'user-7')).toBe(assignVariant(experiment, 'user-7'));
    const other = Array.from({ length: 300 }, (_, i) => assignVariant('another', `user-${i}`));
    const same = Array.from({ length: 300 }, (_, i) => assignVariant(experiment, `user-${i}`));
    expect(other.filter((v, i) => v !== same[i]).length).toBeGreaterThan(120);
  });

  it('puts a third of learners in each employability tertile, the least employable first', () => {
    const baselines = Array.from({ length: 9 }, (_, i) => ({
      priorEngagements: i,
      credentialsHeld: i,
      monthsOnPlatform: i,
    }));
    expect([...employabilityTertiles(baselines)]).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('refuses a planner question with no answer', () => {
    expect(() => planSampleSize({ baselineRate: 0, effect: 0.1 })).toThrow(RangeError);
    expect(() => planSampleSize({ baselineRate: 0.95, effect: 0.1 })).toThrow(RangeError);
    expect(() => planSampleSize({ baselineRate: 0.2, effect: 0 })).toThrow(RangeError);
  });
});
