import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../platform/errors.js';
import { access, callerOf } from '../accounts/access.js';
import type { JobQueue, JobRun } from '../platform/jobs/queue.js';
import { jobStates } from '../platform/jobs/store.js';

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
