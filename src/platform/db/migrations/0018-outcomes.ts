import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The outcomes ledger: what a worker earned or started, by day, and where the record came from.
  await db.schema
    .createTable('outcome_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('earnings', 'project', 'job-start')`))
    .addColumn('value', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('engagement', 'employer', 'self', 'import')`))
    .addColumn('recorded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('outcome_events_by_user')
    .on('outcome_events')
    .columns(['user_id', 'kind', 'occurred_on'])
    .execute();
  // Workers who said their outcomes are not to be studied (everyone else is, by default).
  await db.schema
    .createTable('outcome_opt_outs')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('opted_out_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outcome_opt_outs').execute();
  await db.schema.dropTable('outcome_events').execute();
}
