import { describe, expect, it } from 'vitest';
import {
  bruteForceTeams,
  isTeam,
  keptCandidates,
  relaxationFixing,
  solveTeam,
  type Team,
  type TeamProblem,
} from './team.js';
import { seededRandom } from '../platform/seeded-random.js';

const random = seededRandom;

const int = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Small instances with many ties (few distinct rates and scores), so the tie-breaking stages matter. */
function randomProblem(rand: () => number): TeamProblem {
  const n = int(rand, 0, 11);
  const m = int(rand, 0, 5);
  const requirements = Array.from({ length: m }, () => ({ needed: rand() < 0.75 ? 1 : int(rand, 2, 3) }));
  const candidates = Array.from({ length: n }, () => {
    const holds: number[] = [];
    for (let r = 0; r < m; r++) if (rand() < 0.35) holds.push(r);
    return {
      rate: rand() < 0.2 ? int(rand, 0, 4000) / 4 : int(rand, 1, 4) * 250,
      score: rand() < 0.3 ? int(rand, -5, 300) : int(rand, 0, 3) * 50,
      holds,
    };
  });
  return {
    candidates,
    requirements,
    maxSize: rand() < 0.4 ? int(rand, 0, 5) : undefined,
    budget: rand() < 0.4 ? int(rand, 0, 3000) + (rand() < 0.3 ? 0.5 : 0) : undefined,
    runnersUp: rand() < 0.8 ? 3 : int(rand, 0, 5),
    timeLimitSeconds: 30,
  };
}

const key = (t: Team) => [t.size, t.rate, t.score];

