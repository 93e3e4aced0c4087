import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../accounts/access.js';
import { studyOutcomes, type StudyOutcome } from './analytics.js';
import { issuerCsv, issuerRatesDescription, issuerRatesSpec, type IssuerDashboard } from './issuer.js';
import { renderSvg } from './plots.js';

const Uuid = Type.String({ format: 'uuid' });
const Withheld = Type.Object({ suppressed: Type.Literal(true), reason: Type.String() });
const Rate = Type.Union([
  Type.Object({
    successes: Type.Integer(),
    trials: Type.Integer(),
    estimate: Type.Number(),
    ciLow: Type.Number(),
    ciHigh: Type.Number(),
  }),
  Withheld,
]);
const Estimate = Type.Union([
  Type.Object({ estimate: Type.Number(), stdError: Type.Number(), ciLow: Type.Number(), ciHigh: Type.Number() }),
  Withheld,
]);
const Count = Type.Union([Type.Integer(), Type.Null()]);
const Report = Type.Object({
  orgId: Uuid,
  outcome: Type.String(),
  privacyFloor: Type.Integer(),
  achievements: Type.Array(
    Type.Object({
      achievementId: Uuid,
      code: Type.String(),
      title: Type.String(),
      status: Type.String(),
      attempts: Count,
      candidates: Count,
      passRate: Rate,
      issued: Count,
      holders: Count,
      shareRate: Rate,
      eventStudy: Estimate,
    }),
  ),
});
const Outcome = Type.Optional(
  Type.Enum(Object.keys(studyOutcomes) as StudyOutcome[], {
    description: "The event study's outcome (default log-earnings)",
  }),
);

/**
 * The issuer dashboard: per micro-credential, candidates and pass rate, credentials issued and share rate (95%
 * Wilson intervals), and the event study's post coefficient; as JSON, a formula-safe CSV and an SVG bar chart
 * rendered from Vega-Lite on the server. The organization's issuers see their own; instance admins any
 * organization's (`?orgId=`). Cells from fewer than 10 workers are withheld and marked.
 */
export async function issuerAnalyticsRoutes(base: FastifyInstance, { issuer }: { issuer: IssuerDashboard }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const orgOf = (request: { params: unknown; query: unknown }) =>
    (request.params as { orgId?: string }).orgId ?? (request.query as { orgId: string }).orgId;
  const reportOf = (request: { params: unknown; query: unknown }) =>
    issuer.report(orgOf(request), (request.query as { outcome?: StudyOutcome }).outcome);

  for (const scope of ['admin', 'org'] as const) {
    const path = scope === 'admin' ? '/api/admin/analytics/issuer' : '/api/orgs/:orgId/analytics/issuer';
    const config = scope === 'admin' ? { access: access.admin } : { access: access.org('issuer') };
    const who = scope === 'admin' ? 'instance admins, any organization' : "the organization's issuers";
    const input =
      scope === 'admin'
        ? { querystring: Type.Object({ orgId: Uuid, outcome: Outcome }, { additionalProperties: false }) }
        : {
            params: Type.Object({ orgId: Uuid }),
            querystring: Type.Object({ outcome: Outcome }, { additionalProperties: false }),
          };
    app.get(
      path,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `Issuer dashboard: per micro-credential, pass rate, credentials issued, share rate and the event study's post effect, cells from fewer than 10 workers withheld (${who})`,
          ...input,
          response: { 200: Report },
        },
      },
      async (request) => reportOf(request),
    );
    app.get(
      `${path}.csv`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `The issuer dashboard's table as CSV (formula-safe; withheld cells empty and marked; ${who})`,
          ...input,
          produces: ['text/csv'],
        },
      },
      async (request, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="issuer.csv"')
          .header('cache-control', 'no-store')
          .send(issuerCsv(await reportOf(request))),
    );
    app.get(
      `${path}.svg`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `Pass and share rates per micro-credential with 95% intervals (SVG rendered from Vega-Lite on the server; ${who})`,
          ...input,
          produces: ['image/svg+xml'],
        },
      },
      async (request, reply) => {
        const report = await reportOf(request);
        return reply
          .type('image/svg+xml; charset=utf-8')
          .header('content-disposition', 'inline; filename="issuer.svg"')
          .header('cache-control', 'no-store')
          .send(await renderSvg(issuerRatesSpec(report), issuerRatesDescription(report)));
      },
    );
  }
}
