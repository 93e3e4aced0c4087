import cluster, { type Worker } from 'node:cluster';
import type { PlatformVerifier, VerifierChange } from '../verification/verifier.js';

/**
 * `skillproof serve --processes N`: N server processes (node:cluster) sharing one port and one PostgreSQL
 * database, so a machine's cores all serve. The embedded database belongs to a single process, so several
 * processes need DATABASE_URL.
 *
 * The primary only starts, restarts and stops the servers, and passes on what one server changed that the
 * others cache (an issuer's keys, a status list), so a revocation made through one process is seen by the
 * others at once rather than when their caches expire.
 */

interface ChangeMessage {
  skillproofVerifierChange: VerifierChange;
}

function isChangeMessage(message: unknown): message is ChangeMessage {
  return typeof message === 'object' && message !== null && 'skillproofVerifierChange' in message;
}

export const maxProcesses = 64;

/** Parses the --processes value: a whole number from 1 to maxProcesses, or undefined when it is not one. */
export function parseProcesses(value: string | undefined): number | undefined {
  if (value === undefined) return 1;
  if (!/^\d+$/.test(value)) return undefined;
  const count = Number(value);
  return count >= 1 && count <= maxProcesses ? count : undefined;
}

export const isClusterPrimary = () => cluster.isPrimary;

/**
 * Runs in the primary: forks the servers one after another (the first migrates the database and loads the
 * bundled data before the next starts), restarts a server that dies, and stops them all on SIGINT or SIGTERM.
 */
export async function runPrimary(processes: number, print: (line: string) => void): Promise<void> {
  let stopping = false;
  const workers = new Set<Worker>();

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.on('message', (message: unknown) => {
        if (!isChangeMessage(message)) return;
        for (const other of workers) if (other !== worker && other.isConnected()) other.send(message);
      });
      let started = false;
      worker.once('listening', () => {
        started = true;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (stopping) return;
        if (!started) {
          // A server that cannot start (no database, bad configuration) would fail again: give up.
          reject(new Error(`a server process exited while starting (${signal ?? code})`));
          return;
        }
        print(`A server process exited (${signal ?? code}); starting another.`);
        fork().catch((error: Error) => print(`It could not be restarted: ${error.message}`));
      });
    });

  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    if (workers.size === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', () => {
        if (workers.size === 0) process.exit(0);
      });
      worker.process.kill(signal);
    }
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  try {
    for (let i = 0; i < processes; i++) await fork();
  } catch (error) {
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGTERM');
    throw error;
  }
  print(`Skillproof is serving from ${processes} processes.`);
}

/** Runs in each server process: passes its verifier's changes on, and applies the others'. */
export function shareVerifierChanges(verifier: PlatformVerifier): void {
  if (!cluster.isWorker) return;
  verifier.onChange((change) => process.send?.({ skillproofVerifierChange: change } satisfies ChangeMessage));
  process.on('message', (message: unknown) => {
    if (isChangeMessage(message)) verifier.applyChange(message.skillproofVerifierChange);
  });
}
