import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import quantileT from '@stdlib/stats-base-dists-t-quantile';

/**
 * Ordinary least squares with one set of fixed effects absorbed by demeaning (the within transformation) and
 * standard errors clustered by a second grouping, small-sample corrected as Stata does (CR1):
 *
 *   V = c · (X̃'X̃)⁻¹ (Σ_g X̃_g' ê_g ê_g' X̃_g) (X̃'X̃)⁻¹,   c = G/(G−1) · (N−1)/(N−K)
 *
 * where X̃ is X demeaned within each fixed-effect group, ê the within residuals (the same as a regression with
 * one dummy per group), G the number of clusters, N the rows and K the regressors plus one per fixed-effect
 * group (the dummies the demeaning stands for). Confidence intervals use Student's t with G−1 degrees of
 * freedom. This is what R's `estimatr::lm_robust(y ~ x, fixed_effects = ~fe, clusters = cl, se_type =
 * "stata")` reports, and equals `lm` with the dummies and `sandwich::vcovCL(type = "HC1")`; the test suite
 * checks it against R to a relative 1e-8.
 *
 * Groups with one row carry no within-group variation: they are dropped before estimating, and counted.
 */
export interface FixedEffectsInput {
  /** Outcome, one per row. */
  y: Float64Array;
  /** Regressors by name, each one value per row (no intercept: the fixed effects absorb it). */
  columns: ReadonlyArray<{ name: string; values: Float64Array }>;
  /** Fixed-effect group of each row (dense ids 0…). */
  fixedEffect: Int32Array;
  /** Cluster of each row (dense ids 0…), for CR1 errors. */
  cluster?: Int32Array;
  /**
   * `CR1` (the default): clustered by `cluster`, Stata's correction, t with G−1 degrees of freedom. `HC2`: robust
   * to heteroskedasticity with each row's leverage (the fixed effects' 1/n_g included), no cluster, t with N−K
   * degrees of freedom: what `lm_robust(..., se_type = "HC2")` reports, the default for randomized experiments.
   */
  se?: 'CR1' | 'HC2';
  /** Confidence level, default 0.95. */
  level?: number;
}

export interface Coefficient {
  estimate: number;
  stdError: number;
  ciLow: number;
  ciHigh: number;
}

export interface FixedEffectsFit {
  /** Rows used (after dropping single-row groups). */
  n: number;
  /** Fixed-effect groups used. */
  groups: number;
  /** Single-row groups dropped. */
  droppedGroups: number;
  clusters: number;
  /** Degrees of freedom of the t distribution behind the intervals (clusters − 1). */
  df: number;
  coefficients: Record<string, Coefficient>;
}

/** A design the data cannot estimate, with what is wrong in words a person can act on. */
export class EstimationError extends Error {
  override name = 'EstimationError';
}

