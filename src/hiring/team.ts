import type { Highs } from 'highs';
import { solverRuntime } from '../advice/cover.js';

/**
 * Team staffing for a project, solved exactly: a lexicographic covering integer program, solved by HiGHS
 * (WebAssembly). Plain data in, teams out; no I/O besides the solver.
 *
 *   x_i ∈ {0, 1}                                   candidate i is on the team
 *   Σ_{i holds s} x_i ≥ needed_s                    for every required skill s (how many members must hold it)
 *   Σ x_i ≤ maxSize                                 (optional)
 *   Σ rate_i · x_i ≤ budget                         (optional; day rates, compared in cents)
 *   Σ_{i ∈ T} x_i ≤ |T| − 1                         for every team T already answered (runners-up: no team that
 *                                                   is an earlier one, or an earlier one with members added)
 *
 * The order is lexicographic: fewest members, then the lowest total day rate, then the highest summed score.
 * It is solved as three integer programs in turn, each fixing the optimum of the one before, so no weighting
 * of objectives is involved and each stage is exact (every objective is integral, and each stage is solved
 * with an absolute gap below 1). The runners-up are the next teams in the same order, each found by solving
 * again with the teams before it cut off.
 */
export interface TeamCandidate {
  /** Day rate, a non-negative number of currency units (compared in cents). */
  rate: number;
  /** The candidate's score for the project (whole points; higher is better). */
  score: number;
  /** Indices of the requirements this candidate holds. */
  holds: readonly number[];
}

export interface TeamRequirement {
  /** How many members must hold it (at least 1). */
  needed: number;
}

export interface TeamProblem {
  candidates: readonly TeamCandidate[];
  requirements: readonly TeamRequirement[];
  maxSize?: number | undefined;
  /** The most the team's day rates may add up to. */
  budget?: number | undefined;
  /** How many runners-up to find after the best team (default 3). */
  runnersUp?: number | undefined;
  /** For the whole search (every stage of every team). */
  timeLimitSeconds: number;
}

export interface Team {
  /** Candidate indices, ascending. */
  members: number[];
  size: number;
  /** Σ day rates (summed in cents). */
  rate: number;
  score: number;
}

export type TeamResult =
  | {
      /** `optimal`: the best team and each runner-up are proven best in their turn. */
      status: 'optimal';
      team: Team;
      runnersUp: Team[];
    }
  | {
      /** The time limit passed: `team` is the best found (when one was), not proven best. */
      status: 'time-limit';
      team: Team | undefined;
      runnersUp: Team[];
    }
  | {
      status: 'infeasible';
      /** The requirements fewer candidates hold than it needs (empty when only the size or budget rule out a team). */
      uncovered: { requirement: number; needed: number; holders: number }[];
    };

/** Day rates in cents: summed and compared as integers so totals add up exactly. */
export const cents = (rate: number) => Math.round(rate * 100);

/** The lexicographic order of teams: fewer members, then lower total rate, then higher score. Negative: a first. */
export function compareTeams(a: Team, b: Team): number {
  return a.size - b.size || cents(a.rate) - cents(b.rate) || b.score - a.score;
}

function teamOf(problem: TeamProblem, members: number[]): Team {
  const sorted = [...members].sort((a, b) => a - b);
  return {
    members: sorted,
    size: sorted.length,
    rate: sorted.reduce((sum, i) => sum + cents(problem.candidates[i]!.rate), 0) / 100,
    score: sorted.reduce((sum, i) => sum + problem.candidates[i]!.score, 0),
  };
}

