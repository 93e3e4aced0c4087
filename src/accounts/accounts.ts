import { randomUUID } from 'node:crypto';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { apiScopes, grants, isRole, type ApiScope, type Role } from './roles.js';
import { apiTokenPrefix, hashSecret, newSecret } from './secrets.js';
import type {
  AccountToken,
  AccountTokenPurpose,
  AccountsStore,
  ApiTokenRecord,
  Member,
  Membership,
  Organization,
  User,
} from './store.js';

export type { ApiTokenRecord, Member, Membership, Organization, User } from './store.js';

/** Accounts, sessions, API tokens and organizations. Plain functions over a store; no HTTP, no SQL. */
export interface AccountsDeps {
  store: AccountsStore;
  now?: () => Date;
  sessionTtlHours: number;
  /** Where the links in mail point (`/confirm-email#TOKEN`, `/reset-password#TOKEN`); needed with `sendMail`. */
  publicUrl?: string;
  /**
   * Writes a message to the outbox (and has it sent, when SMTP is configured). Tools that only grant roles
   * (the CLI's `admin`) have none, and cannot make accounts or send links.
   */
  sendMail?: (message: { to: string; subject: string; text: string }) => Promise<unknown>;
  /**
   * Runs once the account's email is confirmed (at sign-up's link, an email change or a password reset by
   * mail): what was awarded to that email attaches now, never before.
   */
  onEmailConfirmed?: (user: User) => Promise<void>;
  /** Whether another account has confirmed this address as an extra one (an address belongs to one account). */
  emailHeldElsewhere?: (email: string, userId: string) => Promise<boolean>;
  /** Failed sign-ins per account email within `signInLockMinutes` before sign-in is refused for that email. */
  signInFailuresPerAccount?: number;
  signInLockMinutes?: number;
}

/** How long a link sent by mail works. */
export const linkLifetimesMs: Record<AccountTokenPurpose, number> = {
  'confirm-email': 48 * 3600_000,
  'change-email': 24 * 3600_000,
  'reset-password': 3600_000,
};

/** Password reset mails per account per hour; more requests are answered the same way and send nothing. */
export const resetMailsPerHour = 3;

export interface SessionGrant {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export type Caller =
  | { kind: 'session'; user: User; sessionId: string; csrfToken: string }
  | { kind: 'token'; user: User; tokenId: string; scopes: ApiScope[] };

export const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !emailPattern.test(normalized)) {
    throw invalid('Enter a valid email address, like name@example.org.', { field: 'email' });
  }
  return normalized;
}

