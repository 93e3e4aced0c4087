import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { studyGroups, studyOutcomes, type Analytics } from './analytics.js';
import { outcomeKinds, outcomeSources } from './ledger.js';

const Uuid = Type.String({ format: 'uuid' });
const Estimate = Type.Union([
  Type.Object({ estimate: Type.Number(), stdError: Type.Number(), ciLow: Type.Number(), ciHigh: Type.Number() }),
  Type.Object({ suppressed: Type.Literal(true), reason: Type.String() }),
]);
const Outcome = Type.Object({
  date: Type.String({ format: 'date' }),
  kind: Type.Enum(outcomeKinds),
  value: Type.Number(),
  source: Type.Enum(outcomeSources),
});

/**
 * Outcome analytics: the ledger (imports by instance admins acting as analysts, workers' own reports and their
 * consent) and event studies on the platform's own records. Nothing here lists individuals to anyone but
 * themselves.
 */
export async function analyticsRoutes(base: FastifyInstance, { analytics }: { analytics: Analytics }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/admin/analytics/outcomes',
    {
      config: { access: access.admin, audit: { action: 'analytics.outcomes-imported' } },
      schema: {
        tags: ['analytics'],
        summary: 'Import outcomes (CSV: worker,date,kind,value; worker = email or account id); all rows or none',
        body: Type.Object({ csv: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ imported: Type.Integer(), workers: Type.Integer() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await analytics.importOutcomes(request.body.csv, callerOf(request).user.id)),
  );

  app.post(
    '/api/admin/analytics/event-study',
    {
      config: { access: access.admin, audit: { action: 'analytics.event-study' } },
      schema: {
        tags: ['analytics'],
        summary:
          'Event study of outcomes around credentials earned here: post (and post × group) with event fixed effects and worker-clustered errors, or weekly leads and lags',
        body: Type.Object(
          {
            outcome: Type.Enum(Object.keys(studyOutcomes) as (keyof typeof studyOutcomes)[]),
            achievementId: Type.Optional(Uuid),
            orgId: Type.Optional(Uuid),
            windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
            by: Type.Optional(Type.Array(Type.Enum(studyGroups), { maxItems: 4 })),
            dynamic: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            design: Type.Object({}, { additionalProperties: true }),
            n: Type.Integer(),
            events: Type.Integer(),
            droppedEvents: Type.Integer(),
            incompleteEvents: Type.Integer(),
            clusters: Type.Integer(),
            coefficients: Type.Record(Type.String(), Estimate),
            suppressed: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => analytics.eventStudy(request.body),
  );

  app.get(
    '/api/me/outcomes',
    {
      config: { access: access.user },
      schema: {
        tags: ['analytics'],
        summary: 'Your outcomes in the ledger, and whether they may be studied',
        response: { 200: Type.Object({ studied: Type.Boolean(), outcomes: Type.Array(Outcome) }) },
      },
    },
    async (request) => {
      const userId = callerOf(request).user.id;
      const outcomes = await analytics.outcomesOf(userId);
      return {
        studied: await analytics.studied(userId),
        outcomes: outcomes.map(({ date, kind, value, source }) => ({ date, kind, value, source })),
      };
    },
  );

  app.post(
    '/api/me/outcomes',
    {
      config: { access: access.user },
      schema: {
        tags: ['analytics'],
        summary: 'Report a job you started (recorded as self-reported)',
        body: Type.Object(
          { date: Type.String({ format: 'date' }), kind: Type.Literal('job-start') },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ recorded: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      await analytics.reportOwn(callerOf(request).user.id, request.body);
      return reply.code(201).send({ recorded: true });
    },
  );

  app.put(
    '/api/me/analytics/consent',
    {
      config: { access: access.user },
      schema: {
        tags: ['analytics'],
        summary: 'Whether your outcomes may be studied (on by default; off removes you from every later study)',
        body: Type.Object({ studied: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Object({ studied: Type.Boolean() }) },
      },
    },
    async (request) => {
      await analytics.setStudied(callerOf(request).user.id, request.body.studied);
      return { studied: request.body.studied };
    },
  );
}
