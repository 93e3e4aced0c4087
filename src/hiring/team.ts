import type { Highs } from 'highs';
import { solverRuntime } from '../advice/cover.js';
import { seededRandom } from '../platform/seeded-random.js';

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
 * It is solved in stages, each fixing the optimum of the one before: fewest members, then the rate and the score
 * together as one integral objective (rate · W − score, W above any difference of summed scores among teams of
 * that size) when its coefficients stay small (`MAX_MERGED_COST`), else the rate and then the score. Every
 * objective is integral and each stage is solved with an absolute gap below 1, so each is exact. The runners-up
 * are the next teams in the same order, each found by solving again with the teams before it cut off.
 *
 * The fewest members are mostly found without a solve of their own: the rate stage is solved for each size in
 * turn from the relaxation's bound (or the last team's size) up to a known team's, an impossible size being
 * proven so by the solver or by the relaxation alone (see `Relaxation`, which before every solve also leaves out
 * the candidates no team good enough can contain). Only the candidates some answer may need reach the solver
 * (`keptCandidates`), a local search hands it a team to start from, and a runner-up that ties the team before
 * it is taken without a solve (see `solveWith`).
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

/**
 * The largest coefficient of the one objective that orders teams of one size by rate, then score: about what
 * day rates in cents alone reach, so the solver's tolerances (10⁻⁶ of a unit of integrality) stay far below 1.
 */
const MAX_MERGED_COST = 1e6;

/** Rounds of the local search for the first team's starting point (each a few milliseconds at 500 × 60). */
const GREEDY_ROUNDS = 30;

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

const random = seededRandom;

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
  // The solver sees only the candidates no answer needs (see `keptCandidates`); members map back to the caller's.
  const kept = keptCandidates(problem);
  const reduced: TeamProblem = { ...problem, candidates: kept.map((i) => problem.candidates[i]!) };
  const highs = await solverRuntime();
  const result = highs.withModel((model) => highs.withModel((lp) => solveWith(highs, model, lp, reduced)));
  if (result.status === 'infeasible') return result;
  const back = (team: Team): Team =>
    teamOf(
      problem,
      team.members.map((i) => kept[i]!),
    );
  return { ...result, team: result.team && back(result.team), runnersUp: result.runnersUp.map(back) } as TeamResult;
}

/**
 * The candidates that can matter, ascending: a candidate is left out when enough others dominate it (hold every
 * requirement it holds, at no higher a day rate and no lower a score; among equals, the earlier index dominates).
 *
 * Exact for the best team and the `runnersUp` after it. Take a team T, best given the teams answered before it
 * (none of which it contains), that contains a left-out candidate A with at least k + (runners-up) dominators,
 * k the most members any of A's requirements needs. If some dominator B is not in T and T − A + B contains no
 * earlier team, T − A + B is a team no worse (same size, rate no higher, score no lower) with a dominator
 * instead of A. T − A + B can contain an earlier team E only if E ∖ T = {B}, so each earlier team (at most the
 * number of runners-up) blocks at most one B. Otherwise at least k dominators are in T, and T − A, which still
 * holds each of A's requirements often enough and contains no earlier team, is a smaller team: T was not best.
 * So among the best teams, one using the fewest left-out candidates (dominators ranked first) uses none, and
 * the teams found on the kept candidates have the same sizes, rates and scores as on all of them.
 */
export function keptCandidates(problem: TeamProblem): number[] {
  const { candidates, requirements } = problem;
  const extra = Math.max(0, problem.runnersUp ?? 3);
  const holds = candidates.map((c) => [...new Set(c.holds)]);
  const rates = candidates.map((c) => cents(c.rate));
  const holders: number[][] = requirements.map(() => []);
  holds.forEach((h, i) => h.forEach((r) => holders[r]!.push(i)));
  const kept: number[] = [];
  candidates.forEach((a, i) => {
    const need = extra + Math.max(0, ...holds[i]!.map((r) => requirements[r]!.needed));
    // Dominators hold every requirement A holds: scan the holders of A's rarest requirement only.
    const pool = holds[i]!.length
      ? holds[i]!.map((r) => holders[r]!).reduce((x, y) => (y.length < x.length ? y : x))
      : candidates.map((_, j) => j);
    let dominators = 0;
    for (const j of pool) {
      if (j === i) continue;
      const b = candidates[j]!;
      if (rates[j]! > rates[i]! || b.score < a.score) continue;
      const bHolds = holds[j]!;
      if (!holds[i]!.every((r) => bHolds.includes(r))) continue;
      const better = rates[j]! < rates[i]! || b.score > a.score || bHolds.length > holds[i]!.length;
      if ((better || j < i) && ++dominators >= need) break;
    }
    if (dominators < need) kept.push(i);
  });
  return kept;
}

