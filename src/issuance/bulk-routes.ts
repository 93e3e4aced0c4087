import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { bulkLimits, decodeCsv } from './bulk.js';
import type { BulkIssuance } from './bulk-issuance.js';
import { recordView } from './routes.js';

const csvTypes = ['text/csv', 'application/csv'];

const RowSchema = Type.Object({
  row: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  achievementId: Type.String(),
  score: Type.Optional(Type.Number()),
  date: Type.Optional(Type.String()),
  narrative: Type.Optional(Type.String()),
  evidenceUrl: Type.Optional(Type.String()),
  status: Type.Enum(['ok', 'error', 'duplicate']),
  messages: Type.Array(Type.String()),
  notes: Type.Optional(
    Type.Array(Type.String(), {
      description: 'For a sound row: its award was issued before, or its learner already holds the micro-credential',
    }),
  ),
});
const TotalsSchema = Type.Object({
  rows: Type.Integer(),
  ok: Type.Integer(),
  errors: Type.Integer(),
  duplicates: Type.Integer(),
});
const RunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  uploadId: Type.String({ format: 'uuid' }),
  state: Type.String(),
  done: Type.Integer(),
  total: Type.Integer(),
  issued: Type.Integer(),
  existing: Type.Integer({ description: 'Rows whose award existed already (an earlier upload, or before a restart)' }),
  errors: Type.Integer(),
  duplicates: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const OrgParams = Type.Object({ orgId: Type.String() });
const RunParams = Type.Object({ orgId: Type.String(), runId: Type.String({ format: 'uuid' }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const csvBody = {
  description: `A CSV (UTF-8): email, name, achievement, and optionally score, date, narrative, evidence_url; at most ${bulkLimits.maxBytes / 1024 / 1024} MB and ${bulkLimits.maxRows} rows`,
};

/** Bulk issuance from CSV uploads, the runs' progress and CSVs, claim links and the outbox. */
export async function bulkRoutes(base: FastifyInstance, { bulk }: { bulk: BulkIssuance }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  // The upload arrives as bytes and is checked as UTF-8 here; handlers get the text.
  app.addContentTypeParser(csvTypes, { parseAs: 'buffer', bodyLimit: bulkLimits.maxBytes }, (_request, body, done) => {
    try {
      done(null, decodeCsv(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  const bytesOf = (body: unknown) => {
    if (typeof body !== 'string') return Buffer.alloc(0);
    return Buffer.from(body, 'utf8');
  };
  const csvRoute = {
    bodyLimit: bulkLimits.maxBytes,
    config: { access: access.org('issuer') },
  };

  app.post(
    '/api/orgs/:orgId/bulk-issuance/preview',
    {
      ...csvRoute,
      schema: {
        tags: ['issuance'],
        summary: 'Check a bulk issuance CSV: each row ok, error (with messages) or duplicate; issues nothing',
        params: OrgParams,
        consumes: csvTypes,
        body: Type.String({ description: csvBody.description }),
        response: { 200: Type.Object({ rows: Type.Array(RowSchema), totals: TotalsSchema }) },
      },
    },
    async (request) => bulk.preview(request.params.orgId, bytesOf(request.body)),
  );

  app.post(
    '/api/orgs/:orgId/bulk-issuance',
    {
      ...csvRoute,
      config: { ...csvRoute.config, audit: { action: 'bulk.started' } },
      schema: {
        tags: ['issuance'],
        summary:
          'Start issuing a CSV in the background: one run per file (the same file again returns the first run); rows awarded before are never issued twice',
        params: OrgParams,
        consumes: csvTypes,
        body: Type.String({ description: csvBody.description }),
        response: {
          200: Type.Object({ run: RunSchema, preview: TotalsSchema }),
          202: Type.Object({ run: RunSchema, preview: TotalsSchema }),
        },
      },
    },
    async (request, reply) => {
      const started = await bulk.start(request.params.orgId, bytesOf(request.body), callerOf(request).user.id);
      return reply.code(started.created ? 202 : 200).send({ run: started.run, preview: started.preview });
    },
  );

  app.get(
    '/api/orgs/:orgId/bulk-issuance',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['issuance'],
        summary: "The organization's recent bulk runs, newest first",
        params: OrgParams,
        response: { 200: Type.Object({ runs: Type.Array(RunSchema) }) },
      },
    },
    async (request) => ({ runs: await bulk.runs(request.params.orgId) }),
  );

  app.get(
    '/api/orgs/:orgId/bulk-issuance/:runId',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['issuance'],
        summary: 'Progress of a bulk run: state, rows done of total, issued, errors',
        params: RunParams,
        response: { 200: RunSchema },
      },
    },
    async (request) => bulk.status(request.params.orgId, request.params.runId),
  );

  app.get(
    '/api/orgs/:orgId/bulk-issuance/:runId/errors.csv',
    {
      config: { access: access.org('issuer'), audit: { action: 'personal-data.exported' } },
      schema: {
        tags: ['issuance'],
        summary: 'The rows of a run that were not issued, and why (formula-safe CSV)',
        params: RunParams,
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="bulk-errors.csv"')
        // It lists recipients' emails.
        .header('cache-control', 'no-store')
        .send(await bulk.errorsCsv(callerOf(request).user.id, request.params.orgId, request.params.runId)),
  );

  app.get(
    '/api/orgs/:orgId/bulk-issuance/:runId/claims.csv',
    {
      config: { access: access.org('issuer'), audit: { action: 'personal-data.exported' } },
      schema: {
        tags: ['issuance'],
        summary: 'Claim links for the recipients of a run who have no account (formula-safe CSV)',
        params: RunParams,
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="claim-links.csv"')
        .header('cache-control', 'no-store')
        .send(await bulk.claimsCsv(callerOf(request).user.id, request.params.orgId, request.params.runId)),
  );

  app.get(
    '/api/orgs/:orgId/outbox',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['issuance'],
        summary: 'Notices to recipients (claim links), newest first; this instance records them and sends no mail',
        params: OrgParams,
        response: {
          200: Type.Object({
            messages: Type.Array(
              Type.Object({
                id: Type.String(),
                to: Type.String(),
                subject: Type.String(),
                text: Type.String(),
                createdAt: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      messages: (await bulk.outbox(callerOf(request).user.id, request.params.orgId)).map((m) => ({
        id: m.id,
        to: m.to,
        subject: m.subject,
        text: m.text,
        createdAt: m.createdAt.toISOString(),
      })),
    }),
  );

  app.get(
    '/api/claims/:token',
    {
      config: { access: access.public },
      schema: {
        tags: ['issuance'],
        summary: 'What waits behind a claim link: the micro-credential and its issuer',
        params: TokenParams,
        response: {
          200: Type.Object({
            achievement: Type.Object({
              id: Type.Union([Type.String(), Type.Null()]),
              name: Type.Union([Type.String(), Type.Null()]),
            }),
            issuer: Type.Object({ id: Type.String(), name: Type.String() }),
            issuedAt: Type.String({ format: 'date-time' }),
            recipient: Type.String({ description: 'The email it was awarded to, masked' }),
            claimed: Type.Boolean(),
          }),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return bulk.claimView(request.params.token);
    },
  );

  app.post(
    '/api/claims/:token',
    {
      config: { access: access.user },
      schema: {
        tags: ['issuance'],
        summary: "Claim a credential into your wallet: your account's email must be the one it was awarded to",
        params: TokenParams,
        response: { 200: Type.Object({ credential: Type.Unknown() }) },
      },
    },
    async (request) => ({
      credential: recordView(await bulk.claim(request.params.token, callerOf(request).user)),
    }),
  );
}
