import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // ESCO's skill hierarchy: skill_id is narrower than broader_id (reskilling advice: a narrower skill covers
  // its broader one).
  await db.schema
    .createTable('skill_broader')
    .addColumn('skill_id', 'uuid', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addColumn('broader_id', 'uuid', (c) => c.notNull().references('skills.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('skill_broader_pk', ['skill_id', 'broader_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('skill_broader').execute();
}