type Model = ReturnType<Highs['createModel']>;

/** One row of the model: lower ≤ Σ values · x[indices] ≤ upper. */
interface Row {
  lower: number;
  upper: number;
  indices: number[];
  values: number[];
}

/**
 * The model's linear relaxation (a second HiGHS model, without integrality), used before each integer solve to
 * leave out the candidates that no good enough team can contain (reduced-cost fixing). The integer solve of one
 * stage cannot do this with the relaxation of another: the fewest-members relaxation alone rules out about half of
 * the candidates of the rate stage, and proves most sizes impossible without an integer solve.
 *
 * The argument, exact whatever the accuracy of the duals: for any row multipliers y and d = c − Aᵀy, every x within
 * the rows' bounds has c·x = y·Ax + d·x ≥ B + d·x, B = Σ_r (y_r > 0 ? y_r · lower_r : y_r · upper_r) (a y_r of the
 * wrong sign for an infinite bound taken as 0). So a team T (x ∈ {0, 1}) has c(T) ≥ B + Σ_{i∈T} d_i ≥ B − N + d_j
 * for each member j, N the sum of −d_i over the candidates with d_i < 0 (j left out when d_j < 0): a candidate with
 * B − N + max(d_j, 0) > Z is in no team of cost ≤ Z, and B − N bounds every team's cost. y is HiGHS's optimal dual;
 * B and d are recomputed here from the rows, with a tolerance on the side of keeping candidates.
 */
class Relaxation {
  constructor(
    private readonly highs: Highs,
    private readonly lp: Model,
    private readonly rows: Row[],
    private readonly n: number,
  ) {}

  addRow(row: Row) {
    this.rows.push({ ...row });
    this.lp.addRow(row.lower, row.upper, { indices: row.indices, values: row.values });
  }

  setRowBounds(r: number, lower: number, upper: number) {
    this.rows[r]!.lower = lower;
    this.rows[r]!.upper = upper;
    this.lp.changeRowBounds(r, lower, upper);
  }

  /**
   * Clears in `active` the candidates of no team of cost ≤ `limit` among the active ones, again while the
   * relaxation over those left rises; `keep` (a known team's members) stay. Returns a lower bound on the cost of
   * the teams of the candidates still active (Infinity when the rows admit none; above `limit`: no team of cost
   * ≤ `limit` at all).
   */
  fix(cost: readonly number[], limit: number, active: boolean[], keep: readonly number[] = []): number {
    const { lp, rows, n } = this;
    const codes = this.highs.constants.modelStatus;
    lp.changeColsCost({ kind: 'range', from: 0, to: n - 1 }, cost);
    lp.options.set({ output_flag: false, presolve: 'off' });
    const kept = new Set(keep);
    let lowest = -Infinity;
    for (let round = 0; round < 8; round++) {
      lp.changeColsBounds(
        { kind: 'range', from: 0, to: n - 1 },
        active.map(() => 0),
        active.map((a) => (a ? 1 : 0)),
      );
      const { modelStatus } = lp.run();
      if (modelStatus === codes.infeasible) return Infinity;
      if (modelStatus !== codes.optimal) return lowest;
      const y = lp.getSolution().rowDual;
      const d = [...cost];
      let bound = 0;
      let scale = 1 + Math.abs(limit === Infinity ? 0 : limit);
      rows.forEach((row, r) => {
        let yr = y[r] ?? 0;
        if ((yr > 0 && row.lower === -Infinity) || (yr < 0 && row.upper === Infinity)) yr = 0;
        if (yr === 0) return;
        const term = yr * (yr > 0 ? row.lower : row.upper);
        bound += term;
        scale += Math.abs(term);
        row.indices.forEach((i, k) => (d[i] = d[i]! - yr * row.values[k]!));
      });
      let negative = 0;
      for (let i = 0; i < n; i++) if (active[i] && d[i]! < 0) negative -= d[i]!;
      const tolerance = 1e-7 * (scale + negative);
      lowest = Math.max(lowest, bound - negative - tolerance);
      if (lowest > limit) return lowest;
      let dropped = 0;
      for (let i = 0; i < n; i++) {
        if (active[i] && !kept.has(i) && d[i]! > 0 && lowest + d[i]! > limit) {
          active[i] = false;
          dropped++;
        }
      }
      if (dropped === 0) break;
    }
    return lowest;
  }
}

