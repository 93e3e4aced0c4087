import { availableParallelism } from 'node:os';
import type { KeyObject } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../platform/threads.js';
import { invalid } from '../platform/errors.js';
import type { Profile } from '../vc/types.js';
import type { DeflatedDocument } from './stored-document.js';

/** One credential to complete and sign: the input and what the issuer fills in. */
export interface SignItem {
  input: unknown;
  credentialId: string;
  validFrom: string;
  status: Record<string, unknown>[];
}

export interface SignTask {
  id: number;
  privateKey: KeyObject;
  verificationMethod: string;
  did: string;
  profile: Profile;
  items: SignItem[];
}

export interface SignedItem {
  /**
   * The signed credential's JSON, deflated as it is stored (stored-document.ts): moved (not copied) from the
   * thread, and written to the database as it is, so the main thread never holds the text.
   */
  document: DeflatedDocument;
  credentialId: string;
  subjectId: string | null;
  name: string | null;
  validUntil: string | null;
}

export type SignReply =
  | { id: number; results: SignedItem[] }
  | { id: number; error: { message: string; invalid: boolean; details?: Record<string, unknown> } };

/**
 * A pool of signing threads for bulk issuance: Data Integrity signing is CPU-bound (RDF canonicalization,
 * hashing, Ed25519), so a batch is spread over threads while the main thread keeps the database busy. The
 * private key goes to the threads as a KeyObject, within this process only. Threads start on first use and
 * keep the process alive only while they have work.
 */
export function createSignPool(options: { size?: number } = {}) {
  const size = Math.max(1, options.size ?? Math.min(availableParallelism(), 4));
  const workers: { worker: Worker; busy: number }[] = [];
  const waiting = new Map<number, { resolve: (items: SignedItem[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;

  function spawn(): Worker {
    const worker = startThread(import.meta.url, 'sign-worker');
    worker.unref();
    worker.on('message', (reply: SignReply) => {
      const slot = workers.find((w) => w.worker === worker);
      if (slot && --slot.busy === 0) worker.unref();
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if ('results' in reply) pending.resolve(reply.results);
      else if (reply.error.invalid) pending.reject(invalid(reply.error.message, reply.error.details));
      else pending.reject(new Error(`A signing thread failed: ${reply.error.message}`));
    });
    worker.on('error', (error) => fail(worker, error));
    worker.on('exit', (code) => fail(worker, new Error(`A signing thread exited (${code})`)));
    return worker;
  }

  // A thread that dies takes its tasks with it: they fail (the bulk job retries), and it is replaced on next use.
  function fail(worker: Worker, error: Error) {
    const index = workers.findIndex((w) => w.worker === worker);
    if (index < 0) return;
    workers.splice(index, 1);
    for (const [id, pending] of waiting) {
      if (owners.get(id) === worker) {
        waiting.delete(id);
        owners.delete(id);
        pending.reject(error);
      }
    }
  }
  const owners = new Map<number, Worker>();

  function pick() {
    if (workers.length < size) {
      const slot = { worker: spawn(), busy: 0 };
      workers.push(slot);
      return slot;
    }
    return workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  return {
    size,
    /** Completes, checks and signs `items` on a thread; rejects with the first item's problem, if any. */
    sign(task: Omit<SignTask, 'id'>): Promise<SignedItem[]> {
      const id = nextId++;
      const slot = pick();
      if (slot.busy++ === 0) slot.worker.ref();
      owners.set(id, slot.worker);
      return new Promise<SignedItem[]>((resolve, reject) => {
        waiting.set(id, {
          resolve: (items) => (owners.delete(id), resolve(items)),
          reject: (error) => (owners.delete(id), reject(error)),
        });
        slot.worker.postMessage({ ...task, id } satisfies SignTask);
      });
    },
    async close(): Promise<void> {
      const all = workers.splice(0);
      await Promise.all(all.map((w) => w.worker.terminate()));
    },
  };
}

export type SignPool = ReturnType<typeof createSignPool>;
