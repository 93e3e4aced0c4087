import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export const jobStates = ['queued', 'running', 'retrying', 'completed', 'failed'] as const;
export type JobState = (typeof jobStates)[number];

export interface JobRun {
  id: string;
  queue: string;
  key: string;
  userId: string | null;
  state: JobState;
  done: number;
  total: number;
  attempts: number;
  result: unknown;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The SQL behind job progress. */
export function createJobRunStore(db: Kysely<Database>) {
  const now = sql<Date>`now()`;
  const toRun = (row: {
    id: string;
    queue: string;
    key: string;
    user_id: string | null;
    state: string;
    done: number;
    total: number;
    attempts: number;
    result: unknown;
    error: string | null;
    created_at: Date;
    updated_at: Date;
  }): JobRun => ({
    id: row.id,
    queue: row.queue,
    key: row.key,
    userId: row.user_id,
    state: row.state as JobState,
    done: row.done,
    total: row.total,
    attempts: row.attempts,
    result: row.result,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  return {
    /** False when a run with the same queue and key exists. */
    async insert(run: { id: string; queue: string; key: string; userId: string | null }): Promise<boolean> {
      const result = await db
        .insertInto('job_runs')
        .values({ id: run.id, queue: run.queue, key: run.key, user_id: run.userId, state: 'queued', updated_at: now })
        .onConflict((oc) => oc.columns(['queue', 'key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('job_runs').where('id', '=', id).execute();
    },
    async find(id: string): Promise<JobRun | undefined> {
      const row = await db.selectFrom('job_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRun(row);
    },
    async findByKey(queue: string, key: string): Promise<JobRun | undefined> {
      const row = await db
        .selectFrom('job_runs')
        .selectAll()
        .where('queue', '=', queue)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && toRun(row);
    },
    async markRunning(id: string): Promise<void> {
      await db
        .updateTable('job_runs')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .execute();
    },
    async progress(id: string, done: number, total: number): Promise<void> {
      await db.updateTable('job_runs').set({ done, total, updated_at: now }).where('id', '=', id).execute();
    },
    async complete(id: string, result: unknown): Promise<void> {
      await db
        .updateTable('job_runs')
        .set({ state: 'completed', result: JSON.stringify(result), error: null, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
    async recordFailure(id: string, message: string, final: boolean): Promise<void> {
      await db
        .updateTable('job_runs')
        .set({ state: final ? 'failed' : 'retrying', error: message, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
  };
}