/**
 * For tests: what `Relaxation.fix` leaves of the candidates for the teams of `problem` (its requirements, size and
 * budget) of cost at most `limit` (`cost` one number per candidate), and the bound it returns.
 */
export async function relaxationFixing(
  problem: TeamProblem,
  cost: readonly number[],
  limit: number,
): Promise<{ active: boolean[]; bound: number }> {
  const { candidates, requirements } = problem;
  const n = candidates.length;
  const holders: number[][] = requirements.map(() => []);
  candidates.forEach((c, i) => new Set(c.holds).forEach((r) => holders[r]!.push(i)));
  const all = candidates.map((_, i) => i);
  const rows: Row[] = [
    ...requirements.map((req, r) => ({
      lower: req.needed,
      upper: Infinity,
      indices: holders[r]!,
      values: holders[r]!.map(() => 1),
    })),
    { lower: -Infinity, upper: problem.maxSize ?? Infinity, indices: all, values: all.map(() => 1) },
    {
      lower: -Infinity,
      upper: problem.budget === undefined ? Infinity : cents(problem.budget),
      indices: all,
      values: candidates.map((c) => cents(c.rate)),
    },
  ];
  const highs = await solverRuntime();
  return highs.withModel((lp) => {
    const starts = [0];
    for (const row of rows) starts.push(starts.at(-1)! + row.indices.length);
    lp.passModel({
      numCols: n,
      numRows: rows.length,
      colCost: [...cost],
      colLower: all.map(() => 0),
      colUpper: all.map(() => 1),
      rowLower: rows.map((r) => r.lower),
      rowUpper: rows.map((r) => r.upper),
      matrix: {
        format: 'csr',
        numRows: rows.length,
        numCols: n,
        starts,
        indices: rows.flatMap((r) => r.indices),
        values: rows.flatMap((r) => r.values),
      },
    });
    const active = all.map(() => true);
    const bound = new Relaxation(highs, lp, rows, n).fix(cost, limit, active);
    return { active, bound };
  });
}

/** How many sizes the rate stage tries in turn (each proving the one before impossible) before one fewest-members solve. */
const SIZES_IN_TURN = 2;

