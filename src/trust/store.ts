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

/** A registry refreshed from a URL on a schedule, and how its last refresh went. */
export interface RegistrySource {
  name: string;
  url: string;
  intervalMinutes: number;
  createdAt: Date;
  nextRefreshAt: Date;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastStatus: 'pending' | 'ok' | 'failed';
  lastError: string | null;
  lastEntryCount: number | null;
  createdBy: string | null;
}

const sourceColumns = [
  'name',
  'url',
  'interval_minutes',
  'created_at',
  'next_refresh_at',
  'last_attempt_at',
  'last_success_at',
  'last_status',
  'last_error',
  'last_entry_count',
  'created_by',
] as const;

const toSource = (row: {
  name: string;
  url: string;
  interval_minutes: number;
  created_at: Date;
  next_refresh_at: Date;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_status: 'pending' | 'ok' | 'failed';
  last_error: string | null;
  last_entry_count: number | null;
  created_by: string | null;
}): RegistrySource => ({
  name: row.name,
  url: row.url,
  intervalMinutes: row.interval_minutes,
  createdAt: row.created_at,
  nextRefreshAt: row.next_refresh_at,
  lastAttemptAt: row.last_attempt_at,
  lastSuccessAt: row.last_success_at,
  lastStatus: row.last_status,
  lastError: row.last_error,
  lastEntryCount: row.last_entry_count,
  createdBy: row.created_by,
});
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

    /** Removes a registry, its entries and its source (a removed registry is not fetched back). */
    async deleteRegistry(name: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const source = await trx.deleteFrom('trust_registry_sources').where('name', '=', name).executeTakeFirst();
        const result = await trx.deleteFrom('trust_registries').where('name', '=', name).executeTakeFirst();
        return Number(result.numDeletedRows) > 0 || Number(source.numDeletedRows) > 0;
      });
    },

    /** Adds or changes a source; either way it is due at once. */
    async saveSource(input: {
      name: string;
      url: string;
      intervalMinutes: number;
      createdBy: string | null;
    }): Promise<{ source: RegistrySource; created: boolean }> {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('trust_registry_sources')
          .select('name')
          .where('name', '=', input.name)
          .forUpdate()
          .executeTakeFirst();
        const row = await trx
          .insertInto('trust_registry_sources')
          .values({
            name: input.name,
            url: input.url,
            interval_minutes: input.intervalMinutes,
            created_by: input.createdBy,
            next_refresh_at: sql<Date>`date_trunc('milliseconds', now())`,
          })
          .onConflict((oc) =>
            oc.column('name').doUpdateSet({
              url: input.url,
              interval_minutes: input.intervalMinutes,
              next_refresh_at: sql<Date>`date_trunc('milliseconds', now())`,
            }),
          )
          .returning(sourceColumns)
          .executeTakeFirstOrThrow();
        return { source: toSource(row), created: existing === undefined };
      });
    },

    async listSources(): Promise<RegistrySource[]> {
      const rows = await db.selectFrom('trust_registry_sources').select(sourceColumns).orderBy('name').execute();
      return rows.map(toSource);
    },

    async findSource(name: string): Promise<RegistrySource | undefined> {
      const row = await db
        .selectFrom('trust_registry_sources')
        .select(sourceColumns)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toSource(row);
    },

    async deleteSource(name: string): Promise<boolean> {
      const result = await db.deleteFrom('trust_registry_sources').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    // Due times are kept to the millisecond, as JavaScript reads them, so that a refresh can name the one it ran for.
    /** Makes a source due now; its new due time, or undefined when there is no such source. */
    async makeDue(name: string): Promise<RegistrySource | undefined> {
      const row = await db
        .updateTable('trust_registry_sources')
        .set({ next_refresh_at: sql<Date>`date_trunc('milliseconds', now())` })
        .where('name', '=', name)
        .returning(sourceColumns)
        .executeTakeFirst();
      return row && toSource(row);
    },

    /** Sources whose refresh is due. */
    async dueSources(): Promise<RegistrySource[]> {
      const rows = await db
        .selectFrom('trust_registry_sources')
        .select(sourceColumns)
        .where('next_refresh_at', '<=', sql<Date>`now()`)
        .orderBy('next_refresh_at')
        .execute();
      return rows.map(toSource);
    },

    /**
     * Records how a refresh went and when the next one is due. Only the refresh that was due (`dueAt`) records:
     * a source changed or made due again meanwhile keeps its new due time.
     */
    async recordRefresh(
      name: string,
      dueAt: Date,
      outcome: { ok: true; entryCount: number } | { ok: false; error: string },
    ): Promise<void> {
      await db
        .updateTable('trust_registry_sources')
        .set({
          last_attempt_at: sql<Date>`now()`,
          last_status: outcome.ok ? 'ok' : 'failed',
          last_error: outcome.ok ? null : outcome.error,
          ...(outcome.ok ? { last_success_at: sql<Date>`now()`, last_entry_count: outcome.entryCount } : {}),
          next_refresh_at: sql<Date>`date_trunc('milliseconds', now()) + make_interval(mins => interval_minutes)`,
        })
        .where('name', '=', name)
        .where('next_refresh_at', '=', dueAt)
        .execute();
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
