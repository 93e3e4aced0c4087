import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../../src/accounts/access.js';
import type { Database } from '../../src/platform/db/schema.js';
import type { JobDefinition, JobQueue } from '../../src/platform/jobs/queue.js';
import { JobRunSchema, jobRunView } from '../../src/jobs/routes.js';

/**
 * A test job (never part of the production app): counts from 1 to `count`, recording each number once. It proves the queue end to end
 * (retries, idempotency per item, progress, surviving a killed worker).
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

/** The test job's route, registered by the tests that start it over HTTP. */
export async function sampleCountRoutes(base: FastifyInstance, { queue }: { queue: JobQueue }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/jobs/sample-count',
    {
      config: { access: access.user },
      schema: {
        tags: ['jobs'],
        summary: 'Start the sample background job (counts to N); the same key never starts it twice',
        body: Type.Object(
          {
            key: Type.String({ minLength: 1, maxLength: 200 }),
            count: Type.Integer({ minimum: 1, maximum: sampleCountLimits.maxCount }),
            delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: sampleCountLimits.maxDelayMs })),
          },
          { additionalProperties: false },
        ),
        response: { 200: JobRunSchema, 202: JobRunSchema },
      },
    },
    async (request, reply) => {
      const { key, ...data } = request.body;
      const userId = callerOf(request).user.id;
      // Keys are scoped to the user, so one user's key can never collide with, or reveal, another's job.
      const { run, created } = await queue.enqueue('sample.count', data, { key: `${userId}:${key}`, userId });
      return reply.code(created ? 202 : 200).send(jobRunView(run));
    },
  );
}