export function fitFixedEffects(input: FixedEffectsInput): FixedEffectsFit {
  const { y, columns, fixedEffect, cluster } = input;
  const rows = y.length;
  const p = columns.length;
  if (p === 0) throw new EstimationError('There is no regressor to estimate.');

  // Rows of groups with at least two rows.
  const groupCount = maxId(fixedEffect) + 1;
  const groupSize = new Int32Array(groupCount);
  for (let i = 0; i < rows; i++) groupSize[fixedEffect[i]!]! += 1;
  const kept: number[] = [];
  for (let i = 0; i < rows; i++) if (groupSize[fixedEffect[i]!]! >= 2) kept.push(i);
  let groups = 0;
  let droppedGroups = 0;
  for (const size of groupSize) {
    if (size >= 2) groups += 1;
    else if (size === 1) droppedGroups += 1;
  }
  const n = kept.length;
  if (groups === 0) throw new EstimationError('No group has two rows or more: there is no within-group variation.');

  // Demean y and every column within its group.
  const sums = new Float64Array(groupCount * (p + 1));
  for (const i of kept) {
    const base = fixedEffect[i]! * (p + 1);
    sums[base] = sums[base]! + y[i]!;
    for (let j = 0; j < p; j++) sums[base + 1 + j] = sums[base + 1 + j]! + columns[j]!.values[i]!;
  }
  const yt = new Float64Array(n);
  const xt = new Float64Array(n * p);
  kept.forEach((i, r) => {
    const g = fixedEffect[i]!;
    const size = groupSize[g]!;
    const base = g * (p + 1);
    yt[r] = y[i]! - sums[base]! / size;
    for (let j = 0; j < p; j++) xt[r * p + j] = columns[j]!.values[i]! - sums[base + 1 + j]! / size;
  });

  let within = 0;
  let total = 0;
  for (let r = 0; r < n; r++) within += yt[r]! ** 2;
  for (const i of kept) total += y[i]! ** 2;
  if (within <= 1e-24 * total || within === 0) {
    throw new EstimationError('The outcome does not change within any group: there is nothing to estimate.');
  }

  // Sums of squares of the raw columns, to tell a column with no within-group variation from rounding noise.
  const rawSquares = new Float64Array(p);
  for (const i of kept) for (let j = 0; j < p; j++) rawSquares[j] = rawSquares[j]! + columns[j]!.values[i]! ** 2;

  // X̃'X̃ and X̃'ỹ.
  const xtx = new Matrix(p, p);
  const xty = new Matrix(p, 1);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < p; a++) {
      const xa = xt[r * p + a]!;
      xty.set(a, 0, xty.get(a, 0) + xa * yt[r]!);
      for (let b = 0; b <= a; b++) xtx.set(a, b, xtx.get(a, b) + xa * xt[r * p + b]!);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx.set(b, a, xtx.get(a, b));
  checkRank(
    xtx,
    rawSquares,
    columns.map((c) => c.name),
  );
  const bread = new CholeskyDecomposition(xtx).solve(Matrix.eye(p));
  const beta = bread.mmul(xty);

  const k = p + groups;
  if (n <= k) throw new EstimationError(`Too few rows (${n}) for ${p} regressors and ${groups} fixed effects.`);
  const residuals = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let residual = yt[r]!;
    for (let j = 0; j < p; j++) residual -= xt[r * p + j]! * beta.get(j, 0);
    residuals[r] = residual;
  }
  const meat = new Matrix(p, p);
  let clusters: number;
  let vcov: Matrix;
  let df: number;
  if (input.se === 'HC2') {
    // Leverage of row r in the regression with one dummy per group: x̃_r' (X̃'X̃)⁻¹ x̃_r + 1/n_g.
    kept.forEach((i, r) => {
      let h = 1 / groupSize[fixedEffect[i]!]!;
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) h += xt[r * p + a]! * bread.get(a, b) * xt[r * p + b]!;
      }
      const w = residuals[r]! ** 2 / (1 - h);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) meat.set(a, b, meat.get(a, b) + w * xt[r * p + a]! * xt[r * p + b]!);
      }
    });
    clusters = n;
    vcov = bread.mmul(meat).mmul(bread);
    df = n - k;
  } else {
    // The meat: per cluster, the sum over its rows of x̃ · ê.
    if (!cluster) throw new EstimationError('Clustered standard errors need a cluster per row.');
    const clusterCount = maxId(cluster) + 1;
    const scores = new Float64Array(clusterCount * p);
    const seen = new Uint8Array(clusterCount);
    kept.forEach((i, r) => {
      const base = cluster[i]! * p;
      seen[cluster[i]!] = 1;
      for (let j = 0; j < p; j++) scores[base + j] = scores[base + j]! + xt[r * p + j]! * residuals[r]!;
    });
    clusters = seen.reduce((count, s) => count + s, 0);
    if (clusters < 2) throw new EstimationError('Clustered standard errors need at least two clusters.');
    for (let g = 0; g < clusterCount; g++) {
      if (!seen[g]) continue;
      for (let a = 0; a < p; a++) {
        const sa = scores[g * p + a]!;
        for (let b = 0; b < p; b++) meat.set(a, b, meat.get(a, b) + sa * scores[g * p + b]!);
      }
    }
    const correction = (clusters / (clusters - 1)) * ((n - 1) / (n - k));
    vcov = bread.mmul(meat).mmul(bread).mul(correction);
    df = clusters - 1;
  }

  const level = input.level ?? 0.95;
  const t = quantileT(1 - (1 - level) / 2, df);
  const coefficients: Record<string, Coefficient> = {};
  columns.forEach((column, j) => {
    const estimate = beta.get(j, 0);
    const stdError = Math.sqrt(Math.max(vcov.get(j, j), 0));
    coefficients[column.name] = { estimate, stdError, ciLow: estimate - t * stdError, ciHigh: estimate + t * stdError };
  });
  for (const c of Object.values(coefficients)) {
    if (![c.estimate, c.stdError, c.ciLow, c.ciHigh].every(Number.isFinite)) {
      throw new EstimationError('The estimate is not finite: the outcome holds values too large to estimate with.');
    }
  }
  return { n, groups, droppedGroups, clusters, df, coefficients };
}

function maxId(ids: Int32Array): number {
  let max = -1;
  for (const id of ids) if (id > max) max = id;
  return max;
}

/**
 * Refuses a design whose demeaned regressors are (numerically) collinear, naming the first column that the
 * others explain: Gram–Schmidt on the scaled Gram matrix, so the message says which column is to blame.
 */
function checkRank(xtx: Matrix, rawSquares: Float64Array, names: string[]): void {
  const p = names.length;
  for (let j = 0; j < p; j++) {
    if (!(xtx.get(j, j) > 1e-12 * rawSquares[j]!) || xtx.get(j, j) === 0) {
      throw new EstimationError(
        `"${names[j]}" does not vary within any group (for example, post is the same in both windows of every event, or the column is constant): it cannot be estimated.`,
      );
    }
  }
  // Scale to a correlation matrix, then check each column's residual variance after the ones before it.
  const scale = Array.from({ length: p }, (_, j) => Math.sqrt(xtx.get(j, j)));
  const r = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) r.set(a, b, xtx.get(a, b) / (scale[a]! * scale[b]!));
  for (let j = 1; j < p; j++) {
    const sub = r.subMatrix(0, j - 1, 0, j - 1);
    const cross = r.subMatrix(0, j - 1, j, j);
    const explained = cross.transpose().mmul(new CholeskyDecomposition(sub).solve(cross)).get(0, 0);
    if (1 - explained < 1e-10) {
      throw new EstimationError(
        `"${names[j]}" is collinear with ${names
          .slice(0, j)
          .map((name) => `"${name}"`)
          .join(
            ', ',
          )} within groups (for example, a --by column that is the same for every row): it cannot be estimated.`,
      );
    }
  }
}
