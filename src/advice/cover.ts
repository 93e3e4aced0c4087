import highsModule, { type Highs } from 'highs';

// The package's types describe its CommonJS build; under ESM its default export is the loader itself.
type Loader = () => Promise<Highs>;
const loadHighs = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;

/**
 * The exact problem behind a plan: a weighted set cover with prerequisites and budgets, solved as a 0–1
 * integer program by HiGHS (WebAssembly). Plain data in, chosen items out; no I/O besides the solver.
 *
 *   minimize    Σ cost_i · x_i                       (notional hours, then fewer credentials: see `objective`)
 *   subject to  Σ_{i covers e} x_i ≥ 1               for every element e that must be covered
 *               x_i ≤ x_p                            for every prerequisite p of item i
 *               Σ hours_i · x_i ≤ maxCost            (optional)
 *               Σ x_i ≤ maxItems                     (optional)
 *               Σ_{i ∈ S} x_i ≤ |S| − 1              for every excluded plan S (no-good cuts: alternatives)
 *               x_i ∈ {0, 1}
 */
export interface CoverItem {
  /** Hours; any non-negative number (compared in hundredths of an hour). */
  cost: number;
  /** Indices of the elements this item covers. */
  covers: readonly number[];
  /** Indices of items that must be chosen with this one. */
  requires: readonly number[];
}

export interface CoverProblem {
  items: readonly CoverItem[];
  /** Number of elements; every element must be covered by at least one item. */
  elements: number;
  maxCost?: number | undefined;
  maxItems?: number | undefined;
  /** Plans (sets of item indices) that may not be chosen again, nor any plan containing one. */
  exclude?: readonly (readonly number[])[];
  timeLimitSeconds: number;
}

export type CoverResult =
  | {
      status: 'optimal' | 'time-limit';
      /** Chosen item indices, ascending. */
      chosen: number[];
      /** Σ cost of the chosen items, summed in hundredths of an hour. */
      cost: number;
      /** A proven lower bound on the cost of any plan (equal to `cost` when optimal). */
      lowerBound: number;
    }
  | { status: 'infeasible' }
  /** The time limit passed before the solver found any plan. */
  | { status: 'no-solution'; lowerBound: number };

let loaded: Promise<Highs> | undefined;
/** The WebAssembly solver, loaded once per process. */
export function solverRuntime(): Promise<Highs> {
  loaded ??= loadHighs();
  return loaded;
}

/** Hours in hundredths: costs are compared and summed as integers so totals add up exactly. */
export const centi = (hours: number) => Math.round(hours * 100);

/**
 * Ties are broken by the objective itself: each item costs its hundredths of an hour times (n + 1), plus 1.
 * A plan with fewer hours always wins (a hundredth of an hour outweighs any count of items); among plans of
 * equal hours, the one with fewer credentials wins. Any remaining tie goes to the solver's deterministic
 * choice on the items in the caller's (sorted) order: the same question always gets the same plan.
 */
export function objective(items: readonly CoverItem[]): number[] {
  const n = items.length;
  return items.map((item) => centi(item.cost) * (n + 1) + 1);
}

