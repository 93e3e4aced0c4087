import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('issuer_profiles')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // An achievement is a draft being edited plus the immutable versions published from it.
  await db.schema
    .createTable('achievements')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'retired')`))
    .addColumn('draft', 'jsonb', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('achievements_org_idx').on('achievements').columns(['org_id', 'updated_at']).execute();

  await db.schema
    .createTable('achievement_versions')
    .addColumn('achievement_id', 'uuid', (c) => c.notNull().references('achievements.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('achievement', 'jsonb', (c) => c.notNull())
    // Search columns of the published catalog.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('eqf_level', 'integer')
    .addColumn('workload_hours', 'double precision', (c) => c.notNull())
    .addColumn('skill_codes', sql`text[]`, (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('achievement_versions_pkey', ['achievement_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('achievement_versions').execute();
  await db.schema.dropTable('achievements').execute();
  await db.schema.dropTable('issuer_profiles').execute();
}
