import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A DID Auth challenge: only its hash is kept, it lives ten minutes and is good for one link.
  await db.schema
    .createTable('did_challenges')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('challenge_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('did_challenges_by_user').on('did_challenges').column('user_id').execute();

  // A DID the learner proved to control. One account per DID: the primary key says so.
  await db.schema
    .createTable('linked_dids')
    .addColumn('did', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('verified_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('linked_dids_by_user').on('linked_dids').column('user_id').execute();

  // An extra email address waiting for its link to be followed: only the token's hash is kept, for 24 hours.
  await db.schema
    .createTable('email_verifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('email_verifications_by_user').on('email_verifications').column('user_id').execute();

  // An extra email address the learner confirmed. One account per address.
  await db.schema
    .createTable('linked_emails')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('verified_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('linked_emails_by_user').on('linked_emails').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('linked_emails').execute();
  await db.schema.dropTable('email_verifications').execute();
  await db.schema.dropTable('linked_dids').execute();
  await db.schema.dropTable('did_challenges').execute();
}
