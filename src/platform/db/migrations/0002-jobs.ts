import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('job_runs_queue_key_unique', ['queue', 'key'])
    .execute();

  // The sample job's side effect: one row per counted item, so a test can prove each item happened once.
  await db.schema
    .createTable('sample_count_items')
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('job_runs.id').onDelete('cascade'))
    .addColumn('item', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sample_count_items_pkey', ['run_id', 'item'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sample_count_items').execute();
  await db.schema.dropTable('job_runs').execute();
}
