import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { buildHttpApp } from '../../src/app/http.js';
import { createTestApp, signUp, testPassword, uniqueEmail, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('platform routes', () => {
  it('answers health and readiness', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toMatch(/pglite|postgres/);
  });

  it('logs why it is not ready, and tells the caller only that it is not', async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk;
        done();
      },
    });
    const config = loadConfig({ LOG_LEVEL: 'error' });
    const database = {
      ...t.platform.database,
      db: {
        selectFrom: () => {
          throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
        },
      },
    } as unknown as TestApp['platform']['database'];
    const app = await buildHttpApp({ ...t.platform, config, database }, { logger: { stream } });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ detail: 'The database does not answer.' });
      expect(response.body).not.toContain('ECONNREFUSED');
      const line = logged.split('\n').find((l) => l.includes('readiness check'));
      expect(JSON.parse(line!)).toMatchObject({
        level: 50,
        msg: 'readiness check: the database does not answer',
        err: { message: 'connect ECONNREFUSED 10.0.0.7:5432' },
      });
    } finally {
      await app.close();
    }
  });

  it('publishes an OpenAPI 3.1 document describing every API route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/auth/sign-in', '/api/session', '/api/orgs/{orgId}/members', '/api/jobs/{jobId}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.securitySchemes.token).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('exposes no test-only job to callers', async () => {
    const user = await signUp(t.app);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/jobs/sample-count',
      headers: user.headers,
      payload: { key: 'k', count: 10_000, delayMs: 1_000 },
    });
    expect(start.statusCode).toBe(404);
    // (The analytics planner's /sample-size is no job: the test job was sample-count.)
    expect(t.app.accessRules.filter((rule) => /sample-count|\/jobs\/sample/.test(rule.url))).toEqual([]);
    await expect(t.platform.queue.enqueue('sample.count', { count: 1 }, { key: 'k' })).rejects.toThrow(/No job named/);
  });

  it('sends security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('behind a TLS proxy', () => {
  it('marks the session cookie Secure', async () => {
    const config = loadConfig({ SKILLPROOF_TRUST_PROXY: 'true', LOG_LEVEL: 'silent' });
    const app = await buildHttpApp({ ...t.platform, config }, { logger: false });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-up',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: uniqueEmail(), name: 'Secure', password: testPassword },
      });
      expect(response.statusCode).toBe(201);
      expect(response.cookies.find((c) => c.name === 'sp_session')?.secure).toBe(true);
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await app.close();
    }
  });
});

describe('logs', () => {
  it('are JSON and never contain passwords, cookies or tokens', async () => {
    let logged = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk;
        done();
      },
    });
    const config = loadConfig({ LOG_LEVEL: 'trace' });
    const app = await buildHttpApp({ ...t.platform, config }, { logger: { stream } });
    try {
      const email = uniqueEmail();
      const signUp = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-up',
        payload: { email, name: 'Logged', password: testPassword },
      });
      const cookie = signUp.cookies.find((c) => c.name === 'sp_session')!.value;
      await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: `sp_session=${cookie}` } });
      await app.inject({ method: 'GET', url: '/api/session', headers: { authorization: 'Bearer sp_secret-token' } });
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      expect(logged).not.toContain(testPassword);
      expect(logged).not.toContain(cookie);
      expect(logged).not.toContain('sp_secret-token');
    } finally {
      await app.close();
    }
  });
});
