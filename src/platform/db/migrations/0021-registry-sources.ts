import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Trust registries refreshed from a URL on a schedule. The entries themselves stay in trust_registries and
  // trusted_issuers (replaced whole by each good refresh); this row says where from, how often, and how the last
  // refresh went. A source may exist before its registry does: until the first good fetch there is none.
  await db.schema
    .createTable('trust_registry_sources')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('interval_minutes', 'integer', (c) => c.notNull().check(sql`interval_minutes between 15 and 10080`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('next_refresh_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`last_status in ('pending', 'ok', 'failed')`),
    )
    .addColumn('last_error', 'text')
    .addColumn('last_entry_count', 'integer')
    .execute();
  await db.schema
    .createIndex('trust_registry_sources_due')
    .on('trust_registry_sources')
    .column('next_refresh_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trust_registry_sources').execute();
}
