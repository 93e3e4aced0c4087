import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

export interface LinkedDid {
  did: string;
  verifiedAt: Date;
}

export interface LinkedEmail {
  email: string;
  verifiedAt: Date;
}

export type ChallengeUse = 'used' | 'unknown' | 'expired' | 'already-used';

/** The SQL behind linked identities: DID Auth challenges (hashed) and the DIDs each account proved. */
export function createIdentitiesStore(db: Kysely<Database>) {
  return {
    async saveChallenge(challenge: { id: string; userId: string; hash: string; expiresAt: Date }): Promise<void> {
      await db
        .insertInto('did_challenges')
        .values({
          id: challenge.id,
          user_id: challenge.userId,
          challenge_hash: challenge.hash,
          expires_at: challenge.expiresAt,
        })
        .execute();
    },

    /** Where this user's challenge stands, without using it. */
    async challengeState(userId: string, hash: string, now: Date): Promise<Exclude<ChallengeUse, 'used'> | 'fresh'> {
      const row = await db
        .selectFrom('did_challenges')
        .select(['expires_at', 'used_at'])
        .where('challenge_hash', '=', hash)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row) return 'unknown';
      if (row.used_at) return 'already-used';
      if (new Date(row.expires_at) <= now) return 'expired';
      return 'fresh';
    },

    /** Uses the challenge once: two requests racing with the same one cannot both succeed. */
    async useChallenge(userId: string, hash: string, now: Date): Promise<boolean> {
      const used = await db
        .updateTable('did_challenges')
        .set({ used_at: now })
        .where('challenge_hash', '=', hash)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('id')
        .executeTakeFirst();
      return used !== undefined;
    },

    /** Forgets this user's challenges that can no longer be used, so the table does not grow. */
    async pruneChallenges(userId: string, now: Date): Promise<void> {
      await db
        .deleteFrom('did_challenges')
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
        .execute();
    },

    /** Links the DID to the user (again: the date is renewed); false when another account holds it. */
    async linkDid(userId: string, did: string, at: Date): Promise<boolean> {
      const row = await db
        .insertInto('linked_dids')
        .values({ did, user_id: userId, verified_at: at })
        .onConflict((oc) => oc.column('did').doUpdateSet({ verified_at: at }).where('linked_dids.user_id', '=', userId))
        .returning('did')
        .executeTakeFirst();
      return row !== undefined;
    },

    async dids(userId: string): Promise<LinkedDid[]> {
      const rows = await db
        .selectFrom('linked_dids')
        .select(['did', 'verified_at'])
        .where('user_id', '=', userId)
        .orderBy('verified_at')
        .orderBy('did')
        .execute();
      return rows.map((r) => ({ did: r.did, verifiedAt: new Date(r.verified_at) }));
    },

    async unlinkDid(userId: string, did: string): Promise<boolean> {
      const result = await db
        .deleteFrom('linked_dids')
        .where('user_id', '=', userId)
        .where('did', '=', did)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** Saves the pending verification and its message in the outbox together (there is no SMTP: the outbox is it). */
    async saveEmailVerification(
      pending: { id: string; userId: string; email: string; hash: string; expiresAt: Date },
      message: { id: string; subject: string; text: string },
    ): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('email_verifications')
          .values({
            id: pending.id,
            user_id: pending.userId,
            email: pending.email,
            token_hash: pending.hash,
            expires_at: pending.expiresAt,
          })
          .execute();
        await tx
          .insertInto('outbox')
          .values({
            id: message.id,
            org_id: null,
            to_email: pending.email,
            subject: message.subject,
            text: message.text,
            claim_id: null,
          })
          .execute();
      });
    },

    async emailVerification(
      hash: string,
    ): Promise<{ userId: string; email: string; expiresAt: Date; usedAt: Date | null } | undefined> {
      const row = await db
        .selectFrom('email_verifications')
        .select(['user_id', 'email', 'expires_at', 'used_at'])
        .where('token_hash', '=', hash)
        .executeTakeFirst();
      return (
        row && {
          userId: row.user_id,
          email: row.email,
          expiresAt: new Date(row.expires_at),
          usedAt: row.used_at ? new Date(row.used_at) : null,
        }
      );
    },

    async useEmailVerification(hash: string, now: Date): Promise<boolean> {
      const used = await db
        .updateTable('email_verifications')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('id')
        .executeTakeFirst();
      return used !== undefined;
    },

    /** Links the address to the user (again: the date is renewed); false when another account holds it. */
    async linkEmail(userId: string, email: string, at: Date): Promise<boolean> {
      const row = await db
        .insertInto('linked_emails')
        .values({ email, user_id: userId, verified_at: at })
        .onConflict((oc) =>
          oc.column('email').doUpdateSet({ verified_at: at }).where('linked_emails.user_id', '=', userId),
        )
        .returning('email')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The account holding this extra address, if any. */
    async emailOwner(email: string): Promise<string | undefined> {
      const row = await db.selectFrom('linked_emails').select('user_id').where('email', '=', email).executeTakeFirst();
      return row?.user_id;
    },

    async emails(userId: string): Promise<LinkedEmail[]> {
      const rows = await db
        .selectFrom('linked_emails')
        .select(['email', 'verified_at'])
        .where('user_id', '=', userId)
        .orderBy('verified_at')
        .orderBy('email')
        .execute();
      return rows.map((r) => ({ email: r.email, verifiedAt: new Date(r.verified_at) }));
    },

    async unlinkEmail(userId: string, email: string): Promise<boolean> {
      const result = await db
        .deleteFrom('linked_emails')
        .where('user_id', '=', userId)
        .where('email', '=', email)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type IdentitiesStore = ReturnType<typeof createIdentitiesStore>;
