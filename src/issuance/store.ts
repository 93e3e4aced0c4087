import { sql, type InsertObject, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { containsPattern } from '../platform/db/like.js';
import type { CredentialsTable, Database, StatusListsTable } from '../platform/db/schema.js';
import type { StatusPurpose } from '../vc/status-list.js';
import { deflateDocument, inflateDocument, type DeflatedDocument } from './stored-document.js';

export interface StatusListRow {
  id: string;
  orgId: string;
  purpose: StatusPurpose;
  length: number;
  bits: Uint8Array;
  allocated: number;
  version: number;
  published: string | null;
  updatedAt: Date;
}

export interface StoredCredential {
  id: string;
  orgId: string;
  credentialId: string;
  format: 'ldp_vc' | 'jwt';
  document: string;
  subjectId: string | null;
  name: string | null;
  issuedAt: Date;
  validUntil: Date | null;
  revocationListId: string | null;
  revocationIndex: number | null;
  suspensionListId: string | null;
  suspensionIndex: number | null;
  revokedAt: Date | null;
  revocationReason: string | null;
  suspendedAt: Date | null;
  recipientUserId: string | null;
  achievementId: string | null;
  achievementVersion: number | null;
  sourceKey: string | null;
}

/** What a status change records on the credential's row. */
export interface CredentialStatusUpdate {
  revoked_at?: Date | null;
  revocation_reason?: string | null;
  suspended_at?: Date | null;
}

export type CredentialState = 'active' | 'suspended' | 'revoked' | 'expired';

/** How an issuer searches what they issued. */
export interface CredentialFilter {
  /** Recipient email or name, or credential name. */
  text?: string | undefined;
  achievementId?: string | undefined;
  status?: CredentialState | undefined;
  issuedFrom?: Date | undefined;
  issuedTo?: Date | undefined;
  limit: number;
  offset: number;
  /** What "expired" is measured against. */
  now: Date;
}

export interface ListedCredential extends StoredCredential {
  recipientName: string | null;
  recipientEmail: string | null;
}

function toList(row: Selectable<StatusListsTable>): StatusListRow {
  return {
    id: row.id,
    orgId: row.org_id,
    purpose: row.purpose,
    length: row.length,
    bits: new Uint8Array(row.bits),
    allocated: row.allocated,
    version: row.version,
    published: row.published,
    updatedAt: row.updated_at,
  };
}

function toCredential(row: Selectable<CredentialsTable>): StoredCredential {
  return {
    id: row.id,
    orgId: row.org_id,
    credentialId: row.credential_id,
    format: row.format,
    document: row.document ?? inflateDocument(row.document_deflated!),
    subjectId: row.subject_id,
    name: row.name,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    revocationListId: row.revocation_list_id,
    revocationIndex: row.revocation_index,
    suspensionListId: row.suspension_list_id,
    suspensionIndex: row.suspension_index,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    suspendedAt: row.suspended_at,
    recipientUserId: row.recipient_user_id,
    achievementId: row.achievement_id,
    achievementVersion: row.achievement_version,
    sourceKey: row.source_key,
  };
}

/** A credential about to be stored: what the database does not fill in itself. */
export type NewCredential = Omit<
  StoredCredential,
  'issuedAt' | 'revokedAt' | 'revocationReason' | 'suspendedAt' | 'document'
> & {
  /** The document as signed: its text, or (from the signing threads) already deflated. */
  document: string | DeflatedDocument;
  issuedBy: string | null;
};

function credentialRow(credential: NewCredential): InsertObject<Database, 'credentials'> {
  const { document } = credential;
  return {
    id: credential.id,
    org_id: credential.orgId,
    credential_id: credential.credentialId,
    format: credential.format,
    document_deflated: typeof document === 'string' ? deflateDocument(document) : document,
    subject_id: credential.subjectId,
    name: credential.name,
    issued_by: credential.issuedBy,
    valid_until: credential.validUntil,
    revocation_list_id: credential.revocationListId,
    revocation_index: credential.revocationIndex,
    suspension_list_id: credential.suspensionListId,
    suspension_index: credential.suspensionIndex,
    recipient_user_id: credential.recipientUserId,
    achievement_id: credential.achievementId,
    achievement_version: credential.achievementVersion,
    source_key: credential.sourceKey,
  };
}

/** The SQL behind issued credentials and their status lists. */
/** One credential earned on this instance by an account: its record id, the account and the day it was issued. */
export interface EarnedCredentialRow {
  id: string;
  worker_id: string;
  /** The day it was issued, in UTC. */
  day: Date;
}

/**
 * SQL selecting the credentials earned here by an account and not revoked, of one micro-credential or one
 * issuer when asked. Issuance owns its table: other capabilities compose this query into theirs (the
 * analytics event study does, through src/app), so a panel stays one round trip.
 */
export function earnedCredentials(filter: {
  achievementId?: string | undefined;
  orgId?: string | undefined;
}): RawBuilder<EarnedCredentialRow> {
  return sql<EarnedCredentialRow>`
    select c.id, c.recipient_user_id as worker_id, (c.issued_at at time zone 'UTC')::date as day
    from credentials c
    where c.recipient_user_id is not null
      and c.revoked_at is null
      ${filter.achievementId ? sql`and c.achievement_id = ${filter.achievementId}` : sql``}
      ${filter.orgId ? sql`and c.org_id = ${filter.orgId}` : sql``}`;
}

export function createIssuanceStore(db: Kysely<Database>) {
  return {
    /** The list new credentials of this organization and purpose go into, if it has room. */
    async openList(orgId: string, purpose: StatusPurpose, fillLimit: number): Promise<StatusListRow | undefined> {
      const row = await db
        .selectFrom('status_lists')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('purpose', '=', purpose)
        .where(sql<boolean>`allocated < length * cast(${fillLimit} as double precision)`)
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toList(row);
    },

    async createList(list: {
      id: string;
      orgId: string;
      purpose: StatusPurpose;
      length: number;
    }): Promise<StatusListRow> {
      const row = await db
        .insertInto('status_lists')
        .values({
          id: list.id,
          org_id: list.orgId,
          purpose: list.purpose,
          length: list.length,
          bits: new Uint8Array(list.length / 8),
          updated_at: sql`now()`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toList(row);
    },

    async findList(id: string): Promise<StatusListRow | undefined> {
      const row = await db.selectFrom('status_lists').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toList(row);
    },

    async countAllocation(listIds: string[]): Promise<void> {
      if (listIds.length === 0) return;
      await db
        .updateTable('status_lists')
        .set((eb) => ({ allocated: eb('allocated', '+', 1) }))
        .where('id', 'in', listIds)
        .execute();
    },

    /** Stores a new credential: `slot-taken` when a status slot was taken meanwhile, `duplicate` when its source was awarded already. */
    async insertCredential(credential: NewCredential): Promise<'stored' | 'slot-taken' | 'duplicate' | 'id-taken'> {
      try {
        await db.insertInto('credentials').values(credentialRow(credential)).execute();
        return 'stored';
      } catch (error) {
        const constraint = (error as { constraint?: string }).constraint ?? String((error as Error).message);
        if (/credentials_(revocation|suspension)_slot/.test(constraint)) return 'slot-taken';
        if (/source_key/.test(constraint)) return 'duplicate';
        if (/credentials_credential_id/.test(constraint)) return 'id-taken';
        throw error;
      }
    },

    /**
     * Stores many credentials in one multi-row INSERT, and counts their status slots in the same transaction
     * (a crash cannot leave the lists' counts behind). A row whose source key, id or status slot is taken is
     * skipped, not failed; the ids of the rows stored are returned, so the caller sorts out the rest.
     */
    async insertCredentials(credentials: NewCredential[]): Promise<Map<string, Date>> {
      if (credentials.length === 0) return new Map();
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .insertInto('credentials')
          .values(credentials.map(credentialRow))
          .onConflict((oc) => oc.doNothing())
          .returning(['id', 'issued_at', 'revocation_list_id', 'suspension_list_id'])
          .execute();
        const perList = new Map<string, number>();
        for (const row of rows) {
          for (const listId of [row.revocation_list_id, row.suspension_list_id]) {
            if (listId) perList.set(listId, (perList.get(listId) ?? 0) + 1);
          }
        }
        for (const [listId, count] of perList) {
          await trx
            .updateTable('status_lists')
            .set((eb) => ({ allocated: eb('allocated', '+', count) }))
            .where('id', '=', listId)
            .execute();
        }
        return new Map(rows.map((row) => [row.id, row.issued_at]));
      });
    },

    async findBySourceKeys(sourceKeys: string[]): Promise<StoredCredential[]> {
      if (sourceKeys.length === 0) return [];
      const rows = await db.selectFrom('credentials').selectAll().where('source_key', 'in', sourceKeys).execute();
      return rows.map(toCredential);
    },

    /** The status slots of a list that credentials hold. */
    async usedIndices(listId: string, purpose: StatusPurpose): Promise<number[]> {
      const rows =
        purpose === 'revocation'
          ? await db
              .selectFrom('credentials')
              .select('revocation_index as index')
              .where('revocation_list_id', '=', listId)
              .execute()
          : await db
              .selectFrom('credentials')
              .select('suspension_index as index')
              .where('suspension_list_id', '=', listId)
              .execute();
      return rows.map((row) => row.index!);
    },

    async findCredential(where: {
      id?: string;
      credentialId?: string;
      sourceKey?: string;
    }): Promise<StoredCredential | undefined> {
      let query = db.selectFrom('credentials').selectAll();
      if (where.id) query = query.where('id', '=', where.id);
      if (where.credentialId) query = query.where('credential_id', '=', where.credentialId);
      if (where.sourceKey) query = query.where('source_key', '=', where.sourceKey);
      const row = await query.executeTakeFirst();
      return row && toCredential(row);
    },

    /**
     * The newest live (unrevoked) credential of a micro-credential an organization awarded to a recipient:
     * their account's, or one held for their email to claim.
     */
    async liveAward(
      orgId: string,
      achievementId: string,
      recipient: { userId: string | null; email: string },
    ): Promise<StoredCredential | undefined> {
      const row = await db
        .selectFrom('credentials as c')
        .leftJoin('claims as cl', 'cl.credential_id', 'c.id')
        .selectAll('c')
        .where('c.org_id', '=', orgId)
        .where('c.achievement_id', '=', achievementId)
        .where('c.revoked_at', 'is', null)
        .where((eb) =>
          eb.or([
            ...(recipient.userId ? [eb('c.recipient_user_id', '=', recipient.userId)] : []),
            eb(eb.fn('lower', ['cl.email']), '=', recipient.email.trim().toLowerCase()),
          ]),
        )
        .orderBy('c.issued_at', 'desc')
        .executeTakeFirst();
      return row && toCredential(row);
    },

    async credentialsOfRecipient(userId: string): Promise<StoredCredential[]> {
      const rows = await db
        .selectFrom('credentials')
        .selectAll()
        .where('recipient_user_id', '=', userId)
        .orderBy('issued_at', 'desc')
        .execute();
      return rows.map(toCredential);
    },

    /**
     * An organization's credentials, newest first, searched and filtered, with the total that match. A
     * credential awarded to someone without an account yet (a bulk award waiting to be claimed) has its
     * recipient's name and email from its claim, and is found by them.
     */
    async listCredentials(
      orgId: string,
      filter: CredentialFilter,
    ): Promise<{ credentials: ListedCredential[]; total: number }> {
      const base = db
        .selectFrom('credentials as c')
        .leftJoin('users as u', 'u.id', 'c.recipient_user_id')
        .leftJoin('claims as cl', 'cl.credential_id', 'c.id')
        .where('c.org_id', '=', orgId)
        .where((eb) => {
          const conditions = [];
          if (filter.text?.trim()) {
            const pattern = containsPattern(filter.text.trim());
            conditions.push(
              eb.or([
                eb('c.name', 'ilike', pattern),
                eb('u.email', 'ilike', pattern),
                eb('u.name', 'ilike', pattern),
                eb.and([eb('c.recipient_user_id', 'is', null), eb('cl.email', 'ilike', pattern)]),
                eb.and([eb('c.recipient_user_id', 'is', null), eb('cl.name', 'ilike', pattern)]),
              ]),
            );
          }
          if (filter.achievementId) conditions.push(eb('c.achievement_id', '=', filter.achievementId));
          if (filter.issuedFrom) conditions.push(eb('c.issued_at', '>=', filter.issuedFrom));
          if (filter.issuedTo) conditions.push(eb('c.issued_at', '<', filter.issuedTo));
          const live = [eb('c.revoked_at', 'is', null), eb('c.suspended_at', 'is', null)];
          if (filter.status === 'revoked') conditions.push(eb('c.revoked_at', 'is not', null));
          if (filter.status === 'suspended')
            conditions.push(eb('c.revoked_at', 'is', null), eb('c.suspended_at', 'is not', null));
          if (filter.status === 'expired') conditions.push(...live, eb('c.valid_until', '<', filter.now));
          if (filter.status === 'active')
            conditions.push(...live, eb.or([eb('c.valid_until', 'is', null), eb('c.valid_until', '>=', filter.now)]));
          return eb.and(conditions);
        });
      const [rows, count] = await Promise.all([
        base
          .selectAll('c')
          .select((eb) => [
            eb.fn.coalesce('u.name', 'cl.name').as('recipient_name'),
            eb.fn.coalesce('u.email', 'cl.email').as('recipient_email'),
          ])
          .orderBy('c.issued_at', 'desc')
          .orderBy('c.id')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll<string | number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return {
        credentials: rows.map((row) => ({
          ...toCredential(row),
          recipientName: row.recipient_name,
          recipientEmail: row.recipient_email,
        })),
        total: Number(count.total),
      };
    },

    /**
     * Sets bits of one or more lists and records the credential's state, in one transaction with the list
     * rows locked (in id order, so two changes cannot deadlock), so concurrent changes to the same list
     * cannot lose each other's bits and a change of several bits is applied all or none.
     */
    async setBits(
      changes: readonly { listId: string; index: number; value: boolean }[],
      credential: { id: string; change: CredentialStatusUpdate },
      flip: (bits: Uint8Array, index: number, value: boolean) => Uint8Array,
    ): Promise<void> {
      const ordered = [...changes].sort((a, b) => (a.listId < b.listId ? -1 : a.listId > b.listId ? 1 : 0));
      await db.transaction().execute(async (trx) => {
        for (const { listId, index, value } of ordered) {
          const row = await trx
            .selectFrom('status_lists')
            .select('bits')
            .where('id', '=', listId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const bits = flip(new Uint8Array(row.bits), index, value);
          await trx
            .updateTable('status_lists')
            .set((eb) => ({ bits, version: eb('version', '+', 1), published: null, updated_at: sql`now()` }))
            .where('id', '=', listId)
            .execute();
        }
        await trx.updateTable('credentials').set(credential.change).where('id', '=', credential.id).execute();
      });
    },

    /** Drops the signed copies of an organization's lists, so the next request signs them anew. */
    async unpublish(orgId: string): Promise<void> {
      await db.updateTable('status_lists').set({ published: null }).where('org_id', '=', orgId).execute();
    },

    /** Keeps the signed list for a version, unless the list moved on meanwhile. */
    async savePublished(listId: string, version: number, published: string): Promise<void> {
      await db
        .updateTable('status_lists')
        .set({ published })
        .where('id', '=', listId)
        .where('version', '=', version)
        .execute();
    },
  };
}

export type IssuanceStore = ReturnType<typeof createIssuanceStore>;

/**
 * SQL selecting every credential an organization issued for one of its micro-credentials (`id`,
 * `achievement_id`, `holder_id` the recipient's account or null, `recipient` an identity for counting distinct
 * recipients, `revoked`): the issuer dashboard's credentials and holders.
 */
export function issuedCredentials(orgId: string): RawBuilder<IssuedCredentialRow> {
  return sql<IssuedCredentialRow>`
    select c.id, c.achievement_id, c.recipient_user_id as holder_id,
           coalesce(c.recipient_user_id::text, c.subject_id, c.id::text) as recipient,
           c.revoked_at is not null as revoked
    from credentials c
    where c.org_id = ${orgId} and c.achievement_id is not null`;
}

export interface IssuedCredentialRow {
  id: string;
  achievement_id: string;
  holder_id: string | null;
  recipient: string;
  revoked: boolean;
}
