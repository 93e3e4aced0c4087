import { randomUUID } from 'node:crypto';
import { PgBoss, fromPglite, type Job } from 'pg-boss';
import type { DatabaseHandle } from '../db/database.js';
import { notFound } from '../errors.js';
import { createJobRunStore, type JobRun } from './store.js';

export type { JobRun } from './store.js';

/** What a job handler gets besides its data. */
export interface JobContext {
  runId: string;
  /** 0 on the first try; a retry after a crash or failure counts up. */
  attempt: number;
  signal: AbortSignal;
  /** Records progress for the UI and CLI; cheap enough to call per item. */
  progress(done: number, total: number): Promise<void>;
}

export interface JobDefinition<Data> {
  name: string;
  /** Must be idempotent per item: after a crash the job runs again from the start. */
  handler(data: Data, context: JobContext): Promise<unknown>;
  retryLimit?: number;
  /** How long one attempt may run before pg-boss fails it. */
  expireInSeconds?: number;
}

export interface QueueOptions {
  /** How often dead workers' jobs are detected; lower in tests. */
  superviseIntervalSeconds?: number;
  /** How often an idle worker polls for new jobs. */
  pollingIntervalSeconds?: number;
  onError?: (error: Error) => void;
}

// A worker sends a heartbeat every 5 s while it runs a job; a job without one for 10 s belongs to a dead
// worker and is handed to another (pg-boss's minimum).
const heartbeatSeconds = 10;
const defaultRetryLimit = 5;

/**
 * Durable background jobs on the platform's own database (pg-boss), with an idempotency key per job and
 * progress kept in `job_runs` so any process can report it.
 */
export function createJobQueue(handle: DatabaseHandle, options: QueueOptions = {}) {
  const runs = createJobRunStore(handle.db);
  // Supervising and monitoring together find jobs whose worker died (no heartbeat) and retry them.
  const supervision = {
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 30,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 30,
  };
  const boss =
    handle.backend === 'pglite'
      ? new PgBoss({ db: fromPglite(handle.pglite!), backend: 'pglite', ...supervision })
      : new PgBoss({ connectionString: handle.url!, max: 4, ...supervision });
  boss.on('error', (error) => options.onError?.(error));
  const definitions = new Map<string, JobDefinition<never>>();
  let started = false;

  /**
   * Starts pg-boss and creates every defined queue, once: callers at the same time share one start, and none goes
   * on before every queue exists (pg-boss refuses a job for a queue not created yet).
   */
  let starting: Promise<void> | undefined;
  function start(): Promise<void> {
    starting ??= (async () => {
      await boss.start();
      started = true;
      for (const definition of definitions.values()) await ensureQueue(definition);
    })().catch((error: unknown) => {
      starting = undefined;
      throw error;
    });
    return starting;
  }

  async function ensureQueue(definition: JobDefinition<never>): Promise<void> {
    await boss.createQueue(definition.name, {
      retryLimit: definition.retryLimit ?? defaultRetryLimit,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      expireInSeconds: definition.expireInSeconds ?? 3600,
      heartbeatSeconds,
    });
  }

  function define<Data>(definition: JobDefinition<Data>): void {
    definitions.set(definition.name, definition as JobDefinition<never>);
  }

  /** Starts processing every defined queue in this process. */
  async function work(): Promise<void> {
    await start();
    for (const definition of definitions.values()) {
      await boss.work<object>(
        definition.name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: 1 },
        async ([job]: Job<object>[]) => run(definition, job!),
      );
    }
  }

  async function run(definition: JobDefinition<never>, job: Job<object>): Promise<unknown> {
    await runs.markRunning(job.id);
    try {
      const result = await definition.handler(job.data as never, {
        runId: job.id,
        attempt: job.retryCount,
        signal: job.signal,
        progress: (done, total) => runs.progress(job.id, done, total),
      });
      await runs.complete(job.id, result ?? null);
      return result;
    } catch (error) {
      const final = job.retryCount >= (definition.retryLimit ?? defaultRetryLimit);
      await runs.recordFailure(job.id, error instanceof Error ? error.message : String(error), final);
      throw error;
    }
  }

  /**
   * Queues a job once per (name, key): a second call with the same key returns the first run, whatever its
   * state, so retried requests and re-run scripts never duplicate work.
   */
  async function enqueue<Data extends object>(
    name: string,
    data: Data,
    options: { key: string; userId?: string | null },
  ): Promise<{ run: JobRun; created: boolean }> {
    const definition = definitions.get(name);
    if (!definition) throw new Error(`No job named ${name} is defined`);
    await start();
    const id = randomUUID();
    const created = await runs.insert({ id, queue: name, key: options.key, userId: options.userId ?? null });
    if (created) {
      try {
        await boss.send(name, data, { id });
      } catch (error) {
        await runs.delete(id);
        throw error;
      }
    }
    const run = await runs.findByKey(name, options.key);
    return { run: run!, created };
  }

  async function getRun(id: string): Promise<JobRun> {
    const run = await runs.find(id);
    if (!run) throw notFound('That job');
    return run;
  }

  async function stop(graceful = true): Promise<void> {
    await starting?.catch(() => undefined);
    if (!started) return;
    started = false;
    starting = undefined;
    // `close: false` for PGlite: the database belongs to the platform, not to the queue.
    await boss.stop({ graceful, close: handle.backend === 'postgres', timeout: 10_000 });
  }

  return { define, start, work, enqueue, getRun, stop };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
