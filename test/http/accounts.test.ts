import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signIn, signUp, testPassword, uniqueEmail, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const problemType = (slug: string) => `https://skillproof.dev/problems/${slug}`;

describe('sign-up, sign-in, session, sign-out', () => {
  it('signs up, reads the session, signs out, and the cookie stops working', async () => {
    const client = await signUp(t.app, 'Ada Lovelace');
    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: client.cookie });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { name: 'Ada Lovelace', email: client.email }, memberships: [] });

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: client.headers });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/session', headers: client.cookie });
    expect(after.statusCode).toBe(401);
  });

  it('answers the current session or null, never 401, for pages that ask on every load', async () => {
    const nobody = await t.app.inject({ method: 'GET', url: '/api/session/current' });
    expect(nobody.statusCode).toBe(200);
    expect(nobody.json()).toBeNull();
    const client = await signUp(t.app, 'Current Carla');
    const current = await t.app.inject({ method: 'GET', url: '/api/session/current', headers: client.cookie });
    expect(current.json()).toMatchObject({ user: { name: 'Current Carla' }, memberships: [] });
    expect(current.json().csrfToken).toEqual(expect.any(String));
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: client.headers });
    const after = await t.app.inject({ method: 'GET', url: '/api/session/current', headers: client.cookie });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toBeNull();
  });

  it('signs in case-insensitively and stores no plain password', async () => {
    const email = uniqueEmail('Case');
    await signUp(t.app, 'Case Person', email);
    const client = await signIn(t.app, email.toUpperCase());
    expect(client.email).toBe(email.toLowerCase());
    const row = await t.platform.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', email.toLowerCase())
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(testPassword);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const email = uniqueEmail();
    await signUp(t.app, 'Known', email);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: uniqueEmail('nobody'), password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.json().type).toBe(problemType('invalid-credentials'));
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a duplicate email, a weak password and a bad email with field errors', async () => {
    const email = uniqueEmail();
    await signUp(t.app, 'First', email);
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email: email.toUpperCase(), name: 'Second', password: testPassword },
    });
    expect(duplicate.statusCode).toBe(409);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email: uniqueEmail(), name: 'Weak', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');
    const badEmail = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email: 'not-an-email', name: 'Bad', password: testPassword },
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().errors[0].field).toBe('email');
  });

  it('tells an expired session apart and clears its cookie', async () => {
    const client = await signUp(t.app);
    await t.platform.database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', client.userId)
      .execute();
    const response = await t.app.inject({ method: 'GET', url: '/api/session', headers: client.cookie });
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe(problemType('session-expired'));
    expect(response.headers['set-cookie']).toContain('sp_session=;');
  });

  it('sets an HttpOnly, SameSite session cookie', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up',
      payload: { email: uniqueEmail(), name: 'Cookie', password: testPassword },
    });
    const cookie = response.cookies.find((c) => c.name === 'sp_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const client = await signUp(t.app);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: client.cookie,
      payload: { name: 'No token' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().type).toBe(problemType('csrf-failed'));
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { ...client.cookie, 'x-csrf-token': 'guess' },
      payload: { name: 'Wrong token' },
    });
    expect(wrong.statusCode).toBe(403);
  });
});

describe('API tokens', () => {
  it('creates a scoped token, uses it, and revokes it', async () => {
    const client = await signUp(t.app);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: client.headers,
      payload: { name: 'script', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, record } = created.json();
    expect(token).toMatch(/^sp_/);
    const bearer = { authorization: `Bearer ${token}` };

    const read = await t.app.inject({ method: 'GET', url: '/api/session', headers: bearer });
    expect(read.statusCode).toBe(200);
    expect(read.json().csrfToken).toBeNull();

    // A read-only token cannot write, and token writes need no CSRF token.
    const write = await t.app.inject({ method: 'POST', url: '/api/orgs', headers: bearer, payload: { name: 'x' } });
    expect(write.statusCode).toBe(403);

    const stored = await t.platform.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const listed = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: client.cookie });
    expect(JSON.stringify(listed.json())).not.toContain(token);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${record.id}`, headers: client.headers });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/session', headers: bearer });
    expect(after.statusCode).toBe(401);
  });

  it('a write token creates an organization without a CSRF token', async () => {
    const client = await signUp(t.app);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: client.headers,
      payload: { name: 'ci', scopes: ['read', 'write'], expiresInDays: 30 },
    });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/orgs',
      headers: { authorization: `Bearer ${created.json().token}` },
      payload: { name: 'Token Org' },
    });
    expect(response.statusCode).toBe(201);
  });

  it('rejects a malformed bearer header', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: 'Basic abc' },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('organizations', () => {
  it('makes the creator owner, adds members with roles, keeps one owner', async () => {
    const owner = await signUp(t.app, 'Owner');
    const member = await signUp(t.app, 'Member');
    const orgId = await createOrg(t.app, owner, 'Acme Academy');

    const added = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: member.email, role: 'issuer' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().roles).toEqual(['issuer']);

    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: member.cookie });
    expect(session.json().memberships).toEqual([{ org: { id: orgId, name: 'Acme Academy' }, roles: ['issuer'] }]);

    const lastOwner = await t.app.inject({
      method: 'DELETE',
      url: `/api/orgs/${orgId}/members/${owner.userId}/roles/owner`,
      headers: owner.headers,
    });
    expect(lastOwner.statusCode).toBe(409);

    const unknownRole = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: member.email, role: 'emperor' },
    });
    expect(unknownRole.statusCode).toBe(400);
  });
});
