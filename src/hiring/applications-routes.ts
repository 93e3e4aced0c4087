import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { applicationLimits, type Applications } from './applications.js';
import { applicationStages, rejectionReasons } from './stages.js';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const NullableBool = Type.Union([Type.Boolean(), Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Digits = (description: string) => Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description }));
const DateText = Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });
const Stage = Type.Union(applicationStages.map((s) => Type.Literal(s)));
const Note = Type.Optional(Type.String({ maxLength: applicationLimits.maxNote }));
const HoldingIds = Type.Optional(
  Type.Array(Type.String({ maxLength: 100 }), {
    maxItems: applicationLimits.maxAttached,
    description: 'The wallet holdings you attach (the employer sees these, verified when you attach them)',
  }),
);

const Attached = Type.Object({
  holdingId: Str,
  name: Str,
  kind: Str,
  issuer: NullableStr,
  status: Str,
  aligned: Type.Boolean(),
  skills: Type.Array(Type.Object({ code: Str, label: Str })),
});
const History = Type.Array(
  Type.Object({
    from: NullableStr,
    to: Str,
    at: Str,
    by: Str,
    byName: NullableStr,
    reason: NullableStr,
    note: NullableStr,
  }),
);
const EmployerApplication = Type.Object({
  id: Str,
  jobId: Str,
  origin: Str,
  stage: Str,
  allowedMoves: Type.Array(Str),
  displayName: NullableStr,
  email: NullableStr,
  revealedAt: NullableStr,
  note: NullableStr,
  invitationNote: NullableStr,
  holdings: Type.Array(Attached),
  alignedCredential: NullableBool,
  rejection: Type.Union([Type.Object({ reason: Str, note: NullableStr }), Type.Null()]),
  appliedAt: NullableStr,
  createdAt: Str,
  updatedAt: Str,
  history: Type.Optional(History),
});
const OwnApplication = Type.Object({
  id: Str,
  job: Type.Object({ id: Str, title: Str, kind: Str, status: Str, organization: Str }),
  origin: Str,
  stage: Str,
  allowedMoves: Type.Array(Str),
  note: Str,
  invitationNote: NullableStr,
  holdings: Type.Array(Attached),
  rejectionReason: NullableStr,
  revealedAt: NullableStr,
  appliedAt: NullableStr,
  createdAt: Str,
  history: History,
  engagement: Type.Union([
    Type.Object({ id: Str, role: Str, startDate: Str, status: Str, endDate: NullableStr }),
    Type.Null(),
  ]),
});
const Ratings = Type.Union([
  Type.Object({ communication: NullableNum, timeliness: NullableNum, reliability: NullableNum }),
  Type.Null(),
]);
const Engagement = Type.Object({
  id: Str,
  jobId: NullableStr,
  applicationId: NullableStr,
  displayName: NullableStr,
  role: Str,
  startDate: Str,
  dayRate: NullableNum,
  agreedValue: NullableNum,
  status: Str,
  endDate: NullableStr,
  value: NullableNum,
  ratings: Ratings,
  credentialsAtHire: Type.Array(Attached),
  workHistoryId: NullableStr,
  referenceId: NullableStr,
  openedAt: Str,
  closedAt: NullableStr,
});
const Conversion = Type.Object({
  from: Str,
  to: Str,
  entered: Type.Integer(),
  advanced: Type.Integer(),
  dropped: Type.Integer(),
  pending: Type.Integer(),
  rate: NullableNum,
});
const Group = Type.Object({
  applications: Type.Integer(),
  reached: Type.Record(Type.String(), Type.Integer()),
  conversions: Type.Array(Conversion),
  rejected: Type.Integer(),
  withdrawn: Type.Integer(),
});
const Side = Type.Object({
  offers: Type.Integer(),
  decided: Type.Integer(),
  rate: NullableNum,
  ci95: Type.Union([Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), Type.Null()]),
});
const FunnelQuery = Type.Object(
  {
    jobId: Type.Optional(Type.String({ maxLength: 100, description: 'One job (all of the organization’s otherwise)' })),
    from: Type.Optional(DateText),
    to: Type.Optional(DateText),
  },
  { additionalProperties: false },
);

const OrgParams = Type.Object({ orgId: Id });
const JobParams = Type.Object({ orgId: Id, jobId: Id });
const ApplicationParams = Type.Object({ orgId: Id, jobId: Id, applicationId: Id });
const OwnParams = Type.Object({ applicationId: Id });
const Answer = Type.Object({ note: Note }, { additionalProperties: false });

