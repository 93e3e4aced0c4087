import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import { jsonColumn } from '../platform/db/json-column.js';
import type { Database } from '../platform/db/schema.js';
import type { RegistryEntry } from './registry.js';

export interface RegistryRecord {
  name: string;
  meta: Record<string, unknown>;
  entryCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ListedIssuer {
  did: string;
  name: string;
  url: string | null;
  location: string | null;
  registry: string;
}

/** A registry's meta as stored (JSONB): the file's `meta` object, whatever it holds, and never anything else. */
const storedMeta = jsonColumn('meta', Type.Record(Type.String(), Type.Unknown()));

// Rows go in chunks: PostgreSQL takes at most 65535 parameters in one statement.
const chunkSize = 1000;

/** The SQL behind the registry of trusted issuers. */
export function createTrustStore(db: Kysely<Database>) {
  /** Registry entries with the name of the registry that lists them. */
  const listed = () =>
    db
      .selectFrom('trusted_issuers')
      .innerJoin('trust_registries', 'trust_registries.name', 'trusted_issuers.registry_name')
      .select([
        'trusted_issuers.did',
        'trusted_issuers.name',
        'trusted_issuers.url',
        'trusted_issuers.location',
        'trusted_issuers.registry_name as registry',
      ]);
  const registryColumns = ['name', 'meta', 'entry_count', 'created_at', 'updated_at'] as const;
  const toRecord = (row: {
    name: string;
    meta: unknown;
    entry_count: number;
    created_at: Date;
    updated_at: Date;
  }): RegistryRecord => ({
    name: row.name,
    meta: storedMeta(row.meta, `registry ${row.name}`),
    entryCount: row.entry_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  return {
    /** Stores a registry, replacing the entries of one with the same name in one transaction. */
    async saveRegistry(input: {
      name: string;
      meta: Record<string, unknown>;
      entries: RegistryEntry[];
      importedBy: string | null;
    }): Promise<{ record: RegistryRecord; replaced: boolean }> {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('trust_registries')
          .select('name')
          .where('name', '=', input.name)
          .forUpdate()
          .executeTakeFirst();
        const meta = JSON.stringify(input.meta);
        const row = await trx
          .insertInto('trust_registries')
          .values({
            name: input.name,
            meta,
            entry_count: input.entries.length,
            imported_by: input.importedBy,
            updated_at: sql`now()`,
          })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({
              meta,
              entry_count: input.entries.length,
              imported_by: input.importedBy,
              updated_at: sql`now()`,
            }),
          )
          .returning(registryColumns)
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('trusted_issuers').where('registry_name', '=', input.name).execute();
        for (let i = 0; i < input.entries.length; i += chunkSize) {
          await trx
            .insertInto('trusted_issuers')
            .values(
              input.entries.slice(i, i + chunkSize).map((e) => ({
                registry_name: input.name,
                did: e.did,
                name: e.name,
                url: e.url ?? null,
                location: e.location ?? null,
                entry: JSON.stringify(e.entry),
              })),
            )
            .execute();
        }
        return { record: toRecord(row), replaced: existing !== undefined };
      });
    },

    async listRegistries(): Promise<RegistryRecord[]> {
      const rows = await db
        .selectFrom('trust_registries')
        .select(registryColumns)
        .orderBy('created_at')
        .orderBy('name')
        .execute();
      return rows.map(toRecord);
    },

    async deleteRegistry(name: string): Promise<boolean> {
      const result = await db.deleteFrom('trust_registries').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** The entry for a DID from the registry imported first: earlier imports are taken as more authoritative. */
    async findIssuer(did: string): Promise<ListedIssuer | undefined> {
      return listed()
        .where('trusted_issuers.did', '=', did)
        .orderBy('trust_registries.created_at')
        .orderBy('trust_registries.name')
        .limit(1)
        .executeTakeFirst();
    },

    async listIssuers(): Promise<ListedIssuer[]> {
      return listed()
        .orderBy('trust_registries.created_at')
        .orderBy('trust_registries.name')
        .orderBy('trusted_issuers.name')
        .orderBy('trusted_issuers.did')
        .execute();
    },

    /** This instance's organizations that can sign: those with an issuer key. */
    async localIssuers(): Promise<{ orgId: string; name: string }[]> {
      return db
        .selectFrom('organizations')
        .select(['organizations.id as orgId', 'organizations.name'])
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('issuer_keys')
              .select('issuer_keys.id')
              .whereRef('issuer_keys.org_id', '=', 'organizations.id'),
          ),
        )
        .orderBy('organizations.name')
        .execute();
    },
  };
}

export type TrustStore = ReturnType<typeof createTrustStore>;
