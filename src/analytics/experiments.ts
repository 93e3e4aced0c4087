import { createHash } from 'node:crypto';
import quantileNormal from '@stdlib/stats-base-dists-normal-quantile';
import { EstimationError, fitFixedEffects, type Coefficient } from './fixed-effects.js';

/**
 * Randomized sharing-nudge experiments (the research behind Skillproof: a nudge and a one-click share raised
 * sharing and new jobs, most for learners with the lowest baseline employability).
 *
 * Arms: `none` (no reminder on the dashboard, no share panel on the result page), `reminder` (the dashboard
 * reminder only) and `reminder+panel` (the reminder and the result page's one-click share panel: what every
 * learner sees when no experiment runs).
 *
 * Assignment: a learner's arm is a stable hash of (experiment, learner): SHA-256 of `experimentId:userId`, its
 * first 48 bits modulo 3. The same learner always lands in the same arm of an experiment, on every surface and
 * server, with no state to keep, and arms are independent of everything known before. The stratum is the issuer
 * of the credential the learner was first shown a nudge for: within a stratum the hash is a fair three-sided
 * die, and the analysis compares arms within strata (issuer fixed effects), so differences between issuers'
 * learners never pass for an effect.
 *
 * Reading: intention to treat, by the arm assigned at the first exposure (whether or not the learner looked),
 * `y ~ reminder + panel | stratum` with HC2 standard errors, exactly R's
 * `estimatr::lm_robust(y ~ reminder + panel, fixed_effects = ~stratum, se_type = "HC2")` (the test suite checks
 * it to a relative 1e-8). `reminder` is the reminder arm's difference from `none`, `panel` the reminder+panel
 * arm's. Fixed horizon, no peeking: an experiment is read only once its planned number of learners has been
 * exposed and each outcome's window has ended for that many; before, the report says how far it is.
 */
export const variants = ['none', 'reminder', 'reminder+panel'] as const;
export type Variant = (typeof variants)[number];
export const surfaces = ['dashboard', 'result'] as const;
export type Surface = (typeof surfaces)[number];

/** Outcomes of a sharing experiment, each with the days after the first exposure it waits for. */
export const experimentOutcomes = {
  'shared-7d': { days: 7, label: 'Shared a credential within 7 days' },
  'shared-30d': { days: 30, label: 'Shared a credential within 30 days' },
  'job-start-1y': { days: 365, label: 'Reported a job start within a year' },
} as const;
export type ExperimentOutcome = keyof typeof experimentOutcomes;

export function assignVariant(experimentId: string, userId: string): Variant {
  const digest = createHash('sha256').update(`${experimentId}:${userId}`).digest();
  return variants[digest.readUIntBE(0, 6) % variants.length]!;
}

/** What a learner in an arm is shown (no running experiment: everything, as before experiments). */
export function treatment(variant: Variant | null): { reminder: boolean; panel: boolean } {
  return { reminder: variant !== 'none', panel: variant === null || variant === 'reminder+panel' };
}

/**
 * Learners needed for a two-sided test of a difference in proportions (baseline p₀, the treated arm p₀ + δ)
 * with the given power, each of the two arm-versus-none comparisons at α/2 (Bonferroni):
 *
 *   n per arm = (z_{1−α/4} · √(2 p̄ (1 − p̄)) + z_{power} · √(p₀(1 − p₀) + p₁(1 − p₁)))² / δ²,  p̄ = (p₀ + p₁)/2
 *
 * rounded up; the same n as R's `power.prop.test(p1, p2, sig.level = α/2, power)` (the test suite checks it).
 * The experiment's planned size is three arms of that.
 */
