import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/platform/config.js';
import { buildHttpApp } from '../../src/app/http.js';
import { createPlatform, type Platform, type PlatformOptions } from '../../src/app/platform.js';
import { createTestDatabase } from './database.js';
import { achievementCredential, issuerDid } from './credentials.js';
import { sqlDefinition } from './definitions.js';
import { linkTokenFor } from './mail.js';

/** The platform behind each test app, so helpers can read what it mailed. */
const platforms = new WeakMap<FastifyInstance, Platform>();

export interface TestApp {
  app: FastifyInstance;
  platform: Platform;
  close(): Promise<void>;
}

/** The whole HTTP app in-process, on this file's own database. */
export async function createTestApp(
  options: {
    authRateLimit?: number;
    env?: Record<string, string>;
    /** Platform options on top (a mail transport, mail retries, a logger). */
    platform?: Pick<PlatformOptions, 'mailTransport' | 'mail' | 'logger' | 'trustRefreshSweepMs'>;
    /** Test-only jobs and routes, added before the app is ready. */
    extend?: (app: FastifyInstance, platform: Platform) => Promise<void> | void;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    SKILLPROOF_DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex'),
    SKILLPROOF_PUBLIC_URL: 'https://skillproof.test',
    // Settings a test needs on top (e.g. fetching from a local server).
    ...options.env,
  });
  const platform = await createPlatform(config, {
    database,
    migrate: false,
    queue: { superviseIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
    ...options.platform,
  });
  const app = await buildHttpApp(platform, { logger: false, authRateLimit: options.authRateLimit ?? 10_000 });
  await options.extend?.(app, platform);
  await app.ready();
  platforms.set(app, platform);
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.queue.stop();
      await database.dispose();
    },
  };
}

/** A signed-in browser-like client: its session cookie and CSRF token. */
export interface Client {
  userId: string;
  email: string;
  headers: Record<string, string>;
  /** Headers for a read (no CSRF token needed). */
  cookie: Record<string, string>;
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.org`;
}

export const testPassword = 'correct horse battery';

function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'sp_session');
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `sp_session=${cookie.value}`;
}

/**
 * Signs up and, unless `confirm: false`, confirms the email by following the link the sign-up mailed (read
 * from the outbox), as the address's owner would: most tests are about accounts whose owners did that.
 */
export async function signUp(
  app: FastifyInstance,
  name = 'Test User',
  email = uniqueEmail(),
  options: { confirm?: boolean } = {},
): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up',
    payload: { email, name, password: testPassword },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  if (options.confirm !== false) await confirmEmail(app, email);
  return clientFor(app, sessionCookieOf(response));
}

/** Follows the newest confirmation link mailed to `email` (through the API, signed out: the link is enough). */
export async function confirmEmail(app: FastifyInstance, email: string): Promise<void> {
  const platform = platforms.get(app);
  if (!platform) throw new Error('confirmEmail needs an app made by createTestApp');
  const token = await linkTokenFor(platform, email, 'confirm-email');
  const confirmed = await app.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token } });
  if (confirmed.statusCode !== 200) throw new Error(`confirming failed: ${confirmed.statusCode} ${confirmed.body}`);
}

export async function signIn(app: FastifyInstance, email: string, password = testPassword): Promise<Client> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return clientFor(app, sessionCookieOf(response));
}

async function clientFor(app: FastifyInstance, cookie: string): Promise<Client> {
  const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
  const body = session.json() as { user: { id: string; email: string }; csrfToken: string };
  return {
    userId: body.user.id,
    email: body.user.email,
    cookie: { cookie },
    headers: { cookie, 'x-csrf-token': body.csrfToken },
  };
}

export async function createOrg(app: FastifyInstance, owner: Client, name = 'Test Org'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/orgs', headers: owner.headers, payload: { name } });
  if (response.statusCode !== 201) throw new Error(`create org failed: ${response.body}`);
  return (response.json() as { id: string }).id;
}

export async function grantRole(app: FastifyInstance, owner: Client, orgId: string, email: string, role: string) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/members`,
    headers: owner.headers,
    payload: { email, role },
  });
  if (response.statusCode !== 201) throw new Error(`grant role failed: ${response.body}`);
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as a client makes it: the session cookie for reads, cookie and CSRF token for writes; none when signed out. */
export function request(
  app: FastifyInstance,
  client: Client | undefined,
  method: Method,
  url: string,
  payload?: object,
) {
  return app.inject({
    method,
    url,
    headers: client ? (method === 'GET' ? client.cookie : client.headers) : {},
    ...(payload ? { payload } : {}),
  });
}

/** Creates a micro-credential in the organization and publishes it; returns its id. */
export async function publishAchievement(
  app: FastifyInstance,
  owner: Client,
  orgId: string,
  definition: object = sqlDefinition({ prerequisites: [] }),
): Promise<string> {
  const created = await request(app, owner, 'POST', `/api/orgs/${orgId}/achievements`, definition);
  if (created.statusCode !== 201) throw new Error(`create achievement failed: ${created.body}`);
  const id = (created.json() as { id: string }).id;
  const published = await request(app, owner, 'POST', `/api/orgs/${orgId}/achievements/${id}/publish`);
  if (published.statusCode !== 201) throw new Error(`publish failed: ${published.body}`);
  return id;
}

/** Issues the test AchievementCredential through the VC-API as the organization; returns the signed credential. */
export async function issueAchievementCredential(
  app: FastifyInstance,
  owner: Client,
  orgId: string,
): Promise<Record<string, unknown>> {
  const response = await request(app, owner, 'POST', `/issuers/${orgId}/credentials/issue`, {
    credential: achievementCredential({ issuer: issuerDid(orgId) }),
  });
  if (response.statusCode !== 201) throw new Error(`issue failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
}
