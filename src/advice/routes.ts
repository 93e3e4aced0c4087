import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import type { Advice } from './advice.js';
import { adviceLimits } from './plan.js';

const Str = Type.String();
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const SkillCode = Type.String({ minLength: 1, maxLength: 500 });

const Target = Type.Union(
  [
    Type.Object({ occupation: SkillCode }, { additionalProperties: false }),
    Type.Object({ jobId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    Type.Object(
      { skills: Type.Array(SkillCode, { maxItems: adviceLimits.maxTargetSkills }) },
      { additionalProperties: false },
    ),
  ],
  { description: 'An occupation (ESCO URI or O*NET-SOC code), a job posted here, or a list of skill codes or URIs' },
);
const Filters = Type.Object(
  {
    maxHours: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'Most hours in the plan' }),
    ),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'e.g. en, de-AT' })),
    onlineOnly: Type.Optional(Type.Boolean()),
    avoidIssuers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 100 })),
    maxCredentials: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
const PlanBody = {
  target: Target,
  filters: Type.Optional(Filters),
  alternatives: Type.Optional(Type.Integer({ minimum: 0, maximum: adviceLimits.maxAlternatives })),
};

/** What a what-if question takes as held (nothing is verified, nothing stored). */
const WhatIfBody = {
  held: Type.Optional(Type.Array(SkillCode, { maxItems: 1000, description: 'Skill codes or URIs you have' })),
  heldCredentials: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: 100,
      description: 'Ids of published micro-credentials you hold: their skills count, and they meet prerequisites',
    }),
  ),
};

const EvidenceSchema = Type.Object({
  holdingId: Str,
  credential: Str,
  issuer: Nullable(Str),
  score: Nullable(Str),
  date: Nullable(Str),
});
const PlanSchema = Type.Object({
  credentials: Type.Array(
    Type.Object({
      achievementId: Str,
      version: Type.Integer(),
      name: Str,
      issuer: Type.Object({ id: Str, name: Str }),
      hours: Type.Number(),
      language: Str,
      participationForm: Str,
      covers: Type.Array(Str),
      coversOptional: Type.Array(Str),
      prerequisiteOf: Type.Array(Str),
      why: Str,
    }),
  ),
  totalHours: Type.Number(),
  optimal: Type.Boolean(),
  lowerBound: Type.Number(),
  boundGap: Type.Number(),
});
const AnswerSchema = Type.Object({
  target: Type.Object({
    kind: Type.Union([Type.Literal('occupation'), Type.Literal('skills'), Type.Literal('job')]),
    id: Nullable(Str),
    name: Str,
    framework: Nullable(Str),
    skills: Type.Integer(),
  }),
  status: Type.Union([
    Type.Literal('no-gap'),
    Type.Literal('optimal'),
    Type.Literal('best-found'),
    Type.Literal('infeasible'),
  ]),
  held: Type.Array(
    Type.Object({
      skill: Str,
      label: Str,
      essential: Type.Boolean(),
      via: Type.Object({ skill: Str, label: Str, narrower: Type.Boolean() }),
      evidence: Type.Array(EvidenceSchema),
    }),
  ),
  gap: Type.Array(
    Type.Object({
      skill: Str,
      label: Str,
      essential: Type.Boolean(),
      weight: Type.Optional(Type.Number({ description: 'How much the target values the skill (a job’s 1–5)' })),
    }),
  ),
  plan: Type.Union([PlanSchema, Type.Null()]),
  uncovered: Type.Array(Str),
  infeasible: Type.Union([
    Type.Object({ reason: Str, skills: Type.Array(Type.Object({ skill: Str, label: Str, why: Str })) }),
    Type.Null(),
  ]),
  alternatives: Type.Array(PlanSchema),
  explanation: Type.Array(Str),
  verifiedSkills: Type.Optional(Type.Integer({ description: 'Skills your wallet proves' })),
});

type PlanBodyType = Static<ReturnType<typeof Type.Object<typeof PlanBody>>>;

// Each plan runs an integer program (bounded by the solver's time limit): a modest per-client rate.
const planLimit = { max: 30, timeWindow: '1 minute' };

