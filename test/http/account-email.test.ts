import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedIdentity } from '../../src/vc/identity.js';
import {
  confirmEmail,
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signIn,
  signUp,
  testPassword,
  uniqueEmail,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import { linkTokenFor } from '../helpers/mail.js';

/**
 * Accounts and the email they were made with: nothing sent to an address reaches an account before its owner
 * follows the link mailed to it; reset, password and email changes; the per-account sign-in limit.
 */
let t: TestApp;
let issuer: Client;
let orgId: string;
let achievementId: string;

beforeAll(async () => {
  t = await createTestApp({
    env: { SKILLPROOF_SIGN_IN_FAILURES_PER_ACCOUNT: '3', SKILLPROOF_SIGN_IN_LOCK_MINUTES: '15' },
  });
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Email Academy');
  achievementId = await publishAchievement(t.app, issuer, orgId);
}, 120_000);
afterAll(() => t.close());

const send = (client: Client, method: 'GET' | 'POST', url: string, payload?: object) =>
  request(t.app, client, method, url, payload);
const award = (email: string) =>
  send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, { email });
const credentialsOf = async (client: Client) =>
  (await send(client, 'GET', '/api/me/credentials')).json().credentials as { id: string }[];
const outboxTo = (email: string) =>
  t.platform.database.db
    .selectFrom('outbox')
    .select(['subject', 'text', 'state'])
    .where('to_email', '=', email)
    .orderBy('created_at')
    .execute();

/** A credential another issuer signed for `email` (not awarded here, so it can only come in by import). */
async function issuedTo(email: string) {
  const base = achievementCredential();
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.identifier = [hashedIdentity(email)];
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    { ...base, credentialSubject: subject },
    { format: 'ldp_vc' },
  );
  return JSON.stringify(issued.verifiableCredential);
}

describe('email confirmation', () => {
  it('mails a confirmation link at sign-up, stores only its hash, and the session says unconfirmed', async () => {
    const email = uniqueEmail('confirm');
    const client = await signUp(t.app, 'Cora Confirm', email, { confirm: false });
    const session = (await send(client, 'GET', '/api/session')).json();
    expect(session.user).toMatchObject({ email, emailConfirmed: false });
    const [mail] = await outboxTo(email);
    expect(mail!.subject).toBe('Confirm your email address for Skillproof');
    const token = await linkTokenFor(t.platform, email, 'confirm-email');
    // The token rides in the fragment, which browsers never send: no request log or Referer sees it.
    expect(mail!.text).toContain(`https://skillproof.test/confirm-email#${token}`);
    const stored = await t.platform.database.db.selectFrom('account_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    // Bad links are clear 4xx problems, never 500s.
    for (const bad of ['', 'x'.repeat(201), 'not-a-token', 'A'.repeat(43)]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/confirm-email',
        payload: { token: bad },
      });
      expect([400, 404], `${bad}: ${response.body}`).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }

    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ email });
    expect((await send(client, 'GET', '/api/me/account')).json()).toEqual({
      email,
      emailConfirmed: true,
      pendingEmail: null,
    });
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token } });
    expect(again.statusCode).toBe(400);
    expect(again.json().detail).toContain('already used');
    expect((await send(client, 'POST', '/api/me/email/confirmation')).statusCode).toBe(409);
  });

  it('keeps credentials sent to an unconfirmed email away from the account, and confirming attaches them', async () => {
    const email = uniqueEmail('squat');
    // Someone signs up with an address that is not theirs; the account works, but holds nothing sent to it.
    const squatter = await signUp(t.app, 'Not The Owner', email, { confirm: false });
    const awarded = await award(email);
    expect(awarded.statusCode, awarded.body).toBe(201);
    const credentialId = awarded.json().credential.id;
    expect(await credentialsOf(squatter)).toEqual([]);

    // The claim link (in the notice to that address) is refused while the email is unconfirmed.
    const link = (await t.platform.bulk.claimLink(credentialId))!;
    const claim = await send(squatter, 'POST', `/api/claims/${link.split('/').pop()}`);
    expect(claim.statusCode).toBe(403);
    expect(claim.json()).toMatchObject({ reason: 'email-unconfirmed' });
    expect(claim.json().detail).toContain('Confirm your email address first');
    expect(await credentialsOf(squatter)).toEqual([]);

    // A credential issued elsewhere to that email cannot be imported either.
    const credential = await issuedTo(email);
    const imported = await send(squatter, 'POST', '/api/me/wallet/import', { text: credential });
    expect(imported.statusCode).toBe(422);
    expect(imported.json()).toMatchObject({ reason: 'not-yours' });
    expect(imported.json().detail).toContain('not confirmed yet');

    // The address's owner follows the link: now the award is there, and the import is taken.
    await confirmEmail(t.app, email);
    expect((await credentialsOf(squatter)).map((c) => c.id)).toEqual([credentialId]);
    const retried = await send(squatter, 'POST', '/api/me/wallet/import', { text: credential });
    expect(retried.statusCode, retried.body).toBe(201);
    // Awards after confirmation go straight to the account.
    const later = await award(email);
    expect((await credentialsOf(squatter)).map((c) => c.id)).toContain(later.json().credential.id);
  });

  it('sends a new link on request and the old one stops working', async () => {
    const email = uniqueEmail('resend');
    const client = await signUp(t.app, 'Rae Resend', email, { confirm: false });
    const first = await linkTokenFor(t.platform, email, 'confirm-email');
    const resent = await send(client, 'POST', '/api/me/email/confirmation');
    expect(resent.statusCode).toBe(202);
    expect(resent.json().email).toBe(email);
    const second = await linkTokenFor(t.platform, email, 'confirm-email');
    expect(second).not.toBe(first);
    const old = await t.app.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token: first } });
    expect(old.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/confirm-email', payload: { token: second } });
    expect(ok.statusCode).toBe(200);
  });
});

