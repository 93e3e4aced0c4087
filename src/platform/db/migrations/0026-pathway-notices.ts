import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Each notice of pathways (a stacked credential or an off-ramp issued) written to the outbox once, in the
  // same transaction as its outbox row: a retried or crashed award job neither loses nor repeats it.
  await db.schema
    .createTable('pathway_notices')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Null: a stacked credential whose learner was mailed before notices were recorded here.
    .addColumn('outbox_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Stacked credentials issued before this migration were announced already: a later run of their job stays quiet.
  await sql`insert into pathway_notices (key, user_id)
    select 'award:' || id, user_id from pathway_awards where state = 'issued'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pathway_notices').execute();
}
