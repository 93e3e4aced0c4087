import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Employers who let their hiring funnel count in the pooled funnel (opt-in; removing the row withdraws it).
  await db.schema
    .createTable('funnel_sharing')
    .addColumn('org_id', 'uuid', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('shared_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('shared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('funnel_sharing').execute();
}
