// An evaluating thread of a re-evaluation (reevaluate.ts): the version arrives once (workerData), then pages of
// learners; each reply is the page's outcomes. CPU-bound only: no database.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluatePage, type ReevaluationPage, type VersionToEvaluate } from './reevaluate.js';

const version = workerData as VersionToEvaluate;

parentPort!.on('message', ({ id, page }: { id: number; page: ReevaluationPage }) => {
  try {
    parentPort!.postMessage({ id, outcomes: evaluatePage(version, page) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
