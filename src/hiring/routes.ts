import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { hiringLimits, type Hiring } from './hiring.js';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });

const TalentBody = Type.Object(
  {
    discoverable: Type.Boolean({
      description: 'Whether employers may find you (false removes you from every ranking)',
    }),
    headline: Type.Optional(Type.String({ maxLength: 200 })),
    availableFrom: Type.Optional(Type.Union([Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }), Type.Null()])),
    daysPerWeek: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 7 }), Type.Null()])),
    dayRate: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1_000_000 }), Type.Null()])),
    desiredRoles: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), { maxItems: hiringLimits.maxDesiredRoles }),
    ),
    holdingIds: Type.Optional(
      Type.Union([Type.Array(Type.String({ maxLength: 100 }), { maxItems: hiringLimits.maxHoldings }), Type.Null()], {
        description: 'The holdings employers see (null: every one that verifies)',
      }),
    ),
  },
  { additionalProperties: false },
);
const TalentSchema = Type.Object({
  discoverable: Type.Boolean(),
  headline: Str,
  availableFrom: NullableStr,
  daysPerWeek: NullableNum,
  dayRate: NullableNum,
  desiredRoles: Type.Array(Str),
  holdingIds: Type.Union([Type.Array(Str), Type.Null()]),
  updatedAt: NullableStr,
});
const RevealSchema = Type.Object({
  jobId: Str,
  jobTitle: Str,
  organization: Str,
  revealedBy: NullableStr,
  revealedAt: Str,
});

