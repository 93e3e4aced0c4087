import type { Kysely } from 'kysely';

/**
 * Team staffing (issue 20, item 4): a project's largest team and its budget (the most the members' day rates may
 * add up to). How many members must hold each skill lives with the skill, in `skills` (JSON, default 1).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('hiring_jobs')
    .addColumn('team_max_size', 'integer')
    .addColumn('team_budget', 'double precision')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hiring_jobs').dropColumn('team_max_size').dropColumn('team_budget').execute();
}
