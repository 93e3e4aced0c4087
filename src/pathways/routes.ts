import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import type { PathwayRecord, PathwayVersion } from './store.js';
import type { Pathways } from './pathways.js';
import { pathwayLimits } from './pathway.js';
import type { ElmExport } from './pathways.js';
import { elmMediaType } from './elm.js';

const Text = (max: number) => Type.String({ maxLength: max });
const Key = Type.String({ minLength: 1, maxLength: 100 });

const Rule = Type.Union([
  Type.Object(
    { component: Key, by: Type.Literal('achievement'), achievementId: Type.String({ minLength: 1, maxLength: 2000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      component: Key,
      by: Type.Literal('alignment'),
      skills: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: pathwayLimits.maxSkillsPerRule }),
      minEqfLevel: Type.Integer(),
    },
    { additionalProperties: false },
  ),
]);

/** Types and sizes only; the tree's shape is read by the domain (readRequirements), its rules by checkPathway. */
const PathwayBody = Type.Object(
  {
    title: Text(200),
    description: Text(5000),
    destination: Text(100),
    requirements: Type.Unknown({
      description:
        'The requirement tree: { type: "component", key, component: { achievementId } | { foreignId, name, ectsCredits?, workloadHours? } }, ' +
        '{ type: "allOf", of }, { type: "anyOf", n, of }, { type: "credits", min, unit: "ECTS" | "hours", of }',
    }),
    recognition: Type.Optional(Type.Array(Rule, { maxItems: pathwayLimits.maxRules })),
    prerequisites: Type.Optional(
      Type.Array(Type.Object({ before: Key, after: Key }, { additionalProperties: false }), { maxItems: 500 }),
    ),
    offRamps: Type.Optional(
      Type.Array(Type.Object({ node: Key, achievementId: Text(100) }, { additionalProperties: false }), {
        maxItems: 50,
      }),
    ),
  },
  { additionalProperties: false },
);

const OrgParams = Type.Object({ orgId: Type.String() });
const PathwayParams = Type.Object({ orgId: Type.String(), pathwayId: Type.String({ maxLength: 100 }) });

/** An ELM export as JSON-LD, with what the validation found in headers (the document stays the EDC's own shape). */
function sendElm(reply: FastifyReply, exported: ElmExport) {
  const { validation } = exported;
  return reply
    .type(elmMediaType)
    .header('x-elm-shapes', validation.shapes.join(', '))
    .header('x-elm-warnings', String(validation.warnings.length))
    .header('x-elm-not-checked', validation.notChecked.join(', ') || 'none')
    .send(exported.document);
}

const elmDescription =
  'Unsigned JSON-LD (ELM v3, the EDC application profile), validated offline against the official EDC SHACL shapes ' +
  "and Skillproof's Annex I shapes; refused (409, with the violations) if it would not conform. Headers: " +
  'x-elm-warnings (Annex I elements the source does not state), x-elm-not-checked (imported shapes not bundled).';

const recordView = (record: PathwayRecord) => ({
  id: record.id,
  status: record.status,
  latestVersion: record.latestVersion,
  draft: record.draft,
  updatedAt: record.updatedAt.toISOString(),
});
const versionView = (v: PathwayVersion) => ({
  pathwayId: v.pathwayId,
  version: v.version,
  status: v.status,
  issuer: { id: v.orgId, name: v.orgName },
  definition: v.definition,
  publishedAt: v.publishedAt.toISOString(),
});