function checkName(name: string, what: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 120) {
    throw invalid(`${what} must have 1 to 120 characters.`, { field });
  }
  return trimmed;
}

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function createAccounts(deps: AccountsDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const failureLimit = deps.signInFailuresPerAccount ?? 10;
  const lockMs = (deps.signInLockMinutes ?? 15) * 60_000;
  const sendMail = async (message: { to: string; subject: string; text: string }) => {
    if (!deps.sendMail || !deps.publicUrl) throw new Error('These accounts were set up without mail');
    await deps.sendMail(message);
  };

  /** A single-use link for this purpose: only its hash is stored. */
  async function newLink(user: User, purpose: AccountTokenPurpose, email: string, page: string) {
    const token = newSecret();
    const expiresAt = new Date(now().getTime() + linkLifetimesMs[purpose]);
    await store.insertToken({ id: randomUUID(), userId: user.id, purpose, email, hash: hashSecret(token), expiresAt });
    // In the fragment: browsers never send it, so it reaches no request log, proxy or Referer.
    return { link: `${deps.publicUrl ?? ''}/${page}#${token}`, expiresAt };
  }

  async function sendConfirmation(user: User): Promise<{ email: string; expiresAt: Date }> {
    await store.voidTokens(user.id, ['confirm-email'], now());
    const { link, expiresAt } = await newLink(user, 'confirm-email', user.email, 'confirm-email');
    await sendMail({
      to: user.email,
      subject: 'Confirm your email address for Skillproof',
      text: [
        `Hello ${user.name},`,
        '',
        `Someone (we hope you) made a Skillproof account with this address, ${user.email}.`,
        'Confirm that the address is yours by opening this link within 48 hours:',
        link,
        '',
        'Until you do, credentials sent to this address wait for you and are not added to the account.',
        'If you did not make this account, ignore this message: nothing is added to it.',
      ].join('\n'),
    });
    return { email: user.email, expiresAt };
  }

  /** The token's record when it is one of ours, for this purpose, unused and unexpired; a clear 4xx otherwise. */
  async function usableToken(token: string, purposes: AccountTokenPurpose[], what: string): Promise<AccountToken> {
    const found = tokenPattern.test(token) ? await store.findToken(hashSecret(token)) : undefined;
    if (!found || !purposes.includes(found.purpose)) throw notFound(`This ${what} link`);
    if (found.usedAt) throw invalid(`This ${what} link was already used (each works once).`, { field: 'token' });
    if (found.expiresAt <= now())
      throw invalid(`This ${what} link has expired. Ask for a new one.`, { field: 'token' });
    return found;
  }

  /**
   * Makes an account and sends the link that confirms its email. `vouched` is for accounts whose address the
   * operator vouches for (the demo's own users on the reserved `.test` domain): confirmed at once, no mail.
   */
  async function signUp(
    input: { email: string; name: string; password: string },
    options: { vouched?: boolean } = {},
  ): Promise<User> {
    const email = checkEmail(input.email);
    const name = checkName(input.name, 'Your name', 'name');
    const problem = passwordProblem(input.password);
    if (problem) throw invalid(problem, { field: 'password' });
    if (await store.findUserByEmail(email)) {
      throw conflict('An account with this email already exists. Sign in instead.');
    }
    const user: User = { id: randomUUID(), email, name, emailConfirmed: options.vouched === true };
    const inserted = await store.insertUser(user, await hashPassword(input.password));
    if (!inserted) throw conflict('An account with this email already exists. Sign in instead.');
    if (user.emailConfirmed) await deps.onEmailConfirmed?.(user);
    else await sendConfirmation(user);
    return user;
  }

  /** Marks the email confirmed and attaches what waits for it (once: a second confirmation attaches nothing new). */
  async function confirmed(userId: string, email: string): Promise<User> {
    if (!(await store.confirmEmail(userId, email, now()))) {
      throw conflict(`${email} belongs to another account now. An address can belong to one account only.`);
    }
    const user = await getUser(userId);
    await deps.onEmailConfirmed?.(user);
    return user;
  }

  /**
   * Follows a confirmation link (sign-up or email change). The link alone proves the address is the
   * holder's, so no session is needed; a sign-up link confirms the address only while it is still the
   * account's.
   */
  async function confirmEmail(token: string): Promise<User> {
    const found = await usableToken(token, ['confirm-email', 'change-email'], 'confirmation');
    const current = await getUser(found.userId);
    if (found.purpose === 'confirm-email' && found.email !== current.email) {
      throw invalid('This link confirms an address the account no longer uses.', { field: 'token' });
    }
    if (found.purpose === 'change-email') {
      const taken = await store.findUserByEmail(found.email);
      if ((taken && taken.user.id !== found.userId) || (await deps.emailHeldElsewhere?.(found.email, found.userId))) {
        throw conflict(`${found.email} belongs to another account. An address can belong to one account only.`);
      }
    }
    if (!(await store.useToken(found.id, now()))) {
      throw invalid('This confirmation link was already used (each works once).', { field: 'token' });
    }
    const user = await confirmed(found.userId, found.email);
    if (found.purpose === 'change-email') {
      await store.voidTokens(user.id, ['confirm-email', 'change-email', 'reset-password'], now());
      await sendMail({
        to: current.email,
        subject: 'Your Skillproof email address was changed',
        text: [
          `Hello ${current.name},`,
          '',
          `The email address of your Skillproof account is now ${user.email}; this address (${current.email}) no longer signs in.`,
          'If you did not make this change, reply to your instance administrator at once.',
        ].join('\n'),
      });
    }
    return user;
  }

  /** A new confirmation link for the account's email (the previous one stops working). */
  async function resendConfirmation(userId: string): Promise<{ email: string; expiresAt: Date }> {
    const user = await getUser(userId);
    if (user.emailConfirmed) throw conflict(`${user.email} is already confirmed.`);
    if ((await store.countTokensSince(userId, 'confirm-email', new Date(now().getTime() - 3600_000))) >= 5) {
      throw new DomainError(
        'rate-limited',
        'Five confirmation links were sent in the last hour. Wait a while before asking again.',
      );
    }
    return sendConfirmation(user);
  }

  function lockedMessage() {
    return (
      `Too many failed sign-ins for this account. Wait ${Math.round(lockMs / 60_000)} minutes, or reset ` +
      'your password by mail.'
    );
  }

  /**
   * The same answer, and about the same time, whether the email is unknown or the password is wrong. After
   * too many failures for one email (known or not, so the limit tells nothing) sign-in is refused for it for a
   * while, from any address.
   */
  async function signIn(input: { email: string; password: string }): Promise<User> {
    const email = normalizeEmail(input.email);
    const at = now();
    const since = new Date(at.getTime() - lockMs);
    if ((await store.countSignInFailures(email, since)) >= failureLimit) {
      throw new DomainError('rate-limited', lockedMessage());
    }
    const found = await store.findUserByEmail(email);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) {
      await store.recordSignInFailure(email, at, since);
      throw new DomainError('invalid-credentials', 'The email or password is not right.');
    }
    await store.clearSignInFailures(email);
    return found.user;
  }

  /**
   * Sends a reset link when the email has an account; does nothing otherwise. The caller answers the same
   * either way (and should not wait for this), so the answer tells nobody which emails have accounts.
   */
  async function requestPasswordReset(address: string): Promise<void> {
    const email = normalizeEmail(address);
    if (email.length > 254 || !emailPattern.test(email)) return;
    const found = await store.findUserByEmail(email);
    if (!found) return;
    const user = found.user;
    if (
      (await store.countTokensSince(user.id, 'reset-password', new Date(now().getTime() - 3600_000))) >=
      resetMailsPerHour
    ) {
      return;
    }
    const { link } = await newLink(user, 'reset-password', user.email, 'reset-password');
    await sendMail({
      to: user.email,
      subject: 'Reset your Skillproof password',
      text: [
        `Hello ${user.name},`,
        '',
        'Someone (we hope you) asked to reset the password of the Skillproof account with this address.',
        'Choose a new password by opening this link within one hour; it works once:',
        link,
        '',
        'Resetting signs the account out everywhere. If you did not ask, ignore this message: your password stays as it is.',
      ].join('\n'),
    });
  }

  /**
   * Sets a new password from a reset link: the link is used up (with every other reset link of the account),
   * every session ends, and the sign-in limit is lifted. Following a link sent to the address also confirms it.
   */
  async function resetPassword(input: { token: string; password: string }): Promise<User> {
    const problem = passwordProblem(input.password);
    if (problem) throw invalid(problem, { field: 'password' });
    const found = await usableToken(input.token, ['reset-password'], 'password reset');
    const hash = await hashPassword(input.password);
    const at = now();
    if (!(await store.useToken(found.id, at))) {
      throw invalid('This password reset link was already used (each works once).', { field: 'token' });
    }
    await store.voidTokens(found.userId, ['reset-password'], at);
    await store.setPassword(found.userId, hash);
    await store.deleteSessionsOf(found.userId);
    let user = await getUser(found.userId);
    await store.clearSignInFailures(user.email);
    if (!user.emailConfirmed && user.email === found.email) user = await confirmed(user.id, user.email);
    await sendMail({
      to: user.email,
      subject: 'Your Skillproof password was reset',
      text: [
        `Hello ${user.name},`,
        '',
        'The password of your Skillproof account was just reset with a link sent to this address, and every',
        'session was signed out. If this was not you, ask for a new reset link at once.',
      ].join('\n'),
    });
    return user;
  }

  async function checkCurrentPassword(userId: string, password: string): Promise<User> {
    const user = await getUser(userId);
    const at = now();
    const since = new Date(at.getTime() - lockMs);
    if ((await store.countSignInFailures(user.email, since)) >= failureLimit) {
      throw new DomainError('rate-limited', lockedMessage());
    }
    const stored = await store.passwordHashOf(userId);
    if (!stored || !(await verifyPassword(password, stored))) {
      await store.recordSignInFailure(user.email, at, since);
      throw invalid('The current password is not right.', { field: 'currentPassword' });
    }
    return user;
  }

  /** Changes the password (the current one is needed); every other session of the account ends. */
  async function changePassword(
    caller: { userId: string; sessionId?: string | undefined },
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    const user = await checkCurrentPassword(caller.userId, input.currentPassword);
    const problem = passwordProblem(input.newPassword);
    if (problem) throw invalid(problem, { field: 'newPassword' });
    await store.setPassword(user.id, await hashPassword(input.newPassword));
    await store.deleteSessionsOf(user.id, caller.sessionId);
    await store.voidTokens(user.id, ['reset-password'], now());
    await sendMail({
      to: user.email,
      subject: 'Your Skillproof password was changed',
      text: [
        `Hello ${user.name},`,
        '',
        'The password of your Skillproof account was just changed, and your other sessions were signed out.',
        'If this was not you, reset your password at once from the sign-in page.',
      ].join('\n'),
    });
  }

  /**
   * Starts an email change (the current password is needed): a link goes to the new address, and the account
   * keeps its current email until it is followed. The current address is told.
   */
  async function requestEmailChange(
    userId: string,
    input: { email: string; currentPassword: string },
  ): Promise<{ email: string; expiresAt: Date }> {
    const user = await checkCurrentPassword(userId, input.currentPassword);
    const email = checkEmail(input.email);
    if (email === user.email) throw invalid('This is already your email address.', { field: 'email' });
    const taken = await store.findUserByEmail(email);
    if ((taken && taken.user.id !== userId) || (await deps.emailHeldElsewhere?.(email, userId))) {
      throw conflict(`${email} belongs to another account. An address can belong to one account only.`);
    }
    if ((await store.countTokensSince(userId, 'change-email', new Date(now().getTime() - 3600_000))) >= 5) {
      throw new DomainError(
        'rate-limited',
        'Five email changes were asked for in the last hour. Wait a while before asking again.',
      );
    }
    await store.voidTokens(userId, ['change-email'], now());
    const { link, expiresAt } = await newLink(user, 'change-email', email, 'confirm-email');
    await sendMail({
      to: email,
      subject: 'Confirm your new email address for Skillproof',
      text: [
        `Hello ${user.name},`,
        '',
        `You asked to make ${email} the email address of your Skillproof account.`,
        'Confirm it by opening this link within 24 hours:',
        link,
        '',
        'If you did not ask for this, ignore this message: nothing changes.',
      ].join('\n'),
    });
    await sendMail({
      to: user.email,
      subject: 'A change of your Skillproof email address was requested',
      text: [
        `Hello ${user.name},`,
        '',
        'Someone signed in to your Skillproof account asked to change its email address. The change happens',
        'only when the link sent to the new address is followed.',
        'If this was not you, change your password now.',
      ].join('\n'),
    });
    return { email, expiresAt };
  }

  /** The account's email, whether it is confirmed, and an email change waiting for its link. */
  async function emailStatus(userId: string) {
    const user = await getUser(userId);
    const pending = await store.pendingEmailChange(userId, now());
    return { email: user.email, emailConfirmed: user.emailConfirmed, pendingEmail: pending ?? null };
  }

  async function startSession(userId: string): Promise<SessionGrant> {
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now().getTime() + deps.sessionTtlHours * 3600_000);
    await store.insertSession({ id: randomUUID(), tokenHash: hashSecret(token), userId, csrfToken, expiresAt });
    return { token, csrfToken, expiresAt };
  }

  /** `expired` lets the caller tell the person to sign in again rather than that they never did. */
  async function resolveSession(token: string): Promise<Caller | 'expired' | undefined> {
    const found = await store.findSession(hashSecret(token));
    if (!found) return undefined;
    if (found.expiresAt <= now()) {
      await store.deleteSession(found.id);
      return 'expired';
    }
    return { kind: 'session', user: found.user, sessionId: found.id, csrfToken: found.csrfToken };
  }

  async function endSession(sessionId: string): Promise<void> {
    await store.deleteSession(sessionId);
  }

  async function createApiToken(
    userId: string,
    input: { name: string; scopes: string[]; expiresInDays?: number | undefined },
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const name = checkName(input.name, 'The token name', 'name');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0 || !scopes.every((s): s is ApiScope => (apiScopes as readonly string[]).includes(s))) {
      throw invalid(`Scopes must be one or more of: ${apiScopes.join(', ')}.`, { field: 'scopes' });
    }
    const days = input.expiresInDays;
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw invalid('expiresInDays must be a whole number from 1 to 3650.', { field: 'expiresInDays' });
    }
    const token = newSecret(apiTokenPrefix);
    const record: ApiTokenRecord = {
      id: randomUUID(),
      name,
      scopes,
      createdAt: now(),
      expiresAt: days === undefined ? null : new Date(now().getTime() + days * 86400_000),
      lastUsedAt: null,
      revokedAt: null,
    };
    await store.insertApiToken(userId, hashSecret(token), record);
    return { token, record };
  }

  async function resolveApiToken(token: string): Promise<Caller | undefined> {
    if (!token.startsWith(apiTokenPrefix)) return undefined;
    const found = await store.findApiToken(hashSecret(token));
    if (!found || found.record.revokedAt || (found.record.expiresAt && found.record.expiresAt <= now())) {
      return undefined;
    }
    await store.touchApiToken(found.record.id, now());
    return { kind: 'token', user: found.user, tokenId: found.record.id, scopes: found.record.scopes as ApiScope[] };
  }

  async function revokeApiToken(userId: string, tokenId: string): Promise<void> {
    if (!(await store.revokeApiToken(userId, tokenId, now()))) throw notFound('That API token');
  }

  async function createOrganization(ownerId: string, input: { name: string }): Promise<Organization> {
    const org: Organization = { id: randomUUID(), name: checkName(input.name, 'The organization name', 'name') };
    await store.insertOrganization(org, ownerId);
    return org;
  }

  /** The account with this email, if there is one, confirmed or not (an address belongs to one account). */
  async function findUserByEmail(email: string): Promise<User | undefined> {
    return (await store.findUserByEmail(normalizeEmail(email)))?.user;
  }

  /** The account that confirmed this email: the only one a credential addressed to it may reach. */
  async function confirmedUserByEmail(email: string): Promise<User | undefined> {
    return store.confirmedUserByEmail(normalizeEmail(email));
  }

  /**
   * Confirms an account's email without a link: for accounts whose address the operator vouches for (the
   * demo's own users on their reserved `.test` domain), never for an address typed in by a user.
   */
  async function markEmailConfirmed(userId: string): Promise<User> {
    const user = await getUser(userId);
    return user.emailConfirmed ? user : confirmed(userId, user.email);
  }

  async function getUser(userId: string): Promise<User> {
    const user = await store.findUserById(userId);
    if (!user) throw notFound('That account');
    return user;
  }

  async function getOrganization(orgId: string): Promise<Organization> {
    const org = await store.findOrganization(orgId);
    if (!org) throw notFound('That organization');
    return org;
  }

  /**
   * Who belongs to an organization (names, emails, roles) is its owners' to see and change: checked here as
   * well as on the routes, so no route or other caller hands out or grants roles for anyone else.
   */
  async function asOwner(actorId: string, orgId: string) {
    if (!(await hasRole(actorId, orgId, ['owner']))) {
      throw new DomainError('forbidden', 'Only an owner of this organization may see or change its members.');
    }
  }

  async function listMembers(actorId: string, orgId: string): Promise<Member[]> {
    await asOwner(actorId, orgId);
    return store.listMembers(orgId);
  }

  async function addMember(actorId: string, orgId: string, input: { email: string; role: string }): Promise<Member> {
    await asOwner(actorId, orgId);
    if (!isRole(input.role)) throw invalid(`Unknown role "${input.role}".`, { field: 'role' });
    const found = await store.findUserByEmail(normalizeEmail(input.email));
    if (!found) throw notFound('An account with that email');
    await store.addRole(orgId, found.user.id, input.role);
    const member = (await store.listMembers(orgId)).find((m) => m.user.id === found.user.id);
    if (!member) throw notFound('That member');
    return member;
  }

  async function removeRole(actorId: string, orgId: string, userId: string, role: string): Promise<void> {
    await asOwner(actorId, orgId);
    if (!isRole(role)) throw invalid(`Unknown role "${role}".`, { field: 'role' });
    const members = await store.listMembers(orgId);
    const owners = members.filter((m) => m.roles.includes('owner'));
    if (role === 'owner' && owners.length === 1 && owners[0]!.user.id === userId) {
      throw conflict('An organization needs at least one owner: add another owner first.');
    }
    if (!(await store.removeRole(orgId, userId, role))) throw notFound('That membership');
  }

  /** Whether the user holds one of `wanted` in the organization (owners hold every role). */
  async function hasRole(userId: string, orgId: string, wanted: readonly Role[] | 'any'): Promise<boolean> {
    const held = await store.rolesOf(userId, orgId);
    if (held.length === 0) return false;
    return wanted === 'any' || grants(held, wanted);
  }

  /**
   * Instance admins run the instance as a whole (its registry of trusted issuers). Only someone with access
   * to the server grants it (`skillproof admin grant`), so there is no way to it through the API.
   */
  async function grantInstanceAdmin(email: string): Promise<User> {
    const found = await store.findUserByEmail(normalizeEmail(email));
    if (!found) throw notFound('An account with that email');
    await store.grantInstanceAdmin(found.user.id);
    return found.user;
  }

  async function revokeInstanceAdmin(email: string): Promise<User> {
    const found = await store.findUserByEmail(normalizeEmail(email));
    if (!found || !(await store.revokeInstanceAdmin(found.user.id)))
      throw notFound('An instance admin with that email');
    return found.user;
  }

  return {
    signUp,
    signIn,
    confirmEmail,
    resendConfirmation,
    requestPasswordReset,
    resetPassword,
    changePassword,
    requestEmailChange,
    emailStatus,
    confirmedUserByEmail,
    markEmailConfirmed,
    startSession,
    resolveSession,
    endSession,
    createApiToken,
    resolveApiToken,
    revokeApiToken,
    listApiTokens: (userId: string) => store.listApiTokens(userId),
    createOrganization,
    getOrganization,
    getUser,
    findUserByEmail,
    memberships: (userId: string): Promise<Membership[]> => store.listMemberships(userId),
    listMembers,
    addMember,
    removeRole,
    hasRole,
    isInstanceAdmin: (userId: string) => store.isInstanceAdmin(userId),
    grantInstanceAdmin,
    revokeInstanceAdmin,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