/** Whether a set of candidates is a team: every requirement held often enough, within the size and budget. */
export function isTeam(problem: TeamProblem, members: readonly number[], excluded: readonly Team[] = []): boolean {
  const set = new Set(members);
  if (set.size !== members.length) return false;
  if (members.some((i) => !problem.candidates[i])) return false;
  if (problem.maxSize !== undefined && set.size > problem.maxSize) return false;
  if (problem.budget !== undefined) {
    const total = members.reduce((sum, i) => sum + cents(problem.candidates[i]!.rate), 0);
    if (total > cents(problem.budget)) return false;
  }
  const count = problem.requirements.map(() => 0);
  for (const i of set) for (const r of new Set(problem.candidates[i]!.holds)) count[r] = (count[r] ?? 0) + 1;
  if (problem.requirements.some((req, r) => count[r]! < req.needed)) return false;
  return !excluded.some((t) => t.members.every((i) => set.has(i)));
}

/** The requirements fewer candidates hold than they need: no team at all can cover these. */
export function uncoveredRequirements(problem: TeamProblem) {
  const holders = problem.requirements.map(() => 0);
  for (const c of problem.candidates) for (const r of new Set(c.holds)) holders[r] = (holders[r] ?? 0) + 1;
  return problem.requirements
    .map((req, requirement) => ({ requirement, needed: req.needed, holders: holders[requirement]! }))
    .filter((r) => r.holders < r.needed);
}

export async function solveTeam(problem: TeamProblem): Promise<TeamResult> {
  const uncovered = uncoveredRequirements(problem);
  if (uncovered.length) return { status: 'infeasible', uncovered };
  const highs = await solverRuntime();
  return highs.withModel((model) => solveWith(highs, model, problem));
}

