import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../accounts/access.js';
import type { Skills } from './skills.js';

const Skill = Type.Object({
  id: Type.String(),
  framework: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String(),
  altLabels: Type.Array(Type.String()),
  kind: Type.String(),
});
const Limit = Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$' }));

export async function skillsRoutes(base: FastifyInstance, { skills }: { skills: Skills }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/skills/frameworks',
    {
      config: { access: access.public },
      schema: {
        tags: ['skills'],
        summary: 'Skill frameworks on this instance, with the credit line each requires',
        response: {
          200: Type.Object({
            frameworks: Type.Array(Type.Object({ name: Type.String(), credit: Type.String(), skills: Type.Integer() })),
          }),
        },
      },
    },
    async () => ({ frameworks: await skills.frameworks() }),
  );

  app.get(
    '/api/skills',
    {
      config: { access: access.public },
      schema: {
        tags: ['skills'],
        summary: 'Search skills by name or alternative label',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200 })),
            framework: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ skills: Type.Array(Skill) }) },
      },
    },
    async (request) => ({
      skills: await skills.searchSkills({
        text: request.query.q?.trim() || undefined,
        framework: request.query.framework,
        limit: Number(request.query.limit ?? 20),
      }),
    }),
  );

  app.get(
    '/api/occupations',
    {
      config: { access: access.public },
      schema: {
        tags: ['skills'],
        summary: 'Search occupations (ESCO, O*NET)',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), limit: Limit },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({
      occupations: await skills.searchOccupations(
        request.query.q?.trim() || undefined,
        Number(request.query.limit ?? 20),
      ),
    }),
  );

  app.get(
    '/api/occupations/:occupationId',
    {
      config: { access: access.public },
      schema: {
        tags: ['skills'],
        summary: 'An occupation with its essential and optional skills',
        params: Type.Object({ occupationId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => skills.occupation(request.params.occupationId),
  );

  app.post(
    '/api/orgs/:orgId/skills/import',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['skills'],
        summary: "Import the organization's own skill framework (CSV: code,name,description,url; or JSON)",
        params: Type.Object({ orgId: Type.String() }),
        body: Type.Object(
          {
            framework: Type.String({ minLength: 1, maxLength: 200 }),
            format: Type.Enum(['csv', 'json']),
            content: Type.String({ minLength: 1, maxLength: 900_000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            framework: Type.String(),
            skills: Type.Integer(),
            occupations: Type.Integer(),
            links: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await skills.importOwnFramework(request.params.orgId, request.body)),
  );
}
