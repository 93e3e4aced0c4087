import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

export interface IssuerKeyRecord {
  id: string;
  orgId: string | null;
  fragment: string;
  algorithm: 'Ed25519' | 'RSA';
  publicMultibase: string | null;
  publicJwk: Record<string, unknown> | null;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The SQL behind issuer keys. */
export function createKeysStore(db: Kysely<Database>) {
  const columns = [
    'id',
    'org_id',
    'fragment',
    'algorithm',
    'public_multibase',
    'public_jwk',
    'created_at',
    'retired_at',
  ] as const;
  const toRecord = (row: {
    id: string;
    org_id: string | null;
    fragment: string;
    algorithm: 'Ed25519' | 'RSA';
    public_multibase: string | null;
    public_jwk: Record<string, unknown> | null;
    created_at: Date;
    retired_at: Date | null;
  }): IssuerKeyRecord => ({
    id: row.id,
    orgId: row.org_id,
    fragment: row.fragment,
    algorithm: row.algorithm,
    publicMultibase: row.public_multibase,
    publicJwk: row.public_jwk,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  });
  const forOrg = (orgId: string | null) =>
    orgId === null
      ? db.selectFrom('issuer_keys').where('org_id', 'is', null)
      : db.selectFrom('issuer_keys').where('org_id', '=', orgId);

  return {
    async insert(record: IssuerKeyRecord, privateSealed: string): Promise<void> {
      await db
        .insertInto('issuer_keys')
        .values({
          id: record.id,
          org_id: record.orgId,
          fragment: record.fragment,
          algorithm: record.algorithm,
          public_multibase: record.publicMultibase,
          public_jwk: record.publicJwk ? JSON.stringify(record.publicJwk) : null,
          private_sealed: privateSealed,
        })
        .execute();
    },
    /** Keys of an organization (null: the instance), oldest first. */
    async list(orgId: string | null): Promise<IssuerKeyRecord[]> {
      const rows = await forOrg(orgId).select(columns).orderBy('created_at').orderBy('id').execute();
      return rows.map(toRecord);
    },
    async sealedPrivateKey(keyId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('issuer_keys')
        .select('private_sealed')
        .where('id', '=', keyId)
        .executeTakeFirst();
      return row?.private_sealed;
    },
    /** Every sealed private key with its id (the id is bound to the seal), to check the master key opens them. */
    async allSealed(): Promise<{ id: string; sealed: string }[]> {
      const rows = await db.selectFrom('issuer_keys').select(['id', 'private_sealed']).execute();
      return rows.map((row) => ({ id: row.id, sealed: row.private_sealed }));
    },
    async countSealed(): Promise<number> {
      const row = await db
        .selectFrom('issuer_keys')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async retire(orgId: string, keyId: string, at: Date): Promise<boolean> {
      const result = await db
        .updateTable('issuer_keys')
        .set({ retired_at: at })
        .where('id', '=', keyId)
        .where('org_id', '=', orgId)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type KeysStore = ReturnType<typeof createKeysStore>;