describe('password reset', () => {
  it('answers the same for known and unknown emails, and mails a single-use link only to a known one', async () => {
    const email = uniqueEmail('reset');
    const client = await signUp(t.app, 'Reese Reset', email);
    const otherSession = await signIn(t.app, email);
    const known = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } });
    const unknownEmail = uniqueEmail('nobody');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: unknownEmail },
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: 42 } });
    expect(bad.statusCode).toBe(400);

    // The mail is written in the background: wait for it.
    let token: string | undefined;
    for (let i = 0; i < 100 && !token; i++) {
      token = await linkTokenFor(t.platform, email, 'reset-password').catch(() => undefined);
      if (!token) await new Promise((r) => setTimeout(r, 50));
    }
    expect(token).toBeDefined();
    expect(await outboxTo(unknownEmail)).toEqual([]);

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');
    const newPassword = 'a brand new password';
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: newPassword },
    });
    expect(reset.statusCode, reset.body).toBe(204);

    // Every session ended; the old password is gone, the new one works; the link works once.
    expect((await send(client, 'GET', '/api/session')).statusCode).toBe(401);
    expect((await send(otherSession, 'GET', '/api/session')).statusCode).toBe(401);
    await expect(signIn(t.app, email)).rejects.toThrow(/401/);
    await signIn(t.app, email, newPassword);
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'another new password' },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().detail).toContain('already used');
    expect((await outboxTo(email)).map((m) => m.subject)).toContain('Your Skillproof password was reset');
  });

  it('refuses an expired link', async () => {
    const email = uniqueEmail('expired');
    await signUp(t.app, 'Eve Expired', email);
    await t.platform.accounts.requestPasswordReset(email);
    const token = await linkTokenFor(t.platform, email, 'reset-password');
    await t.platform.database.db
      .updateTable('account_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('purpose', '=', 'reset-password')
      .execute();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a brand new password' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain('expired');
    await signIn(t.app, email);
  });

  it('gives the address back to its owner: a reset ends the squatter’s sessions and confirms the email', async () => {
    const email = uniqueEmail('owner');
    const squatter = await signUp(t.app, 'Squatter', email, { confirm: false });
    const awarded = (await award(email)).json().credential.id;
    await t.platform.accounts.requestPasswordReset(email);
    const token = await linkTokenFor(t.platform, email, 'reset-password');
    const password = 'the real owner password';
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password },
    });
    expect(reset.statusCode).toBe(204);
    expect((await send(squatter, 'GET', '/api/session')).statusCode).toBe(401);
    const owner = await signIn(t.app, email, password);
    expect((await credentialsOf(owner)).map((c) => c.id)).toEqual([awarded]);
  });
});

