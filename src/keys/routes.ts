import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { noteAudit } from '../audit/routes.js';
import type { Accounts } from '../accounts/accounts.js';
import { access, callerOf } from '../accounts/access.js';
import type { IssuerKeyRecord, Keys } from './keys.js';

const OrgParams = Type.Object({ orgId: Type.String() });
const KeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  verificationMethod: Type.String(),
  algorithm: Type.Enum(['Ed25519', 'RSA']),
  publicKeyMultibase: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
// DID documents are open-ended JSON-LD: describe, do not constrain.
const DidDocumentSchema = Type.Object({ id: Type.String() }, { additionalProperties: true });
const didJson = 'application/did+json';

export async function keysRoutes(base: FastifyInstance, { keys, accounts }: { keys: Keys; accounts: Accounts }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const view = (orgId: string) => (key: IssuerKeyRecord) => ({
    id: key.id,
    verificationMethod: `${keys.did(orgId)}#${key.fragment}`,
    algorithm: key.algorithm,
    publicKeyMultibase: key.publicMultibase,
    createdAt: key.createdAt.toISOString(),
    retiredAt: key.retiredAt?.toISOString() ?? null,
  });

  app.get(
    '/.well-known/did.json',
    {
      config: { access: access.public },
      schema: {
        tags: ['dids'],
        summary: "This instance's DID document (did:web)",
        response: { 200: DidDocumentSchema },
      },
    },
    async (_request, reply) => reply.type(didJson).send(await keys.didDocument(null)),
  );

  app.get(
    '/issuers/:orgId/did.json',
    {
      config: { access: access.public },
      schema: {
        tags: ['dids'],
        summary: "An issuer organization's DID document: did:web:HOST:issuers:ORG_ID",
        params: Type.Object({ orgId: Type.String({ format: 'uuid' }) }),
        response: { 200: DidDocumentSchema },
      },
    },
    async (request, reply) => {
      await accounts.getOrganization(request.params.orgId);
      return reply.type(didJson).send(await keys.didDocument(request.params.orgId));
    },
  );

  app.get(
    '/api/orgs/:orgId/keys',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['keys'],
        summary: "The organization's signing keys (public parts only)",
        params: OrgParams,
        response: { 200: Type.Object({ did: Type.String(), keys: Type.Array(KeySchema) }) },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      return { did: keys.did(orgId), keys: (await keys.list(callerOf(request).user.id, orgId)).map(view(orgId)) };
    },
  );

  app.post(
    '/api/orgs/:orgId/keys/rotate',
    {
      config: { access: access.org('owner'), audit: { action: 'key.rotated', fields: ['algorithm'] } },
      schema: {
        tags: ['keys'],
        summary: 'Add a new key that signs from now on; older keys keep verifying until retired',
        params: OrgParams,
        body: Type.Object({ algorithm: Type.Enum(['Ed25519', 'RSA']) }, { additionalProperties: false }),
        response: { 201: KeySchema },
      },
    },
    async (request, reply) => {
      const key = await keys.rotate(callerOf(request).user.id, request.params.orgId, request.body.algorithm);
      noteAudit(request, { target: `keyId=${key.id}` });
      return reply.code(201).send(view(request.params.orgId)(key));
    },
  );

  app.post(
    '/api/orgs/:orgId/keys/:keyId/retire',
    {
      config: { access: access.org('owner'), audit: { action: 'key.retired' } },
      schema: {
        tags: ['keys'],
        summary: 'Retire a key: it leaves the DID document, and what it signed stops verifying',
        params: Type.Object({ orgId: Type.String(), keyId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      await keys.retire(callerOf(request).user.id, request.params.orgId, request.params.keyId);
      return reply.code(204).send();
    },
  );
}
