import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, Oid4vciOffersTable } from '../platform/db/schema.js';

/** A credential offer as stored: digests of its secrets, never the secrets. */
export interface StoredOffer {
  id: string;
  userId: string;
  /** The row id of the credential issued here that the offer delivers (the award). */
  credentialId: string;
  txCodeHash: string;
  txCodeFailures: number;
  configurationIds: string[];
  expiresAt: Date;
  redeemedAt: Date | null;
  tokenExpiresAt: Date | null;
}

export interface NewOffer {
  id: string;
  userId: string;
  credentialId: string;
  codeHash: string;
  txCodeHash: string;
  configurationIds: string[];
  expiresAt: Date;
}

export interface NewDelivery {
  id: string;
  offerId: string;
  originalId: string;
  userId: string;
  credentialId: string;
  configurationId: string;
  subjectId: string;
  keyThumbprint: string;
  document: string;
}

export interface Delivery extends NewDelivery {
  deliveredAt: Date;
}

function toOffer(row: Selectable<Oid4vciOffersTable>): StoredOffer {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    txCodeHash: row.tx_code_hash,
    txCodeFailures: row.tx_code_failures,
    configurationIds: row.configuration_ids,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    tokenExpiresAt: row.token_expires_at,
  };
}

export function createOid4vciStore(db: Kysely<Database>) {
  return {
    async insertOffer(offer: NewOffer): Promise<void> {
      await db
        .insertInto('oid4vci_offers')
        .values({
          id: offer.id,
          user_id: offer.userId,
          credential_id: offer.credentialId,
          code_hash: offer.codeHash,
          tx_code_hash: offer.txCodeHash,
          configuration_ids: offer.configurationIds,
          expires_at: offer.expiresAt,
        })
        .execute();
    },

    async offerByCode(codeHash: string): Promise<StoredOffer | undefined> {
      const row = await db
        .selectFrom('oid4vci_offers')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      return row && toOffer(row);
    },

    async offerById(id: string): Promise<StoredOffer | undefined> {
      const row = await db.selectFrom('oid4vci_offers').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toOffer(row);
    },

    async offerByToken(tokenHash: string, now: Date): Promise<StoredOffer | undefined> {
      const row = await db
        .selectFrom('oid4vci_offers')
        .selectAll()
        .where('access_token_hash', '=', tokenHash)
        .where('token_expires_at', '>', now)
        .executeTakeFirst();
      return row && toOffer(row);
    },

    /** Counts a wrong transaction code; at `limit` failures the offer can no longer be redeemed. */
    async countTxCodeFailure(id: string): Promise<number> {
      const row = await db
        .updateTable('oid4vci_offers')
        .set({ tx_code_failures: sql`tx_code_failures + 1` })
        .where('id', '=', id)
        .returning('tx_code_failures')
        .executeTakeFirst();
      return row?.tx_code_failures ?? 0;
    },

    /**
     * Redeems the code once: only the first of concurrent requests changes the row (redeemed_at is null, not
     * expired, under the failure limit), so a code can never be exchanged twice.
     */
    async redeem(
      id: string,
      tokenHash: string,
      now: Date,
      tokenExpiresAt: Date,
      failureLimit: number,
    ): Promise<boolean> {
      const row = await db
        .updateTable('oid4vci_offers')
        .set({ redeemed_at: now, access_token_hash: tokenHash, token_expires_at: tokenExpiresAt })
        .where('id', '=', id)
        .where('redeemed_at', 'is', null)
        .where('expires_at', '>', now)
        .where('tx_code_failures', '<', failureLimit)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async insertNonce(nonceHash: string, expiresAt: Date): Promise<void> {
      await db.insertInto('oid4vci_nonces').values({ nonce_hash: nonceHash, expires_at: expiresAt }).execute();
    },

    /** Uses a nonce up: true when it existed and had not expired (it is deleted either way). */
    async consumeNonce(nonceHash: string, now: Date): Promise<boolean> {
      const row = await db
        .deleteFrom('oid4vci_nonces')
        .where('nonce_hash', '=', nonceHash)
        .returning('expires_at')
        .executeTakeFirst();
      // Expired nonces are swept as new ones are made.
      return row !== undefined && row.expires_at > now;
    },

    async sweepNonces(now: Date): Promise<void> {
      await db.deleteFrom('oid4vci_nonces').where('expires_at', '<=', now).execute();
    },

    async insertDelivery(delivery: NewDelivery): Promise<void> {
      await db
        .insertInto('oid4vci_deliveries')
        .values({
          id: delivery.id,
          offer_id: delivery.offerId,
          original_id: delivery.originalId,
          user_id: delivery.userId,
          credential_id: delivery.credentialId,
          configuration_id: delivery.configurationId,
          subject_id: delivery.subjectId,
          key_thumbprint: delivery.keyThumbprint,
          document: delivery.document,
        })
        .execute();
    },

    async deliveriesOf(originalId: string): Promise<Delivery[]> {
      const rows = await db
        .selectFrom('oid4vci_deliveries')
        .selectAll()
        .where('original_id', '=', originalId)
        .orderBy('delivered_at', 'desc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        offerId: row.offer_id,
        originalId: row.original_id,
        userId: row.user_id,
        credentialId: row.credential_id,
        configurationId: row.configuration_id,
        subjectId: row.subject_id,
        keyThumbprint: row.key_thumbprint,
        document: row.document,
        deliveredAt: row.delivered_at,
      }));
    },
  };
}

export type Oid4vciStore = ReturnType<typeof createOid4vciStore>;
