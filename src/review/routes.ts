import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { acceptedTypes, submissionLimits } from './evidence.js';
import { RubricScoreSchema, rubricLimits } from './rubric.js';
import type { Review } from './review.js';
import type { SubmissionRecord } from './store.js';

const Level = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    points: Type.Integer({ minimum: 0, maximum: rubricLimits.maxPoints }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const Criterion = Type.Object(
  {
    id: Type.String({ maxLength: 40 }),
    name: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    levels: Type.Array(Level, { maxItems: rubricLimits.levels }),
  },
  { additionalProperties: false },
);
const Rubric = Type.Object(
  {
    criteria: Type.Array(Criterion, { maxItems: rubricLimits.criteria }),
    passPoints: Type.Integer({ description: 'Points needed, summed over the criteria, to accept' }),
  },
  { additionalProperties: false },
);
const Scores = Type.Array(
  Type.Object(
    {
      criterionId: Type.String({ maxLength: 40 }),
      points: Type.Integer({ minimum: 0, maximum: rubricLimits.maxPoints }),
    },
    { additionalProperties: false },
  ),
  { maxItems: rubricLimits.criteria * 2 },
);
const Submission = Type.Object({
  id: Type.String(),
  achievementId: Type.String(),
  status: Type.Enum(['open', 'returned', 'accepted']),
  narrative: Type.String(),
  links: Type.Array(Type.String()),
  files: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      url: Type.String(),
    }),
  ),
  submittedAt: Type.String({ format: 'date-time' }),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  feedback: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([RubricScoreSchema, Type.Null()]),
  credentialId: Type.Union([Type.String(), Type.Null()]),
});

// Base64 of the largest file allowed, plus one byte: larger files are refused by the schema, the limit itself by the domain.
const maxBase64 = Math.ceil((submissionLimits.fileBytes + 1) / 3) * 4;

function submissionView(s: SubmissionRecord) {
  return {
    id: s.id,
    achievementId: s.achievementId,
    status: s.status,
    narrative: s.narrative,
    links: s.links,
    files: s.files.map((f) => ({ ...f, url: `/api/submissions/${s.id}/files/${f.id}` })),
    submittedAt: s.submittedAt.toISOString(),
    reviewedAt: s.reviewedAt?.toISOString() ?? null,
    feedback: s.feedback,
    score: s.score,
    credentialId: s.credentialId,
  };
}