describe('changing password and email', () => {
  it('changes the password with the current one and ends the other sessions', async () => {
    const email = uniqueEmail('change');
    const client = await signUp(t.app, 'Chad Change', email);
    const elsewhere = await signIn(t.app, email);
    const wrong = await send(client, 'POST', '/api/me/password', {
      currentPassword: 'not the password',
      newPassword: 'a changed password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('currentPassword');
    const weak = await send(client, 'POST', '/api/me/password', { currentPassword: testPassword, newPassword: 'x' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('newPassword');

    const token = await send(client, 'POST', '/api/tokens', { name: 'ci', scopes: ['read', 'write'] });
    const byToken = await t.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: { authorization: `Bearer ${token.json().token}` },
      payload: { currentPassword: testPassword, newPassword: 'a changed password' },
    });
    expect(byToken.statusCode).toBe(403);

    const changed = await send(client, 'POST', '/api/me/password', {
      currentPassword: testPassword,
      newPassword: 'a changed password',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await send(client, 'GET', '/api/session')).statusCode).toBe(200);
    expect((await send(elsewhere, 'GET', '/api/session')).statusCode).toBe(401);
    await signIn(t.app, email, 'a changed password');
    expect((await outboxTo(email)).map((m) => m.subject)).toContain('Your Skillproof password was changed');
  });

  it('changes the email only once the new address confirms, and what waits for it attaches', async () => {
    const oldEmail = uniqueEmail('old');
    const newEmail = uniqueEmail('new');
    const client = await signUp(t.app, 'Moe Move', oldEmail);
    const waiting = (await award(newEmail)).json().credential.id;
    const taken = await send(client, 'POST', '/api/me/email', { email: issuer.email, currentPassword: testPassword });
    expect(taken.statusCode).toBe(409);
    const badPassword = await send(client, 'POST', '/api/me/email', { email: newEmail, currentPassword: 'nope nope' });
    expect(badPassword.statusCode).toBe(400);
    const invalidEmail = await send(client, 'POST', '/api/me/email', {
      email: 'not an email',
      currentPassword: testPassword,
    });
    expect(invalidEmail.statusCode).toBe(400);

    const asked = await send(client, 'POST', '/api/me/email', { email: newEmail, currentPassword: testPassword });
    expect(asked.statusCode, asked.body).toBe(202);
    expect((await send(client, 'GET', '/api/me/account')).json()).toMatchObject({
      email: oldEmail,
      emailConfirmed: true,
      pendingEmail: { email: newEmail },
    });
    // The current address is told; until the link is followed nothing changes.
    expect((await outboxTo(oldEmail)).map((m) => m.subject)).toContain(
      'A change of your Skillproof email address was requested',
    );
    await signIn(t.app, oldEmail);
    expect(await credentialsOf(client)).toEqual([]);

    await confirmEmail(t.app, newEmail);
    expect((await send(client, 'GET', '/api/session')).json().user).toMatchObject({
      email: newEmail,
      emailConfirmed: true,
    });
    await signIn(t.app, newEmail);
    await expect(signIn(t.app, oldEmail)).rejects.toThrow(/401/);
    expect((await credentialsOf(client)).map((c) => c.id)).toEqual([waiting]);
    expect((await outboxTo(oldEmail)).map((m) => m.subject)).toContain('Your Skillproof email address was changed');
  });
});

describe('sign-in limits per account', () => {
  it('refuses sign-in to an email after repeated failures from any address, known email or not', async () => {
    const email = uniqueEmail('locked');
    await signUp(t.app, 'Lou Locked', email);
    const attempt = (who: string, password: string, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: who, password },
        remoteAddress: ip,
      });
    // Three failures, each from another client address (the per-address limit never sees them together).
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect((await attempt(email, 'wrong password!', ip)).statusCode).toBe(401);
    }
    const locked = await attempt(email, testPassword, '10.0.0.4');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toContain('Too many failed sign-ins for this account');

    // An email without an account locks the same way, so the lock tells nothing about who has an account.
    const nobody = uniqueEmail('nobody');
    for (const ip of ['10.0.1.1', '10.0.1.2', '10.0.1.3']) await attempt(nobody, 'wrong password!', ip);
    const nobodyLocked = await attempt(nobody, 'wrong password!', '10.0.1.4');
    expect(nobodyLocked.statusCode).toBe(429);
    expect(nobodyLocked.json().detail).toBe(locked.json().detail);

    // Other accounts are not affected; a password reset by mail lifts the lock.
    await signIn(t.app, issuer.email);
    await t.platform.accounts.requestPasswordReset(email);
    const token = await linkTokenFor(t.platform, email, 'reset-password');
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'after the lock password' },
    });
    expect((await attempt(email, 'after the lock password', '10.0.0.5')).statusCode).toBe(200);
  });
});