function solveWith(highs: Highs, model: Model, lp: Model, problem: TeamProblem): TeamResult {
  const { candidates, requirements } = problem;
  const n = candidates.length;
  const wanted = 1 + Math.max(0, problem.runnersUp ?? 3);
  const started = performance.now();
  const remaining = () => problem.timeLimitSeconds - (performance.now() - started) / 1000;
  // No candidates: the empty team, when nothing is required, is the only one.
  if (n === 0) {
    return isTeam(problem, [])
      ? { status: 'optimal', team: teamOf(problem, []), runnersUp: [] }
      : { status: 'infeasible', uncovered: [] };
  }

  const rows: Row[] = [];
  const holders: number[][] = requirements.map(() => []);
  candidates.forEach((c, i) => new Set(c.holds).forEach((r) => holders[r]!.push(i)));
  requirements.forEach((req, r) =>
    rows.push({ lower: req.needed, upper: Infinity, indices: holders[r]!, values: holders[r]!.map(() => 1) }),
  );
  const all = candidates.map((_, i) => i);
  const ones = all.map(() => 1);
  const rates = candidates.map((c) => cents(c.rate));
  // Day rates in their largest common unit of cents: the same order with smaller coefficients (every total is a
  // whole number of units, so a bound in cents becomes one in units by rounding down).
  const unit = rates.reduce((g, r) => gcd(g, r), 0) || 1;
  const units = rates.map((r) => r / unit);
  const inUnits = (centsTotal: number) => Math.floor(centsTotal / unit);
  // Two rows whose bounds carry the limits and, during the later stages, the optimum of the earlier ones.
  const sizeRow = rows.length;
  rows.push({ lower: -Infinity, upper: problem.maxSize ?? Infinity, indices: all, values: ones });
  const rateRow = rows.length;
  rows.push({
    lower: -Infinity,
    upper: problem.budget === undefined ? Infinity : inUnits(cents(problem.budget)),
    indices: all,
    values: units,
  });
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    indices.push(...row.indices);
    values.push(...row.values);
    starts.push(indices.length);
  }
  const data = {
    numCols: n,
    numRows: rows.length,
    colCost: ones,
    colLower: all.map(() => 0),
    colUpper: all.map(() => 1),
    rowLower: rows.map((r) => r.lower),
    rowUpper: rows.map((r) => r.upper),
    matrix: { format: 'csr' as const, numRows: rows.length, numCols: n, starts, indices, values },
  };
  model.passModel({ ...data, integrality: all.map(() => highs.constants.variableType.integer) });
  lp.passModel(data);
  const relaxation = new Relaxation(
    highs,
    lp,
    rows.map((r) => ({ ...r })),
    n,
  );
  const codes = highs.constants.modelStatus;
  const baseSize = Math.min(problem.maxSize ?? Infinity, n);
  const baseRate = problem.budget === undefined ? Infinity : inUnits(cents(problem.budget));
  const setRow = (r: number, lower: number, upper: number) => {
    model.changeRowBounds(r, lower, upper);
    relaxation.setRowBounds(r, lower, upper);
  };

  type Solved = { status: 'optimal' | 'time-limit'; members: number[] } | 'infeasible' | 'none';
  let solves = 0;
  /** One integer solve: minimize `cost` over the `active` candidates; the chosen members, or why there are none. */
  const stage = (cost: number[], active: boolean[], start?: readonly number[]): Solved => {
    const left = remaining();
    if (left <= 0) return 'none';
    solves++;
    model.changeColsCost({ kind: 'range', from: 0, to: n - 1 }, cost);
    model.changeColsBounds(
      { kind: 'range', from: 0, to: n - 1 },
      active.map(() => 0),
      active.map((a) => (a ? 1 : 0)),
    );
    model.clearSolver();
    // Every objective is integral: an absolute gap below 1 proves optimality exactly.
    model.options.set({
      output_flag: false,
      time_limit: Math.max(0.001, left),
      mip_rel_gap: 0,
      mip_abs_gap: 0.5,
      random_seed: 0,
      ...STAGE_OPTIONS,
    });
    // A known team (feasible here) is where the solver starts.
    if (start) model.setSolution({ colValue: all.map((i) => (start.includes(i) ? 1 : 0)) });
    const { modelStatus } = model.run();
    if (modelStatus === codes.infeasible) return 'infeasible';
    const solution = model.getSolution().colValue;
    const members = all.filter((i) => (solution[i] ?? 0) > 0.5);
    if (modelStatus === codes.optimal) return { status: 'optimal', members };
    return members.length || requirements.length === 0 ? { status: 'time-limit', members } : 'none';
  };

  const scores = candidates.map((c) => c.score);
  const scoreSpan = Math.max(0, ...scores) - Math.min(0, ...scores);
  /** rate · W − score for teams of `size` members, or undefined when scores are not whole or the weights too big. */
  const mergedCosts = (size: number) => {
    if (!scores.every(Number.isInteger)) return undefined;
    const w = size * scoreSpan + 1;
    const costs = units.map((u, i) => u * w - scores[i]!);
    return costs.every((c) => Math.abs(c) <= MAX_MERGED_COST) ? costs : undefined;
  };
  const costOf = (cost: readonly number[], members: readonly number[]) => members.reduce((s, i) => s + cost[i]!, 0);
  const found: Team[] = [];
  const record = (team: Team) => {
    found.push(team);
    // No later team is this one or contains it.
    if (team.size > 0) {
      const row = { lower: -Infinity, upper: team.size - 1, indices: team.members, values: team.members.map(() => 1) };
      model.addRow(row.lower, row.upper, { indices: row.indices, values: row.values });
      relaxation.addRow(row);
    }
  };
  let sizeRange: [number, number] = [-Infinity, Infinity];
  const setSize = (lower: number, upper: number) => {
    sizeRange = [lower, upper];
    setRow(sizeRow, lower, upper);
  };
  /**
   * The candidates that may be in a team of at most `size` members (by the fewest-members relaxation, without the
   * size row), or undefined when no team is that small.
   */
  const activeFor = (size: number, keep: readonly number[] = []) => {
    const active = all.map(() => true);
    relaxation.setRowBounds(sizeRow, -Infinity, Infinity);
    const bound = relaxation.fix(ones, size, active, keep);
    relaxation.setRowBounds(sizeRow, ...sizeRange);
    return bound > size ? undefined : active;
  };

  type Best = { status: 'optimal' | 'time-limit'; team: Team } | 'infeasible' | 'none';
  /**
   * 2 and 3. The best team of exactly `size` members: lowest total day rate, then highest summed score (none
   * cheaper than the last team, when of that size), from `known` when given; 'infeasible' when there is none.
   */
  const bestOfSize = (size: number, last: Team | undefined, known?: Team): Best => {
    if (size === 0) return isTeam(problem, [], found) ? { status: 'optimal', team: teamOf(problem, []) } : 'infeasible';
    setSize(size, size);
    const lowestRate = last?.size === size ? inUnits(cents(last.rate)) : -Infinity;
    setRow(rateRow, lowestRate, baseRate);
    const keep = known?.members ?? [];
    const active = activeFor(size, keep);
    if (!active) return 'infeasible';
    // Rate and score at once, when one integral objective orders the teams of this size exactly with small
    // enough coefficients: rate · W − score, with W more than any difference of summed scores between two such
    // teams. Otherwise the rate, then the score among the teams of that rate.
    const weighted = mergedCosts(size);
    let team = known;
    let status: 'optimal' | 'time-limit' = 'optimal';
    const solve = (cost: number[]): boolean => {
      if (team) relaxation.fix(cost, costOf(cost, team.members), active, team.members);
      const result = stage(cost, active, team?.members);
      if (result === 'infeasible' && !team) return false;
      if (typeof result !== 'object') {
        status = 'time-limit';
        return team !== undefined;
      }
      const solved = teamOf(problem, result.members);
      if (isTeam(problem, solved.members, found) && (!team || compareTeams(solved, team) <= 0)) team = solved;
      if (result.status !== 'optimal') status = 'time-limit';
      return team !== undefined;
    };
    if (weighted) {
      if (!solve(weighted)) return status === 'optimal' ? 'infeasible' : 'none';
    } else {
      // A known team at the last team's rate has the lowest rate already.
      const ratePending = !(team && last?.size === size && cents(last.rate) === cents(team.rate));
      if (ratePending && !solve(units)) return status === 'optimal' ? 'infeasible' : 'none';
      if (status === 'optimal' && team) {
        setRow(rateRow, inUnits(cents(team.rate)), inUnits(cents(team.rate)));
        solve(candidates.map((c) => -c.score));
      }
    }
    return team ? { status, team } : 'none';
  };
  /** 1. Fewest members, from `from` up to `upTo`: a team of that size, or 'infeasible'. */
  const fewest = (from: number, upTo: number): Solved => {
    setSize(from, upTo);
    setRow(rateRow, -Infinity, baseRate);
    const active = activeFor(upTo);
    return active ? stage(ones, active) : 'infeasible';
  };

  let proven = true;
  while (found.length < wanted) {
    // Teams come in order: each is the best of fewer teams than the one before it, so none left is smaller than
    // the last one found, none of the same size is cheaper, and none of the same size and rate scores higher.
    // A team that ties the last one is therefore the next one.
    const last = found.at(-1);
    if (last?.size === 0) break; // Every other team contains the empty one.
    const search = new TeamSearch(problem, found);
    const guess = last ? search.neighbour() : search.greedy(GREEDY_ROUNDS);
    if (last && guess && compareTeams(guess, last) === 0) {
      record(guess);
      continue;
    }
    // Fewest members: no fewer than the last team's, nor than the relaxation allows. Each size up to the guess's
    // is tried in turn by the rate stage itself (an impossible size is mostly proven so by the relaxation, or
    // quickly once it has fixed most candidates); after a few, one fewest-members solve finds the size.
    setSize(-Infinity, baseSize);
    setRow(rateRow, -Infinity, baseRate);
    const lowest = relaxation.fix(
      ones,
      Infinity,
      all.map(() => true),
    );
    let size = Math.max(last?.size ?? 0, lowest === -Infinity ? 0 : Math.ceil(lowest));
    let best: Best = 'infeasible';
    const tries = solves;
    for (; size <= baseSize; size++) {
      if (guess && size >= guess.size) {
        best = bestOfSize(guess.size, last, guess);
        break;
      }
      if (solves - tries >= SIZES_IN_TURN) {
        const first = fewest(size, guess ? guess.size - 1 : baseSize);
        if (first === 'none') best = 'none';
        else if (typeof first === 'object' && first.status !== 'optimal') {
          best = { status: 'time-limit', team: teamOf(problem, first.members) };
        } else if (typeof first === 'object') {
          const team = search.polish(first.members);
          best = bestOfSize(team.size, last, team);
        } else if (guess) best = bestOfSize(guess.size, last, guess);
        break;
      }
      best = bestOfSize(size, last);
      if (best !== 'infeasible') break;
    }
    if (best === 'infeasible') break;
    if (best === 'none' || !isTeam(problem, best.team.members, found)) {
      proven = false;
      break;
    }
    record(best.team);
    if (best.status !== 'optimal') {
      proven = false;
      break;
    }
  }
  const [team, ...runnersUp] = found;
  if (!team) return proven ? { status: 'infeasible', uncovered: [] } : { status: 'time-limit', team, runnersUp };
  return proven ? { status: 'optimal', team, runnersUp } : { status: 'time-limit', team, runnersUp };
}

