import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rubrics')
    .addColumn('achievement_id', 'uuid', (c) => c.primaryKey().references('achievements.id').onDelete('cascade'))
    .addColumn('rubric', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every submission is kept: a returned one stays with its feedback, and the learner's resubmission is a new row.
  await db.schema
    .createTable('submissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('achievement_id', 'uuid', (c) => c.notNull().references('achievements.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'returned', 'accepted')`))
    .addColumn('narrative', 'text', (c) => c.notNull())
    .addColumn('links', sql`text[]`, (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewer_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('feedback', 'text')
    .addColumn('score', 'jsonb')
    .addColumn('credential_id', 'uuid', (c) => c.references('credentials.id').onDelete('set null'))
    .execute();
  // One open submission per learner and micro-credential.
  await sql`create unique index submissions_one_open on submissions (user_id, achievement_id) where status = 'open'`.execute(
    db,
  );
  await db.schema
    .createIndex('submissions_queue_idx')
    .on('submissions')
    .columns(['org_id', 'status', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('submission_files')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('submission_files_submission_idx')
    .on('submission_files')
    .column('submission_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['submission_files', 'submissions', 'rubrics']) await db.schema.dropTable(table).execute();
}
