import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, ImportedCredentialsTable } from '../platform/db/schema.js';

export type ImportedFormat = ImportedCredentialsTable['format'];
export type ImportSource = ImportedCredentialsTable['source'];

/** A credential a learner imported, kept exactly as received. */
export interface ImportedCredential {
  id: string;
  userId: string;
  format: ImportedFormat;
  /** JSON text, or the compact JWT. */
  document: string;
  digest: string;
  source: ImportSource;
  sourceUrl: string | null;
  credentialId: string | null;
  issuerId: string | null;
  name: string | null;
  validFrom: Date | null;
  validUntil: Date | null;
  importedAt: Date;
}

export type NewImportedCredential = Omit<ImportedCredential, 'importedAt'>;

function toImported(row: Selectable<ImportedCredentialsTable>): ImportedCredential {
  return {
    id: row.id,
    userId: row.user_id,
    format: row.format,
    document: row.document,
    digest: row.digest,
    source: row.source,
    sourceUrl: row.source_url,
    credentialId: row.credential_id,
    issuerId: row.issuer_id,
    name: row.name,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    importedAt: row.imported_at,
  };
}

function importedRow(credential: NewImportedCredential): Insertable<ImportedCredentialsTable> {
  return {
    id: credential.id,
    user_id: credential.userId,
    format: credential.format,
    document: credential.document,
    digest: credential.digest,
    source: credential.source,
    source_url: credential.sourceUrl,
    credential_id: credential.credentialId,
    issuer_id: credential.issuerId,
    name: credential.name,
    valid_from: credential.validFrom,
    valid_until: credential.validUntil,
  };
}

/** The SQL behind a learner's imported credentials (issued ones live with issuance). */
export function createWalletStore(db: Kysely<Database>) {
  return {
    async importedOf(userId: string): Promise<ImportedCredential[]> {
      const rows = await db
        .selectFrom('imported_credentials')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('imported_at', 'desc')
        .execute();
      return rows.map(toImported);
    },

    async countImported(userId: string): Promise<number> {
      const row = await db
        .selectFrom('imported_credentials')
        .select((eb) => eb.fn.countAll<string | number>().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async imported(id: string): Promise<ImportedCredential | undefined> {
      const row = await db.selectFrom('imported_credentials').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toImported(row);
    },

    /** Stores an import; the same document twice for one learner is 'duplicate' and the first one stays. */
    async insertImported(credential: NewImportedCredential): Promise<'stored' | 'duplicate'> {
      const rows = await db
        .insertInto('imported_credentials')
        .values(importedRow(credential))
        .onConflict((oc) => oc.columns(['user_id', 'digest']).doNothing())
        .returning('id')
        .execute();
      return rows.length === 1 ? 'stored' : 'duplicate';
    },

    async deleteImported(userId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('imported_credentials')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type WalletStore = ReturnType<typeof createWalletStore>;
