import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../errors.js';
import { access, callerOf } from '../http/access.js';
import type { JobQueue, JobRun } from './queue.js';
import { jobStates } from './store.js';
import { sampleCountLimits } from './sample-count.js';

export const JobRunSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    queue: Type.String(),
    key: Type.String(),
    state: Type.Enum(jobStates),
    done: Type.Integer(),
    total: Type.Integer(),
    attempts: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    result: Type.Unknown(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'JobRun' },
);

export const jobRunView = (run: JobRun) => ({
  id: run.id,
  queue: run.queue,
  key: run.key,
  state: run.state,
  done: run.done,
  total: run.total,
  attempts: run.attempts,
  error: run.error,
  result: run.result,
  createdAt: run.createdAt.toISOString(),
  updatedAt: run.updatedAt.toISOString(),
});

export async function jobRoutes(base: FastifyInstance, { queue }: { queue: JobQueue }) {
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

  app.get(
    '/api/jobs/:jobId',
    {
      config: { access: access.user },
      schema: {
        tags: ['jobs'],
        summary: 'State and progress of one of your background jobs',
        params: Type.Object({ jobId: Type.String({ format: 'uuid' }) }),
        response: { 200: JobRunSchema },
      },
    },
    async (request) => {
      const run = await queue.getRun(request.params.jobId);
      if (run.userId !== callerOf(request).user.id) throw notFound('That job');
      return jobRunView(run);
    },
  );
}