/**
 * HiGHS options for every integer solve (measured on the benchmark's projects, CPU time of all stages): a cut pool
 * of 1 instead of 10,000 (root separation was most of each solve: 3.7 → 1.2 s over seven stages), pseudo-costs
 * trusted from the start instead of strong branching (→ 0.7 s), and no primal heuristics (RINS, RENS and the
 * other sub-MIPs spent most of the rest while the start given was already optimal or nearly so). None of them
 * changes what is proven: each stage still ends at an absolute gap below 1.
 */
const STAGE_OPTIONS: Record<string, number | boolean | string> = {
  mip_heuristic_effort: 0,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_heuristic_run_feasibility_jump: false,
  mip_pool_soft_limit: 1,
  mip_pscost_minreliable: 0,
};

/**
 * Local search on teams (exact answers never depend on it: it only hands the solver a good team to start from,
 * or, for a runner-up, finds one that provably ties the team before it). Holds the requirement counts of a team.
 */
class TeamSearch {
  private readonly holds: number[][];
  private readonly rates: number[];
  private readonly needed: number[];
  private readonly holders: number[][];
  constructor(
    private readonly problem: TeamProblem,
    private readonly found: readonly Team[],
  ) {
    this.holds = problem.candidates.map((c) => [...new Set(c.holds)]);
    this.rates = problem.candidates.map((c) => cents(c.rate));
    this.needed = problem.requirements.map((r) => r.needed);
    this.holders = problem.requirements.map(() => []);
    this.holds.forEach((h, i) => h.forEach((r) => this.holders[r]!.push(i)));
  }

