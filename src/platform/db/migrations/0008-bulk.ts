import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Bulk uploads as received (UTF-8 text): one per organization and content, so one job per file.
  await db.schema
    .createTable('bulk_uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('run_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('bulk_uploads_content', ['org_id', 'content_hash'])
    .execute();

  // What became of each row of an upload; a row with an outcome is skipped when the job resumes.
  await db.schema
    .createTable('bulk_rows')
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('bulk_uploads.id').onDelete('cascade'))
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('achievement', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('issued', 'existing', 'error', 'duplicate')`))
    .addColumn('message', 'text')
    .addColumn('credential_id', 'uuid', (c) => c.references('credentials.id').onDelete('set null'))
    .addPrimaryKeyConstraint('bulk_rows_pk', ['upload_id', 'row'])
    .execute();

  // Credentials waiting for a recipient without an account: only the hash of the link's token is kept.
  await db.schema
    .createTable('claims')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('credential_id', 'uuid', (c) => c.notNull().unique().references('credentials.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('upload_id', 'uuid', (c) => c.references('bulk_uploads.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('claimed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('claims_email_idx').on('claims').columns(['email', 'claimed_at']).execute();
  await db.schema.createIndex('claims_upload_idx').on('claims').column('upload_id').execute();

  // Notices we would send by mail: recorded, since this instance sends no mail itself.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('to_email', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('claim_id', 'uuid', (c) => c.unique().references('claims.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('outbox_org_idx').on('outbox').columns(['org_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
  await db.schema.dropTable('claims').execute();
  await db.schema.dropTable('bulk_rows').execute();
  await db.schema.dropTable('bulk_uploads').execute();
}
