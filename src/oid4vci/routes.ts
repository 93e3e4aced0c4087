import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { noteAudit } from '../audit/routes.js';
import { sendProblem, toProblem } from '../platform/http/problems.js';
import { authorizationServerMetadata, issuerMetadata } from './metadata.js';
import { Oid4vciError, type Oid4vci } from './oid4vci.js';

export interface Oid4vciRouteOptions {
  oid4vci: Oid4vci;
  publicUrl: string;
  /** Token and credential requests per IP per minute. */
  rateLimit: number;
}

const formType = 'application/x-www-form-urlencoded';
const HoldingParams = Type.Object({ holdingId: Type.String({ maxLength: 100 }) });
const OfferQuery = Type.Object({
  grants: Type.Optional(
    Type.Union([Type.Literal('pre-authorized'), Type.Literal('both')], {
      description:
        'pre-authorized (default): the pre-authorized code grant only; both: also the authorization_code grant ' +
        'through the OAuth 2.0 server at /oauth, with issuer_state naming this offer',
    }),
  ),
});
const OfferView = Type.Object({
  offerUri: Type.String(),
  qrSvg: Type.String(),
  txCode: Type.String(),
  expiresAt: Type.String(),
  credentialConfigurationIds: Type.Array(Type.String()),
});

/** An OAuth 2.0 / OID4VCI error body: `{ error, error_description }`, never cached. */
function sendOauthError(reply: FastifyReply, error: Oid4vciError) {
  if (error.status === 401 || error.status === 403) reply.header('www-authenticate', `Bearer error="${error.error}"`);
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .send({ error: error.error, error_description: error.message });
}

/**
 * OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: the issuer and authorization server
 * metadata, the token, nonce and credential endpoints (their errors are OAuth's JSON, as the specifications say),
 * and the learner's "send to my wallet" offer. The authorization-code flow's authorization and token endpoints are
 * the OAuth 2.0 server's (src/oauth); its access tokens are accepted by the credential endpoint here.
 */
export async function oid4vciRoutes(app: FastifyInstance, options: Oid4vciRouteOptions) {
  const { oid4vci, publicUrl } = options;
  const rateLimit = { max: options.rateLimit, timeWindow: '1 minute' };
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  // The token request is a form (RFC 6749 §4.1.3); this plugin's routes parse it, unless the app already does.
  if (!app.hasContentTypeParser(formType)) {
    app.addContentTypeParser(formType, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  // What fails before a protocol handler runs (a body that does not parse, a wrong content type) is answered in
  // the protocol's error format too; the learner's routes keep the API's problem details.
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error as Error, request);
    if (request.url.startsWith('/oid4vci/') && problem.status < 500) {
      const code = problem.status === 429 ? 'slow_down' : 'invalid_request';
      return sendOauthError(reply, new Oid4vciError(code, problem.status, problem.detail ?? problem.title));
    }
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });

  const metadata = issuerMetadata(publicUrl);
  app.get(
    '/.well-known/openid-credential-issuer',
    {
      config: { access: access.public },
      schema: { tags: ['oid4vci'], summary: 'OpenID4VCI credential issuer metadata' },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(metadata),
  );

  // RFC 8414 places the metadata of an issuer with a path after the well-known part; some wallets append it.
  const asMetadata = authorizationServerMetadata(publicUrl);
  for (const url of [
    '/.well-known/oauth-authorization-server/oid4vci',
    '/oid4vci/.well-known/oauth-authorization-server',
  ]) {
    app.get(
      url,
      {
        config: { access: access.public },
        schema: { tags: ['oid4vci'], summary: "Metadata of the pre-authorized code flow's authorization server" },
      },
      async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(asMetadata),
    );
  }

  app.post(
    '/oid4vci/token',
    {
      config: { access: access.public, rateLimit },
      schema: {
        tags: ['oid4vci'],
        summary: 'Exchange a pre-authorized code and transaction code for an access token',
        description: 'A form (application/x-www-form-urlencoded), as OAuth 2.0 token requests are.',
      },
    },
    async (request, reply) => {
      try {
        const body = request.body;
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          throw new Oid4vciError('invalid_request', 400, 'The token request is a form.');
        }
        const answer = await oid4vci.token(body as Record<string, unknown>);
        return reply.header('cache-control', 'no-store').send(answer);
      } catch (error) {
        if (error instanceof Oid4vciError) return sendOauthError(reply, error);
        throw error;
      }
    },
  );

  app.post(
    '/oid4vci/nonce',
    {
      config: { access: access.public, rateLimit },
      schema: { tags: ['oid4vci'], summary: 'A fresh nonce (c_nonce) for a key proof' },
    },
    async (_request, reply) => {
      const { c_nonce } = await oid4vci.nonce();
      return reply.header('cache-control', 'no-store').send({ c_nonce });
    },
  );

  app.post(
    '/oid4vci/credential',
    {
      config: { access: access.public, rateLimit, audit: { action: 'oid4vci.credential-delivered' } },
      schema: {
        tags: ['oid4vci'],
        summary: 'Deliver the offered credential, re-issued for the key a jwt proof binds',
        description: 'Authorization: Bearer <access token from /oid4vci/token>.',
      },
    },
    async (request, reply) => {
      try {
        const { delivered, response } = await oid4vci.credential(request.headers.authorization, request.body);
        noteAudit(request, {
          actor: { kind: 'anonymous', userId: delivered.userId, email: null },
          target: delivered.originalId,
          details: { delivered: delivered.credentialId },
        });
        return reply.header('cache-control', 'no-store').send(response);
      } catch (error) {
        if (error instanceof Oid4vciError) return sendOauthError(reply, error);
        throw error;
      }
    },
  );

  api.post(
    '/api/me/wallet/:holdingId/oid4vci-offer',
    {
      config: { access: access.user, audit: { action: 'wallet.oid4vci-offer' } },
      schema: {
        tags: ['oid4vci'],
        summary: 'Offer one of my credentials to my wallet app (OpenID4VCI): a QR code, a link and a transaction code',
        params: HoldingParams,
        querystring: OfferQuery,
        response: { 201: OfferView },
      },
    },
    async (request, reply) => {
      const created = await oid4vci.createOffer(
        callerOf(request).user.id,
        request.params.holdingId,
        request.query.grants === 'both',
      );
      const qrSvg = await QRCode.toString(created.offerUri, { type: 'svg', errorCorrectionLevel: 'L', margin: 1 });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          offerUri: created.offerUri,
          qrSvg,
          txCode: created.txCode,
          expiresAt: created.expiresAt.toISOString(),
          credentialConfigurationIds: created.offer.credential_configuration_ids as string[],
        });
    },
  );
}