export async function applicationsRoutes(base: FastifyInstance, { applications }: { applications: Applications }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const employer = access.org('employer');

  app.post(
    '/api/jobs/:jobId/applications',
    {
      config: { access: access.user, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['hiring'],
        summary: 'Apply to an open job with a note and the holdings you choose to attach',
        params: Type.Object({ jobId: Id }),
        body: Type.Object({ note: Note, holdingIds: HoldingIds }, { additionalProperties: false }),
        response: { 201: Type.Object({ application: OwnApplication }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send({ application: await applications.apply(callerOf(req).user.id, req.params.jobId, req.body) }),
  );

  app.get(
    '/api/me/applications',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Your applications and invitations: where each stands, and every move (who, when)',
        response: { 200: Type.Object({ applications: Type.Array(OwnApplication) }) },
      },
    },
    async (req) => applications.mine(callerOf(req).user.id),
  );

  app.post(
    '/api/me/applications/:applicationId/accept',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Accept an invitation: it becomes your application, with a note and the holdings you attach',
        params: OwnParams,
        body: Type.Object({ note: Note, holdingIds: HoldingIds }, { additionalProperties: false }),
        response: { 200: Type.Object({ application: OwnApplication }) },
      },
    },
    async (req) => ({
      application: await applications.answer(callerOf(req).user.id, req.params.applicationId, 'applied', req.body),
    }),
  );

  app.post(
    '/api/me/applications/:applicationId/decline',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Decline an invitation (nothing of you is shown to the employer)',
        params: OwnParams,
        body: Answer,
        response: { 200: Type.Object({ application: OwnApplication }) },
      },
    },
    async (req) => ({
      application: await applications.answer(callerOf(req).user.id, req.params.applicationId, 'declined', req.body),
    }),
  );

  app.post(
    '/api/me/applications/:applicationId/withdraw',
    {
      config: { access: access.user },
      schema: {
        tags: ['hiring'],
        summary: 'Withdraw your application, at any stage that is not final',
        params: OwnParams,
        body: Answer,
        response: { 200: Type.Object({ application: OwnApplication }) },
      },
    },
    async (req) => ({
      application: await applications.answer(callerOf(req).user.id, req.params.applicationId, 'withdrawn', req.body),
    }),
  );

  app.post(
    '/api/orgs/:orgId/jobs/:jobId/invitations',
    {
      config: { access: employer, audit: { action: 'candidate.invited' } },
      schema: {
        tags: ['hiring'],
        summary: 'Invite a discoverable candidate from the ranking to apply (nothing of them shows until they accept)',
        params: JobParams,
        body: Type.Object(
          { candidateId: Type.String({ minLength: 1, maxLength: 100 }), note: Note },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ application: EmployerApplication }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        application: await applications.invite(req.params.orgId, req.params.jobId, callerOf(req).user.id, req.body),
      }),
  );

  app.get(
    '/api/orgs/:orgId/jobs/:jobId/applications',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'The pipeline board: a job’s applications (oldest first) and how many stand at each stage',
        params: JobParams,
        querystring: Type.Object(
          {
            stage: Type.Optional(Stage),
            limit: Digits(`1 to ${applicationLimits.maxLimit} (100 by default)`),
            offset: Digits('0 or more'),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            job: Type.Object({ id: Str, title: Str, status: Str, blind: Type.Boolean() }),
            counts: Type.Record(Type.String(), Type.Integer()),
            total: Type.Integer(),
            applications: Type.Array(EmployerApplication),
          }),
        },
      },
    },
    async (req) =>
      applications.board(req.params.orgId, req.params.jobId, {
        stage: req.query.stage,
        limit: Number(req.query.limit ?? 100),
        offset: Number(req.query.offset ?? 0),
      }),
  );

  app.get(
    '/api/orgs/:orgId/jobs/:jobId/applications/:applicationId',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'One application with every move (who, when, why)',
        params: ApplicationParams,
        response: { 200: Type.Object({ application: EmployerApplication }) },
      },
    },
    async (req) => ({
      application: await applications.application(req.params.orgId, req.params.jobId, req.params.applicationId),
    }),
  );

  app.post(
    '/api/orgs/:orgId/jobs/:jobId/applications/:applicationId/stage',
    {
      config: { access: employer, audit: { action: 'application.moved', fields: ['stage', 'reason'] } },
      schema: {
        tags: ['hiring'],
        summary:
          'Move an application one stage on, or reject it with a reason; interview reveals a blind job’s candidate (recorded), hired opens an engagement',
        params: ApplicationParams,
        body: Type.Object(
          {
            stage: Stage,
            reason: Type.Optional(Type.Union(rejectionReasons.map((r) => Type.Literal(r)))),
            note: Note,
            engagement: Type.Optional(
              Type.Object(
                {
                  role: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
                  start: DateText,
                  dayRate: Type.Optional(
                    Type.Union([Type.Number({ minimum: 0, maximum: applicationLimits.maxDayRate }), Type.Null()]),
                  ),
                  value: Type.Optional(
                    Type.Union([Type.Number({ minimum: 0, maximum: applicationLimits.maxValue }), Type.Null()]),
                  ),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ application: EmployerApplication, engagementId: NullableStr }),
        },
      },
    },
    async (req) =>
      applications.move(req.params.orgId, req.params.jobId, req.params.applicationId, callerOf(req).user.id, req.body),
  );

  app.get(
    '/api/orgs/:orgId/engagements',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'The organization’s engagements (opened by hiring), newest first',
        params: OrgParams,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closing'), Type.Literal('closed')])),
            limit: Digits(`1 to ${applicationLimits.maxLimit} (100 by default)`),
            offset: Digits('0 or more'),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ engagements: Type.Array(Engagement) }) },
      },
    },
    async (req) =>
      applications.engagements(req.params.orgId, {
        status: req.query.status,
        limit: Number(req.query.limit ?? 100),
        offset: Number(req.query.offset ?? 0),
      }),
  );

  app.post(
    '/api/orgs/:orgId/engagements/:engagementId/close',
    {
      config: { access: employer, audit: { action: 'engagement.closed' } },
      schema: {
        tags: ['hiring'],
        summary:
          'Close an engagement: its end, value (earnings) and ratings are recorded; the work-history credential and the reference (if written) are signed to the worker’s wallet',
        params: Type.Object({ orgId: Id, engagementId: Id }),
        body: Type.Object(
          {
            end: DateText,
            value: Type.Number({ minimum: 0, maximum: applicationLimits.maxValue, description: 'The earnings' }),
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
            skills: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 })),
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
          200: Type.Object({
            engagement: Engagement,
            workHistory: Type.Object({ id: Str, credentialId: Str }),
            reference: Type.Union([Type.Object({ id: Str, credentialId: Str }), Type.Null()]),
          }),
        },
      },
    },
    async (req) =>
      applications.closeEngagement(req.params.orgId, req.params.engagementId, callerOf(req).user.id, req.body),
  );

  app.get(
    '/api/orgs/:orgId/funnel',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary:
          'The hiring funnel: counts and conversion at each stage, split by a verified aligned credential, with the interview-to-offer difference and its 95% interval (Newcombe)',
        params: OrgParams,
        querystring: FunnelQuery,
        response: {
          200: Type.Object({
            job: Type.Union([Type.Object({ id: Str, title: Str }), Type.Null()]),
            from: NullableStr,
            to: NullableStr,
            stages: Type.Array(Str),
            all: Group,
            withCredential: Group,
            withoutCredential: Group,
            interviewToOffer: Type.Object({
              withCredential: Side,
              withoutCredential: Side,
              difference: Type.Union([
                Type.Object({ estimate: Type.Number(), ci95: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
                Type.Null(),
              ]),
              insufficientData: Type.Boolean(),
              method: Str,
              note: Str,
            }),
            invitations: Type.Object({
              sent: Type.Integer(),
              pending: Type.Integer(),
              declined: Type.Integer(),
              accepted: Type.Integer(),
            }),
            definition: Str,
          }),
        },
      },
    },
    async (req) => applications.funnel(req.params.orgId, req.query),
  );

  app.get(
    '/api/orgs/:orgId/funnel.svg',
    {
      config: { access: employer },
      schema: {
        tags: ['hiring'],
        summary: 'The hiring funnel as an SVG chart (server-rendered)',
        params: OrgParams,
        querystring: FunnelQuery,
      },
    },
    async (req, reply) => {
      const svg = await applications.funnelChart(req.params.orgId, req.query);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header('x-content-type-options', 'nosniff')
        .send(svg);
    },
  );
}
