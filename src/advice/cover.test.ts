import { describe, expect, it } from 'vitest';
import { centi, greedyCover, isFeasible, solveCover, type CoverProblem } from './cover.js';
import { seededRandom } from '../platform/seeded-random.js';

const random = seededRandom;

function randomProblem(rand: () => number): CoverProblem {
  const n = 1 + Math.floor(rand() * 11);
  const elements = Math.floor(rand() * 7);
  const items = Array.from({ length: n }, () => {
    const covers = [
      ...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * Math.max(1, elements)))),
    ].filter((e) => e < elements);
    // Whole hours mostly, some quarter hours; a few equal costs so ties happen.
    const cost =
      rand() < 0.3 ? 1 + Math.floor(rand() * 4) * 0.25 + Math.floor(rand() * 3) : 1 + Math.floor(rand() * 12);
    return { cost, covers, requires: [] as number[] };
  });
  // Prerequisites on about one item in five (cycles allowed: both must then be taken together).
  items.forEach((item) => {
    if (rand() < 0.2) item.requires.push(Math.floor(rand() * n));
  });
  const problem: CoverProblem = { items, elements, timeLimitSeconds: 10 };
  if (rand() < 0.3) problem.maxCost = 2 + Math.floor(rand() * 25);
  if (rand() < 0.3) problem.maxItems = 1 + Math.floor(rand() * 4);
  return problem;
}

/** Every subset: the least hours, then the fewest items. */
function bruteForce(problem: CoverProblem): { cost: number; count: number } | undefined {
  const n = problem.items.length;
  let best: { cost: number; count: number } | undefined;
  for (let mask = 0; mask < 1 << n; mask++) {
    const chosen: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) chosen.push(i);
    if (problem.elements === 0 && chosen.length > 0) continue;
    if (problem.elements > 0 && !isFeasible(problem, chosen)) continue;
    const cost = chosen.reduce((sum, i) => sum + centi(problem.items[i]!.cost), 0);
    if (!best || cost < best.cost || (cost === best.cost && chosen.length < best.count)) {
      best = { cost, count: chosen.length };
    }
  }
  return best;
}

describe('the exact cover solver', () => {
  it('agrees with brute force on 400 random small catalogs, alternatives included', async () => {
    const rand = random(20261207);
    let feasible = 0;
    let infeasible = 0;
    let alternatives = 0;
    for (let round = 0; round < 400; round++) {
      const problem = randomProblem(rand);
      const expected = bruteForce(problem);
      const result = await solveCover(problem);
      if (!expected) {
        expect(result.status, `round ${round}`).toBe('infeasible');
        infeasible++;
        continue;
      }
      feasible++;
      expect(result.status, `round ${round}`).toBe('optimal');
      if (result.status !== 'optimal') continue;
      expect(isFeasible(problem, result.chosen)).toBe(true);
      expect(centi(result.cost), `round ${round}`).toBe(expected.cost);
      expect(result.chosen.length, `round ${round}: ties go to fewer credentials`).toBe(expected.count);
      expect(result.lowerBound).toBe(result.cost);
      // The next-best plan by a no-good cut: brute force over the plans that do not contain the first.
      if (problem.elements > 0) {
        const cut = { ...problem, exclude: [result.chosen] };
        const next = bruteForce(cut);
        const second = await solveCover(cut);
        if (!next) expect(second.status).toBe('infeasible');
        else {
          alternatives++;
          expect(second.status).toBe('optimal');
          if (second.status === 'optimal') {
            expect(centi(second.cost)).toBe(next.cost);
            expect(second.cost).toBeGreaterThanOrEqual(result.cost);
            expect(result.chosen.every((i) => second.chosen.includes(i))).toBe(false);
          }
        }
      }
    }
    // The generator must exercise both answers, or the comparison proves little.
    expect(feasible).toBeGreaterThan(150);
    expect(infeasible).toBeGreaterThan(20);
    expect(alternatives).toBeGreaterThan(80);
  }, 60_000);

  it('brings prerequisites into the plan even when they cover nothing', async () => {
    const result = await solveCover({
      items: [
        { cost: 2, covers: [0], requires: [2] },
        { cost: 10, covers: [0], requires: [] },
        { cost: 3, covers: [], requires: [] },
      ],
      elements: 1,
      timeLimitSeconds: 5,
    });
    expect(result).toMatchObject({ status: 'optimal', chosen: [0, 2], cost: 5 });
  });

  it('answers infeasible for an element nothing covers, and for budgets too small', async () => {
    expect(
      (await solveCover({ items: [{ cost: 1, covers: [0], requires: [] }], elements: 2, timeLimitSeconds: 1 })).status,
    ).toBe('infeasible');
    const tight = await solveCover({
      items: [
        { cost: 5, covers: [0], requires: [] },
        { cost: 5, covers: [1], requires: [] },
      ],
      elements: 2,
      maxCost: 9,
      timeLimitSeconds: 1,
    });
    expect(tight.status).toBe('infeasible');
  });

  it('sums fractional hours exactly', async () => {
    const result = await solveCover({
      items: [
        { cost: 0.1, covers: [0], requires: [] },
        { cost: 0.2, covers: [1], requires: [] },
      ],
      elements: 2,
      timeLimitSeconds: 1,
    });
    expect(result).toMatchObject({ status: 'optimal', cost: 0.3 });
  });

  it('the greedy fallback finds a feasible plan with its prerequisites', () => {
    const problem: CoverProblem = {
      items: [
        { cost: 1, covers: [0, 1], requires: [2] },
        { cost: 4, covers: [2], requires: [] },
        { cost: 1, covers: [], requires: [] },
      ],
      elements: 3,
      timeLimitSeconds: 1,
    };
    const plan = greedyCover(problem);
    expect(plan).toEqual([0, 1, 2]);
    expect(isFeasible(problem, plan!)).toBe(true);
  });
});