  private counts(members: Iterable<number>) {
    const count = this.needed.map(() => 0);
    for (const i of members) for (const r of this.holds[i]!) count[r]!++;
    return count;
  }

  private allowed(members: number[]) {
    return isTeam(this.problem, members, this.found);
  }

  /** A cover built greedily (most requirements still short, then cheaper, then higher score), then improved. */
  greedy(rounds = 0): Team | undefined {
    const first = this.complete(new Set());
    if (!first || !this.allowed(first)) return undefined;
    let best = this.polish(first);
    // Iterated local search: take a few members out at random, complete greedily, polish; keep ties too.
    const rand = random(20);
    for (let round = 0; round < rounds; round++) {
      const members = best.members.filter(() => rand() >= 0.2);
      const completed = this.complete(new Set(members), rand);
      if (!completed || !this.allowed(completed)) continue;
      const team = this.polish(completed);
      if (compareTeams(team, best) <= 0) best = team;
    }
    return best;
  }

  /** Adds members greedily until every requirement is held often enough (random ties when `rand` is given). */
  private complete(chosen: Set<number>, rand?: () => number): number[] | undefined {
    const n = this.problem.candidates.length;
    const short = [...this.needed];
    for (const i of chosen) for (const r of this.holds[i]!) short[r]!--;
    for (;;) {
      if (short.every((s) => s <= 0)) break;
      let pick = -1;
      let gain = 0;
      let weight = 0;
      for (let i = 0; i < n; i++) {
        if (chosen.has(i)) continue;
        const g = this.holds[i]!.reduce((sum, r) => sum + (short[r]! > 0 ? 1 : 0), 0);
        if (g === 0 || g < gain) continue;
        const w = rand ? rand() : 0;
        if (g > gain || (rand ? w > weight : this.better(i, pick))) [pick, gain, weight] = [i, g, w];
      }
      if (pick < 0) return undefined;
      chosen.add(pick);
      for (const r of this.holds[pick]!) short[r]!--;
    }
    return [...chosen];
  }

