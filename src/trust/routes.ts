import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
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

const registryView = (record: RegistryRecord) => ({
  ...record,
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
});

/** The registry of trusted issuers: public to read, imported and removed by instance admins. */
export async function trustRoutes(base: FastifyInstance, { trust }: { trust: Trust }) {
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
}
