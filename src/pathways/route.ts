import { centi, solverRuntime } from '../advice/cover.js';
import { componentsUnder, type AchievementFacts, type RequirementNode } from './pathway.js';
import { obtainable, type Evaluation } from './progress.js';

/**
 * The cheapest way to finish a pathway: the published micro-credentials of least total notional workload that,
 * with what the learner already holds, complete the requirement tree (its allOf, anyOf(n), credit sums and
 * order). Solved exactly as a 0–1 integer program by HiGHS, the solver reskilling advice plans with (one
 * WebAssembly runtime per process, costs in hundredths of an hour, the same tie-break: fewer credentials):
 *
 *   minimize    Σ w_c · x_c                        x_c: earn component c (only those not held, published here)
 *   subject to  y_c ≤ x_c                          (c not held; y_c = 1 when held, 0 when it cannot be earned here)
 *               y_v ≤ y_u                          for every child u of an allOf v
 *               Σ_u y_u ≥ n · y_v                  for an anyOf(n) v
 *               Σ_c credit_c · y_c ≥ min · y_v     for a credit sum v over the components c under it
 *               x_a ≤ y_b                          for every order edge b before a
 *               y_root = 1
 */
export interface RouteStep {
  component: string;
  achievementId: string;
  name: string;
  issuer: { id: string; name: string };
  hours: number;
  ectsCredits: number | null;
}

export type Route =
  | { status: 'complete'; steps: []; totalHours: 0 }
  | { status: 'optimal' | 'best-found'; steps: RouteStep[]; totalHours: number }
  | { status: 'impossible'; steps: []; totalHours: null; reason: string };

type ComponentNode = Extract<RequirementNode, { type: 'component' }>;

