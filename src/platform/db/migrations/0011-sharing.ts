import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A public link to one holding. holding_id names an issued or an imported credential (one id space, two
  // tables), so it has no foreign key; the page answers 404 when the holding is gone.
  await db.schema
    .createTable('shares')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  // One live share per holding; a withdrawn one stays (its URL answers 410) and sharing again makes a new token.
  await sql`create unique index shares_one_live on shares (holding_id) where withdrawn_at is null`.execute(db);
  await db.schema.createIndex('shares_by_user').on('shares').column('user_id').execute();

  await db.schema
    .createTable('public_profiles')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('handle', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    // The holdings listed, in the learner's order.
    .addColumn('holding_ids', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Share actions and public views: what the learner and, aggregated, the issuer see. No IP, no user agent.
  await db.schema
    .createTable('share_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid')
    .addColumn('achievement_id', 'uuid')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('linkedin-profile', 'linkedin-feed', 'copy', 'email', 'embed', 'download', 'certificate', 'view')`,
        ),
    )
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('share_events_by_holding').on('share_events').columns(['holding_id', 'kind']).execute();
  await db.schema.createIndex('share_events_by_org').on('share_events').columns(['org_id', 'achievement_id']).execute();

  // The in-app reminder to share, per holding: when it was first shown and whether the learner dismissed it.
  await db.schema
    .createTable('share_reminders')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('shown_at', 'timestamptz')
    .addColumn('dismissed_at', 'timestamptz')
    .addPrimaryKeyConstraint('share_reminders_pk', ['user_id', 'holding_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('share_reminders').execute();
  await db.schema.dropTable('share_events').execute();
  await db.schema.dropTable('public_profiles').execute();
  await db.schema.dropTable('shares').execute();
}