describe('team staffing (exact, HiGHS) against brute force', () => {
  it('finds the same best team and runners-up as enumeration on 500 random small instances', async () => {
    const rand = random(20261207);
    let feasible = 0;
    let withRunnersUp = 0;
    for (let k = 0; k < 500; k++) {
      const problem = randomProblem(rand);
      const expected = bruteForceTeams(problem);
      const result = await solveTeam(problem);
      const context = JSON.stringify(problem);
      if (expected.length === 0) {
        expect(result.status, context).toBe('infeasible');
        continue;
      }
      feasible++;
      if (result.status !== 'optimal') throw new Error(`not optimal: ${result.status} ${context}`);
      const teams = [result.team, ...result.runnersUp];
      // The same sizes, rates and scores in the same order (ties may pick a different but equal team).
      expect(teams.map(key), context).toEqual(expected.map(key));
      teams.forEach((team, i) => {
        expect(isTeam(problem, team.members, teams.slice(0, i)), context).toBe(true);
      });
      if (teams.length > 1) withRunnersUp++;
    }
    // The generator is not degenerate: most instances have a team, many have runners-up.
    expect(feasible).toBeGreaterThan(200);
    expect(withRunnersUp).toBeGreaterThan(100);
  });

  it('leaves out dominated candidates only where no answer changes (brute force on all of them, 250 instances)', async () => {
    // Many candidates with few distinct skill sets, rates and scores: most are dominated, often by several.
    const rand = random(7122026);
    let pruned = 0;
    let prunedAndFeasible = 0;
    for (let k = 0; k < 250; k++) {
      const m = int(rand, 1, 3);
      const n = int(rand, 6, 15);
      const problem: TeamProblem = {
        requirements: Array.from({ length: m }, () => ({ needed: rand() < 0.7 ? 1 : 2 })),
        candidates: Array.from({ length: n }, () => ({
          rate: int(rand, 1, 3) * 250,
          score: int(rand, 0, 2) * 50,
          holds: Array.from({ length: m }, (_, r) => r).filter(() => rand() < 0.5),
        })),
        maxSize: rand() < 0.3 ? int(rand, 1, 4) : undefined,
        budget: rand() < 0.3 ? int(rand, 500, 2500) : undefined,
        runnersUp: int(rand, 0, 3),
        timeLimitSeconds: 30,
      };
      const context = JSON.stringify(problem);
      const kept = keptCandidates(problem);
      const expected = bruteForceTeams(problem);
      const result = await solveTeam(problem);
      if (kept.length < n) pruned++;
      if (expected.length === 0) {
        expect(result.status, context).toBe('infeasible');
        continue;
      }
      if (result.status !== 'optimal') throw new Error(`not optimal: ${result.status} ${context}`);
      const teams = [result.team, ...result.runnersUp];
      expect(teams.map(key), context).toEqual(expected.map(key));
      teams.forEach((team, i) => expect(isTeam(problem, team.members, teams.slice(0, i)), context).toBe(true));
      if (kept.length < n) prunedAndFeasible++;
    }
    // The pruning is exercised: most instances lose candidates, and many of those still have teams.
    expect(pruned).toBeGreaterThan(150);
    expect(prunedAndFeasible).toBeGreaterThan(100);
  });

  it('leaves out by the relaxation only candidates of no team within the limit (enumeration, 400 instances)', async () => {
    // Every team (every subset) of cost ≤ limit must keep all its members, and the bound must not exceed the
    // cheapest team's cost; limits at the cheapest team's cost and just above it, where a wrong fixing shows.
    const rand = random(20261208);
    let dropped = 0;
    let tight = 0;
    for (let k = 0; k < 400; k++) {
      const problem = randomProblem(rand);
      const n = problem.candidates.length;
      if (n === 0) continue; // The solver answers without candidates before any relaxation.
      const kind = k % 3;
      const cost = problem.candidates.map((c) =>
        kind === 0 ? 1 : kind === 1 ? Math.round(c.rate / 25) * 601 - c.score : int(rand, -20, 60),
      );
      const teams: { members: number[]; cost: number }[] = [];
      for (let mask = 0; mask < 1 << n; mask++) {
        const members = problem.candidates.map((_, i) => i).filter((i) => mask & (1 << i));
        if (isTeam(problem, members)) teams.push({ members, cost: members.reduce((s, i) => s + cost[i]!, 0) });
      }
      const cheapest = Math.min(...teams.map((t) => t.cost));
      const limit = teams.length === 0 ? int(rand, 0, 5) : cheapest + (rand() < 0.6 ? 0 : int(rand, 1, 40));
      const { active, bound } = await relaxationFixing(problem, cost, limit);
      const context = JSON.stringify({ problem, cost, limit });
      if (teams.length) expect(bound, context).toBeLessThanOrEqual(cheapest + 1e-6);
      for (const team of teams) {
        if (team.cost > limit) continue;
        expect(
          team.members.every((i) => active[i]),
          context,
        ).toBe(true);
        if (bound > limit) throw new Error(`bound ${bound} above a team of cost ${team.cost}: ${context}`);
      }
      dropped += active.filter((a) => !a).length;
      if (teams.length && limit === cheapest && active.some((a) => !a)) tight++;
    }
    // The fixing does work here: many candidates go, often with the limit at the cheapest team itself.
    expect(dropped).toBeGreaterThan(300);
    expect(tight).toBeGreaterThan(50);
  });

  it('prefers fewer members over a cheaper team, and a cheaper team over a higher score', async () => {
    const problem: TeamProblem = {
      requirements: [{ needed: 1 }, { needed: 1 }],
      candidates: [
        { rate: 900, score: 10, holds: [0, 1] }, // alone covers both: the fewest members
        { rate: 100, score: 90, holds: [0] },
        { rate: 100, score: 90, holds: [1] },
        { rate: 800, score: 95, holds: [0, 1] }, // cheaper than 0: the best single member
        { rate: 800, score: 20, holds: [0, 1] }, // the same rate, lower score
      ],
      timeLimitSeconds: 10,
    };
    const result = await solveTeam(problem);
    if (result.status !== 'optimal') throw new Error(result.status);
    expect(result.team).toEqual({ members: [3], size: 1, rate: 800, score: 95 });
    expect(result.runnersUp.map((t) => t.members)).toEqual([[4], [0], [1, 2]]);
  });

  it('counts how many members must hold a skill, and keeps the size and the budget', async () => {
    const base: TeamProblem = {
      requirements: [{ needed: 2 }],
      candidates: [
        { rate: 500, score: 1, holds: [0] },
        { rate: 300, score: 1, holds: [0] },
        { rate: 400, score: 1, holds: [0] },
      ],
      timeLimitSeconds: 10,
    };
    const result = await solveTeam(base);
    if (result.status !== 'optimal') throw new Error(result.status);
    expect(result.team.members).toEqual([1, 2]);
    expect(await solveTeam({ ...base, budget: 699.99 })).toEqual({ status: 'infeasible', uncovered: [] });
    expect(await solveTeam({ ...base, maxSize: 1 })).toEqual({ status: 'infeasible', uncovered: [] });
  });

  it('names the skills too few candidates hold', async () => {
    const result = await solveTeam({
      requirements: [{ needed: 1 }, { needed: 2 }, { needed: 1 }],
      candidates: [{ rate: 1, score: 1, holds: [0, 1] }],
      timeLimitSeconds: 10,
    });
    expect(result).toEqual({
      status: 'infeasible',
      uncovered: [
        { requirement: 1, needed: 2, holders: 1 },
        { requirement: 2, needed: 1, holders: 0 },
      ],
    });
  });
});
