import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What the OAuth 2.0 authorization server (oidc-provider) keeps: clients, grants, codes, tokens, sessions and
  // interactions, one row per record. Every record is found by the SHA-256 of its id: for codes, access and refresh
  // tokens the id is the bearer secret itself, so the database never holds a usable token.
  await db.schema
    .createTable('oauth_records')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid_key', 'text')
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('consumed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('oauth_records_pkey', ['model', 'key'])
    .execute();
  await db.schema.createIndex('oauth_records_grant_idx').on('oauth_records').column('grant_id').execute();
  await db.schema.createIndex('oauth_records_uid_idx').on('oauth_records').columns(['model', 'uid_key']).execute();
  await db.schema
    .createIndex('oauth_records_account_idx')
    .on('oauth_records')
    .columns(['model', 'account_id', 'client_id'])
    .execute();
  await db.schema.createIndex('oauth_records_expiry_idx').on('oauth_records').column('expires_at').execute();

  // The learner's Open Badges 3.0 Profile as other platforms set it through PUT /ims/ob/v3p0/profile.
  await db.schema
    .createTable('ob_profiles')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('profile', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ob_profiles').execute();
  await db.schema.dropTable('oauth_records').execute();
}
