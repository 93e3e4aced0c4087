import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { Role } from './roles.js';

export interface User {
  id: string;
  email: string;
  name: string;
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
  const userColumns = ['users.id', 'users.email', 'users.name'] as const;

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
      return row && { user: { id: row.id, email: row.email, name: row.name }, passwordHash: row.password_hash };
    },

    async findUserById(id: string): Promise<User | undefined> {
      return db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
    },

    /** False when the email is taken (a concurrent sign-up won). */
    async insertUser(user: User, passwordHash: string): Promise<boolean> {
      const result = await db
        .insertInto('users')
        .values({ ...user, password_hash: passwordHash })
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
          user: { id: row.id, email: row.email, name: row.name },
        }
      );
    },

    async deleteSession(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
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
        user: { id: row.id, email: row.email, name: row.name },
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
        (row: (typeof rows)[number]) => ({ id: row.id, email: row.email, name: row.name }),
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
