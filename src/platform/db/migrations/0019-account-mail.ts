import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // When the account's email was confirmed by a link sent to it; until then nothing addressed to that email
  // attaches to the account. Accounts made before confirmation existed start unconfirmed: nothing proves that
  // their owners hold their addresses, and a new link is one request away.
  await db.schema.alterTable('users').addColumn('email_confirmed_at', 'timestamptz').execute();

  // Single-use links sent by mail: confirming the account's email, changing it (to `email`), resetting the
  // password. Only the token's hash is kept.
  await db.schema
    .createTable('account_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('confirm-email', 'change-email', 'reset-password')`),
    )
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('account_tokens_by_user')
    .on('account_tokens')
    .columns(['user_id', 'purpose', 'created_at'])
    .execute();

  // Failed sign-ins per account email (whether or not an account has it, so the limit says nothing about
  // which emails have accounts).
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('sign_in_failures_by_email')
    .on('sign_in_failures')
    .columns(['email', 'failed_at'])
    .execute();

  // Delivery of the outbox by SMTP. Messages written before this migration are kept, never sent: their links
  // have long expired.
  await db.schema
    .alterTable('outbox')
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('kept', 'pending', 'queued', 'retrying', 'sent', 'dead')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`update outbox set state = 'kept'`.execute(db);
  await sql`create index outbox_pending on outbox (created_at) where state = 'pending'`.execute(db);
  await db.schema.createIndex('outbox_state').on('outbox').columns(['state', 'updated_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_state').execute();
  await db.schema.dropIndex('outbox_pending').execute();
  await db.schema
    .alterTable('outbox')
    .dropColumn('state')
    .dropColumn('attempts')
    .dropColumn('last_error')
    .dropColumn('sent_at')
    .dropColumn('updated_at')
    .execute();
  await db.schema.dropTable('sign_in_failures').execute();
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.alterTable('users').dropColumn('email_confirmed_at').execute();
}
