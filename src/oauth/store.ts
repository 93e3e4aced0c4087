import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

/** The SHA-256 of a record's id: codes and tokens are their own ids, so only their hashes are kept. */
export const keyOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('base64url');

type Payload = Record<string, unknown> & { jti?: string; grantId?: string; uid?: string; accountId?: string };

/**
 * The storage interface oidc-provider asks of an adapter (one instance per model name), on our own database.
 * The record's id (the bearer value for tokens and codes) is never stored: rows are keyed by its hash, and the
 * payload is kept without its `jti`, which find() puts back from the id the caller already holds.
 */
export interface OAuthAdapter {
  upsert(id: string, payload: Payload, expiresIn: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface ConnectedGrant {
  grantId: string;
  clientId: string;
  scopes: string[];
  grantedAt: Date;
}

export function createOAuthStore(db: Kysely<Database>) {
  function adapter(model: string): OAuthAdapter {
    async function findBy(column: 'key' | 'uid_key', value: string, id?: string): Promise<Payload | undefined> {
      const row = await db
        .selectFrom('oauth_records')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', model)
        .where(column, '=', value)
        .executeTakeFirst();
      if (!row || (row.expires_at && row.expires_at.getTime() <= Date.now())) return undefined;
      const payload: Payload = { ...(row.payload as Payload) };
      if (id !== undefined) payload.jti = id;
      if (row.consumed_at) payload.consumed = Math.floor(row.consumed_at.getTime() / 1000);
      return payload;
    }
    return {
      async upsert(id, payload, expiresIn) {
        const { jti: _jti, ...kept } = payload;
        const grantId = model === 'Grant' ? id : (payload.grantId ?? null);
        const row = {
          payload: JSON.stringify(kept),
          grant_id: grantId,
          uid_key: typeof payload.uid === 'string' ? keyOf(payload.uid) : null,
          account_id: typeof payload.accountId === 'string' ? payload.accountId : null,
          client_id: typeof payload.clientId === 'string' ? payload.clientId : null,
          expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        };
        await db
          .insertInto('oauth_records')
          .values({ model, key: keyOf(id), ...row })
          .onConflict((oc) => oc.columns(['model', 'key']).doUpdateSet(row))
          .execute();
      },
      find: (id) => findBy('key', keyOf(id), id),
      // Device codes are not offered; there is no user code to look up.
      findByUserCode: async () => undefined,
      async findByUid(uid) {
        const row = await db
          .selectFrom('oauth_records')
          .select('key')
          .where('model', '=', model)
          .where('uid_key', '=', keyOf(uid))
          .executeTakeFirst();
        if (!row) return undefined;
        // The session's own id is not kept, only its hash: a session found by uid cannot be re-saved under it.
        return findBy('uid_key', keyOf(uid));
      },
      async consume(id) {
        await db
          .updateTable('oauth_records')
          .set({ consumed_at: sql`now()` })
          .where('model', '=', model)
          .where('key', '=', keyOf(id))
          .execute();
      },
      async destroy(id) {
        await db.deleteFrom('oauth_records').where('model', '=', model).where('key', '=', keyOf(id)).execute();
      },
      async revokeByGrantId(grantId) {
        await db.deleteFrom('oauth_records').where('model', '=', model).where('grant_id', '=', grantId).execute();
      },
    };
  }

  return {
    adapter,

    /** The learner's live grants (one per consent given), newest first. */
    async grantsOf(userId: string): Promise<ConnectedGrant[]> {
      const rows = await db
        .selectFrom('oauth_records')
        .select(['grant_id', 'client_id', 'payload', 'created_at'])
        .where('model', '=', 'Grant')
        .where('account_id', '=', userId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.flatMap((row) => {
        if (!row.grant_id || !row.client_id) return [];
        const resources = (row.payload as { resources?: Record<string, string> }).resources ?? {};
        const openid = (row.payload as { openid?: { scope?: string } }).openid?.scope ?? '';
        const scopes = [...Object.values(resources), openid].flatMap((s) => s.split(' ')).filter(Boolean);
        return [
          { grantId: row.grant_id, clientId: row.client_id, scopes: [...new Set(scopes)], grantedAt: row.created_at },
        ];
      });
    },

    /** Removes every grant a learner gave one client, with every code and token issued under them. */
    async revokeClient(userId: string, clientId: string): Promise<number> {
      const grants = await db
        .selectFrom('oauth_records')
        .select('grant_id')
        .where('model', '=', 'Grant')
        .where('account_id', '=', userId)
        .where('client_id', '=', clientId)
        .execute();
      const ids = grants.flatMap((g) => (g.grant_id ? [g.grant_id] : []));
      if (ids.length === 0) return 0;
      await db.deleteFrom('oauth_records').where('grant_id', 'in', ids).execute();
      return ids.length;
    },

    /** Drops records past their expiry (the server ignores them already; this keeps the table small). */
    async sweepExpired(): Promise<number> {
      const result = await db.deleteFrom('oauth_records').where('expires_at', '<', new Date()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async profileOf(userId: string): Promise<Record<string, unknown> | undefined> {
      const row = await db.selectFrom('ob_profiles').select('profile').where('user_id', '=', userId).executeTakeFirst();
      return row?.profile;
    },

    async saveProfile(userId: string, profile: Record<string, unknown>): Promise<void> {
      const value = JSON.stringify(profile);
      await db
        .insertInto('ob_profiles')
        .values({ user_id: userId, profile: value })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ profile: value, updated_at: new Date() }))
        .execute();
    },
  };
}

export type OAuthStore = ReturnType<typeof createOAuthStore>;
