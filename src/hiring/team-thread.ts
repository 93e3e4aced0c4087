import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { DomainError } from '../platform/errors.js';
import { startThread } from '../platform/threads.js';
import { solveTeam, type TeamProblem, type TeamResult } from './team.js';

/** Candidates × requirements above which a solve leaves the event loop (smaller ones take milliseconds). */
const inlineUpTo = 2_000;

export interface SolverGate {
  /** Solver threads at once (default: the cores but one, at least one). */
  threads?: number;
  /** Solves that may wait for a thread; one more is refused as `unavailable` (503) rather than queued forever. */
  waiting?: number;
}

/**
 * `solveTeam` off the event loop, a few at a time: a large project can keep HiGHS busy for seconds, which on the
 * request's thread would stall every other request of the process, and a thread per request would let a burst of
 * requests start as many solvers as it likes. So at most `threads` solver threads run at once (each solve is
 * single-threaded), at most `waiting` more solves wait their turn in order, and a request beyond that is told to
 * come back (503 with `retryAfter`). Small problems are solved in place, where a thread's start (loading the
 * solver again) would cost more than the solve.
 */
export function teamSolver(gate: SolverGate = {}) {
  const threads = Math.max(1, gate.threads ?? availableParallelism() - 1);
  const waiting = Math.max(0, gate.waiting ?? 4 * threads);
  const limit = pLimit(threads);
  return async function solveTeamOffThread(problem: TeamProblem): Promise<TeamResult> {
    if (problem.candidates.length * Math.max(1, problem.requirements.length) <= inlineUpTo) return solveTeam(problem);
    if (limit.activeCount >= threads && limit.pendingCount >= waiting) {
      throw new DomainError(
        'unavailable',
        'The team solver is busy with other projects right now. Try again in a minute.',
        { retryAfter: 60 },
      );
    }
    return limit(() => onThread(problem));
  };
}

async function onThread(problem: TeamProblem): Promise<TeamResult> {
  const worker = startThread(import.meta.url, 'team-worker', { workerData: problem });
  try {
    return await new Promise<TeamResult>((resolve, reject) => {
      worker.once('message', (reply: { result: TeamResult } | { error: string }) =>
        'result' in reply ? resolve(reply.result) : reject(new Error(`The team solver failed: ${reply.error}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The team solver's thread exited (${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The process's solver: every project of every organization shares its threads. */
export const solveTeamOffThread = teamSolver();