/** Content-Disposition for a download, with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function reviewRoutes(base: FastifyInstance, { review }: { review: Review }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const achievementUrl = '/api/orgs/:orgId/achievements/:achievementId';
  const OrgAchievement = Type.Object({ orgId: Type.String(), achievementId: Type.String({ format: 'uuid' }) });
  const OrgSubmission = Type.Object({ orgId: Type.String(), submissionId: Type.String({ format: 'uuid' }) });

  app.put(
    `${achievementUrl}/rubric`,
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['review'],
        summary: 'Set the rubric assessors score submissions with: criteria with scored levels, and a pass threshold',
        params: OrgAchievement,
        body: Rubric,
        response: { 200: Rubric },
      },
    },
    async (request) =>
      review.setRubric(callerOf(request).user.id, request.params.orgId, request.params.achievementId, request.body),
  );

  app.get(
    `${achievementUrl}/rubric`,
    {
      config: { access: access.org('issuer', 'assessor') },
      schema: {
        tags: ['review'],
        summary: 'The rubric of a micro-credential',
        params: OrgAchievement,
        response: { 200: Rubric },
      },
    },
    async (request) => review.orgRubric(callerOf(request).user.id, request.params.orgId, request.params.achievementId),
  );

  app.get(
    '/api/achievements/:achievementId/rubric',
    {
      // Public, as the micro-credential's criteria are: its catalog page shows how it is assessed before sign-in.
      config: { access: access.public },
      schema: {
        tags: ['review'],
        summary: 'What the assessors of a published micro-credential will score (rubric null: not assessed by review)',
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Object({
            achievementId: Type.String(),
            title: Type.String(),
            assessmentType: Type.String(),
            criteria: Type.Union([Type.String(), Type.Null()]),
            rubric: Type.Union([Rubric, Type.Null()]),
          }),
        },
      },
    },
    async (request) => review.publishedRubric(request.params.achievementId),
  );

  app.post(
    '/api/achievements/:achievementId/submissions',
    {
      config: { access: access.user },
      // Five files of 5 MB in base64, and the text.
      bodyLimit: submissionLimits.files * maxBase64 + 1024 * 1024,
      schema: {
        tags: ['review'],
        summary: `Submit work for review: text, https links and up to ${submissionLimits.files} files of 5 MB (${acceptedTypes.join(', ')}, by content), base64`,
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            narrative: Type.String({ maxLength: submissionLimits.narrativeChars }),
            links: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: submissionLimits.links })),
            files: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    name: Type.String({ minLength: 1, maxLength: 255 }),
                    content: Type.String({
                      maxLength: maxBase64,
                      pattern: '^[A-Za-z0-9+/]*={0,2}$',
                      description: 'base64',
                    }),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: submissionLimits.files },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Submission },
      },
    },
    async (request, reply) => {
      const submission = await review.submit(callerOf(request).user.id, request.params.achievementId, {
        narrative: request.body.narrative,
        links: request.body.links ?? [],
        files: (request.body.files ?? []).map((f) => ({ name: f.name, content: Buffer.from(f.content, 'base64') })),
      });
      return reply.code(201).send(submissionView(submission));
    },
  );

  app.get(
    '/api/me/submissions',
    {
      config: { access: access.user },
      schema: {
        tags: ['review'],
        summary: 'Your submissions, newest first, with the assessors’ feedback',
        querystring: Type.Object(
          { achievementId: Type.Optional(Type.String({ format: 'uuid' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ submissions: Type.Array(Submission) }) },
      },
    },
    async (request) => ({
      submissions: (await review.mine(callerOf(request).user.id, request.query.achievementId)).map(submissionView),
    }),
  );

  app.get(
    '/api/submissions/:submissionId/files/:fileId',
    {
      config: { access: access.user },
      schema: {
        tags: ['review'],
        summary: 'Download a submitted file (its learner and the issuing organization’s assessors only)',
        params: Type.Object({ submissionId: Type.String({ format: 'uuid' }), fileId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const file = await review.file(callerOf(request).user.id, request.params.submissionId, request.params.fileId);
      return reply
        .type(file.mediaType)
        .header('content-disposition', attachment(file.name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(file.content));
    },
  );

  app.get(
    '/api/orgs/:orgId/reviews',
    {
      config: { access: access.org('assessor') },
      schema: {
        tags: ['review'],
        summary: 'The review queue: open submissions, oldest first',
        params: Type.Object({ orgId: Type.String() }),
        response: {
          200: Type.Object({
            submissions: Type.Array(
              Type.Object({
                id: Type.String(),
                achievementId: Type.String(),
                achievementTitle: Type.String(),
                learnerName: Type.String(),
                learnerEmail: Type.String(),
                submittedAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      submissions: (await review.queue(callerOf(request).user.id, request.params.orgId)).map((s) => ({
        id: s.id,
        achievementId: s.achievementId,
        achievementTitle: s.achievementTitle,
        learnerName: s.learnerName,
        learnerEmail: s.learnerEmail,
        submittedAt: s.submittedAt.toISOString(),
      })),
    }),
  );

  app.get(
    '/api/orgs/:orgId/submissions/:submissionId',
    {
      config: { access: access.org('assessor') },
      schema: {
        tags: ['review'],
        summary: 'A submission to review: the work, the rubric, earlier submissions and skill-test integrity signals',
        params: OrgSubmission,
      },
    },
    async (request) => {
      const found = await review.forAssessor(
        callerOf(request).user.id,
        request.params.orgId,
        request.params.submissionId,
      );
      return {
        submission: { ...submissionView(found.submission), userId: found.submission.userId },
        rubric: found.rubric,
        history: found.history.map(submissionView),
        // Signals for the assessor to weigh, never a verdict: nobody fails on them alone.
        attempts: found.attempts.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
      };
    },
  );

  app.post(
    '/api/orgs/:orgId/submissions/:submissionId/accept',
    {
      config: { access: access.org('assessor') },
      schema: {
        tags: ['review'],
        summary: 'Accept with a score for every rubric criterion: the credential is issued at once, once',
        params: OrgSubmission,
        body: Type.Object({ scores: Scores }, { additionalProperties: false }),
        response: { 200: Submission },
      },
    },
    async (request) =>
      submissionView(
        await review.accept(
          request.params.orgId,
          request.params.submissionId,
          callerOf(request).user.id,
          request.body.scores,
        ),
      ),
  );

  app.post(
    '/api/orgs/:orgId/submissions/:submissionId/return',
    {
      config: { access: access.org('assessor') },
      schema: {
        tags: ['review'],
        summary: 'Return a submission with feedback (and optionally scores); the learner may resubmit',
        params: OrgSubmission,
        body: Type.Object(
          { feedback: Type.String({ maxLength: 10_000 }), scores: Type.Optional(Scores) },
          { additionalProperties: false },
        ),
        response: { 200: Submission },
      },
    },
    async (request) =>
      submissionView(
        await review.giveBack(
          request.params.orgId,
          request.params.submissionId,
          callerOf(request).user.id,
          request.body.feedback,
          request.body.scores,
        ),
      ),
  );
}