export function planSampleSize(input: { baselineRate: number; effect: number; power?: number; alpha?: number }): {
  perArm: number;
  total: number;
  alphaPerComparison: number;
  power: number;
} {
  const { baselineRate: p0, effect } = input;
  const power = input.power ?? 0.8;
  const alpha = input.alpha ?? 0.05;
  const p1 = p0 + effect;
  if (!(p0 > 0 && p0 < 1)) throw new RangeError('The baseline rate is a share strictly between 0 and 1.');
  if (!(effect !== 0 && p1 > 0 && p1 < 1)) {
    throw new RangeError('The effect is a non-zero change that keeps the rate strictly between 0 and 1.');
  }
  if (!(power >= 0.5 && power < 1)) throw new RangeError('Power is from 0.5 to below 1.');
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError('α is between 0 and 0.5.');
  const perComparison = alpha / 2;
  const mean = (p0 + p1) / 2;
  const root =
    quantileNormal(1 - perComparison / 2, 0, 1) * Math.sqrt(2 * mean * (1 - mean)) +
    quantileNormal(power, 0, 1) * Math.sqrt(p0 * (1 - p0) + p1 * (1 - p1));
  const perArm = Math.ceil((root / effect) ** 2);
  return { perArm, total: perArm * variants.length, alphaPerComparison: perComparison, power };
}

/** What a learner was like before the first exposure: the facts the baseline-employability model reads. */
export interface Baseline {
  /** Engagements and jobs in the outcomes ledger before the exposure (projects won, job starts). */
  priorEngagements: number;
  /** Credentials earned here and not revoked, before the exposure. */
  credentialsHeld: number;
  /** Months from sign-up to the exposure. */
  monthsOnPlatform: number;
}

/**
 * Baseline employability: the mean of the three facts, each log(1 + x) and standardized over the experiment's
 * learners (z-scores; a fact that is the same for everyone counts 0). More prior work, more credentials and a
 * longer time on the platform all count as more employable, equally: a transparent index, not a fitted model,
 * so nobody's tertile depends on the outcomes being studied. Tertiles: the lowest third of scores is 1.
 */
export function employabilityTertiles(baselines: readonly Baseline[]): Int8Array {
  const facts = [
    baselines.map((b) => Math.log1p(b.priorEngagements)),
    baselines.map((b) => Math.log1p(b.credentialsHeld)),
    baselines.map((b) => Math.log1p(Math.max(0, b.monthsOnPlatform))),
  ];
  const n = baselines.length;
  const score = new Float64Array(n);
  for (const values of facts) {
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    values.forEach((v, i) => (score[i] = score[i]! + (sd > 0 ? (v - mean) / sd : 0) / facts.length));
  }
  // Rank (ties by index, so the split is reproducible) and cut in thirds.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
  const tertile = new Int8Array(n);
  order.forEach((i, rank) => (tertile[i] = 1 + Math.min(2, Math.floor((3 * rank) / n))));
  return tertile;
}

export interface ArmOutcome {
  variant: Variant;
  stratum: string;
  y: number;
}

export interface IttEstimate {
  n: number;
  strata: number;
  /** Learners and the outcome's rate per arm. */
  arms: Record<Variant, { learners: number; rate: number }>;
  /** `reminder` and `reminder+panel`, each against `none`. */
  effects: Partial<Record<Exclude<Variant, 'none'>, Coefficient>>;
}

/** The intention-to-treat differences with stratum fixed effects and HC2 errors (see the module comment). */
export function estimateItt(rows: readonly ArmOutcome[], level = 0.95): IttEstimate {
  const arms = Object.fromEntries(
    variants.map((v) => {
      const inArm = rows.filter((r) => r.variant === v);
      return [
        v,
        { learners: inArm.length, rate: inArm.length ? inArm.reduce((s, r) => s + r.y, 0) / inArm.length : 0 },
      ];
    }),
  ) as IttEstimate['arms'];
  const strataIds = new Map<string, number>();
  const fixedEffect = Int32Array.from(rows, (r) => {
    let id = strataIds.get(r.stratum);
    if (id === undefined) strataIds.set(r.stratum, (id = strataIds.size));
    return id;
  });
  const fit = fitFixedEffects({
    y: Float64Array.from(rows, (r) => r.y),
    columns: [
      { name: 'reminder', values: Float64Array.from(rows, (r) => (r.variant === 'reminder' ? 1 : 0)) },
      { name: 'reminder+panel', values: Float64Array.from(rows, (r) => (r.variant === 'reminder+panel' ? 1 : 0)) },
    ],
    fixedEffect,
    se: 'HC2',
    level,
  });
  return { n: fit.n, strata: fit.groups, arms, effects: fit.coefficients };
}

export { EstimationError };
