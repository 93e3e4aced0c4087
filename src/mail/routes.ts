import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { outboxStates, type Mail } from './mail.js';

const State = Type.Enum(outboxStates, {
  description:
    'kept (written before delivery existed, never sent), pending (waiting for SMTP or a worker), queued, ' +
    'retrying (failed, will be tried again), sent, dead (gave up; an admin may send it again)',
});
const Entry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  to: Type.String(),
  subject: Type.String(),
  orgId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  state: State,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The outbox for instance admins: where each message stands (never its text, which holds single-use links). */
export async function mailRoutes(base: FastifyInstance, { mail }: { mail: Mail }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/admin/outbox',
    {
      config: { access: access.admin },
      schema: {
        tags: ['mail'],
        summary: 'Mail this instance sends: counts per state and the latest messages (without their text)',
        querystring: Type.Object(
          {
            state: Type.Optional(State),
            limit: Type.Optional(
              // Query values arrive as text (no coercion): 1 to 500 as digits.
              Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1 to 500 (100 by default)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            delivers: Type.Boolean({ description: 'Whether SMTP is configured (SKILLPROOF_SMTP_URL)' }),
            counts: Type.Record(Type.String(), Type.Integer()),
            messages: Type.Array(Entry),
          }),
        },
      },
    },
    async (request) => {
      const userId = callerOf(request).user.id;
      const [counts, messages] = await Promise.all([
        mail.counts(userId),
        mail.list(userId, { state: request.query.state, limit: Number(request.query.limit ?? 100) }),
      ]);
      return {
        delivers: mail.delivers,
        counts,
        messages: messages.map((m) => ({
          ...m,
          createdAt: m.createdAt.toISOString(),
          updatedAt: m.updatedAt.toISOString(),
          sentAt: m.sentAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/admin/outbox/:messageId/retry',
    {
      config: { access: access.admin, audit: { action: 'outbox.retried' } },
      schema: {
        tags: ['mail'],
        summary: 'Send a dead message again',
        params: Type.Object({ messageId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      await mail.retry(callerOf(request).user.id, request.params.messageId);
      return reply.code(202).send();
    },
  );
}