  private better(i: number, j: number) {
    const c = this.problem.candidates;
    return j < 0 || this.rates[i]! < this.rates[j]! || (this.rates[i] === this.rates[j] && c[i]!.score > c[j]!.score);
  }

  /** The best team that swaps one member of a team found for someone else (and contains no team found). */
  neighbour(): Team | undefined {
    let best: Team | undefined;
    const n = this.problem.candidates.length;
    for (const team of this.found) {
      const count = this.counts(team.members);
      const inTeam = new Set(team.members);
      for (const out of team.members) {
        for (let i = 0; i < n; i++) {
          if (inTeam.has(i)) continue;
          if (this.holds[out]!.some((r) => count[r]! - 1 < this.needed[r]! && !this.holds[i]!.includes(r))) continue;
          const members = [...team.members.filter((m) => m !== out), i];
          const candidate = teamOf(this.problem, members);
          if (best && compareTeams(candidate, best) >= 0) continue;
          if (this.allowed(members)) best = candidate;
        }
      }
    }
    return best && this.polish(best.members);
  }

  /** Descent in the team order: drop a member, swap two for one, or one for another, while that is better. */
  polish(start: readonly number[]): Team {
    let team = teamOf(this.problem, [...start]);
    for (let improved = true; improved;) {
      improved = false;
      const count = this.counts(team.members);
      const inTeam = new Set(team.members);
      /** The requirements short when `out` leave (undefined: one is short by more than a newcomer can make up). */
      const shortWithout = (out: readonly number[]) => {
        const short: number[] = [];
        for (const o of out) {
          for (const r of this.holds[o]!) {
            let lost = 0;
            for (const x of out) if (this.holds[x]!.includes(r)) lost++;
            const gap = this.needed[r]! - (count[r]! - lost);
            if (gap > 1) return undefined;
            if (gap === 1 && !short.includes(r)) short.push(r);
          }
        }
        return short;
      };
      const tryTeam = (members: number[]) => {
        const candidate = teamOf(this.problem, members);
        if (compareTeams(candidate, team) >= 0 || !this.allowed(members)) return false;
        team = candidate;
        return (improved = true);
      };
      const m = team.members;
      /** Who could come in for `out`: holders of every short requirement not in the team. */
      const newcomers = (short: number[]) =>
        this.holders[short[0]!]!.filter((i) => !inTeam.has(i) && short.every((r) => this.holds[i]!.includes(r)));
      // One fewer member: drop one, or swap two for one.
      for (let a = 0; a < m.length && !improved; a++) {
        if (shortWithout([m[a]!])?.length === 0 && tryTeam(m.filter((_, k) => k !== a))) break;
      }
      for (let a = 0; a < m.length && !improved; a++) {
        for (let b = a + 1; b < m.length && !improved; b++) {
          const short = shortWithout([m[a]!, m[b]!]);
          if (!short?.length) continue;
          const rest = m.filter((_, k) => k !== a && k !== b);
          for (const i of newcomers(short)) if (tryTeam([...rest, i])) break;
        }
      }
      // The same size, cheaper or higher-scoring: swap one for one.
      for (let a = 0; a < m.length && !improved; a++) {
        const short = shortWithout([m[a]!]);
        if (!short?.length) continue;
        const rest = m.filter((_, k) => k !== a);
        for (const i of newcomers(short)) if (this.better(i, m[a]!) && tryTeam([...rest, i])) break;
      }
    }
    return team;
  }
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
