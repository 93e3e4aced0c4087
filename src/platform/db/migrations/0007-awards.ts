import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('credentials')
    .addColumn('recipient_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('achievement_id', 'uuid', (c) => c.references('achievements.id').onDelete('set null'))
    .addColumn('achievement_version', 'integer')
    // What the award came from (an attempt, a review, a bulk row): one credential per source, ever.
    .addColumn('source_key', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('credentials_recipient_idx').on('credentials').column('recipient_user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('credentials')
    .dropColumn('source_key')
    .dropColumn('achievement_version')
    .dropColumn('achievement_id')
    .dropColumn('recipient_user_id')
    .execute();
}
