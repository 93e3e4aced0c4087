import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('skill_frameworks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('credit', 'text', (c) => c.notNull())
    // Null for shared taxonomies (ESCO, O*NET); set for an issuer's own framework.
    .addColumn('org_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('skills')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('framework', 'text', (c) => c.notNull().references('skill_frameworks.name').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('alt_labels', sql`text[]`, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addUniqueConstraint('skills_framework_code', ['framework', 'code'])
    .execute();

  await db.schema
    .createTable('occupations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('framework', 'text', (c) => c.notNull().references('skill_frameworks.name').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('alt_labels', sql`text[]`, (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addUniqueConstraint('occupations_framework_code', ['framework', 'code'])
    .execute();

  await db.schema
    .createTable('occupation_skills')
    .addColumn('occupation_id', 'uuid', (c) => c.notNull().references('occupations.id').onDelete('cascade'))
    .addColumn('skill_id', 'uuid', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('essential', 'optional')`))
    .addColumn('hot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('occupation_skills_pkey', ['occupation_id', 'skill_id'])
    .execute();
  await db.schema.createIndex('occupation_skills_skill_idx').on('occupation_skills').column('skill_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['occupation_skills', 'occupations', 'skills', 'skill_frameworks'])
    await db.schema.dropTable(table).execute();
}
