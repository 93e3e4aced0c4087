import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A micro-credential's human-readable code (Open Badges 3.0 `humanCode`), unique in its organization in
  // any case: what issuers type in a bulk CSV and read in the console. Existing ones get MC-001, MC-002… in
  // the order they were made, written into their drafts too.
  await db.schema.alterTable('achievements').addColumn('code', 'text').execute();
  await sql`
    update achievements a set code = numbered.code, draft = a.draft || jsonb_build_object('humanCode', numbered.code)
    from (
      select id, 'MC-' || lpad((row_number() over (partition by org_id order by created_at, id))::text, 3, '0') as code
      from achievements
    ) numbered
    where numbered.id = a.id`.execute(db);
  await sql`alter table achievements alter column code set not null`.execute(db);
  await sql`create unique index achievements_code_in_org on achievements (org_id, upper(code))`.execute(db);

  // Badge images issuers upload (checked PNG or JPEG bytes), served at /badge-images/ID and named by that
  // address in the achievements that use them; never changed once stored.
  await db.schema
    .createTable('badge_images')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('media_type', 'text', (c) => c.notNull().check(sql`media_type in ('image/png', 'image/jpeg')`))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('badge_images').execute();
  await sql`drop index achievements_code_in_org`.execute(db);
  await sql`update achievements set draft = draft - 'humanCode'`.execute(db);
  await db.schema.alterTable('achievements').dropColumn('code').execute();
}
