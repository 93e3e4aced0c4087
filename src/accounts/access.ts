import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts, Caller } from './accounts.js';
import type { Role } from './roles.js';
import { sameSecret } from './secrets.js';
import { DomainError } from '../platform/errors.js';
import { guardBody } from '../platform/http/body-guard.js';

/**
 * Who may call a route, declared with the route (`config: { access: … }`). Every route must declare one:
 * registering a route without it fails at start-up, so no route is open by omission.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'user' }
  /** A member of the organization named by the `:orgId` path parameter, holding one of `roles`. */
  | { kind: 'org'; roles: readonly Role[] | 'any' }
  /** An instance admin: runs the instance as a whole (e.g. its registry of trusted issuers). */
  | { kind: 'admin' }
  /**
   * A client holding an OAuth 2.0 access token (issued by our authorization server) that carries `scope`: the
   * standard APIs (Open Badges 3.0). Session cookies and API tokens do not open these routes.
   */
  | { kind: 'oauth'; scope: string };

export const access = {
  public: { kind: 'public' } as Access,
  user: { kind: 'user' } as Access,
  orgMember: { kind: 'org', roles: 'any' } as Access,
  org: (...roles: Role[]): Access => ({ kind: 'org', roles }),
  admin: { kind: 'admin' } as Access,
  oauth: (scope: string): Access => ({ kind: 'oauth', scope }),
};

/** What an OAuth 2.0 access token grants (see src/oauth): whose data, which client, which scopes. */
export interface OAuthGrant {
  userId: string;
  clientId: string;
  scopes: string[];
}

/** Resolves OAuth 2.0 access tokens for routes declared `access.oauth(scope)`. */
export interface OAuthTokens {
  validate(token: string): Promise<OAuthGrant | undefined>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | undefined;
    /** On routes declared `access.oauth(…)`: the access token's grant. */
    oauthGrant: OAuthGrant | undefined;
  }
  interface FastifyInstance {
    /** Every route with its access rule, for the authorization walk and the docs. */
    accessRules: RouteRule[];
  }
}

export interface RouteRule {
  method: string;
  url: string;
  access: Access;
}

export const sessionCookie = 'sp_session';
export const csrfHeader = 'x-csrf-token';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

// Routes that plugins register (API docs, static assets) are public by nature.
const infrastructure = [/^\/docs(\/|$)/, /^\/assets\//];

/** The caller, or the reason there is none when credentials were sent but are no good. */
async function identify(
  request: FastifyRequest,
  reply: FastifyReply,
  accounts: Accounts,
): Promise<Caller | DomainError | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const [scheme, token] = header.split(' ');
    const caller = scheme?.toLowerCase() === 'bearer' && token ? await accounts.resolveApiToken(token) : undefined;
    return caller ?? new DomainError('unauthenticated', 'The API token is not valid, has expired or was revoked.');
  }
  const cookie = request.cookies[sessionCookie];
  if (!cookie) return undefined;
  const session = await accounts.resolveSession(cookie);
  if (session === 'expired' || session === undefined) {
    reply.clearCookie(sessionCookie, { path: '/' });
    return session === 'expired'
      ? new DomainError('session-expired', 'Your session has expired. Sign in again.')
      : undefined;
  }
  return session;
}

export function registerAccessControl(app: FastifyInstance, accounts: Accounts, oauth?: OAuthTokens): void {
  app.decorateRequest('caller', undefined);
  app.decorateRequest('oauthGrant', undefined);
  const rules: RouteRule[] = [];
  app.decorate('accessRules', rules);

  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      if (!infrastructure.some((pattern) => pattern.test(route.url))) {
        throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
      }
      route.config = { ...route.config, access: access.public };
    }
    for (const method of [route.method].flat()) {
      rules.push({ method, url: route.url, access: route.config.access! });
    }
  });

  // preValidation: after the body is parsed, before it is validated, so an anonymous caller learns nothing
  // about a route's input rules.
  app.addHook('preValidation', async (request, reply) => {
    guardBody(request.body);
    const rule = request.routeOptions.config.access ?? access.public;
    if (rule.kind === 'oauth') {
      request.oauthGrant = await oauthGrantOf(request, rule.scope, oauth);
      return;
    }
    const identity = await identify(request, reply, accounts);
    request.caller = identity instanceof DomainError ? undefined : identity;
    if (rule.kind === 'public') return;

    if (identity instanceof DomainError) throw identity;
    const caller = identity;
    if (!caller) throw new DomainError('unauthenticated', 'Sign in, or send an API token, to do this.');

    if (caller.kind === 'token') {
      const needed = safeMethods.has(request.method) ? 'read' : 'write';
      if (!caller.scopes.includes(needed)) {
        throw new DomainError('forbidden', `This API token lacks the "${needed}" scope.`);
      }
    } else if (!safeMethods.has(request.method) && !sameSecret(request.headers[csrfHeader], caller.csrfToken)) {
      // Cookies are sent by browsers on their own; the token proves the request came from our page.
      throw new DomainError('csrf-failed', `Send the ${csrfHeader} header from GET /api/session with this request.`);
    }

    if (rule.kind === 'admin' && !(await accounts.isInstanceAdmin(caller.user.id))) {
      throw new DomainError('forbidden', 'Only an instance admin may do this.');
    }
    if (rule.kind === 'org') {
      const orgId = (request.params as Record<string, string | undefined>).orgId;
      if (!orgId || !uuidPattern.test(orgId)) throw new DomainError('not-found', 'That organization was not found.');
      if (!(await accounts.hasRole(caller.user.id, orgId, rule.roles))) {
        const who =
          rule.roles === 'any'
            ? 'a member'
            : rule.roles.map((role) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`).join(' or ');
        throw new DomainError('forbidden', `Only ${who} of this organization may do this.`);
      }
    }
  });
}

/** The grant of a valid OAuth 2.0 bearer token that carries `scope`, or a 401/403 error that says why not. */
async function oauthGrantOf(request: FastifyRequest, scope: string, oauth: OAuthTokens | undefined) {
  const [scheme, token, extra] = (request.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
    throw new DomainError('unauthenticated', 'Send an OAuth 2.0 access token: Authorization: Bearer <token>.', {
      oauthError: 'invalid_request',
    });
  }
  const grant = await oauth?.validate(token);
  if (!grant) {
    throw new DomainError('unauthenticated', 'The access token is not valid, has expired or was revoked.', {
      oauthError: 'invalid_token',
    });
  }
  if (!grant.scopes.includes(scope)) {
    throw new DomainError('forbidden', `The access token lacks the scope ${scope}.`, {
      oauthError: 'insufficient_scope',
      scope,
    });
  }
  return grant;
}

/** The OAuth 2.0 grant of a route declared `access.oauth(…)`. */
export function oauthGrantOfRequest(request: FastifyRequest): OAuthGrant {
  if (!request.oauthGrant) throw new DomainError('unauthenticated', 'Send an OAuth 2.0 access token.');
  return request.oauthGrant;
}

/** The signed-in caller of a route whose access rule guarantees one. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new DomainError('unauthenticated', 'Sign in to do this.');
  return request.caller;
}
