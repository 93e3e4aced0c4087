import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../accounts/access.js';
import { hiringLimits, type Hiring } from './hiring.js';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });

const TeamBody = Type.Object(
  {
    candidatePool: Type.Union([Type.Literal('ranked'), Type.Literal('applicants'), Type.Literal('both')], {
      description: 'Discoverable candidates the ranking finds, the job’s applicants, or both',
    }),
    maxSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: hiringLimits.maxTeamSize, description: 'The project’s by default' }),
    ),
    budget: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: hiringLimits.maxBudget,
        description: 'The most the members’ day rates may add up to (the project’s by default)',
      }),
    ),
    exclude: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), {
        maxItems: hiringLimits.maxHoldings,
        description: 'Candidate ids to leave out',
      }),
    ),
    start: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'YYYY-MM-DD; default today: who is available by then',
      }),
    ),
  },
  { additionalProperties: false },
);

const Member = Type.Object({
  candidateId: Str,
  displayName: NullableStr,
  source: Str,
  dayRate: Type.Number(),
  score: Type.Number(),
  covers: Type.Array(Str),
});
const TeamSchema = Type.Object({
  size: Type.Integer(),
  totalDayRate: Type.Number(),
  totalScore: Type.Number(),
  members: Type.Array(Member),
  coverage: Type.Array(Type.Object({ skill: Str, label: Str, needed: Type.Integer(), members: Type.Array(Str) })),
});
const TeamAnswer = Type.Object({
  job: Type.Object({ id: Str, title: Str, blind: Type.Boolean() }),
  candidatePool: Str,
  start: Str,
  maxSize: Type.Union([Type.Integer(), Type.Null()]),
  budget: Type.Union([Type.Number(), Type.Null()]),
  requirements: Type.Array(
    Type.Object({
      skill: Str,
      label: Str,
      minLevel: Type.Union([Type.Number(), Type.Null()]),
      members: Type.Integer(),
    }),
  ),
  status: Type.Union([Type.Literal('optimal'), Type.Literal('infeasible'), Type.Literal('time-limit')]),
  optimal: Type.Boolean(),
  statement: Str,
  team: Type.Union([TeamSchema, Type.Null()]),
  runnersUp: Type.Array(TeamSchema),
  infeasible: Type.Union([
    Type.Object({
      uncovered: Type.Array(Type.Object({ skill: Str, label: Str, needed: Type.Integer(), holders: Type.Integer() })),
      limitedBy: Type.Array(Str),
    }),
    Type.Null(),
  ]),
  pool: Type.Object({
    considered: Type.Integer(),
    skipped: Type.Object({
      unavailable: Type.Integer(),
      noDayRate: Type.Integer(),
      excluded: Type.Integer(),
      holdsNone: Type.Integer(),
    }),
    candidates: Type.Array(
      Type.Object({
        candidateId: Str,
        displayName: NullableStr,
        source: Str,
        dayRate: Type.Number(),
        score: Type.Number(),
        availableFrom: NullableStr,
        daysPerWeek: Type.Union([Type.Integer(), Type.Null()]),
        covers: Type.Array(Str),
      }),
    ),
  }),
});

/** Team staffing for projects (issue 20, item 4). */
export async function teamRoutes(base: FastifyInstance, { hiring }: { hiring: Hiring }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/orgs/:orgId/jobs/:jobId/team',
    {
      config: { access: access.org('employer') },
      schema: {
        tags: ['hiring'],
        summary:
          'The optimal team for a project (fewest members, then lowest total day rate, then highest summed score; ' +
          'solved exactly), who covers which skill, and the next 3 teams. Large projects are solved a few at a ' +
          'time on solver threads; when too many wait, 503 with Retry-After.',
        params: Type.Object({ orgId: Id, jobId: Id }),
        body: TeamBody,
        response: { 200: TeamAnswer },
      },
    },
    async (req) => hiring.team(req.params.orgId, req.params.jobId, req.body),
  );
}
