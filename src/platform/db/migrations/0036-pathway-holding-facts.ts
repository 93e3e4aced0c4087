import { sql, type Kysely } from 'kysely';

/**
 * Pathways' projection of the wallet (issue 21, re-evaluating every learner after a pathway version changes): per
 * holding, the facts `evaluate` reads (name, issuer, the wallet's status, achievement id or address, skills, EQF
 * level, credits, issue date, whether the issuer is accepted) and `valid_until`, so expiry is judged when the rows
 * are read. Rows are written by the per-learner path (the wallet's holdings, imports verified), never derived here:
 * see src/pathways/facts-store.ts for what the projection trusts.
 *
 * Learners whose rows may be out of date are marked in `pathway_facts_dirty` by triggers, whatever path changed
 * their holdings: a credential issued to them, re-attached, revoked, suspended, lifted or given another end date,
 * an import added or removed (a removed import's row goes at once). A re-evaluation refreshes the marked learners
 * before it reads. Every learner holding anything now is marked here, so the first re-evaluation fills the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pathway_holding_facts')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The holding's place in the wallet's list (newest first), so a bulk read gives them in the same order.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer_id', 'text')
    .addColumn('issuer_name', 'text')
    // The wallet's status as an index of holdingStatuses (src/pathways/reevaluate.ts): 0 active … 4 unverified.
    .addColumn('status', 'smallint', (c) => c.notNull())
    .addColumn('achievement_id', 'text')
    .addColumn('achievement_url', 'text')
    .addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('eqf_level', 'double precision')
    .addColumn('ects', 'double precision')
    .addColumn('hours', 'double precision')
    .addColumn('issued_at', 'text')
    .addColumn('valid_until', 'timestamptz')
    .addColumn('issuer_accepted', 'boolean', (c) => c.notNull())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('pathway_holding_facts_pk', ['user_id', 'position'])
    .execute();
  await db.schema
    .createIndex('pathway_holding_facts_by_holding')
    .on('pathway_holding_facts')
    .column('holding_id')
    .execute();
  await db.schema
    .createTable('pathway_facts_dirty')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await sql`
    create function pathway_facts_mark(target uuid) returns void language plpgsql as $$
    begin
      -- A learner being deleted (their credentials' recipient set null on the way) is not marked.
      insert into pathway_facts_dirty (user_id) select id from users where id = target
        on conflict (user_id) do update set marked_at = clock_timestamp();
    end $$`.execute(db);
  await sql`
    create function pathway_facts_credentials_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform pathway_facts_mark(new.recipient_user_id);
      elsif tg_op = 'DELETE' then
        delete from pathway_holding_facts where holding_id = old.id;
        perform pathway_facts_mark(old.recipient_user_id);
      else
        if new.recipient_user_id is distinct from old.recipient_user_id then
          delete from pathway_holding_facts where holding_id = old.id;
        end if;
        perform pathway_facts_mark(new.recipient_user_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger pathway_facts_credentials_changed after insert or delete or update of
      recipient_user_id, revoked_at, suspended_at, valid_until on credentials
      for each row execute function pathway_facts_credentials_changed()`.execute(db);
  await sql`
    create function pathway_facts_imports_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        delete from pathway_holding_facts where holding_id = old.id;
        perform pathway_facts_mark(old.user_id);
      else
        perform pathway_facts_mark(new.user_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger pathway_facts_imports_changed after insert or delete on imported_credentials
      for each row execute function pathway_facts_imports_changed()`.execute(db);
  await sql`insert into pathway_facts_dirty (user_id)
    select recipient_user_id from credentials where recipient_user_id is not null
    union select user_id from imported_credentials`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger pathway_facts_imports_changed on imported_credentials`.execute(db);
  await sql`drop trigger pathway_facts_credentials_changed on credentials`.execute(db);
  await sql`drop function pathway_facts_imports_changed()`.execute(db);
  await sql`drop function pathway_facts_credentials_changed()`.execute(db);
  await sql`drop function pathway_facts_mark(uuid)`.execute(db);
  await db.schema.dropTable('pathway_facts_dirty').execute();
  await db.schema.dropTable('pathway_holding_facts').execute();
}
