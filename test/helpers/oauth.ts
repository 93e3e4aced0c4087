import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Client } from './app.js';

/**
 * The OAuth 2.0 flow a browser and a client application run against our authorization server, through
 * app.inject: register a client, authorize (the learner allows on the consent API with their session), and
 * exchange the code with its PKCE verifier. The interop test does the same with oauth4webapi.
 */
export const obScope = {
  credentialRead: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly',
  credentialUpsert: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert',
  profileRead: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly',
  profileUpdate: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update',
};
export const allObScopes = Object.values(obScope);

export const redirectUri = 'https://client.example/callback';

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  [key: string]: unknown;
}

export async function registerClient(app: FastifyInstance, metadata: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/oauth/reg',
    payload: {
      client_name: 'Test LMS',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: allObScopes.join(' '),
      ...metadata,
    },
  });
  if (response.statusCode !== 201) throw new Error(`registration failed: ${response.statusCode} ${response.body}`);
  return response.json() as RegisteredClient;
}

/** A cookie jar: what the authorization server set, sent back (paths ignored: the flow visits each path once). */
class Jar {
  private cookies = new Map<string, string>();
  take(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.expires && cookie.expires.getTime() < Date.now()) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
  header(extra?: string): string {
    return [...[...this.cookies].map(([k, v]) => `${k}=${v}`), ...(extra ? [extra] : [])].join('; ');
  }
}

export const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

export interface AuthorizeOptions {
  scope?: string;
  challenge?: string;
  method?: string;
  redirect?: string;
  allow?: boolean;
  extra?: Record<string, string>;
}

/**
 * Runs the authorization request to the end; returns the redirect back to the client (its query has `code` or
 * `error`), or the response that stopped the flow.
 */
export async function authorize(
  app: FastifyInstance,
  learner: Client,
  client: RegisteredClient,
  options: AuthorizeOptions = {},
): Promise<{ callback?: URL; stopped?: LightMyRequestResponse; verifier: string }> {
  const pair = pkcePair();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: options.redirect ?? redirectUri,
    scope: options.scope ?? allObScopes.join(' '),
    state: randomBytes(8).toString('hex'),
    ...(options.challenge === '' ? {} : { code_challenge: options.challenge ?? pair.challenge }),
    ...(options.method === '' ? {} : { code_challenge_method: options.method ?? 'S256' }),
    ...options.extra,
  });
  const { callback, stopped } = await browseAuthorization(app, learner, `/oauth/auth?${query}`, options.allow ?? true);
  return { ...(callback ? { callback } : {}), ...(stopped ? { stopped } : {}), verifier: pair.verifier };
}

/**
 * What the learner's browser does with an authorization URL: follow it to the consent page, answer there (with
 * the learner's session), and follow the redirects back to the client's redirect URI.
 */
export async function browseAuthorization(
  app: FastifyInstance,
  learner: Client,
  url: string,
  allow = true,
): Promise<{ callback?: URL; stopped?: LightMyRequestResponse }> {
  const jar = new Jar();
  const start = await app.inject({ method: 'GET', url });
  jar.take(start);
  const location = start.headers.location;
  if (start.statusCode !== 303 || typeof location !== 'string' || !location.startsWith('/oauth/interaction/')) {
    if (typeof location === 'string' && location.startsWith('https://')) return { callback: new URL(location) };
    return { stopped: start };
  }
  const uid = location.split('/').pop()!;
  const details = await app.inject({
    method: 'GET',
    url: `/oauth/interaction/${uid}/details`,
    headers: { cookie: jar.header(learner.cookie.cookie) },
  });
  if (details.statusCode !== 200) return { stopped: details };
  const decided = await app.inject({
    method: 'POST',
    url: `/oauth/interaction/${uid}/decision`,
    headers: { ...learner.headers, cookie: jar.header(learner.cookie.cookie) },
    payload: { allow },
  });
  if (decided.statusCode !== 200) return { stopped: decided };
  jar.take(decided);
  const resume = new URL(decided.json().redirectTo as string);
  const resumed = await app.inject({
    method: 'GET',
    url: resume.pathname + resume.search,
    headers: { cookie: jar.header() },
  });
  const back = resumed.headers.location;
  if (typeof back !== 'string' || !back.startsWith('https://client.example')) return { stopped: resumed };
  return { callback: new URL(back) };
}

export function tokenRequest(app: FastifyInstance, form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
  client: RegisteredClient;
}

/** A learner's access and refresh tokens for a new public client, for `scopes`. */
export async function oauthTokens(app: FastifyInstance, learner: Client, scopes = allObScopes): Promise<Tokens> {
  const client = await registerClient(app);
  const { callback, stopped, verifier } = await authorize(app, learner, client, { scope: scopes.join(' ') });
  const code = callback?.searchParams.get('code');
  if (!code) throw new Error(`authorization failed: ${stopped?.statusCode} ${stopped?.body} ${callback}`);
  const response = await tokenRequest(app, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: client.client_id,
  });
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.statusCode} ${response.body}`);
  return { ...(response.json() as Omit<Tokens, 'client'>), client };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
