// A team solve on its own thread (team-thread.ts): the problem arrives as workerData, the answer goes back once.
import { parentPort, workerData } from 'node:worker_threads';
import { solveTeam, type TeamProblem } from './team.js';

solveTeam(workerData as TeamProblem).then(
  (result) => parentPort!.postMessage({ result }),
  (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
