import { randomUUID } from 'node:crypto';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { apiScopes, grants, isRole, type ApiScope, type Role } from './roles.js';
import { apiTokenPrefix, hashSecret, newSecret } from './secrets.js';
import type { AccountsStore, ApiTokenRecord, Member, Membership, Organization, User } from './store.js';

export type { ApiTokenRecord, Member, Membership, Organization, User } from './store.js';

/** Accounts, sessions, API tokens and organizations. Plain functions over a store; no HTTP, no SQL. */
export interface AccountsDeps {
  store: AccountsStore;
  now?: () => Date;
  sessionTtlHours: number;
  /** Runs once an account exists (credentials awarded to its email before then are attached). */
  onSignUp?: (user: User) => Promise<void>;
}

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

export function createAccounts(deps: AccountsDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  async function signUp(input: { email: string; name: string; password: string }): Promise<User> {
    const email = checkEmail(input.email);
    const name = checkName(input.name, 'Your name', 'name');
    const problem = passwordProblem(input.password);
    if (problem) throw invalid(problem, { field: 'password' });
    if (await store.findUserByEmail(email)) {
      throw conflict('An account with this email already exists. Sign in instead.');
    }
    const user: User = { id: randomUUID(), email, name };
    const inserted = await store.insertUser(user, await hashPassword(input.password));
    if (!inserted) throw conflict('An account with this email already exists. Sign in instead.');
    await deps.onSignUp?.(user);
    return user;
  }

  /** The same answer, and about the same time, whether the email is unknown or the password is wrong. */
  async function signIn(input: { email: string; password: string }): Promise<User> {
    const found = await store.findUserByEmail(normalizeEmail(input.email));
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) throw new DomainError('invalid-credentials', 'The email or password is not right.');
    return found.user;
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

  /** The account with this email, if there is one (for linking a credential to its recipient). */
  async function findUserByEmail(email: string): Promise<User | undefined> {
    return (await store.findUserByEmail(normalizeEmail(email)))?.user;
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

  async function addMember(orgId: string, input: { email: string; role: string }): Promise<Member> {
    if (!isRole(input.role)) throw invalid(`Unknown role "${input.role}".`, { field: 'role' });
    const found = await store.findUserByEmail(normalizeEmail(input.email));
    if (!found) throw notFound('An account with that email');
    await store.addRole(orgId, found.user.id, input.role);
    const member = (await store.listMembers(orgId)).find((m) => m.user.id === found.user.id);
    if (!member) throw notFound('That member');
    return member;
  }

  async function removeRole(orgId: string, userId: string, role: string): Promise<void> {
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
    listMembers: (orgId: string) => store.listMembers(orgId),
    addMember,
    removeRole,
    hasRole,
    isInstanceAdmin: (userId: string) => store.isInstanceAdmin(userId),
    grantInstanceAdmin,
    revokeInstanceAdmin,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
