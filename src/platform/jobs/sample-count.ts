import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { JobDefinition } from './queue.js';

/**
 * The sample job: counts from 1 to `count`, recording each number once. It exists to prove the queue end to
 * end (retries, idempotency per item, progress, surviving a killed worker) before real jobs build on it.
 */
export interface SampleCountData {
  count: number;
  /** Pause per item, so tests and demos can watch progress and interrupt a run. */
  delayMs?: number;
}

export const sampleCountLimits = { maxCount: 10_000, maxDelayMs: 1_000 };

export function sampleCountJob(db: Kysely<Database>): JobDefinition<SampleCountData> {
  return {
    name: 'sample.count',
    async handler({ count, delayMs = 0 }, { runId, progress, signal }) {
      // Resume where a crashed attempt stopped: items already recorded are skipped, never repeated.
      const recorded = await db
        .selectFrom('sample_count_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', runId)
        .executeTakeFirstOrThrow();
      await progress(Number(recorded.n), count);
      for (let item = 1; item <= count; item++) {
        signal.throwIfAborted();
        const inserted = await db
          .insertInto('sample_count_items')
          .values({ run_id: runId, item })
          .onConflict((oc) => oc.columns(['run_id', 'item']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
        await progress(item, count);
        if (delayMs > 0) await sleep(delayMs);
      }
      return { counted: count };
    },
  };
}