function solveWith(highs: Highs, model: ReturnType<Highs['createModel']>, problem: TeamProblem): TeamResult {
  const { candidates, requirements } = problem;
  const n = candidates.length;
  const wanted = 1 + Math.max(0, problem.runnersUp ?? 3);
  const started = performance.now();
  const remaining = () => problem.timeLimitSeconds - (performance.now() - started) / 1000;

  const rows: { lower: number; upper: number; indices: number[]; values: number[] }[] = [];
  const holders: number[][] = requirements.map(() => []);
  candidates.forEach((c, i) => new Set(c.holds).forEach((r) => holders[r]!.push(i)));
  requirements.forEach((req, r) =>
    rows.push({ lower: req.needed, upper: Infinity, indices: holders[r]!, values: holders[r]!.map(() => 1) }),
  );
  const all = candidates.map((_, i) => i);
  const ones = all.map(() => 1);
  const rates = candidates.map((c) => cents(c.rate));
  // Two rows whose bounds carry the limits and, during the later stages, the optimum of the earlier ones.
  const sizeRow = rows.length;
  rows.push({ lower: -Infinity, upper: problem.maxSize ?? Infinity, indices: all, values: ones });
  const rateRow = rows.length;
  rows.push({
    lower: -Infinity,
    upper: problem.budget === undefined ? Infinity : cents(problem.budget),
    indices: all,
    values: rates,
  });
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    indices.push(...row.indices);
    values.push(...row.values);
    starts.push(indices.length);
  }
  model.passModel({
    numCols: n,
    numRows: rows.length,
    colCost: ones,
    colLower: all.map(() => 0),
    colUpper: all.map(() => 1),
    rowLower: rows.map((r) => r.lower),
    rowUpper: rows.map((r) => r.upper),
    matrix: { format: 'csr', numRows: rows.length, numCols: n, starts, indices, values },
    integrality: all.map(() => highs.constants.variableType.integer),
  });
  const codes = highs.constants.modelStatus;
  const baseSize = problem.maxSize ?? Infinity;
  const baseRate = problem.budget === undefined ? Infinity : cents(problem.budget);

  /** One stage: minimize `cost`; the chosen members, or why there are none. */
  const stage = (
    cost: number[],
    start?: number[],
  ): { status: 'optimal' | 'time-limit'; members: number[] } | 'infeasible' | 'none' => {
    const left = remaining();
    if (left <= 0) return 'none';
    model.changeColsCost({ kind: 'range', from: 0, to: n - 1 }, cost);
    model.clearSolver();
    // Every objective is integral: an absolute gap below 1 proves optimality exactly.
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.001, left),
      mip_rel_gap: 0,
      mip_abs_gap: 0.5,
      random_seed: 0,
    });
    // The previous stage's team is feasible here too: the solver starts from it.
    if (start) model.setSolution({ colValue: all.map((i) => (start.includes(i) ? 1 : 0)) });
    const { modelStatus } = model.run();
    if (modelStatus === codes.infeasible) return 'infeasible';
    const solution = model.getSolution().colValue;
    const members = all.filter((i) => (solution[i] ?? 0) > 0.5);
    if (modelStatus === codes.optimal) return { status: 'optimal', members };
    return members.length || requirements.length === 0 ? { status: 'time-limit', members } : 'none';
  };

  const found: Team[] = [];
  let proven = true;
  while (found.length < wanted) {
    // Teams come in order: none left is smaller than the last one found (a bound that lets the solver stop as
    // soon as it meets it), and none of the same size is cheaper.
    const last = found.at(-1);
    model.changeRowBounds(sizeRow, last?.size ?? -Infinity, baseSize);
    model.changeRowBounds(rateRow, -Infinity, baseRate);
    // 1. Fewest members.
    const first = n === 0 ? { status: 'optimal' as const, members: [] as number[] } : stage(ones);
    if (first === 'infeasible') break;
    if (first === 'none') {
      proven = false;
      break;
    }
    let best = teamOf(problem, first.members);
    let optimal = first.status === 'optimal';
    if (optimal && n > 0) {
      // 2. Lowest total day rate among teams of that size.
      model.changeRowBounds(sizeRow, best.size, best.size);
      if (last?.size === best.size) model.changeRowBounds(rateRow, cents(last.rate), baseRate);
      const second = stage(rates, best.members);
      if (typeof second === 'object') {
        const team = teamOf(problem, second.members);
        if (isTeam(problem, team.members, found) && compareTeams(team, best) <= 0) best = team;
        optimal = second.status === 'optimal';
      } else optimal = false;
      if (optimal) {
        // 3. Highest summed score among teams of that size and rate.
        model.changeRowBounds(rateRow, cents(best.rate), cents(best.rate));
        const third = stage(
          candidates.map((c) => -c.score),
          best.members,
        );
        if (typeof third === 'object') {
          const team = teamOf(problem, third.members);
          if (isTeam(problem, team.members, found) && compareTeams(team, best) <= 0) best = team;
          optimal = third.status === 'optimal';
        } else optimal = false;
      }
    }
    if (!isTeam(problem, best.members, found)) {
      proven = false;
      break;
    }
    found.push(best);
    proven &&= optimal;
    if (best.size === 0) break; // Every other team contains the empty one.
    model.addRow(-Infinity, best.size - 1, { indices: best.members, values: best.members.map(() => 1) });
    if (!optimal) break;
  }
  const [team, ...runnersUp] = found;
  if (!team) return proven ? { status: 'infeasible', uncovered: [] } : { status: 'time-limit', team, runnersUp };
  return proven ? { status: 'optimal', team, runnersUp } : { status: 'time-limit', team, runnersUp };
}

/**
 * The same teams by enumeration, for tests and the benchmark (every subset: exponential, small instances only):
 * each in turn the best team in the lexicographic order that contains none of the teams before it.
 */
export function bruteForceTeams(problem: TeamProblem): Team[] {
  const n = problem.candidates.length;
  if (n > 22) throw new Error('bruteForceTeams enumerates every subset: at most 22 candidates.');
  const wanted = 1 + Math.max(0, problem.runnersUp ?? 3);
  const feasible: Team[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    if (isTeam(problem, members)) feasible.push(teamOf(problem, members));
  }
  feasible.sort(compareTeams);
  const found: Team[] = [];
  for (const team of feasible) {
    if (found.length >= wanted) break;
    const set = new Set(team.members);
    if (found.some((t) => t.members.every((i) => set.has(i)))) continue;
    found.push(team);
  }
  return found;
}