export async function solveCover(problem: CoverProblem): Promise<CoverResult> {
  const { items } = problem;
  const n = items.length;
  for (let e = 0; e < problem.elements; e++) {
    if (!items.some((item) => item.covers.includes(e))) return { status: 'infeasible' };
  }
  if (problem.elements === 0) return { status: 'optimal', chosen: [], cost: 0, lowerBound: 0 };

  const rows: { lower: number; upper: number; indices: number[]; values: number[] }[] = [];
  const coverers: number[][] = Array.from({ length: problem.elements }, () => []);
  items.forEach((item, i) => new Set(item.covers).forEach((e) => coverers[e]!.push(i)));
  for (const list of coverers) rows.push({ lower: 1, upper: Infinity, indices: list, values: list.map(() => 1) });
  items.forEach((item, i) => {
    for (const p of new Set(item.requires)) {
      if (p === i) continue;
      rows.push({ lower: -Infinity, upper: 0, indices: [i, p], values: [1, -1] });
    }
  });
  const all = items.map((_, i) => i);
  if (problem.maxCost !== undefined) {
    rows.push({
      lower: -Infinity,
      upper: centi(problem.maxCost),
      indices: all,
      values: items.map((it) => centi(it.cost)),
    });
  }
  if (problem.maxItems !== undefined) {
    rows.push({ lower: -Infinity, upper: problem.maxItems, indices: all, values: all.map(() => 1) });
  }
  for (const plan of problem.exclude ?? []) {
    const set = [...new Set(plan)];
    rows.push({ lower: -Infinity, upper: set.length - 1, indices: set, values: set.map(() => 1) });
  }

  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    indices.push(...row.indices);
    values.push(...row.values);
    starts.push(indices.length);
  }
  const weights = objective(items);
  const highs = await solverRuntime();
  const scale = n + 1;
  return highs.withModel(
    {
      numCols: n,
      numRows: rows.length,
      colCost: weights,
      colLower: all.map(() => 0),
      colUpper: all.map(() => 1),
      rowLower: rows.map((r) => r.lower),
      rowUpper: rows.map((r) => r.upper),
      matrix: { format: 'csr', numRows: rows.length, numCols: n, starts, indices, values },
      integrality: all.map(() => highs.constants.variableType.integer),
    },
    (model): CoverResult => {
      // The objective is integral: an absolute gap below 1 proves optimality exactly.
      model.options.set({
        output_flag: false,
        time_limit: Math.max(0.001, problem.timeLimitSeconds),
        mip_rel_gap: 0,
        mip_abs_gap: 0.5,
        random_seed: 0,
      });
      const { modelStatus } = model.run();
      const codes = highs.constants.modelStatus;
      if (modelStatus === codes.infeasible) return { status: 'infeasible' };
      const bound = (): number => {
        const value = Number(model.info.get('mip_dual_bound'));
        return Number.isFinite(value) ? Math.max(0, Math.ceil(value - 1e-6)) : 0;
      };
      // Back from the weighted objective to hours: weight = centi·(n+1) + 1, and a plan has at most n items.
      const boundCost = (weighted: number) => Math.max(0, Math.ceil((weighted - n) / scale)) / 100;
      const solution = model.getSolution().colValue;
      const chosen = all.filter((i) => (solution[i] ?? 0) > 0.5);
      const feasible = modelStatus === codes.optimal || isFeasible(problem, chosen);
      if (!feasible) return { status: 'no-solution', lowerBound: boundCost(bound()) };
      const cost = chosen.reduce((sum, i) => sum + centi(items[i]!.cost), 0) / 100;
      if (modelStatus === codes.optimal) return { status: 'optimal', chosen, cost, lowerBound: cost };
      return { status: 'time-limit', chosen, cost, lowerBound: Math.min(cost, boundCost(bound())) };
    },
  );
}

/** Whether a set of items is a plan: covers everything, brings its prerequisites, keeps the budgets and cuts. */
export function isFeasible(problem: CoverProblem, chosen: readonly number[]): boolean {
  const set = new Set(chosen);
  if (chosen.length === 0 && problem.elements > 0) return false;
  const covered = new Set<number>();
  for (const i of set) {
    const item = problem.items[i];
    if (!item) return false;
    item.covers.forEach((e) => covered.add(e));
    if (item.requires.some((p) => !set.has(p))) return false;
  }
  for (let e = 0; e < problem.elements; e++) if (!covered.has(e)) return false;
  const cost = [...set].reduce((sum, i) => sum + centi(problem.items[i]!.cost), 0);
  if (problem.maxCost !== undefined && cost > centi(problem.maxCost)) return false;
  if (problem.maxItems !== undefined && set.size > problem.maxItems) return false;
  for (const plan of problem.exclude ?? []) if (plan.every((i) => set.has(i))) return false;
  return true;
}

/**
 * A quick feasible plan when the solver ran out of time before finding one: greedy by hours per newly
 * covered element, each pick bringing its prerequisites. Not optimal, and never called so.
 */
export function greedyCover(problem: CoverProblem): number[] | undefined {
  const chosen = new Set<number>();
  const covered = new Set<number>();
  const closure = (i: number, into: Set<number>) => {
    if (into.has(i)) return;
    into.add(i);
    for (const p of problem.items[i]!.requires) closure(p, into);
  };
  while (covered.size < problem.elements) {
    let best: { gain: number; cost: number; add: Set<number> } | undefined;
    problem.items.forEach((_, i) => {
      if (chosen.has(i)) return;
      const add = new Set<number>();
      closure(i, add);
      for (const c of chosen) add.delete(c);
      const newly = new Set<number>();
      for (const j of add) for (const e of problem.items[j]!.covers) if (!covered.has(e)) newly.add(e);
      if (newly.size === 0) return;
      const cost = [...add].reduce((sum, j) => sum + centi(problem.items[j]!.cost), 0);
      if (!best || cost * best.gain < best.cost * newly.size) best = { gain: newly.size, cost, add };
    });
    if (!best) return undefined;
    for (const j of best.add) {
      chosen.add(j);
      problem.items[j]!.covers.forEach((e) => covered.add(e));
    }
  }
  const plan = [...chosen].sort((a, b) => a - b);
  return isFeasible(problem, plan) ? plan : undefined;
}
