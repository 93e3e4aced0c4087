import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import {
  samplePlan,
  studyGroups,
  studyOutcomes,
  type Analytics,
  type EventStudyAnswer,
  type StudyOutcome,
} from './analytics.js';
import { experimentOutcomes, surfaces, variants } from './experiments.js';
import { coefficientCsv, coefficientSpec, renderSvg, type PlotRow } from './plots.js';
import { outcomeKinds, outcomeSources } from './ledger.js';
import { funnelCsv, funnelSpec } from './funnels.js';

const Uuid = Type.String({ format: 'uuid' });
const Estimate = Type.Union([
  Type.Object({ estimate: Type.Number(), stdError: Type.Number(), ciLow: Type.Number(), ciHigh: Type.Number() }),
  Type.Object({ suppressed: Type.Literal(true), reason: Type.String() }),
]);
const Rate = Type.String({ pattern: '^(0(\\.[0-9]+)?|1|-0?\\.[0-9]+|0?\\.[0-9]+)$' });
const Experiment = Type.Object({
  id: Uuid,
  name: Type.String(),
  baselineRate: Type.Number(),
  effect: Type.Number(),
  power: Type.Number(),
  plannedSize: Type.Integer(),
  startedAt: Type.String({ format: 'date-time' }),
  stoppedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  exposed: Type.Optional(Type.Integer()),
});
const Arm = Type.Object({ learners: Type.Integer(), rate: Type.Union([Type.Number(), Type.Null()]) });
const Cell = Type.Object({
  learners: Type.Integer(),
  arms: Type.Record(Type.String(), Arm),
  effects: Type.Record(Type.String(), Estimate),
});
const experimentJson = <T extends { startedAt: Date; stoppedAt: Date | null }>(e: T) => ({
  ...e,
  startedAt: e.startedAt.toISOString(),
  stoppedAt: e.stoppedAt?.toISOString() ?? null,
});
const Plan = Type.Object({
  perArm: Type.Integer(),
  total: Type.Integer(),
  alphaPerComparison: Type.Number(),
  power: Type.Number(),
});

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

  app.get(
    '/api/admin/analytics/sample-size',
    {
      config: { access: access.admin },
      schema: {
        tags: ['analytics'],
        summary:
          'Learners a sharing experiment needs: two-sided test of proportions, each arm against none at α/2 (Bonferroni), default power 0.8',
        querystring: Type.Object(
          { baselineRate: Rate, effect: Rate, power: Type.Optional(Rate) },
          { additionalProperties: false },
        ),
        response: { 200: Plan },
      },
    },
    async (request) =>
      samplePlan({
        baselineRate: Number(request.query.baselineRate),
        effect: Number(request.query.effect),
        power: request.query.power === undefined ? undefined : Number(request.query.power),
      }),
  );

  app.get(
    '/api/admin/analytics/experiments',
    {
      config: { access: access.admin },
      schema: {
        tags: ['analytics'],
        summary: 'Sharing-nudge experiments, newest first, with learners exposed so far',
        response: { 200: Type.Object({ experiments: Type.Array(Experiment) }) },
      },
    },
    async () => ({ experiments: (await analytics.experiments()).map(experimentJson) }),
  );

  app.post(
    '/api/admin/analytics/experiments',
    {
      config: { access: access.admin, audit: { action: 'analytics.experiment-started' } },
      schema: {
        tags: ['analytics'],
        summary:
          'Start a sharing-nudge experiment (arms none / reminder / reminder+panel); its planned size comes from the baseline rate and the effect to detect',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            baselineRate: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
            effect: Type.Number({ minimum: -1, maximum: 1 }),
            power: Type.Optional(Type.Number({ minimum: 0.5, exclusiveMaximum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Experiment },
      },
    },
    async (request, reply) =>
      reply.code(201).send(experimentJson(await analytics.startExperiment(request.body, callerOf(request).user.id))),
  );

  app.post(
    '/api/admin/analytics/experiments/:id/stop',
    {
      config: { access: access.admin, audit: { action: 'analytics.experiment-stopped' } },
      schema: {
        tags: ['analytics'],
        summary: 'Stop assigning learners (everyone sees the reminder and the panel again); the report stays',
        params: Type.Object({ id: Uuid }),
        response: { 200: Experiment },
      },
    },
    async (request) => experimentJson(await analytics.stopExperiment(request.params.id)),
  );

  app.get(
    '/api/admin/analytics/experiments/:id/report',
    {
      config: { access: access.admin },
      schema: {
        tags: ['analytics'],
        summary:
          'Intention-to-treat effects per arm against none (stratum fixed effects, HC2, 95% CI), pooled and by baseline-employability tertile; read only at the planned size',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({
            experiment: Experiment,
            outcomes: Type.Array(
              Type.Object({
                outcome: Type.String(),
                label: Type.String(),
                days: Type.Integer(),
                complete: Type.Integer(),
                ready: Type.Boolean(),
                reason: Type.Optional(Type.String()),
                pooled: Type.Optional(Cell),
                byTertile: Type.Optional(Type.Array(Type.Intersect([Type.Object({ tertile: Type.Integer() }), Cell]))),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const report = await analytics.experimentReport(request.params.id);
      return { ...report, experiment: experimentJson(report.experiment) };
    },
  );

  app.post(
    '/api/me/share-nudge',
    {
      config: { access: access.user },
      schema: {
        tags: ['analytics'],
        summary:
          'What to show you about sharing one of your credentials (the dashboard reminder, the result page panel); logged as an exposure when a sharing experiment runs',
        body: Type.Object({ holdingId: Uuid, surface: Type.Enum(surfaces) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            experimentId: Type.Union([Uuid, Type.Null()]),
            variant: Type.Union([Type.Enum(variants), Type.Null()]),
            reminder: Type.Boolean(),
            panel: Type.Boolean(),
          }),
        },
      },
    },
    async (request) => analytics.nudge(callerOf(request).user.id, request.body.holdingId, request.body.surface),
  );

  // Dashboards: the event study and the experiments' reports as server-rendered SVG plots and CSV tables.
  const StudyQuery = Type.Object(
    {
      outcome: Type.Enum(Object.keys(studyOutcomes) as StudyOutcome[]),
      achievementId: Type.Optional(Uuid),
      dynamic: Type.Optional(Type.Enum(['true', 'false'])),
    },
    { additionalProperties: false },
  );
  const study = (query: { outcome: StudyOutcome; achievementId?: string; dynamic?: string }, orgId?: string) =>
    analytics.eventStudy({
      outcome: query.outcome,
      achievementId: query.achievementId,
      orgId,
      dynamic: query.dynamic === 'true',
      by: query.dynamic === 'true' ? [] : ['new_entrant'],
    });
  const studyRows = (answer: EventStudyAnswer): PlotRow[] =>
    Object.entries(answer.coefficients).map(([label, coefficient]) => ({ label, coefficient }));
  const studyTitle = (answer: EventStudyAnswer) =>
    `Event study of ${answer.design.outcome} (${answer.design.dynamic ? 'weekly, week −1 the reference' : `${answer.design.windowDays} days before and after`}): n ${answer.n}, events ${answer.events}, workers ${answer.clusters}`;
  const sendSvg = async (reply: FastifyReply, rows: PlotRow[], title: string, axis: string, name: string) =>
    reply
      .type('image/svg+xml; charset=utf-8')
      .header('content-disposition', `inline; filename="${name}.svg"`)
      .header('cache-control', 'no-store')
      .send(
        await renderSvg(
          coefficientSpec(title, rows, axis),
          `${title}. ${rows
            .map((r) =>
              'suppressed' in r.coefficient
                ? `${[r.label, r.group].filter(Boolean).join(' ')}: withheld`
                : `${[r.label, r.group].filter(Boolean).join(' ')}: ${r.coefficient.estimate.toFixed(3)} (95% CI ${r.coefficient.ciLow.toFixed(3)} to ${r.coefficient.ciHigh.toFixed(3)})`,
            )
            .join('; ')}`,
        ),
      );
  const sendCsv = (reply: FastifyReply, csv: string, name: string) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  const withheldStudy = (answer: EventStudyAnswer): PlotRow[] =>
    answer.suppressed ? [{ label: 'post', coefficient: { suppressed: true, reason: answer.suppressed } }] : [];
  const OrgParams = Type.Object({ orgId: Uuid });

  for (const scope of ['admin', 'org'] as const) {
    const base = scope === 'admin' ? '/api/admin/analytics' : '/api/orgs/:orgId/analytics';
    const config = scope === 'admin' ? { access: access.admin } : { access: access.org('issuer') };
    const who = scope === 'admin' ? 'instance admins, any issuer' : "the organization's issuers, its own credentials";
    app.get(
      `${base}/event-study.svg`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `Coefficient plot of an event study (SVG, rendered from Vega-Lite on the server; ${who})`,
          querystring: StudyQuery,
          ...(scope === 'org' ? { params: OrgParams } : {}),
          produces: ['image/svg+xml'],
        },
      },
      async (request, reply) => {
        const orgId = (request.params as { orgId?: string }).orgId;
        const answer = await study(request.query, orgId);
        const rows = answer.suppressed ? withheldStudy(answer) : studyRows(answer);
        const axis = `Change in ${answer.design.outcome} (95% CI)`;
        return sendSvg(reply, rows, studyTitle(answer), axis, 'event-study');
      },
    );
    app.get(
      `${base}/event-study.csv`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `An event study's estimates as CSV (${who})`,
          querystring: StudyQuery,
          ...(scope === 'org' ? { params: OrgParams } : {}),
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const orgId = (request.params as { orgId?: string }).orgId;
        const answer = await study(request.query, orgId);
        return sendCsv(
          reply,
          coefficientCsv(answer.suppressed ? withheldStudy(answer) : studyRows(answer)),
          'event-study',
        );
      },
    );
  }

  // Funnels: hiring's interview-to-offer funnel for one employer or pooled over the employers who share theirs.
  const FunnelRow = Type.Object({
    stage: Type.String(),
    group: Type.String(),
    reached: Type.Union([Type.Integer(), Type.Null()]),
    rateOn: Type.Union([Type.Number(), Type.Null()]),
    withheld: Type.Union([Type.String(), Type.Null()]),
  });
  const FunnelReport = Type.Object({
    scope: Type.Enum(['pooled', 'employer']),
    employers: Type.Integer(),
    from: Type.Union([Type.String(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Null()]),
    applications: Type.Union([Type.Integer(), Type.Null()]),
    withheld: Type.Union([Type.String(), Type.Null()]),
    rows: Type.Array(FunnelRow),
    interviewToOffer: Type.Object({
      estimate: Type.Union([Type.Number(), Type.Null()]),
      ci95: Type.Union([Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), Type.Null()]),
      withCredential: Type.Integer(),
      withoutCredential: Type.Integer(),
      note: Type.String(),
      method: Type.String(),
    }),
    definition: Type.String(),
  });
  const Period = {
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
  };
  const AdminFunnelQuery = Type.Object(
    {
      orgId: Type.Optional(Type.String({ format: 'uuid', description: 'One employer (pooled otherwise)' })),
      ...Period,
    },
    { additionalProperties: false },
  );
  const OrgFunnelQuery = Type.Object(
    {
      scope: Type.Optional(
        Type.Enum(['own', 'pooled'], { description: 'Your own funnel (default) or the pool you share into' }),
      ),
      ...Period,
    },
    { additionalProperties: false },
  );
  type FunnelQueryIn = { orgId?: string; scope?: 'own' | 'pooled'; from?: string; to?: string };
  const funnelOf = (query: FunnelQueryIn, orgId: string | undefined) =>
    analytics.funnelReport(
      orgId === undefined
        ? { orgId: query.orgId, from: query.from, to: query.to }
        : query.scope === 'pooled'
          ? { asMember: orgId, from: query.from, to: query.to }
          : { orgId, from: query.from, to: query.to },
    );
  const funnelTitle = (report: Awaited<ReturnType<typeof funnelOf>>) =>
    `${report.scope === 'pooled' ? `Hiring funnel pooled over ${report.employers} employer(s)` : 'Hiring funnel'}` +
    `${report.from || report.to ? ` (${report.from ?? '…'} to ${report.to ?? '…'})` : ''}`;
  const funnelNote = (report: Awaited<ReturnType<typeof funnelOf>>) => {
    if (report.withheld) return report.withheld;
    const d = report.interviewToOffer;
    return d.estimate === null || d.ci95 === null
      ? `Interview to offer: ${d.note}`
      : `Interview to offer, with − without a verified aligned credential: ${d.estimate.toFixed(3)} (95% CI ${d.ci95[0].toFixed(3)} to ${d.ci95[1].toFixed(3)})`;
  };

  for (const scope of ['admin', 'org'] as const) {
    const base = scope === 'admin' ? '/api/admin/analytics/funnel' : '/api/orgs/:orgId/analytics/funnel';
    const config = scope === 'admin' ? { access: access.admin } : { access: access.org('employer') };
    const querystring = scope === 'admin' ? AdminFunnelQuery : OrgFunnelQuery;
    const params = scope === 'org' ? { params: OrgParams } : {};
    const who =
      scope === 'admin'
        ? 'instance admins: pooled over the employers who share, or one employer'
        : "the organization's employers: its own, or the pool when it shares and at least three employers do";
    app.get(
      base,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `The interview-to-offer funnel for the dashboards, small cells withheld (${who})`,
          querystring,
          ...params,
          response: { 200: FunnelReport },
        },
      },
      async (request) => funnelOf(request.query, (request.params as { orgId?: string }).orgId),
    );
    app.get(
      `${base}.svg`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `The funnel as a bar chart (SVG rendered from Vega-Lite on the server; ${who})`,
          querystring,
          ...params,
          produces: ['image/svg+xml'],
        },
      },
      async (request, reply) => {
        const report = await funnelOf(request.query, (request.params as { orgId?: string }).orgId);
        const title = funnelTitle(report);
        const note = funnelNote(report);
        const description = `${title}. ${report.rows
          .map((r) => `${r.stage}, ${r.group}: ${r.reached ?? 'withheld'}`)
          .join('; ')}. ${note}`;
        return reply
          .type('image/svg+xml; charset=utf-8')
          .header('content-disposition', 'inline; filename="funnel.svg"')
          .header('cache-control', 'no-store')
          .send(await renderSvg(funnelSpec(title, report.rows, note), description));
      },
    );
    app.get(
      `${base}.csv`,
      {
        config,
        schema: {
          tags: ['analytics'],
          summary: `The funnel's table as CSV (withheld cells marked; ${who})`,
          querystring,
          ...params,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const report = await funnelOf(request.query, (request.params as { orgId?: string }).orgId);
        return sendCsv(reply, funnelCsv(report.rows, report.interviewToOffer), 'funnel');
      },
    );
  }

  const Sharing = Type.Object({
    shared: Type.Boolean(),
    sharedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  });
  app.get(
    '/api/orgs/:orgId/analytics/funnel-sharing',
    {
      config: { access: access.org('employer') },
      schema: {
        tags: ['analytics'],
        summary: "Whether the organization's hiring funnel counts in the pooled funnel",
        params: OrgParams,
        response: { 200: Sharing },
      },
    },
    async (request) => analytics.funnelSharing(request.params.orgId),
  );
  app.put(
    '/api/orgs/:orgId/analytics/funnel-sharing',
    {
      config: { access: access.org('employer'), audit: { action: 'analytics.funnel-sharing' } },
      schema: {
        tags: ['analytics'],
        summary: "Share the organization's hiring funnel in the pool (counts only), or withdraw it",
        params: OrgParams,
        body: Type.Object({ shared: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Sharing },
      },
    },
    async (request) => analytics.setFunnelSharing(request.params.orgId, request.body.shared, callerOf(request).user.id),
  );

  const experimentRows = async (id: string): Promise<{ rows: PlotRow[]; title: string }> => {
    const report = await analytics.experimentReport(id);
    const rows: PlotRow[] = [];
    for (const outcome of report.outcomes) {
      for (const arm of ['reminder', 'reminder+panel'] as const) {
        const cells =
          'pooled' in outcome && outcome.pooled
            ? [
                { group: `${outcome.outcome}, all`, cell: outcome.pooled },
                ...outcome.byTertile.map((t) => ({ group: `${outcome.outcome}, tertile ${t.tertile}`, cell: t })),
              ]
            : [];
        if (!cells.length) {
          rows.push({
            label: arm,
            group: outcome.outcome,
            coefficient: { suppressed: true, reason: 'reason' in outcome ? outcome.reason : 'Not ready.' },
          });
        }
        for (const { group, cell } of cells) rows.push({ label: arm, group, coefficient: cell.effects[arm] });
      }
    }
    return {
      rows,
      title: `${report.experiment.name}: effect against no nudge (${Object.keys(experimentOutcomes).join(', ')})`,
    };
  };

  app.get(
    '/api/admin/analytics/experiments/:id/report.svg',
    {
      config: { access: access.admin },
      schema: {
        tags: ['analytics'],
        summary: "A sharing experiment's intention-to-treat effects as a coefficient plot (SVG from Vega-Lite)",
        params: Type.Object({ id: Uuid }),
        produces: ['image/svg+xml'],
      },
    },
    async (request, reply) => {
      const { rows, title } = await experimentRows(request.params.id);
      return sendSvg(reply, rows, title, 'Difference in the share of learners (95% CI)', 'experiment');
    },
  );

  app.get(
    '/api/admin/analytics/experiments/:id/report.csv',
    {
      config: { access: access.admin },
      schema: {
        tags: ['analytics'],
        summary:
          "A sharing experiment's intention-to-treat effects as CSV (pooled and by tertile; withheld cells marked)",
        params: Type.Object({ id: Uuid }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) =>
      sendCsv(reply, coefficientCsv((await experimentRows(request.params.id)).rows, 'outcome'), 'experiment'),
  );
}
