import { describe, expect, it } from 'vitest';
import { solveTeam, type TeamProblem } from './team.js';
import { solveTeamOffThread, teamSolver } from './team-thread.js';

/** 80 candidates × 30 requirements (over the in-place limit), each holding 2–4 of them, deterministic. */
function problem(): TeamProblem {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const candidates = Array.from({ length: 80 }, () => {
    const holds = new Set<number>();
    const count = 2 + Math.floor(next() * 3);
    while (holds.size < count) holds.add(Math.floor(next() * 30));
    return { rate: 300 + 25 * Math.floor(next() * 40), score: Math.floor(next() * 600), holds: [...holds] };
  });
  return {
    candidates,
    requirements: Array.from({ length: 30 }, (_, i) => ({ needed: i % 5 === 0 ? 2 : 1 })),
    runnersUp: 3,
    timeLimitSeconds: 60,
  };
}

describe('solveTeamOffThread', () => {
  it('answers on its own thread what the solver answers in place', async () => {
    const p = problem();
    const [inPlace, onThread] = await Promise.all([solveTeam(p), solveTeamOffThread(p)]);
    expect(onThread.status).toBe('optimal');
    expect(onThread).toEqual(inPlace);
  }, 120_000);
});

describe('teamSolver', () => {
  it('runs at most its threads at once, queues up to its waiting room, and refuses one more with 503', async () => {
    const solve = teamSolver({ threads: 1, waiting: 1 });
    const p = problem();
    const running = solve(p);
    const queued = solve(p);
    await expect(solve(p)).rejects.toMatchObject({ code: 'unavailable', details: { retryAfter: 60 } });
    const [first, second] = await Promise.all([running, queued]);
    expect(first.status).toBe('optimal');
    expect(second).toEqual(first);
    // Once they are done there is room again.
    expect((await solve(p)).status).toBe('optimal');
  }, 180_000);

  it('solves small projects in place, whatever the queue', async () => {
    const solve = teamSolver({ threads: 1, waiting: 0 });
    const small: TeamProblem = {
      candidates: [
        { rate: 100, score: 1, holds: [0] },
        { rate: 200, score: 2, holds: [0, 1] },
      ],
      requirements: [{ needed: 1 }, { needed: 1 }],
      timeLimitSeconds: 10,
    };
    const busy = solve(problem());
    expect((await solve(small)).status).toBe('optimal');
    await busy;
  }, 120_000);
});

describe('teamSolver threads', () => {
  it('keep no listeners of earlier solves (no MaxListenersExceededWarning after many solves on one thread)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const solve = teamSolver({ threads: 1 });
      const p = problem();
      for (let i = 0; i < 12; i++) expect((await solve(p)).status).toBe('optimal');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  }, 180_000);
});