export async function cheapestRoute(
  evaluation: Evaluation,
  achievement: (id: string) => AchievementFacts | undefined,
  prerequisites: readonly { before: string; after: string }[],
  timeLimitSeconds = 2,
): Promise<Route> {
  if (evaluation.progress.complete) return { status: 'complete', steps: [], totalHours: 0 };
  const { all, root } = evaluation.placed;
  const nodeCol = new Map(all.map((p, i) => [p, i]));
  const keyCol = new Map(all.map((p, i) => [p.key, i]));
  const lower = all.map(() => 0);
  const upper = all.map(() => 1);
  const cost = all.map(() => 0);
  const earn: { col: number; key: string; facts: AchievementFacts }[] = [];
  const rows: { lower: number; upper: number; cols: number[]; values: number[] }[] = [];

  for (const p of all) {
    if (p.node.type !== 'component') continue;
    const y = nodeCol.get(p)!;
    if (evaluation.satisfiedKeys.has(p.key)) {
      lower[y] = 1;
      continue;
    }
    const facts = obtainable((p.node as ComponentNode).component, achievement);
    if (!facts) {
      upper[y] = 0;
      continue;
    }
    const x = all.length + earn.length;
    earn.push({ col: x, key: p.key, facts });
    rows.push({ lower: -Infinity, upper: 0, cols: [y, x], values: [1, -1] });
  }
  const n = earn.length;
  if (n === 0) {
    return {
      status: 'impossible',
      steps: [],
      totalHours: null,
      reason: 'What remains can only be met by credentials not offered on this instance (foreign achievements).',
    };
  }
  for (const e of earn) {
    lower.push(0);
    upper.push(1);
    cost.push(centi(e.facts.workloadHours!) * (n + 1) + 1);
  }
  const earnOf = new Map(earn.map((e) => [e.key, e.col]));

  for (const p of all) {
    const node = p.node;
    const v = nodeCol.get(p)!;
    if (node.type === 'allOf') {
      for (const child of p.children) {
        rows.push({ lower: -Infinity, upper: 0, cols: [v, nodeCol.get(child)!], values: [1, -1] });
      }
    } else if (node.type === 'anyOf') {
      rows.push({
        lower: 0,
        upper: Infinity,
        cols: [...p.children.map((c) => nodeCol.get(c)!), v],
        values: [...p.children.map(() => 1), -node.n],
      });
    } else if (node.type === 'credits') {
      const cols: number[] = [];
      const values: number[] = [];
      const seenHoldings = new Set<string>();
      const seenKeys = new Set<string>();
      for (const c of componentsUnder(p)) {
        if (seenKeys.has(c.key)) continue;
        seenKeys.add(c.key);
        let credit: number | null;
        if (evaluation.satisfiedKeys.has(c.key)) {
          const sat = evaluation.progress.satisfied.find((s) => s.component === c.key)!.holding;
          if (seenHoldings.has(sat.holdingId)) continue;
          seenHoldings.add(sat.holdingId);
          credit = sat.credits[node.unit];
        } else {
          const facts = earnOf.has(c.key) ? earn.find((e) => e.key === c.key)!.facts : undefined;
          credit = facts ? (node.unit === 'ECTS' ? facts.ectsCredits : facts.workloadHours) : null;
        }
        if (credit) {
          cols.push(nodeCol.get(c)!);
          values.push(credit);
        }
      }
      rows.push({ lower: 0, upper: Infinity, cols: [...cols, v], values: [...values, -node.min] });
    }
  }
  for (const edge of prerequisites) {
    const x = earnOf.get(edge.after);
    const y = keyCol.get(edge.before);
    if (x !== undefined && y !== undefined) rows.push({ lower: -Infinity, upper: 0, cols: [x, y], values: [1, -1] });
  }
  lower[nodeCol.get(root)!] = 1;
  if (upper[nodeCol.get(root)!] === 0) {
    return { status: 'impossible', steps: [], totalHours: null, reason: 'The pathway cannot be completed from here.' };
  }

  const numCols = all.length + n;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    indices.push(...row.cols);
    values.push(...row.values);
    starts.push(indices.length);
  }
  const highs = await solverRuntime();
  const result = highs.withModel(
    {
      numCols,
      numRows: rows.length,
      colCost: cost,
      colLower: lower,
      colUpper: upper,
      rowLower: rows.map((r) => r.lower),
      rowUpper: rows.map((r) => r.upper),
      matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
      integrality: cost.map(() => highs.constants.variableType.integer),
    },
    (model) => {
      model.options.set({
        output_flag: false,
        time_limit: Math.max(0.001, timeLimitSeconds),
        mip_rel_gap: 0,
        mip_abs_gap: 0.5,
        random_seed: 0,
      });
      const { modelStatus } = model.run();
      const codes = highs.constants.modelStatus;
      if (modelStatus === codes.infeasible) return { status: 'infeasible' as const };
      const solution = model.getSolution().colValue;
      const chosen = earn.filter((e) => (solution[e.col] ?? 0) > 0.5);
      return { status: modelStatus === codes.optimal ? ('optimal' as const) : ('time-limit' as const), chosen };
    },
  );
  if (result.status === 'infeasible' || (result.status === 'time-limit' && result.chosen.length === 0)) {
    return {
      status: 'impossible',
      steps: [],
      totalHours: null,
      reason:
        result.status === 'infeasible'
          ? 'No combination of the micro-credentials published here completes what remains (some parts are foreign achievements, retired, or state no credits).'
          : 'No way to finish was found in the time allowed.',
    };
  }
  const steps = result.chosen.map((e): RouteStep => ({
    component: e.key,
    achievementId: e.facts.achievementId,
    name: e.facts.name,
    issuer: { id: e.facts.orgId, name: e.facts.orgName },
    hours: e.facts.workloadHours!,
    ectsCredits: e.facts.ectsCredits,
  }));
  // In order: what another step needs first comes first.
  const rank = new Map(steps.map((s) => [s.component, 0]));
  for (let changed = true, guard = 0; changed && guard < steps.length + 1; guard++) {
    changed = false;
    for (const edge of prerequisites) {
      const a = rank.get(edge.after);
      const b = rank.get(edge.before);
      if (a !== undefined && b !== undefined && a <= b) {
        rank.set(edge.after, b + 1);
        changed = true;
      }
    }
  }
  steps.sort((a, b) => rank.get(a.component)! - rank.get(b.component)! || a.component.localeCompare(b.component));
  const totalHours = steps.reduce((sum, s) => sum + centi(s.hours), 0) / 100;
  return { status: result.status === 'optimal' ? 'optimal' : 'best-found', steps, totalHours };
}
