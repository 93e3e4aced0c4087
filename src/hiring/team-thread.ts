import { startThread } from '../platform/threads.js';
import { solveTeam, type TeamProblem, type TeamResult } from './team.js';

/** Candidates × requirements above which a solve leaves the event loop (smaller ones take milliseconds). */
const inlineUpTo = 2_000;

/**
 * `solveTeam` off the event loop: a large project can keep HiGHS busy for seconds, which on the request's thread
 * would stall every other request of the process. Small problems are solved in place, where a thread's start
 * (loading the solver again) would cost more than the solve.
 */
export async function solveTeamOffThread(problem: TeamProblem): Promise<TeamResult> {
  if (problem.candidates.length * Math.max(1, problem.requirements.length) <= inlineUpTo) return solveTeam(problem);
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
