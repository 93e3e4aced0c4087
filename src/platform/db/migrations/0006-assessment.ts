import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('achievement_id', 'uuid', (c) => c.notNull().references('achievements.id').onDelete('cascade'))
    .addColumn('stem', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('correct', sql`text[]`, (c) => c.notNull())
    .addColumn('multiple', 'boolean', (c) => c.notNull())
    .addColumn('skills', sql`text[]`, (c) => c.notNull())
    .addColumn('difficulty', 'integer', (c) => c.notNull())
    .addColumn('draws', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('items_achievement_idx').on('items').column('achievement_id').execute();

  await db.schema
    .createTable('test_policies')
    .addColumn('achievement_id', 'uuid', (c) => c.primaryKey().references('achievements.id').onDelete('cascade'))
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every attempt is kept whole for audit: what was drawn, in which order, what was answered and when.
  await db.schema
    .createTable('attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('achievement_id', 'uuid', (c) => c.notNull().references('achievements.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('score', 'jsonb')
    .addColumn('passed', 'boolean')
    .addColumn('integrity', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.createIndex('attempts_user_idx').on('attempts').columns(['user_id', 'achievement_id']).execute();

  await db.schema
    .createTable('attempt_items')
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('option_order', sql`text[]`, (c) => c.notNull())
    .addColumn('chosen', sql`text[]`)
    .addColumn('answered_at', 'timestamptz')
    .addColumn('seconds', 'double precision')
    .addColumn('correct', 'boolean')
    .addPrimaryKeyConstraint('attempt_items_pkey', ['attempt_id', 'item_id'])
    .execute();
  await db.schema.createIndex('attempt_items_item_idx').on('attempt_items').column('item_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['attempt_items', 'attempts', 'test_policies', 'items'])
    await db.schema.dropTable(table).execute();
}
