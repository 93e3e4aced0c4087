import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { Role } from './roles.js';

export interface User {
  id: string;
  email: string;
  name: string;
  /** Whether the owner followed a link sent to `email`; until then nothing addressed to it attaches. */
  emailConfirmed: boolean;
}

export type AccountTokenPurpose = 'confirm-email' | 'change-email' | 'reset-password';

export interface AccountToken {
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface Organization {
  id: string;
  name: string;
}

export interface Membership {
  org: Organization;
  roles: Role[];
}

export interface Member {
  user: User;
  roles: Role[];
}

export interface ApiTokenRecord {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The SQL behind accounts. */
export function createAccountsStore(db: Kysely<Database>) {
  const userColumns = ['users.id', 'users.email', 'users.name', 'users.email_confirmed_at'] as const;
  const toUser = (row: { id: string; email: string; name: string; email_confirmed_at: Date | null }): User => ({
    id: row.id,
    email: row.email,
    name: row.name,
    emailConfirmed: row.email_confirmed_at !== null,
  });

  function groupRoles<T>(rows: { role: string }[], keyOf: (row: never) => string, make: (row: never) => T) {
    const grouped = new Map<string, { item: T; roles: Role[] }>();
    for (const row of rows) {
      const key = keyOf(row as never);
      const entry = grouped.get(key) ?? { item: make(row as never), roles: [] };
      entry.roles.push(row.role as Role);
      grouped.set(key, entry);
    }
    return [...grouped.values()];
  }

  return {
    async findUserByEmail(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
      const row = await db
        .selectFrom('users')
        .select([...userColumns, 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    async findUserById(id: string): Promise<User | undefined> {
      const row = await db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async passwordHashOf(userId: string): Promise<string | undefined> {
      const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
      return row?.password_hash;
    },

    /** The account whose confirmed email this is. */
    async confirmedUserByEmail(email: string): Promise<User | undefined> {
      const row = await db
        .selectFrom('users')
        .select(userColumns)
        .where('email', '=', email)
        .where('email_confirmed_at', 'is not', null)
        .executeTakeFirst();
      return row && toUser(row);
    },

    /** False when the email is taken (a concurrent sign-up won). */
    async insertUser(user: User, passwordHash: string): Promise<boolean> {
      const result = await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          name: user.name,
          password_hash: passwordHash,
          email_confirmed_at: user.emailConfirmed ? new Date() : null,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async insertSession(session: {
      id: string;
      tokenHash: string;
      userId: string;
      csrfToken: string;
      expiresAt: Date;
    }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          id: session.id,
          token_hash: session.tokenHash,
          user_id: session.userId,
          csrf_token: session.csrfToken,
          expires_at: session.expiresAt,
        })
        .execute();
    },

    async findSession(tokenHash: string) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([...userColumns, 'sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at'])
        .where('sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
      return (
        row && {
          id: row.session_id,
          csrfToken: row.csrf_token,
          expiresAt: new Date(row.expires_at),
          user: toUser(row),
        }
      );
    },

    async deleteSession(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },

    /** Ends every session of the account but `keep` (the one that asked). */
    async deleteSessionsOf(userId: string, keep?: string): Promise<number> {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (keep) query = query.where('id', '!=', keep);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async setPassword(userId: string, passwordHash: string): Promise<void> {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
    },

    /**
     * Makes `email` the account's confirmed email. False when another account has taken that email meanwhile
     * (the unique index decides a race).
     */
    async confirmEmail(userId: string, email: string, at: Date): Promise<boolean> {
      try {
        const result = await db
          .updateTable('users')
          .set({ email, email_confirmed_at: at })
          .where('id', '=', userId)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      } catch (error) {
        if ((error as { code?: unknown }).code === '23505') return false;
        throw error;
      }
    },

    async insertToken(token: Omit<AccountToken, 'usedAt'> & { hash: string }): Promise<void> {
      await db
        .insertInto('account_tokens')
        .values({
          id: token.id,
          user_id: token.userId,
          purpose: token.purpose,
          email: token.email,
          token_hash: token.hash,
          expires_at: token.expiresAt,
        })
        .execute();
    },

    async findToken(hash: string): Promise<AccountToken | undefined> {
      const row = await db
        .selectFrom('account_tokens')
        .select(['id', 'user_id', 'purpose', 'email', 'expires_at', 'used_at'])
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          userId: row.user_id,
          purpose: row.purpose,
          email: row.email,
          expiresAt: new Date(row.expires_at),
          usedAt: row.used_at ? new Date(row.used_at) : null,
        }
      );
    },

    /** Uses the token once: of two requests racing with it, one wins. */
    async useToken(id: string, at: Date): Promise<boolean> {
      const used = await db
        .updateTable('account_tokens')
        .set({ used_at: at })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('id')
        .executeTakeFirst();
      return used !== undefined;
    },

    /** Voids the account's unused tokens for these purposes (a newer one, or a reset, replaces them). */
    async voidTokens(userId: string, purposes: AccountTokenPurpose[], at: Date): Promise<void> {
      await db
        .updateTable('account_tokens')
        .set({ used_at: at })
        .where('user_id', '=', userId)
        .where('purpose', 'in', purposes)
        .where('used_at', 'is', null)
        .execute();
    },

    async countTokensSince(userId: string, purpose: AccountTokenPurpose, since: Date): Promise<number> {
      const row = await db
        .selectFrom('account_tokens')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', userId)
        .where('purpose', '=', purpose)
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The address an email change waits to confirm, if one does. */
    async pendingEmailChange(userId: string, at: Date): Promise<{ email: string; expiresAt: Date } | undefined> {
      const row = await db
        .selectFrom('account_tokens')
        .select(['email', 'expires_at'])
        .where('user_id', '=', userId)
        .where('purpose', '=', 'change-email')
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return row && { email: row.email, expiresAt: new Date(row.expires_at) };
    },

    async recordSignInFailure(email: string, at: Date, forgetBefore: Date): Promise<void> {
      // Failures older than the window count for nothing: this email's go now, everyone's now and then, so
      // guesses spread over many emails do not pile up.
      let stale = db.deleteFrom('sign_in_failures').where('failed_at', '<', forgetBefore);
      if (Math.random() >= 0.01) stale = stale.where('email', '=', email);
      await stale.execute();
      await db.insertInto('sign_in_failures').values({ email, failed_at: at }).execute();
    },

    async countSignInFailures(email: string, since: Date): Promise<number> {
      const row = await db
        .selectFrom('sign_in_failures')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('email', '=', email)
        .where('failed_at', '>', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async clearSignInFailures(email: string): Promise<void> {
      await db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
    },

    async insertApiToken(userId: string, tokenHash: string, record: ApiTokenRecord): Promise<void> {
      await db
        .insertInto('api_tokens')
        .values({
          id: record.id,
          user_id: userId,
          name: record.name,
          token_hash: tokenHash,
          scopes: record.scopes,
          expires_at: record.expiresAt,
        })
        .execute();
    },

    async findApiToken(tokenHash: string): Promise<{ user: User; record: ApiTokenRecord } | undefined> {
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          ...userColumns,
          'api_tokens.id as token_id',
          'api_tokens.name as token_name',
          'api_tokens.scopes',
          'api_tokens.created_at',
          'api_tokens.expires_at',
          'api_tokens.last_used_at',
          'api_tokens.revoked_at',
        ])
        .where('api_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        user: toUser(row),
        record: {
          id: row.token_id,
          name: row.token_name,
          scopes: row.scopes,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          lastUsedAt: row.last_used_at,
          revokedAt: row.revoked_at,
        },
      };
    },

    async touchApiToken(id: string, at: Date): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },

    async listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        scopes: row.scopes,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
      }));
    },

