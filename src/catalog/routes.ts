import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../accounts/access.js';
import type { Catalog, AchievementRecord, PublishedVersion } from './catalog.js';
import { invalid } from '../platform/errors.js';
import { badgeLimits } from './badges.js';
import { assessmentTypes, checkDefinition, participationForms, qualityAssuranceTypes } from './definition.js';

const Text = (max: number) => Type.String({ maxLength: max });
const Url = Type.String({ maxLength: 2000 });

/** Types and sizes only; the rules of a micro-credential are the domain's (checkDefinition). */
export const DefinitionSchema = Type.Object(
  {
    title: Text(200),
    humanCode: Type.Optional(Text(24)),
    description: Text(5000),
    learningOutcomes: Type.Array(Text(1000), { maxItems: 50 }),
    workloadHours: Type.Number({ minimum: 0, maximum: 100_000 }),
    ectsCredits: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    eqfLevel: Type.Optional(Type.Integer()),
    nqfLevel: Type.Optional(Text(100)),
    assessmentType: Type.Enum(assessmentTypes),
    participationForm: Type.Enum(participationForms),
    qualityAssurance: Type.Enum(qualityAssuranceTypes),
    prerequisites: Type.Array(Url, { maxItems: 50 }),
    criteria: Text(5000),
    validity: Type.Optional(Text(30)),
    stackability: Type.Optional(Text(2000)),
    image: Type.Optional(Url),
    language: Text(35),
    tags: Type.Array(Text(60), { maxItems: 30 }),
    skills: Type.Array(
      Type.Object(
        { code: Text(500), name: Text(300), framework: Text(100), url: Url },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false, $id: 'MicroCredentialDefinition' },
);

const Issue = Type.Object({ field: Type.String(), message: Type.String() });
const Check = Type.Object({ errors: Type.Array(Issue), warnings: Type.Array(Issue) });
const Record = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String({ description: 'The human-readable code, unique in the organization' }),
  status: Type.Enum(['draft', 'published', 'retired']),
  latestVersion: Type.Integer(),
  draft: DefinitionSchema,
  check: Check,
  updatedAt: Type.String({ format: 'date-time' }),
});
const Version = Type.Object({
  achievementId: Type.String(),
  code: Type.String({ description: "The micro-credential's human-readable code" }),
  version: Type.Integer(),
  status: Type.String(),
  issuer: Type.Object({ id: Type.String(), name: Type.String() }),
  definition: DefinitionSchema,
  achievement: Type.Object({}, { additionalProperties: true }),
  url: Type.String(),
  image: Type.Optional(Type.String({ description: 'The badge image address (its own or the drawn one)' })),
  publishedAt: Type.String({ format: 'date-time' }),
});
const ProfileDetails = Type.Object(
  {
    url: Type.Optional(Url),
    email: Type.Optional(Text(254)),
    country: Type.Optional(Text(2)),
    description: Type.Optional(Text(5000)),
    image: Type.Optional(Url),
    colour: Type.Optional(Text(7)),
    qualityAssurance: Type.Optional(
      Type.Object(
        {
          accreditingBody: Text(300),
          accreditationId: Type.Optional(Text(200)),
          framework: Type.Optional(Text(300)),
          validUntil: Type.Optional(Text(10)),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const OrgParams = Type.Object({ orgId: Type.String() });
const AchievementParams = Type.Object({ orgId: Type.String(), achievementId: Type.String({ format: 'uuid' }) });

const recordView = (record: AchievementRecord) => ({
  id: record.id,
  code: record.code,
  status: record.status,
  latestVersion: record.latestVersion,
  draft: record.draft,
  check: checkDefinition(record.draft),
  updatedAt: record.updatedAt.toISOString(),
});

export async function catalogRoutes(base: FastifyInstance, { catalog }: { catalog: Catalog }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const versionView = (v: PublishedVersion) => ({
    achievementId: v.achievementId,
    code: v.code,
    version: v.version,
    status: v.status,
    issuer: { id: v.orgId, name: v.orgName },
    definition: v.definition,
    achievement: v.achievement,
    url: catalog.versionUrl(v.achievementId, v.version),
    ...(v.achievement.image ? { image: v.achievement.image.id } : {}),
    publishedAt: v.publishedAt.toISOString(),
  });

  app.get(
    '/api/orgs/:orgId/profile',
    {
      config: { access: access.orgMember },
      schema: { tags: ['catalog'], summary: 'The issuer profile and quality-assurance facts', params: OrgParams },
    },
    async (request) => ({
      details: await catalog.profileDetails(request.params.orgId),
      profile: await catalog.issuerProfile(request.params.orgId),
    }),
  );

  app.put(
    '/api/orgs/:orgId/profile',
    {
      config: { access: access.org('owner') },
      schema: {
        tags: ['catalog'],
        summary: 'Set the issuer profile (as it appears in every credential)',
        params: OrgParams,
        body: ProfileDetails,
      },
    },
    async (request) => ({ profile: await catalog.saveProfile(request.params.orgId, request.body) }),
  );

  app.get(
    '/api/orgs/:orgId/achievements',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: "The organization's micro-credentials, drafts included",
        params: OrgParams,
        response: { 200: Type.Object({ achievements: Type.Array(Record) }) },
      },
    },
    async (request) => ({ achievements: (await catalog.list(request.params.orgId)).map(recordView) }),
  );

  app.post(
    '/api/orgs/:orgId/achievements',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: 'Start a micro-credential as a draft (it may be incomplete until published)',
        params: OrgParams,
        body: DefinitionSchema,
        response: { 201: Record },
      },
    },
    async (request, reply) =>
      reply.code(201).send(recordView((await catalog.create(request.params.orgId, request.body)).record)),
  );

  app.get(
    '/api/orgs/:orgId/achievements/:achievementId',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: 'A micro-credential: its draft, its checks and its published versions',
        params: AchievementParams,
        response: { 200: Type.Object({ record: Record, versions: Type.Array(Version) }) },
      },
    },
    async (request) => {
      const { orgId, achievementId } = request.params;
      const record = await catalog.get(orgId, achievementId);
      return { record: recordView(record), versions: (await catalog.versions(achievementId)).map(versionView) };
    },
  );

  app.put(
    '/api/orgs/:orgId/achievements/:achievementId',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: 'Edit the draft',
        params: AchievementParams,
        body: DefinitionSchema,
        response: { 200: Record },
      },
    },
    async (request) => {
      const { orgId, achievementId } = request.params;
      return recordView((await catalog.updateDraft(orgId, achievementId, request.body)).record);
    },
  );

  app.post(
    '/api/orgs/:orgId/achievements/:achievementId/publish',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: 'Publish the draft as the next immutable version',
        params: AchievementParams,
        response: { 201: Version },
      },
    },
    async (request, reply) => {
      const { orgId, achievementId } = request.params;
      return reply.code(201).send(versionView(await catalog.publish(orgId, achievementId)));
    },
  );

  app.post(
    '/api/orgs/:orgId/achievements/:achievementId/retire',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: 'Retire: no more awards; issued credentials stay valid',
        params: AchievementParams,
        response: { 200: Record },
      },
    },
    async (request) => recordView(await catalog.retire(request.params.orgId, request.params.achievementId)),
  );

  app.get(
    '/api/catalog',
    {
      config: { access: access.public },
      schema: {
        tags: ['catalog'],
        summary: 'Published micro-credentials: search by text, skill code, EQF level, workload and issuer',
        querystring: Type.Object(
          {
            q: Type.Optional(Text(200)),
            skill: Type.Optional(Text(500)),
            eqf: Type.Optional(Type.String({ pattern: '^[1-8]$' })),
            maxHours: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
            issuer: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$' })),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ achievements: Type.Array(Version) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const found = await catalog.search({
        text: q.q?.trim() || undefined,
        skill: q.skill,
        eqfLevel: q.eqf ? Number(q.eqf) : undefined,
        maxHours: q.maxHours ? Number(q.maxHours) : undefined,
        orgId: q.issuer,
        limit: q.limit ? Number(q.limit) : 20,
        offset: q.offset ? Number(q.offset) : 0,
      });
      return { achievements: found.map(versionView) };
    },
  );

  app.get(
    '/api/catalog/:achievementId',
    {
      config: { access: access.public },
      schema: {
        tags: ['catalog'],
        summary:
          "A published micro-credential open for earning: its newest version and its issuer's profile and QA facts",
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
        response: {
          200: Type.Intersect([Version, Type.Object({ issuerDetails: ProfileDetails })]),
        },
      },
    },
    async (request) => {
      const current = await catalog.current(request.params.achievementId);
      return { ...versionView(current), issuerDetails: await catalog.profileDetails(current.orgId) };
    },
  );

  app.get(
    '/achievements/:achievementId/versions/:version',
    {
      config: { access: access.public },
      schema: {
        tags: ['catalog'],
        summary: 'A published version as an Open Badges 3.0 Achievement (the id credentials point to)',
        params: Type.Object({
          achievementId: Type.String({ format: 'uuid' }),
          version: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }),
        }),
      },
    },
    async (request, reply) => {
      const found = await catalog.version(request.params.achievementId, Number(request.params.version));
      return reply.type('application/ld+json').send(found.achievement);
    },
  );

  app.post(
    '/api/orgs/:orgId/badge-images',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['catalog'],
        summary: `Upload a badge image (PNG or JPEG, base64, at most ${badgeLimits.bytes / 1024} KiB); use its url as a micro-credential's image`,
        params: OrgParams,
        body: Type.Object(
          { data: Type.String({ minLength: 1, maxLength: Math.ceil((badgeLimits.bytes * 4) / 3) + 8 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), url: Type.String() }) },
      },
    },
    async (request, reply) => {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(request.body.data)) {
        throw invalid('The image is not base64.', { field: 'data' });
      }
      const uploaded = await catalog.uploadBadge(request.params.orgId, Buffer.from(request.body.data, 'base64'));
      return reply.code(201).send(uploaded);
    },
  );

  app.get(
    '/badge-images/:imageId',
    {
      config: { access: access.public },
      schema: {
        tags: ['catalog'],
        summary: 'A badge image an issuer uploaded (never changes)',
        params: Type.Object({ imageId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const image = await catalog.badgeImage(request.params.imageId);
      return reply
        .type(image.mediaType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', `"${image.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(image.bytes));
    },
  );

  app.get(
    '/achievements/:achievementId/badge.svg',
    {
      config: { access: access.public },
      schema: {
        tags: ['catalog'],
        summary: "The badge drawn for a published micro-credential without an image (its code, in its issuer's colour)",
        params: Type.Object({ achievementId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const svg = await catalog.generatedBadge(request.params.achievementId);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .send(svg);
    },
  );
}
