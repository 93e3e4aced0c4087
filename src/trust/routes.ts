import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { JobRunSchema, jobRunView } from '../jobs/routes.js';
import { refreshIntervalLimits, type RegistryRefresh, type RegistrySource } from './refresh.js';
import { registryNameLimit, type RegistryRecord, type Trust } from './trust.js';

const RegistrySchema = Type.Object({
  name: Type.String(),
  entryCount: Type.Integer(),
  meta: Type.Object({}, { additionalProperties: true, description: "The registry file's own meta" }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const IssuerSchema = Type.Object({
  did: Type.String(),
  name: Type.String(),
  registry: Type.String({ description: 'The registry that lists it' }),
  url: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  local: Type.Boolean({ description: 'An organization of this instance' }),
});

const SourceSchema = Type.Object({
  name: Type.String({ description: 'The registry it fills' }),
  url: Type.String(),
  intervalMinutes: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  nextRefreshAt: Type.String({ format: 'date-time' }),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastSuccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastStatus: Type.Union([Type.Literal('pending'), Type.Literal('ok'), Type.Literal('failed')], {
    description: 'How the last refresh went; after a failure the entries of the last good one stay in force',
  }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastEntryCount: Type.Union([Type.Integer(), Type.Null()]),
});
const iso = (date: Date | null) => date?.toISOString() ?? null;
const sourceView = (source: RegistrySource) => ({
  name: source.name,
  url: source.url,
  intervalMinutes: source.intervalMinutes,
  createdAt: source.createdAt.toISOString(),
  nextRefreshAt: source.nextRefreshAt.toISOString(),
  lastAttemptAt: iso(source.lastAttemptAt),
  lastSuccessAt: iso(source.lastSuccessAt),
  lastStatus: source.lastStatus,
  lastError: source.lastError,
  lastEntryCount: source.lastEntryCount,
});
const SourceParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: registryNameLimit * 2 }) });

const registryView = (record: RegistryRecord) => ({
  ...record,
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
});

/** The registry of trusted issuers: public to read, imported and removed by instance admins. */
export async function trustRoutes(
  base: FastifyInstance,
  { trust, refresh }: { trust: Trust; refresh: RegistryRefresh },
) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/trust/issuers',
    {
      config: { access: access.public },
      schema: {
        tags: ['trust'],
        summary: "The issuers this instance knows: its own organizations, then the imported registries' entries",
        response: { 200: Type.Object({ issuers: Type.Array(IssuerSchema) }) },
      },
    },
    async () => ({ issuers: await trust.listIssuers() }),
  );

  app.get(
    '/api/admin/trust-registries',
    {
      config: { access: access.admin },
      schema: {
        tags: ['trust'],
        summary: 'The imported issuer registries (instance admins)',
        response: { 200: Type.Object({ registries: Type.Array(RegistrySchema) }) },
      },
    },
    async () => ({ registries: (await trust.listRegistries()).map(registryView) }),
  );

  app.post(
    '/api/admin/trust-registries',
    {
      config: { access: access.admin, audit: { action: 'trust-registry.imported', fields: ['name'] } },
      // A registry of 10,000 issuers is about 2 MB.
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['trust'],
        summary:
          'Import a Digital Credentials Consortium issuer registry (registry.json) under a name; the same name again replaces it',
        body: Type.Object(
          {
            name: Type.String({ maxLength: registryNameLimit * 2 }),
            // Checked by the registry parser, which names what is wrong with the file.
            registry: Type.Unknown({ description: 'The registry file: its JSON, or its text' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ registry: RegistrySchema, replaced: Type.Literal(true) }),
          201: Type.Object({ registry: RegistrySchema, replaced: Type.Literal(false) }),
        },
      },
    },
    async (request, reply) => {
      const { registry, replaced } = await trust.importRegistry(
        request.body.name,
        request.body.registry,
        callerOf(request).user.id,
      );
      return reply.code(replaced ? 200 : 201).send({ registry: registryView(registry), replaced });
    },
  );

  app.delete(
    '/api/admin/trust-registries/:name',
    {
      config: { access: access.admin, audit: { action: 'trust-registry.removed' } },
      schema: {
        tags: ['trust'],
        summary: 'Remove an imported registry and its entries',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: registryNameLimit * 2 }) }),
      },
    },
    async (request, reply) => {
      await trust.deleteRegistry(request.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/admin/trust-registry-sources',
    {
      config: { access: access.admin },
      schema: {
        tags: ['trust'],
        summary: 'Registries refreshed from a URL, with how their last refresh went (instance admins)',
        response: { 200: Type.Object({ sources: Type.Array(SourceSchema) }) },
      },
    },
    async () => ({ sources: (await refresh.listSources()).map(sourceView) }),
  );

  app.put(
    '/api/admin/trust-registry-sources/:name',
    {
      config: { access: access.admin },
      schema: {
        tags: ['trust'],
        summary:
          'Refresh a registry from a URL on a schedule (fetched at once, then every intervalMinutes); a failed or invalid fetch keeps the last good entries',
        params: SourceParams,
        body: Type.Object(
          {
            url: Type.String({ maxLength: 4000 }),
            intervalMinutes: Type.Optional(
              Type.Integer({
                minimum: refreshIntervalLimits.min,
                maximum: refreshIntervalLimits.max,
                default: refreshIntervalLimits.default,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ source: SourceSchema, run: JobRunSchema }),
          201: Type.Object({ source: SourceSchema, run: JobRunSchema }),
        },
      },
    },
    async (request, reply) => {
      const saved = await refresh.setSource(request.params.name, request.body, callerOf(request).user.id);
      return reply
        .code(saved.created ? 201 : 200)
        .send({ source: sourceView(saved.source), run: jobRunView(saved.run) });
    },
  );

  app.post(
    '/api/admin/trust-registry-sources/:name/refresh',
    {
      config: { access: access.admin },
      schema: {
        tags: ['trust'],
        summary: 'Fetch a registry source now, whatever its schedule',
        params: SourceParams,
        response: { 202: Type.Object({ run: JobRunSchema }) },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send({ run: jobRunView(await refresh.refreshNow(request.params.name, callerOf(request).user.id)) }),
  );

  app.delete(
    '/api/admin/trust-registry-sources/:name',
    {
      config: { access: access.admin },
      schema: {
        tags: ['trust'],
        summary:
          'Stop refreshing a registry from its URL (the entries fetched last stay until the registry is removed)',
        params: SourceParams,
      },
    },
    async (request, reply) => {
      await refresh.removeSource(request.params.name);
      return reply.code(204).send();
    },
  );
}
