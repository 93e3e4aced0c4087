// A solver thread of team-thread.ts: it stays up and solves one project a message, so HiGHS is loaded and
// compiled to optimized code once per thread, not once per request.
import { parentPort } from 'node:worker_threads';
import { solveTeam, type TeamProblem } from './team.js';

parentPort!.on('message', (problem: TeamProblem) => {
  solveTeam(problem).then(
    (result) => parentPort!.postMessage({ result }),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
});