    async revokeApiToken(userId: string, tokenId: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', tokenId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async insertOrganization(org: Organization, ownerId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('organizations').values(org).execute();
        await trx.insertInto('memberships').values({ org_id: org.id, user_id: ownerId, role: 'owner' }).execute();
      });
    },

    async findOrganization(orgId: string): Promise<Organization | undefined> {
      return db.selectFrom('organizations').select(['id', 'name']).where('id', '=', orgId).executeTakeFirst();
    },

    async rolesOf(userId: string, orgId: string): Promise<Role[]> {
      const rows = await db
        .selectFrom('memberships')
        .select('role')
        .where('user_id', '=', userId)
        .where('org_id', '=', orgId)
        .execute();
      return rows.map((row) => row.role as Role);
    },

    async listMemberships(userId: string): Promise<Membership[]> {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
        .select(['organizations.id', 'organizations.name', 'memberships.role'])
        .where('memberships.user_id', '=', userId)
        .orderBy('organizations.name')
        .orderBy('memberships.role')
        .execute();
      return groupRoles(
        rows,
        (row: (typeof rows)[number]) => row.id,
        (row: (typeof rows)[number]) => ({ id: row.id, name: row.name }),
      ).map(({ item, roles }) => ({ org: item, roles }));
    },

    async listMembers(orgId: string): Promise<Member[]> {
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select([...userColumns, 'memberships.role'])
        .where('memberships.org_id', '=', orgId)
        .orderBy('users.name')
        .orderBy('memberships.role')
        .execute();
      return groupRoles(
        rows,
        (row: (typeof rows)[number]) => row.id,
        (row: (typeof rows)[number]) => toUser(row),
      ).map(({ item, roles }) => ({ user: item, roles }));
    },

    async addRole(orgId: string, userId: string, role: Role): Promise<void> {
      await db
        .insertInto('memberships')
        .values({ org_id: orgId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['org_id', 'user_id', 'role']).doNothing())
        .execute();
    },

    async removeRole(orgId: string, userId: string, role: Role): Promise<boolean> {
      const result = await db
        .deleteFrom('memberships')
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .where('role', '=', role)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    async isInstanceAdmin(userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('instance_admins')
        .select('user_id')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async grantInstanceAdmin(userId: string): Promise<void> {
      await db
        .insertInto('instance_admins')
        .values({ user_id: userId })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
    },

    async revokeInstanceAdmin(userId: string): Promise<boolean> {
      const result = await db.deleteFrom('instance_admins').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type AccountsStore = ReturnType<typeof createAccountsStore>;