export async function adviceRoutes(base: FastifyInstance, { advice }: { advice: Advice }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const request = (body: PlanBodyType) => ({
    target: body.target,
    filters: body.filters,
    alternatives: body.alternatives,
  });

  app.post(
    '/api/me/advice/plan',
    {
      config: { access: access.user, rateLimit: planLimit },
      schema: {
        tags: ['advice'],
        summary:
          'Reskilling advice from your verified skills: the gap to a target and the least-hours plan of micro-credentials that closes it',
        body: Type.Object(PlanBody, { additionalProperties: false }),
        response: { 200: AnswerSchema },
      },
    },
    async (req) => advice.planFor(callerOf(req).user.id, request(req.body)),
  );

  app.post(
    '/api/advice/plan',
    {
      config: { access: access.public, rateLimit: planLimit },
      schema: {
        tags: ['advice'],
        summary:
          'What-if reskilling advice for anyone (no account, nothing stored): the skills and published micro-credentials you list are taken as held',
        body: Type.Object({ ...PlanBody, ...WhatIfBody }, { additionalProperties: false }),
        response: { 200: AnswerSchema },
      },
    },
    async (req) =>
      advice.planWhatIf({ ...request(req.body), held: req.body.held, heldCredentials: req.body.heldCredentials }),
  );

  const RolesSchema = Type.Object({
    roles: Type.Array(
      Type.Object({
        occupation: Str,
        name: Str,
        framework: Str,
        group: Str,
        closeness: Type.Number(),
        coverage: Type.Number(),
        reach: Type.Number(),
        held: Type.Integer(),
        gap: Type.Object({ essential: Type.Integer(), optional: Type.Integer() }),
        status: Str,
        plan: Type.Union([
          Type.Object({
            totalHours: Type.Number(),
            credentials: Type.Integer(),
            optimal: Type.Boolean(),
            boundGap: Type.Number(),
          }),
          Type.Null(),
        ]),
        uncovered: Type.Integer(),
      }),
    ),
    verifiedSkills: Type.Integer(),
    measure: Str,
  });
  const Limit = Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', description: '1 to 50 (default 10)' }));

  app.get(
    '/api/me/advice/occupations',
    {
      config: { access: access.user, rateLimit: planLimit },
      schema: {
        tags: ['advice'],
        summary:
          'Roles within reach: occupations ranked by how close your verified skills bring you, with gap and plan hours',
        querystring: Type.Object({ limit: Limit }, { additionalProperties: false }),
        response: { 200: RolesSchema },
      },
    },
    async (req) => advice.rolesFor(callerOf(req).user.id, Number(req.query.limit ?? 10)),
  );

  app.post(
    '/api/advice/occupations',
    {
      config: { access: access.public, rateLimit: planLimit },
      schema: {
        tags: ['advice'],
        summary:
          'What-if roles within reach of the skills and published micro-credentials you list (no account, nothing stored)',
        body: Type.Object(
          { ...WhatIfBody, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
          { additionalProperties: false },
        ),
        response: { 200: RolesSchema },
      },
    },
    async (req) =>
      advice.rolesWhatIf({ held: req.body.held, heldCredentials: req.body.heldCredentials }, req.body.limit ?? 10),
  );

  app.get(
    '/api/advice/achievements/:achievementId/roles',
    {
      config: { access: access.public },
      schema: {
        tags: ['advice'],
        summary: 'The occupations whose essential skills a published micro-credential teaches, most skills first',
        params: Type.Object({ achievementId: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({ limit: Limit }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            achievementId: Str,
            total: Type.Integer(),
            roles: Type.Array(
              Type.Object({
                occupation: Str,
                name: Str,
                framework: Str,
                closes: Type.Integer(),
                essential: Type.Integer(),
                skills: Type.Array(Str),
              }),
            ),
          }),
        },
      },
    },
    async (req) => advice.rolesClosedBy(req.params.achievementId, Number(req.query.limit ?? 5)),
  );

  app.get(
    '/api/me/advice/skills',
    {
      config: { access: access.user },
      schema: {
        tags: ['advice'],
        summary: 'The skills your wallet proves (active credentials only), each with its evidence',
        response: {
          200: Type.Object({
            skills: Type.Array(Type.Object({ code: Str, label: Str, evidence: Type.Array(EvidenceSchema) })),
          }),
        },
      },
    },
    async (req) => ({ skills: await advice.verifiedSkills(callerOf(req).user.id) }),
  );
}
