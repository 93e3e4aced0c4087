import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import type { Assessment } from './assessment.js';
import { TestPolicySchema } from './items.js';
import { ScoreSchema } from './scoring.js';

const BankParams = Type.Object({ orgId: Type.String(), achievementId: Type.String({ format: 'uuid' }) });
const AttemptParams = Type.Object({ attemptId: Type.String({ format: 'uuid' }) });
const ItemInput = Type.Object(
  {
    stem: Type.String({ maxLength: 5000 }),
    options: Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 10 }),
    correct: Type.Array(Type.Integer({ minimum: 0, maximum: 9 }), { maxItems: 10 }),
    skills: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 }),
    difficulty: Type.Integer(),
  },
  { additionalProperties: false },
);
// The policy as the domain takes it (it checks the ranges), and nothing else.
const Policy = Type.Object(TestPolicySchema.properties, { additionalProperties: false });
// What a learner's browser receives: items without answer keys (checked by a test on the raw JSON).
const PresentedItem = Type.Object(
  {
    id: Type.String(),
    stem: Type.String(),
    multiple: Type.Boolean(),
    options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() }, { additionalProperties: false })),
    chosen: Type.Union([Type.Array(Type.String()), Type.Null()]),
  },
  { additionalProperties: false },
);
const AttemptView = Type.Object(
  {
    id: Type.String(),
    achievementId: Type.String(),
    version: Type.Integer(),
    startedAt: Type.String(),
    deadline: Type.String(),
    secondsLeft: Type.Integer(),
    finished: Type.Boolean(),
    items: Type.Array(PresentedItem),
    // Only totals and sub-scores: which items were right would hand out the key item by item.
    score: Type.Union([Type.Omit(ScoreSchema, ['items']), Type.Null()]),
    credentialId: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const TestInfo = Type.Object(
  {
    policy: Type.Pick(Policy, ['length', 'passMark', 'timeLimitMinutes', 'maxAttempts', 'cooldownHours']),
    available: Type.Boolean(),
    me: Type.Union([
      Type.Object({
        attemptsUsed: Type.Integer(),
        attemptsLeft: Type.Integer(),
        canStart: Type.Boolean(),
        reason: Type.Union([Type.String(), Type.Null()]),
        message: Type.Union([Type.String(), Type.Null()]),
        retryAt: Type.Union([Type.String(), Type.Null()]),
        openAttemptId: Type.Union([Type.String(), Type.Null()]),
        lastAttemptId: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

export async function assessmentRoutes(base: FastifyInstance, { assessment }: { assessment: Assessment }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const bankUrl = '/api/orgs/:orgId/achievements/:achievementId';

  app.get(
    `${bankUrl}/items`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary:
          'The item bank (with answer keys, for its authors), the test policy and whether the pool is deep enough',
        params: BankParams,
      },
    },
    async (request) => assessment.bank(callerOf(request).user.id, request.params.orgId, request.params.achievementId),
  );

  app.post(
    `${bankUrl}/items`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'Add items to the bank',
        params: BankParams,
        body: Type.Object(
          { items: Type.Array(ItemInput, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ added: Type.Integer() }) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        added: await assessment.addItems(
          callerOf(request).user.id,
          request.params.orgId,
          request.params.achievementId,
          request.body.items,
        ),
      }),
  );

  app.get(
    `${bankUrl}/items/statistics`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary:
          'Item statistics: facility, discrimination, option shares, timing, and flags for items that look leaked or broken',
        params: BankParams,
      },
    },
    async (request) =>
      assessment.statistics(callerOf(request).user.id, request.params.orgId, request.params.achievementId),
  );

  app.post(
    `${bankUrl}/items/import`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'Import items: CSV (stem, options, correct, skills, difficulty; lists |-separated) or JSON',
        params: BankParams,
        body: Type.Object(
          { format: Type.Enum(['csv', 'json']), content: Type.String({ minLength: 1, maxLength: 900_000 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ added: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const items = assessment.parseItems(request.body.format, request.body.content);
      return reply.code(201).send({
        added: await assessment.addItems(
          callerOf(request).user.id,
          request.params.orgId,
          request.params.achievementId,
          items,
        ),
      });
    },
  );

  app.get(
    `${bankUrl}/items/export`,
    {
      // The answer keys leave the platform.
      config: { access: access.org('issuer'), audit: { action: 'items.exported' } },
      schema: {
        tags: ['assessment'],
        summary: 'Export the item bank as CSV (formula-safe) or JSON',
        params: BankParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Enum(['csv', 'json'])) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      const body = await assessment.exportItems(
        callerOf(request).user.id,
        request.params.orgId,
        request.params.achievementId,
        format,
      );
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
        .header('content-disposition', `attachment; filename="items-${request.params.achievementId}.${format}"`)
        .send(body);
    },
  );

  app.post(
    `${bankUrl}/items/:itemId/retire`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'Retire an item (leaked or broken): it is never drawn again',
        params: Type.Object({
          orgId: Type.String(),
          achievementId: Type.String({ format: 'uuid' }),
          itemId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (request, reply) => {
      await assessment.retireItem(
        callerOf(request).user.id,
        request.params.orgId,
        request.params.achievementId,
        request.params.itemId,
      );
      return reply.code(204).send();
    },
  );

  app.put(
    `${bankUrl}/items/:itemId`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'Edit an item: the edited item is added as a new one and the old retires, keeping its statistics',
        params: Type.Object({
          orgId: Type.String(),
          achievementId: Type.String({ format: 'uuid' }),
          itemId: Type.String({ format: 'uuid' }),
        }),
        body: ItemInput,
        response: { 200: Type.Object({ id: Type.String() }) },
      },
    },
    async (request) =>
      assessment.replaceItem(
        callerOf(request).user.id,
        request.params.orgId,
        request.params.achievementId,
        request.params.itemId,
        request.body,
      ),
  );

  app.get(
    `${bankUrl}/test-preview`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'A sample draw as learners see it (no answer keys); nothing is recorded and no exposure counted',
        params: BankParams,
        response: { 200: Type.Object({ policy: Policy, items: Type.Array(Type.Omit(PresentedItem, ['chosen'])) }) },
      },
    },
    async (request) =>
      assessment.preview(callerOf(request).user.id, request.params.orgId, request.params.achievementId),
  );

  app.get(
    '/api/achievements/:achievementId/test',
    {
      config: { access: access.public },
      schema: {
        tags: ['assessment'],
        summary:
          "A skill test's public facts (length, pass mark, time limit, attempts, cooldown) and, signed in, your standing",
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
        response: { 200: TestInfo },
      },
    },
    async (request) => assessment.testInfo(request.params.achievementId, request.caller?.user.id),
  );

  app.put(
    `${bankUrl}/test-policy`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['assessment'],
        summary: 'Set the test: length, pass mark, time limit, attempts, cooldown, exposure',
        params: BankParams,
        body: Policy,
        response: { 200: Policy },
      },
    },
    async (request) =>
      assessment.setPolicy(callerOf(request).user.id, request.params.orgId, request.params.achievementId, request.body),
  );

  app.post(
    '/api/achievements/:achievementId/attempts',
    {
      config: { access: access.user },
      schema: {
        tags: ['assessment'],
        summary:
          'Start a skill-test attempt (or learn why not: in progress, passed, attempts used, cooldown); a credential that has expired or expires within 30 days may be renewed by retesting',
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object(
          {
            renew: Type.Optional(
              Type.Enum(['true', 'false'], {
                description:
                  'Accepted for older clients; whether a retest renews a credential is decided by the server',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: AttemptView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await assessment.start(callerOf(request).user.id, request.params.achievementId)),
  );

  app.get(
    '/api/attempts/:attemptId',
    {
      config: { access: access.user },
      schema: {
        tags: ['assessment'],
        summary: 'Resume an attempt: the same items, your answers, the time left',
        params: AttemptParams,
        response: { 200: AttemptView },
      },
    },
    async (request) => assessment.view(callerOf(request).user.id, request.params.attemptId),
  );

  app.put(
    '/api/attempts/:attemptId/answers/:itemId',
    {
      config: { access: access.user },
      schema: {
        tags: ['assessment'],
        summary: 'Answer (or change the answer to) one item, before the deadline',
        params: Type.Object({ attemptId: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { chosen: Type.Array(Type.String({ maxLength: 5 }), { maxItems: 10 }) },
          { additionalProperties: false },
        ),
        response: { 200: AttemptView },
      },
    },
    async (request) =>
      assessment.answer(
        callerOf(request).user.id,
        request.params.attemptId,
        request.params.itemId,
        request.body.chosen,
      ),
  );

  app.post(
    '/api/attempts/:attemptId/events',
    {
      config: { access: access.user },
      schema: {
        tags: ['assessment'],
        summary: 'Record an integrity signal (focus lost, paste): shown to assessors, never failing anyone',
        params: AttemptParams,
        body: Type.Object(
          { type: Type.String({ maxLength: 40 }), detail: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      await assessment.recordIntegrity(
        callerOf(request).user.id,
        request.params.attemptId,
        request.body.type,
        request.body.detail,
      );
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/attempts/:attemptId/submit',
    {
      config: { access: access.user },
      schema: {
        tags: ['assessment'],
        summary: 'Submit: score the attempt (a second submit returns the same result)',
        params: AttemptParams,
        response: { 200: AttemptView },
      },
    },
    async (request) => assessment.submit(callerOf(request).user.id, request.params.attemptId),
  );
}
