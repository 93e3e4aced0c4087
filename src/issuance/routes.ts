import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { noteAudit } from '../audit/routes.js';
import type { Accounts } from '../accounts/accounts.js';
import type { Catalog } from '../catalog/catalog.js';
import { grants } from '../accounts/roles.js';
import { DomainError, invalid, notFound } from '../platform/errors.js';
import { access, callerOf } from '../accounts/access.js';
import { envelopeJwt } from '../vc/envelope.js';
import type { Awarding } from './awarding.js';
import { chooseIssuingOrg, issuerMissing, missingIssuer, namedIssuer } from './issuing-org.js';
import type { CredentialState, Issuance, StatusChange, StoredCredential } from './issuance.js';

const IssueBody = Type.Object(
  {
    credential: Type.Object({}, { additionalProperties: true, description: 'The credential to sign, without proof' }),
    options: Type.Optional(
      Type.Object(
        {
          format: Type.Optional(
            Type.Enum(['ldp_vc', 'jwt'], { description: 'ldp_vc (eddsa-rdfc-2022, default) or jwt' }),
          ),
          algorithm: Type.Optional(Type.Enum(['EdDSA', 'RS256'], { description: 'For jwt: EdDSA (default) or RS256' })),
          statusPurpose: Type.Optional(
            Type.Enum(['revocation', 'suspension'], {
              description: 'Open Badges credentials carry one status entry: revocation (default) or suspension',
            }),
          ),
          identity: Type.Optional(
            Type.Enum(['did:web', 'did:key'], {
              description:
                "Issue as the organization's did:web (default) or as its Ed25519 key's did:key, for verifiers that resolve only did:key",
            }),
          ),
          addStatus: Type.Optional(
            Type.Boolean({
              description:
                'Add our Bitstring Status List entries (default true) after any credentialStatus the credential brings; Open Badges credentials allow one, so one that brings its own gets none of ours',
            }),
          ),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: false },
);
const IssueResponse = Type.Object({ verifiableCredential: Type.Unknown() });

const RecordSchema = Type.Object({
  id: Type.String(),
  credentialId: Type.String(),
  format: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  issuedAt: Type.String({ format: 'date-time' }),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Enum(['active', 'suspended', 'revoked', 'expired']),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
  /** Whether the credential has a suspension entry (credentials with only a revocation entry can only be revoked). */
  suspendable: Type.Boolean(),
});

const ListedSchema = Type.Intersect([
  RecordSchema,
  Type.Object({
    achievementId: Type.Union([Type.String(), Type.Null()]),
    recipientName: Type.Union([Type.String(), Type.Null()]),
    recipientEmail: Type.Union([Type.String(), Type.Null()]),
  }),
]);

/** Revoked, suspended, expired (by its validUntil) or active, in that order of precedence. */
export function stateOf(record: StoredCredential, now = new Date()): CredentialState {
  if (record.revokedAt) return 'revoked';
  if (record.suspendedAt) return 'suspended';
  if (record.validUntil && record.validUntil < now) return 'expired';
  return 'active';
}

export function recordView(record: StoredCredential) {
  return {
    id: record.id,
    credentialId: record.credentialId,
    format: record.format,
    name: record.name,
    subjectId: record.subjectId,
    issuedAt: record.issuedAt.toISOString(),
    validUntil: record.validUntil?.toISOString() ?? null,
    status: stateOf(record),
    revocationReason: record.revocationReason,
    suspendable: record.suspensionListId !== null && !record.revokedAt,
  };
}

export interface IssuanceRouteOptions {
  issuance: Issuance;
  awarding: Awarding;
  catalog: Catalog;
  accounts: Accounts;
  publicUrl: string;
}

export async function issuanceRoutes(
  base: FastifyInstance,
  { issuance, awarding, catalog, accounts, publicUrl }: IssuanceRouteOptions,
) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  async function issueFor(
    orgId: string,
    body: {
      credential: object;
      options?: { format?: string; algorithm?: string; statusPurpose?: string; addStatus?: boolean; identity?: string };
    },
    userId: string,
  ) {
    await accounts.getOrganization(orgId);
    // The VC-API requires the issuer (its test suite refuses a credential without one); issuing checks that a
    // given issuer is the identity this request issues as. Naming the organization's did:key asks to issue as it.
    const credential = body.credential as Record<string, unknown>;
    const named = namedIssuer(credential);
    let identity: 'did:web' | 'did:key' = body.options?.identity === 'did:key' ? 'did:key' : 'did:web';
    if (issuerMissing(credential)) throw missingIssuer(await issuance.identities(orgId), identity);
    if (body.options?.identity === undefined && named?.startsWith('did:key:')) {
      if (named === (await issuance.identities(orgId))['did:key']) identity = 'did:key';
    }
    const { verifiableCredential } = await issuance.issue(
      { orgId, profile: await catalog.issuerProfile(orgId) },
      body.credential,
      {
        format: body.options?.format === 'jwt' ? 'jwt' : 'ldp_vc',
        ...(body.options?.algorithm === 'RS256' ? { algorithm: 'RS256' as const } : {}),
        ...(body.options?.statusPurpose === 'suspension' ? { statusPurpose: 'suspension' as const } : {}),
        ...(body.options?.addStatus === false ? { addStatus: false } : {}),
        ...(identity === 'did:key' ? { identity } : {}),
        issuedBy: userId,
      },
    );
    // VC-API (W3C VCALM): the issued credential is an object; a VC-JWT travels as an enveloped credential.
    return {
      verifiableCredential:
        typeof verifiableCredential === 'string' ? envelopeJwt(verifiableCredential) : verifiableCredential,
    };
  }

  app.post(
    '/issuers/:orgId/credentials/issue',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['vc-api'],
        summary:
          "VC-API issue, for one issuer organization: the credential names its issuer (the organization's did:web, or its did:key with options.identity did:key); fills id, validFrom and status, then signs (a VC-JWT comes back as an EnvelopedVerifiableCredential)",
        params: Type.Object({ orgId: Type.String() }),
        body: IssueBody,
        response: { 201: IssueResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issueFor(request.params.orgId, request.body, callerOf(request).user.id)),
  );

  app.post(
    '/credentials/issue',
    {
      config: { access: access.user },
      schema: {
        tags: ['vc-api'],
        summary:
          "VC-API issue: for the organization the credential's issuer (required) names, by its did:web or did:key",
        body: IssueBody,
        response: { 201: IssueResponse },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const credential = request.body.credential as Record<string, unknown>;
      const memberships = await accounts.memberships(caller.user.id);
      // A did:key names an organization only through its key: look among those the caller issues for.
      const didKeys: Record<string, string> = {};
      if (namedIssuer(credential)?.startsWith('did:key:')) {
        for (const m of memberships.filter((m) => grants(m.roles, ['issuer']))) {
          didKeys[(await issuance.identities(m.org.id))['did:key']] = m.org.id;
        }
      }
      const orgId = chooseIssuingOrg(memberships, credential, publicUrl, didKeys);
      return reply.code(201).send(await issueFor(orgId, request.body, caller.user.id));
    },
  );

  app.post(
    '/credentials/status',
    {
      config: { access: access.user, audit: { action: 'credential.status-changed', fields: ['credentialStatus'] } },
      schema: {
        tags: ['vc-api'],
        summary: 'VC-API status update: revoke (permanent), suspend or unsuspend a credential this issuer issued',
        body: Type.Object(
          {
            credentialId: Type.String({ minLength: 1, maxLength: 500 }),
            credentialStatus: Type.Array(
              Type.Object(
                {
                  type: Type.Optional(Type.String()),
                  statusPurpose: Type.Optional(Type.Enum(['revocation', 'suspension'])),
                  status: Type.Union([Type.Enum(['revoked', 'suspended', 'active', 'unsuspended']), Type.Boolean()]),
                  reason: Type.Optional(Type.String({ maxLength: 500 })),
                },
                { additionalProperties: true },
              ),
              { minItems: 1, maxItems: 2 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: RecordSchema },
      },
    },
    async (request) => {
      // The role before the lookup: someone who issues nowhere learns nothing about which credentials exist,
      // and an issuer elsewhere gets the same 404 for another organization's credential as for none.
      const issuing = (await accounts.memberships(callerOf(request).user.id)).filter((m) =>
        grants(m.roles, ['issuer']),
      );
      if (issuing.length === 0) throw new DomainError('forbidden', 'You are not an issuer in any organization.');
      const changes = request.body.credentialStatus.map((entry) => ({
        change: statusChange(entry),
        reason: entry.reason,
      }));
      const record = await issuance.find(request.body.credentialId);
      if (!issuing.some((m) => m.org.id === record.orgId)) throw notFound('That credential');
      noteAudit(request, { orgId: record.orgId, target: `credentialId=${record.id}` });
      return recordView(await issuance.changeStatuses(callerOf(request).user.id, record.orgId, record.id, changes));
    },
  );

  app.get(
    '/status-lists/:listId',
    {
      config: { access: access.public },
      schema: {
        tags: ['vc-api'],
        summary: 'A signed BitstringStatusListCredential (cacheable; ETag)',
        params: Type.Object({ listId: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => sendList(request, reply, await issuance.publishedList(request.params.listId)),
  );

  app.get(
    '/status-lists/:listId/did-key/:fragment',
    {
      config: { access: access.public },
      schema: {
        tags: ['vc-api'],
        summary: "The same list published by one of the organization's keys as a did:key (for did:key credentials)",
        params: Type.Object({
          listId: Type.String({ format: 'uuid' }),
          fragment: Type.String({ pattern: '^z[1-9A-HJ-NP-Za-km-z]{40,60}$' }),
        }),
      },
    },
    async (request, reply) =>
      sendList(request, reply, await issuance.publishedList(request.params.listId, request.params.fragment)),
  );

  function sendList(request: FastifyRequest, reply: FastifyReply, published: { document: string }) {
    const etag = `"${createHash('sha256').update(published.document).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=60, must-revalidate');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/vc+ld+json').send(published.document);
  }

  app.post(
    '/api/orgs/:orgId/achievements/:achievementId/awards',
    {
      config: {
        access: access.org('issuer'),
        audit: { action: 'credential.awarded', fields: ['email', 'allowDuplicate'] },
      },
      schema: {
        tags: ['issuance'],
        summary:
          "Award a published micro-credential by hand to an email (the recipient's wallet gets it when they have an account)",
        params: Type.Object({ orgId: Type.String(), achievementId: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            email: Type.String({ maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' }),
            score: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
            narrative: Type.Optional(Type.String({ maxLength: 5000 })),
            evidenceUrl: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
            key: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'Makes a retried request return the first award',
              }),
            ),
            allowDuplicate: Type.Optional(
              Type.Boolean({
                description:
                  'Award again though the recipient holds a live credential of it (without it, and without a key: 409 with the existing credential)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ credential: RecordSchema, verifiableCredential: Type.Unknown() }) },
      },
    },
    async (request, reply) => {
      const issued = await awarding.awardByHand({
        ...request.body,
        orgId: request.params.orgId,
        achievementId: request.params.achievementId,
        issuedBy: callerOf(request).user.id,
      });
      noteAudit(request, { target: `credentialId=${issued.record.id}` });
      return reply
        .code(201)
        .send({ credential: recordView(issued.record), verifiableCredential: issued.verifiableCredential });
    },
  );

  app.get(
    '/api/me/credentials',
    {
      config: { access: access.user },
      schema: {
        tags: ['issuance'],
        summary: 'Credentials issued to you on this instance, newest first, with their status',
        response: {
          200: Type.Object({
            credentials: Type.Array(
              Type.Intersect([RecordSchema, Type.Object({ verifiableCredential: Type.Unknown() })]),
            ),
          }),
        },
      },
    },
    async (request) => ({
      credentials: (await issuance.ofRecipient(callerOf(request).user.id)).map((record) => ({
        ...recordView(record),
        verifiableCredential: record.format === 'jwt' ? record.document : (JSON.parse(record.document) as unknown),
      })),
    }),
  );

  app.get(
    '/api/orgs/:orgId/credentials',
    {
      config: { access: access.org('issuer') },
      schema: {
        tags: ['issuance'],
        summary: 'Credentials this organization issued, newest first: search, filter by achievement, status and date',
        params: Type.Object({ orgId: Type.String() }),
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({ maxLength: 200, description: 'Recipient email or name, or credential name' }),
            ),
            achievementId: Type.Optional(Type.String({ format: 'uuid' })),
            status: Type.Optional(Type.Enum(['active', 'suspended', 'revoked', 'expired'])),
            issuedFrom: Type.Optional(
              Type.String({ format: 'date', description: 'Issued on or after this day (UTC)' }),
            ),
            issuedTo: Type.Optional(Type.String({ format: 'date', description: 'Issued on or before this day (UTC)' })),
            limit: Type.Optional(
              Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$', description: '1 to 200' }),
            ),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ credentials: Type.Array(ListedSchema), total: Type.Integer() }) },
      },
    },
    async (request) => {
      const { q, achievementId, status, issuedFrom, issuedTo, limit, offset } = request.query;
      const day = (value: string, field: string) => {
        const date = new Date(`${value}T00:00:00Z`);
        if (Number.isNaN(date.getTime())) throw invalid(`${field} is not a date.`, { field });
        return date;
      };
      const from = issuedFrom ? day(issuedFrom, 'issuedFrom') : undefined;
      const to = issuedTo ? new Date(day(issuedTo, 'issuedTo').getTime() + 86_400_000) : undefined;
      if (from && to && from >= to) throw invalid('issuedFrom is after issuedTo.', { field: 'issuedFrom' });
      const found = await issuance.list(callerOf(request).user.id, request.params.orgId, {
        text: q,
        achievementId,
        status: status as CredentialState | undefined,
        issuedFrom: from,
        issuedTo: to,
        limit: Number(limit ?? 50),
        offset: Number(offset ?? 0),
      });
      return {
        credentials: found.credentials.map((record) => ({
          ...recordView(record),
          achievementId: record.achievementId,
          recipientName: record.recipientName,
          recipientEmail: record.recipientEmail,
        })),
        total: found.total,
      };
    },
  );

  const changes = {
    revoke: 'Revoke (permanent, with the reason the verifier and the learner see); the status list is republished',
    suspend: 'Suspend (reversible); the status list is republished',
    unsuspend: 'Lift a suspension; the status list is republished',
  } as const;
  const auditActions = {
    revoke: 'credential.revoked',
    suspend: 'credential.suspended',
    unsuspend: 'credential.unsuspended',
  } as const;
  for (const change of ['revoke', 'suspend', 'unsuspend'] as const) {
    app.post(
      `/api/orgs/:orgId/credentials/:credentialId/${change}`,
      {
        config: { access: access.org('issuer'), audit: { action: auditActions[change], fields: ['reason'] } },
        schema: {
          tags: ['issuance'],
          summary: changes[change],
          params: Type.Object({ orgId: Type.String(), credentialId: Type.String({ format: 'uuid' }) }),
          ...(change === 'revoke'
            ? {
                body: Type.Object(
                  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
                  { additionalProperties: false },
                ),
              }
            : {}),
          response: { 200: RecordSchema },
        },
      },
      async (request) => {
        const reason = (request.body as { reason?: string } | undefined)?.reason?.trim();
        if (change === 'revoke' && !reason) throw invalid('Give the reason for revoking.', { field: 'reason' });
        const { orgId, credentialId } = request.params;
        return recordView(await issuance.changeStatus(callerOf(request).user.id, orgId, credentialId, change, reason));
      },
    );
  }
}

/** Reads one VC-API credentialStatus entry as a change. */
function statusChange(entry: { statusPurpose?: string; type?: string; status: string | boolean }): StatusChange {
  const on = entry.status === true || entry.status === 'revoked' || entry.status === 'suspended';
  const purpose =
    entry.statusPurpose ??
    (entry.status === 'suspended' || entry.status === 'unsuspended' ? 'suspension' : 'revocation');
  if (purpose === 'suspension') return on ? 'suspend' : 'unsuspend';
  if (!on)
    throw invalid('A revocation cannot be undone; suspend instead if the credential may come back.', {
      field: 'credentialStatus',
    });
  return 'revoke';
}
