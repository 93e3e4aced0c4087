import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
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
 * come back (503 with `retryAfter`). The threads stay up between solves (unreferenced, so they never keep the
 * process alive): V8 compiles the solver's WebAssembly to optimized code during a thread's first large solve,
 * about 1.5 s of CPU that a thread per request would pay every time. Small problems are solved in place, where
 * handing them over would cost more than the solve.
 */
export function teamSolver(gate: SolverGate = {}) {
  const threads = Math.max(1, gate.threads ?? availableParallelism() - 1);
  const waiting = Math.max(0, gate.waiting ?? 4 * threads);
  const limit = pLimit(threads);
  const idle: Worker[] = [];
  return async function solveTeamOffThread(problem: TeamProblem): Promise<TeamResult> {
    if (problem.candidates.length * Math.max(1, problem.requirements.length) <= inlineUpTo) return solveTeam(problem);
    // Counted together: p-limit moves a solve from pending to active a microtask after it is queued.
    if (limit.activeCount + limit.pendingCount >= threads + waiting) {
      throw new DomainError(
        'unavailable',
        'The team solver is busy with other projects right now. Try again in a minute.',
        {
          retryAfter: 60,
        },
      );
    }
    return limit(async () => {
      // At most `threads` solves hold a thread at once, so there is an idle one or room to start one.
      const worker = idle.pop() ?? solverThread();
      const result = await onThread(worker, problem);
      idle.push(worker);
      return result;
    });
  };
}

function solverThread(): Worker {
  const worker = startThread(import.meta.url, 'team-worker');
  worker.unref();
  return worker;
}

/** One solve on `worker`; a thread that fails is ended (and not handed back, since this rejects). */
async function onThread(worker: Worker, problem: TeamProblem): Promise<TeamResult> {
  try {
    return await new Promise<TeamResult>((resolve, reject) => {
      const done = () => {
        worker.off('message', message);
        worker.off('error', failed);
        worker.off('exit', exit);
      };
      const message = (reply: { result: TeamResult } | { error: string }) => {
        done();
        if ('result' in reply) resolve(reply.result);
        else reject(new Error(`The team solver failed: ${reply.error}`));
      };
      const exit = (code: number) => {
        done();
        reject(new Error(`The team solver's thread exited (${code})`));
      };
      const failed = (error: Error) => {
        done();
        reject(error);
      };
      worker.on('message', message);
      worker.on('error', failed);
      worker.on('exit', exit);
      worker.postMessage(problem);
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

/** The process's solver: every project of every organization shares its threads. */
export const solveTeamOffThread = teamSolver();
