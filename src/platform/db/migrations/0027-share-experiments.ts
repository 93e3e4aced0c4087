import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Randomized sharing-nudge experiments: the planned size is fixed when one starts (read only at that size).
  await db.schema
    .createTable('share_experiments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('baseline_rate', 'double precision', (c) => c.notNull())
    .addColumn('effect', 'double precision', (c) => c.notNull())
    .addColumn('power', 'double precision', (c) => c.notNull())
    .addColumn('planned_size', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('stopped_at', 'timestamptz')
    .execute();
  // At most one experiment assigns learners at a time.
  await sql`create unique index share_experiments_one_running on share_experiments ((true)) where stopped_at is null`.execute(
    db,
  );
  // One row per learner and experiment: the arm, the stratum (issuer) and the baseline facts at the first
  // exposure, and how often a nudge was shown since.
  await db.schema
    .createTable('share_experiment_exposures')
    .addColumn('experiment_id', 'uuid', (c) => c.notNull().references('share_experiments.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('variant', 'text', (c) => c.notNull().check(sql`variant in ('none', 'reminder', 'reminder+panel')`))
    .addColumn('stratum', 'text', (c) => c.notNull())
    .addColumn('first_surface', 'text', (c) => c.notNull().check(sql`first_surface in ('dashboard', 'result')`))
    .addColumn('first_exposed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_exposed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('exposures', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('prior_engagements', 'integer', (c) => c.notNull())
    .addColumn('credentials_held', 'integer', (c) => c.notNull())
    .addColumn('months_on_platform', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('share_experiment_exposures_pk', ['experiment_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('share_experiment_exposures').execute();
  await db.schema.dropTable('share_experiments').execute();
}
