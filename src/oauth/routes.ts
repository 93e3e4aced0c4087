import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import { DomainError, notFound } from '../platform/errors.js';
import { oauthPrefix, type OAuthServer } from './server.js';

export interface OAuthRoutesOptions {
  server: OAuthServer;
  /** Client registrations per IP per hour (registration is open, as OB 3.0 requires). */
  registrationRateLimit: number;
}

const uidPattern = '^[A-Za-z0-9_-]{10,64}$';
const UidParams = Type.Object({ uid: Type.String({ pattern: uidPattern }) });

/**
 * The authorization server under /oauth: oidc-provider's own endpoints (discovery, authorization, token,
 * registration, revocation, JWKS), handed the raw request; the consent API the web app's page calls; and the
 * learner's connected applications.
 */
const registrationUrl = `${oauthPrefix}/reg`;

export async function oauthRoutes(app: FastifyInstance, { server, registrationRateLimit }: OAuthRoutesOptions) {
  // oidc-provider (Koa) reads its own bodies (form-encoded, JSON), so in this scope no parser consumes them.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      const url = raw.url ?? '/';
      // Registration only at its own, rate-limited route: the provider would also take `/reg/` or `//reg`.
      if (
        request.routeOptions.url !== registrationUrl &&
        /^\/+reg\/*$/i.test(url.slice(oauthPrefix.length).split('?')[0]!)
      ) {
        throw new DomainError('not-found', `Clients register at ${registrationUrl}.`);
      }
      reply.hijack();
      raw.originalUrl = url;
      raw.url = url.slice(oauthPrefix.length) || '/';
      await server.handle(raw, reply.raw);
    };
    scope.route({
      method: ['GET', 'POST'],
      url: `${oauthPrefix}/*`,
      config: { access: access.public },
      schema: { hide: true },
      handler: forward,
    });
    // Dynamic client registration (RFC 7591) is open to anyone, so it is limited per IP.
    scope.post(
      registrationUrl,
      {
        config: { access: access.public, rateLimit: { max: registrationRateLimit, timeWindow: '1 hour' } },
        schema: { hide: true },
      },
      forward,
    );
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // The provider sends the browser here; the web app's page (/connect/:uid) asks the learner. The interaction
  // cookie is scoped to this path, so the page's API calls below carry it.
  r.get(
    `${oauthPrefix}/interaction/:uid`,
    { config: { access: access.public }, schema: { hide: true, params: UidParams } },
    async (request, reply) => reply.redirect(`/connect/${request.params.uid}`, 303),
  );

  r.get(
    `${oauthPrefix}/interaction/:uid/details`,
    {
      config: { access: access.user },
      schema: {
        tags: ['oauth'],
        summary: 'What an application asks to be allowed (the consent page)',
        params: UidParams,
      },
    },
    async (request, reply) => {
      const details = await server.consentDetails(request.raw, reply.raw);
      if (details.uid !== request.params.uid) throw notFound('The authorization request');
      return details;
    },
  );

  r.post(
    `${oauthPrefix}/interaction/:uid/decision`,
    {
      config: { access: access.user },
      schema: {
        tags: ['oauth'],
        summary: 'Allow or deny an application (the consent page)',
        params: UidParams,
        body: Type.Object({ allow: Type.Boolean() }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const details = await server.consentDetails(request.raw, reply.raw);
      if (details.uid !== request.params.uid) throw notFound('The authorization request');
      const redirectTo = await server.decide(request.raw, reply.raw, caller.user.id, request.body.allow);
      return { redirectTo };
    },
  );

  r.get(
    '/api/me/connected-apps',
    {
      config: { access: access.user },
      schema: { tags: ['oauth'], summary: 'Applications you allowed into your wallet' },
    },
    async (request) => ({ applications: await server.connectedApplications(callerOf(request).user.id) }),
  );

  r.delete(
    '/api/me/connected-apps/:clientId',
    {
      config: { access: access.user },
      schema: {
        tags: ['oauth'],
        summary: 'Disconnect an application: every token it holds for you is revoked',
        params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      if (!(await server.disconnect(callerOf(request).user.id, request.params.clientId))) {
        throw notFound('The connected application');
      }
      return reply.code(204).send();
    },
  );
}
