import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  signUp,
  testPassword,
  uniqueEmail,
  type Client,
  type TestApp,
} from '../helpers/app.js';

/** Whatever a client sends, the answer is a 4xx problem document: never a 500, never a stack trace. */
let t: TestApp;
let client: Client;
let orgId: string;
beforeAll(async () => {
  t = await createTestApp();
  client = await signUp(t.app, 'Fuzzer');
  orgId = await createOrg(t.app, client, 'Fuzz Org');
});
afterAll(() => t.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  const body = JSON.parse(response.body);
  expect(body.type).toMatch(/^https:\/\/skillproof\.dev\/problems\//);
  expect(body.status).toBe(status);
  expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
}

describe('bad input', () => {
  it('malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", "password": ',
    });
    expectProblem(response, 400);
    expect(response.json().type).toContain('malformed-json');
  });

  it('over-long path parameters', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/claims/${'a'.repeat(3000)}`,
      headers: client.headers,
    });
    expectProblem(response, 414);
  });

  it('wrong types and unknown fields', async () => {
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 42, password: [] },
    });
    expectProblem(wrongType, 400);
    expect(wrongType.json().type).toContain('validation-failed');
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email: uniqueEmail(), name: 'x', password: testPassword, isAdmin: true },
    });
    expectProblem(extra, 400);
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: {} });
    expectProblem(missing, 400);
    expect(missing.json().errors.length).toBeGreaterThan(0);
  });

  it('oversized bodies', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectProblem(response, 413);
  });

  it('unsupported content types', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expectProblem(response, 415);
  });

  it('unknown routes and methods', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/nope' }), 404);
    expectProblem(await t.app.inject({ method: 'POST', url: '/nope' }), 404);
    expectProblem(await t.app.inject({ method: 'PATCH', url: '/api/session' }), 404);
  });

  it('ids that are not ids', async () => {
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/orgs/not-a-uuid', headers: client.cookie }), 404);
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/api/jobs/${"1' OR '1'='1"}`, headers: client.cookie }),
      400,
    );
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/api/orgs/00000000-0000-4000-8000-000000000000',
        headers: client.cookie,
      }),
      403,
    );
  });

  it('prototype poisoning', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...client.headers, 'content-type': 'application/json' },
      payload: '{"name": "x", "__proto__": {"admin": true}}',
    });
    expect(response.statusCode).toBe(400);
  });

  it('SQL-ish strings in every text field are stored as text', async () => {
    const nasty = `Robert'); DROP TABLE users;-- "\\ \u0000`.replace('\u0000', '');
    const email = uniqueEmail();
    const signUpResponse = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email, name: nasty, password: `${nasty} ${testPassword}` },
    });
    expect(signUpResponse.statusCode).toBe(201);
    expect(signUpResponse.json().user.name).toBe(nasty.trim());

    const signInResponse = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: `' OR 1=1 --@x.org`, password: nasty },
    });
    expectProblem(signInResponse, 401);

    const org = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: client.headers,
      payload: { name: nasty },
    });
    expect(org.statusCode).toBe(201);
    expect(org.json().name).toBe(nasty.trim());

    const member = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/members`,
      headers: client.headers,
      payload: { email: `x' OR '1'='1@x.org`, role: 'issuer' },
    });
    expectProblem(member, 404);

    const token = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: client.headers,
      payload: { name: nasty, scopes: ['read'] },
    });
    expect(token.statusCode).toBe(201);

    const users = await t.platform.database.db.selectFrom('users').select('id').execute();
    expect(users.length).toBeGreaterThan(1);
  });

  it('NUL bytes in text fields are refused, not a database error', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: client.headers,
      payload: { name: 'nul\u0000byte' },
    });
    expectProblem(response, 400);
  });

  it('rate-limits sign-in attempts', async () => {
    const limited = await (await import('../helpers/app.js')).createTestApp({ authRateLimit: 3 });
    try {
      const attempts = [];
      for (let i = 0; i < 5; i++) {
        attempts.push(
          await limited.app.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            payload: { email: 'a@b.co', password: 'x' },
          }),
        );
      }
      expect(attempts.slice(0, 3).map((r) => r.statusCode)).toEqual([401, 401, 401]);
      expectProblem(attempts[4]!, 429);
    } finally {
      await limited.close();
    }
  });
});

describe('deep JSON', () => {
  it('refuses nesting deeper than the limit', async () => {
    const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...client.headers, 'content-type': 'application/json' },
      payload: deep,
    });
    expectProblem(response, 400);
  });
});

describe('database error text', () => {
  it('never reaches an anonymous caller: a status list URL ending in a non-UUID is a list that is not there', async () => {
    const publicUrl = t.platform.config.publicUrl;
    for (const id of ['not-a-uuid', "1' or '1'='1", '0000']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/credentials/verify',
        payload: {
          verifiableCredential: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiableCredential'],
            issuer: `did:web:${new URL(publicUrl).host}`,
            credentialSubject: { id: 'did:example:someone' },
            credentialStatus: {
              type: 'BitstringStatusListEntry',
              statusPurpose: 'revocation',
              statusListIndex: '7',
              statusListCredential: `${publicUrl}/status-lists/${encodeURIComponent(id)}`,
            },
          },
        },
      });
      expect(response.statusCode).toBe(422);
      const status = response.json().details.find((c: { id: string }) => c.id === 'status');
      expect(status.message).toMatch(/That status list was not found\.$/);
      expect(response.body).not.toMatch(/invalid input|syntax|for type|sql|relation|column/i);
      const list = await t.app.inject({ method: 'GET', url: `/status-lists/${encodeURIComponent(id)}` });
      expect(list.statusCode).toBeLessThan(500);
      expect(list.body).not.toMatch(/invalid input|syntax|for type|sql/i);
    }
  });
});