export async function pathwaysRoutes(base: FastifyInstance, { pathways }: { pathways: Pathways }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/orgs/:orgId/pathways',
    {
      config: { access: access.org('issuer') },
      schema: { tags: ['pathways'], summary: "The organization's pathways, drafts included", params: OrgParams },
    },
    async (request) => ({ pathways: (await pathways.list(request.params.orgId)).map(recordView) }),
  );

  app.post(
    '/api/orgs/:orgId/pathways',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'Start a pathway as a draft, with the checks that publishing will apply',
        params: OrgParams,
        body: PathwayBody,
      },
    },
    async (request, reply) => {
      const { record, check } = await pathways.create(request.params.orgId, request.body);
      return reply.code(201).send({ ...recordView(record), check });
    },
  );

  app.post(
    '/api/orgs/:orgId/pathways/check',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'Check a pathway without saving it: can it be completed, and if not, why',
        params: OrgParams,
        body: PathwayBody,
      },
    },
    async (request) => pathways.check(request.params.orgId, request.body),
  );

  app.get(
    '/api/orgs/:orgId/pathways/:pathwayId',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'A pathway: its draft, its checks and its versions',
        params: PathwayParams,
      },
    },
    async (request) => {
      const { orgId, pathwayId } = request.params;
      const { record, check } = await pathways.get(orgId, pathwayId);
      return {
        record: { ...recordView(record), check },
        versions: (await pathways.versions(orgId, pathwayId)).map(versionView),
      };
    },
  );

  app.put(
    '/api/orgs/:orgId/pathways/:pathwayId',
    {
      config: { access: access.org('issuer') },
      schema: { tags: ['pathways'], summary: 'Edit the draft', params: PathwayParams, body: PathwayBody },
    },
    async (request) => {
      const { orgId, pathwayId } = request.params;
      const { record, check } = await pathways.updateDraft(orgId, pathwayId, request.body);
      return { ...recordView(record), check };
    },
  );

  app.post(
    '/api/orgs/:orgId/pathways/:pathwayId/publish',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary:
          'Publish the draft as the next immutable version (refused, with the reasons, if it cannot be completed)',
        params: PathwayParams,
      },
    },
    async (request, reply) =>
      reply.code(201).send(versionView(await pathways.publish(request.params.orgId, request.params.pathwayId))),
  );

  app.post(
    '/api/orgs/:orgId/pathways/:pathwayId/retire',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'Retire: no more progress or awards; stacked credentials already issued stay valid',
        params: PathwayParams,
      },
    },
    async (request) => {
      const { record, check } = await pathways.retire(request.params.orgId, request.params.pathwayId);
      return { ...recordView(record), check };
    },
  );

  app.get(
    '/api/orgs/:orgId/pathways/:pathwayId/flags',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'Stacked credentials whose component was revoked, for review (revoke or keep)',
        params: PathwayParams,
      },
    },
    async (request) => ({
      flags: (await pathways.flags(request.params.orgId, request.params.pathwayId)).map((f) => ({
        ...f,
        createdAt: f.createdAt.toISOString(),
        decidedAt: f.decidedAt?.toISOString() ?? null,
      })),
    }),
  );

  app.post(
    '/api/orgs/:orgId/pathways/:pathwayId/flags/:flagId/decision',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['pathways'],
        summary: 'Decide on a flagged stacked credential: revoke it, or keep it (recorded either way)',
        params: Type.Object({
          orgId: Type.String(),
          pathwayId: Type.String({ maxLength: 100 }),
          flagId: Type.String({ maxLength: 100 }),
        }),
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('revoke'), Type.Literal('keep')]),
            note: Type.Optional(Text(2000)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { orgId, pathwayId, flagId } = request.params;
      return pathways.decide(orgId, pathwayId, flagId, request.body, callerOf(request).user.id);
    },
  );

  app.get(
    '/api/me/pathways',
    {
      config: { access: access.user },
      schema: {
        tags: ['pathways'],
        summary: 'The published pathways you are on or near (sharing at least one component with your wallet)',
      },
    },
    async (request) => pathways.mine(callerOf(request).user.id),
  );

  app.get(
    '/api/me/pathways/:pathwayId',
    {
      config: { access: access.user },
      schema: {
        tags: ['pathways'],
        summary:
          'Your progress on a pathway: what each credential satisfies, what remains, credits, what does not count and why, and the cheapest way to finish',
        params: Type.Object({ pathwayId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request) => pathways.progress(callerOf(request).user.id, request.params.pathwayId),
  );

  app.get(
    '/api/me/pathways/:pathwayId/clr',
    {
      config: { access: access.user, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['pathways'],
        summary:
          'A pathway you were awarded as a CLR 2.0 ClrCredential signed by this instance: the stacked credential, its components with their own proofs, and their associations',
        params: Type.Object({ pathwayId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return pathways.clr({ id: caller.user.id, email: caller.user.email }, request.params.pathwayId);
    },
  );

  app.get(
    '/api/catalog/:achievementId/elm',
    {
      config: { access: access.public, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['pathways'],
        summary: 'A published micro-credential as a European Learning Model (ELM v3) Qualification',
        description: elmDescription,
        params: Type.Object({ achievementId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => sendElm(reply, await pathways.elmDefinition(request.params.achievementId)),
  );

  app.get(
    '/api/me/wallet/:holdingId/elm',
    {
      config: { access: access.user, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['pathways'],
        summary:
          'One of your credentials as a European Learning Model (ELM v3) EuropeanDigitalCredential; a stacked credential with its components',
        description: elmDescription,
        params: Type.Object({ holdingId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request);
      return sendElm(
        reply,
        await pathways.elmHolding({ id: user.id, name: user.name, email: user.email }, request.params.holdingId),
      );
    },
  );

  app.get(
    '/api/me/pathways/:pathwayId/elm',
    {
      config: { access: access.user, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['pathways'],
        summary:
          'A pathway you were awarded as a European Learning Model (ELM v3) EuropeanDigitalCredential: the stacked credential with its components as parts',
        description: elmDescription,
        params: Type.Object({ pathwayId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      const { user } = callerOf(request);
      return sendElm(
        reply,
        await pathways.elmPathway({ id: user.id, name: user.name, email: user.email }, request.params.pathwayId),
      );
    },
  );

  app.get(
    '/api/me/stacked/:holdingId',
    {
      config: { access: access.user },
      schema: {
        tags: ['pathways'],
        summary:
          'A stacked credential in your wallet with its components: each as the award recorded it, whether it is still held with the same bytes, its status now, and the issuer’s review of a revoked one',
        params: Type.Object({ holdingId: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request) => pathways.stacked(callerOf(request).user.id, request.params.holdingId),
  );
}
