import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Instance administrators run the instance as a whole (its registry of trusted issuers), unlike the
  // per-organization roles. Granted from the command line, never through the API.
  await db.schema
    .createTable('instance_admins')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // An imported issuer registry (Digital Credentials Consortium format), known by the name the admin gave it.
  await db.schema
    .createTable('trust_registries')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('meta', 'jsonb', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('imported_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('trusted_issuers')
    .addColumn('registry_name', 'text', (c) =>
      c.notNull().references('trust_registries.name').onDelete('cascade').onUpdate('cascade'),
    )
    .addColumn('did', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('location', 'text')
    // The entry exactly as the registry gave it, with any fields beyond name, url and location.
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('trusted_issuers_pkey', ['registry_name', 'did'])
    .execute();
  await db.schema.createIndex('trusted_issuers_did_idx').on('trusted_issuers').column('did').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trusted_issuers').execute();
  await db.schema.dropTable('trust_registries').execute();
  await db.schema.dropTable('instance_admins').execute();
}