const JobSkillBody = Type.Object(
  {
    skill: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'An ESCO, O*NET or own-framework skill URI or code',
    }),
    weight: Type.Integer({ minimum: 1, maximum: 5 }),
    minLevel: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()])),
    required: Type.Optional(Type.Boolean()),
    members: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: hiringLimits.maxTeamSize,
        description: 'For a project’s team: how many members must hold it (default 1)',
      }),
    ),
  },
  { additionalProperties: false },
);
const Weights = Type.Object(
  {
    credentials: Type.Number({ minimum: 0, maximum: 5 }),
    workHistory: Type.Number({ minimum: 0, maximum: 5 }),
    references: Type.Number({ minimum: 0, maximum: 5 }),
  },
  { additionalProperties: false },
);
const JobBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    kind: Type.Union([Type.Literal('job'), Type.Literal('project')]),
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')])),
    skills: Type.Array(JobSkillBody, { minItems: 1, maxItems: hiringLimits.maxJobSkills }),
    weights: Type.Optional(Weights),
    location: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    remote: Type.Optional(Type.Boolean()),
    blind: Type.Optional(Type.Boolean({ description: 'Blind review by default for this job (true unless set)' })),
    maxTeamSize: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: hiringLimits.maxTeamSize }), Type.Null()]),
    ),
    budget: Type.Optional(
      Type.Union([
        Type.Number({
          minimum: 0,
          maximum: hiringLimits.maxBudget,
          description: 'For a project: the most the team’s day rates may add up to',
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
const JobSchema = Type.Object({
  id: Str,
  orgId: Str,
  title: Str,
  description: Str,
  kind: Str,
  status: Str,
  skills: Type.Array(
    Type.Object({
      skill: Str,
      label: Str,
      weight: Type.Integer(),
      minLevel: NullableNum,
      required: Type.Boolean(),
      members: Type.Integer(),
    }),
  ),
  weights: Type.Object({ credentials: Type.Number(), workHistory: Type.Number(), references: Type.Number() }),
  location: NullableStr,
  remote: Type.Boolean(),
  blind: Type.Boolean(),
  maxTeamSize: Type.Union([Type.Integer(), Type.Null()]),
  budget: NullableNum,
  createdAt: Str,
  updatedAt: Str,
});
const TermSchema = Type.Object({
  kind: Str,
  skill: Type.Optional(Str),
  credentialId: Type.Optional(Str),
  points: Type.Integer(),
  note: Str,
});
const JobRef = Type.Object({ id: Str, title: Str, blind: Type.Boolean() });
const Verification = Type.Union([
  Type.Object({
    verified: Type.Boolean(),
    checks: Type.Array(Type.Object({ id: Str, status: Str, message: Str })),
  }),
  Type.Null(),
]);
const Ratings = Type.Object({ communication: NullableNum, timeliness: NullableNum, reliability: NullableNum });

const OrgParams = Type.Object({ orgId: Id });
const JobParams = Type.Object({ orgId: Id, jobId: Id });
const CandidateParams = Type.Object({ orgId: Id, jobId: Id, candidateId: Id });
const Blind = Type.Optional(
  Type.Union([Type.Literal('true'), Type.Literal('false')], {
    description: 'Hide names and contact details (the job’s setting by default)',
  }),
);
const blindOf = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

export async function hiringRoutes(base: FastifyInstance, { hiring }: { hiring: Hiring }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const employer = access.org('employer');

  app.get(
    '/api/me/talent',
    {
      config: { access: access.user },
      schema: { tags: ['hiring'], summary: 'Your talent profile and consent', response: { 200: TalentSchema } },
    },
    async (req) => hiring.talent(callerOf(req).user.id),
  );

  app.put(
    '/api/me/talent',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Opt in to (or out of) being found by employers, with your availability and the holdings that count',
        body: TalentBody,
        response: { 200: TalentSchema },
      },
    },
    async (req) => hiring.saveTalent(callerOf(req).user.id, req.body),
  );

  app.get(
    '/api/me/talent/preview',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Exactly what employers see of you: the blind card, what a reveal shows, and who revealed you',
        response: {
          200: Type.Object({
            discoverable: Type.Boolean(),
            blind: Type.Object({
              candidateId: NullableStr,
              displayName: Type.Null(),
              headline: Str,
              availableFrom: NullableStr,
              daysPerWeek: NullableNum,
              dayRate: NullableNum,
              desiredRoles: Type.Array(Str),
            }),
            revealed: Type.Object({ displayName: Str, email: Str }),
            holdings: Type.Array(
              Type.Object({
                holdingId: Str,
                name: Str,
                kind: Str,
                issuer: NullableStr,
                status: Str,
                shown: Type.Boolean(),
                counts: Type.Boolean(),
                work: Type.Union([
                  Type.Object({
                    role: Str,
                    months: Type.Number(),
                    from: NullableStr,
                    until: NullableStr,
                    ratings: Ratings,
                  }),
                  Type.Null(),
                ]),
                reference: Type.Union([Type.Object({ comment: NullableStr }), Type.Null()]),
              }),
            ),
            reveals: Type.Array(RevealSchema),
          }),
        },
      },
    },
    async (req) => hiring.preview(callerOf(req).user.id),
  );

  app.get(
    '/api/jobs',
    {
      config: { access: access.public, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags: ['hiring'],
        summary: 'Open jobs and projects anyone may find, newest first: search by text and by skill (code or URI)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the title or description' })),
            skill: Type.Optional(Type.String({ maxLength: 500, description: 'A skill code or URI the job asks for' })),
            limit: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,9}$', description: `1 to ${hiringLimits.maxLimit} (20 by default)` }),
            ),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            jobs: Type.Array(
              Type.Object({
                id: Str,
                title: Str,
                orgName: Str,
                kind: Str,
                location: NullableStr,
                remote: Type.Boolean(),
                skills: Type.Array(
                  Type.Object({ skill: Str, label: Str, required: Type.Boolean(), weight: Type.Integer() }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) =>
      hiring.searchOpenJobs({
        q: req.query.q,
        skill: req.query.skill,
        limit: Number(req.query.limit ?? 20),
        offset: Number(req.query.offset ?? 0),
      }),
  );

  app.get(
    '/api/jobs/:jobId/posting',
    {
      config: { access: access.public, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags: ['hiring'],
        summary: 'An open job’s public posting: its organization, description and weighted skills (404 unless open)',
        params: Type.Object({ jobId: Id }),
        response: {
          200: Type.Object({
            job: Type.Object({
              id: Str,
              title: Str,
              orgName: Str,
              kind: Str,
              description: Str,
              location: NullableStr,
              remote: Type.Boolean(),
              skills: Type.Array(
                Type.Object({
                  skill: Str,
                  label: Str,
                  weight: Type.Integer(),
                  minLevel: NullableNum,
                  required: Type.Boolean(),
                }),
              ),
              createdAt: Str,
            }),
          }),
        },
      },
    },
    async (req) => ({ job: await hiring.openJobPosting(req.params.jobId) }),
  );

  app.get(
    '/api/orgs/:orgId/jobs',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'The organization’s jobs and projects',
        params: OrgParams,
        response: { 200: Type.Object({ jobs: Type.Array(JobSchema) }) },
      },
    },
    async (req) => ({ jobs: await hiring.jobs(req.params.orgId) }),
  );

  app.post(
    '/api/orgs/:orgId/jobs',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'Post a job or project with weighted skills (draft unless status says otherwise)',
        params: OrgParams,
        body: JobBody,
        response: { 201: Type.Object({ job: JobSchema }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ job: await hiring.createJob(req.params.orgId, callerOf(req).user.id, req.body) }),
  );

  app.get(
    '/api/orgs/:orgId/jobs/:jobId',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'One job',
        params: JobParams,
        response: { 200: Type.Object({ job: JobSchema }) },
      },
    },
    async (req) => ({ job: await hiring.job(req.params.orgId, req.params.jobId) }),
  );

  app.put(
    '/api/orgs/:orgId/jobs/:jobId',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'Edit a job (draft or open), open or close it',
        params: JobParams,
        body: JobBody,
        response: { 200: Type.Object({ job: JobSchema }) },
      },
    },
    async (req) => ({ job: await hiring.updateJob(req.params.orgId, req.params.jobId, req.body) }),
  );

  app.delete(
    '/api/orgs/:orgId/jobs/:jobId',
    {
      config: { access: employer },
      schema: { tags: ['hiring'], summary: 'Delete a job and its reveals', params: JobParams },
    },
    async (req, reply) => {
      await hiring.deleteJob(req.params.orgId, req.params.jobId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/orgs/:orgId/jobs/:jobId/candidates',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary:
          'Discoverable candidates ranked by verified evidence, highest first; each score is exactly the sum of its terms',
        params: JobParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.String({ pattern: '^[0-9]{1,9}$', description: `1 to ${hiringLimits.maxLimit}` }),
            ),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
            blind: Blind,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            job: JobRef,
            total: Type.Integer(),
            candidates: Type.Array(
              Type.Object({
                candidateId: Str,
                displayName: NullableStr,
                revealed: Type.Boolean(),
                score: Type.Integer(),
                terms: Type.Array(TermSchema),
              }),
            ),
          }),
        },
      },
    },
    async (req) =>
      hiring.candidates(req.params.orgId, req.params.jobId, {
        limit: Number(req.query.limit ?? 50),
        offset: Number(req.query.offset ?? 0),
        blind: blindOf(req.query.blind),
      }),
  );

  app.get(
    '/api/orgs/:orgId/jobs/:jobId/candidates/:candidateId',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary:
          'One candidate: every credential that counted with its live verification, work history, references, the explanation',
        params: CandidateParams,
        querystring: Type.Object({ blind: Blind }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            job: JobRef,
            candidateId: Str,
            displayName: NullableStr,
            email: NullableStr,
            revealed: Type.Boolean(),
            headline: Str,
            availableFrom: NullableStr,
            daysPerWeek: NullableNum,
            dayRate: NullableNum,
            desiredRoles: Type.Array(Str),
            score: Type.Integer(),
            terms: Type.Array(TermSchema),
            missingRequired: Type.Array(Str),
            credentials: Type.Array(
              Type.Object({
                credentialId: Str,
                name: Str,
                issuer: NullableStr,
                trustedIssuer: Type.Boolean(),
                status: Str,
                assessment: Str,
                score: NullableNum,
                skills: Type.Array(Type.Object({ code: Str, label: Str })),
                verification: Verification,
              }),
            ),
            workHistory: Type.Array(
              Type.Object({
                credentialId: Str,
                employer: NullableStr,
                role: Str,
                months: Type.Number(),
                ratings: Ratings,
                status: Str,
                verification: Verification,
              }),
            ),
            references: Type.Array(
              Type.Object({
                credentialId: Str,
                from: NullableStr,
                status: Str,
                comment: NullableStr,
                verification: Verification,
              }),
            ),
          }),
        },
      },
    },
    async (req) =>
      hiring.candidate(req.params.orgId, req.params.jobId, req.params.candidateId, {
        blind: blindOf(req.query.blind),
      }),
  );

  app.post(
    '/api/orgs/:orgId/jobs/:jobId/candidates/:candidateId/reveal',
    {
      config: { access: employer, audit: { action: 'candidate.revealed' } },
      schema: {
        tags: ['hiring'],
        summary: 'Reveal one candidate’s identity in a blind review (recorded and shown to the candidate)',
        params: CandidateParams,
        response: {
          200: Type.Object({ candidateId: Str, displayName: Str, email: Str, revealedAt: Str }),
        },
      },
    },
    async (req) => hiring.reveal(req.params.orgId, req.params.jobId, req.params.candidateId, callerOf(req).user.id),
  );

  app.post(
    '/api/orgs/:orgId/engagements',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary:
          'Close an engagement with a worker: signs a work-history credential (role, period, skills, ratings) and optionally a reference, both to their wallet',
        params: OrgParams,
        body: Type.Object(
          {
            worker: Type.String({ minLength: 3, maxLength: 320, description: 'The worker’s confirmed email' }),
            role: Type.String({ minLength: 1, maxLength: 200 }),
            from: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
            until: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
            skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 })),
            ratings: Type.Optional(
              Type.Object(
                {
                  communication: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
                  timeliness: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
                  reliability: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()])),
                },
                { additionalProperties: false },
              ),
            ),
            summary: Type.Optional(Type.String({ maxLength: 2000 })),
            reference: Type.Optional(
              Type.Union([
                Type.Object(
                  { comment: Type.String({ minLength: 1, maxLength: 2000 }) },
                  { additionalProperties: false },
                ),
                Type.Null(),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            workHistory: Type.Object({ id: Str, credentialId: Str }),
            reference: Type.Union([Type.Object({ id: Str, credentialId: Str }), Type.Null()]),
          }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await hiring.closeEngagement(req.params.orgId, callerOf(req).user.id, req.body)),
  );
}
