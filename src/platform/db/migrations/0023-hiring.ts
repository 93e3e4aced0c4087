import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A worker's talent profile: whether employers may find them, and what they say of their availability.
  // No protected attribute (gender, age, ethnicity, photo, nationality) has a column here.
  await db.schema
    .createTable('talent_profiles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('discoverable', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('headline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('available_from', 'date')
    .addColumn('days_per_week', 'integer')
    .addColumn('day_rate', 'double precision')
    .addColumn('desired_roles', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The holdings that count (null: every one that verifies).
    .addColumn('holding_ids', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Jobs and projects an employer organization ranks candidates for.
  await db.schema
    .createTable('hiring_jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('job', 'project')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'open', 'closed')`),
    )
    .addColumn('skills', 'jsonb', (c) => c.notNull())
    .addColumn('weights', 'jsonb', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('remote', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('blind', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('hiring_jobs_by_org').on('hiring_jobs').columns(['org_id', 'created_at']).execute();

  // Precomputed evidence of discoverable workers: one row per (worker, holding, skill) for credentials and work
  // history, indexed by skill so a ranking reads only workers holding an asked skill. Rows exist only while the
  // worker is discoverable; expiry is applied when read (valid_until).
  await db.schema
    .createTable('talent_evidence')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('skill', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('credential', 'work')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz')
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('talent_evidence_pk', ['user_id', 'holding_id', 'skill'])
    .execute();
  await db.schema.createIndex('talent_evidence_by_skill').on('talent_evidence').columns(['skill', 'user_id']).execute();
  // Work history and references per worker (read for the candidates a ranking found).
  await db.schema
    .createTable('talent_records')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('holding_id', 'uuid', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('work', 'reference')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz')
    .addColumn('facts', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('talent_records_pk', ['user_id', 'holding_id'])
    .execute();

  // Workers whose evidence must be computed again: marked by triggers whenever a credential of theirs is issued,
  // attached, revoked, suspended or lifted, or an import is added or removed, whatever path did it; the next
  // ranking (or the sweep) recomputes only them. Only workers with a talent profile are marked.
  await db.schema
    .createTable('talent_dirty')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await sql`
    create function talent_mark_dirty(target uuid) returns void language plpgsql as $$
    begin
      if target is not null and exists (select 1 from talent_profiles where user_id = target) then
        insert into talent_dirty (user_id) values (target)
          on conflict (user_id) do update set marked_at = clock_timestamp();
      end if;
    end $$`.execute(db);
  await sql`
    create function talent_credentials_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform talent_mark_dirty(new.recipient_user_id);
      elsif tg_op = 'DELETE' then
        perform talent_mark_dirty(old.recipient_user_id);
      else
        if new.recipient_user_id is distinct from old.recipient_user_id then
          perform talent_mark_dirty(old.recipient_user_id);
        end if;
        perform talent_mark_dirty(new.recipient_user_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger talent_credentials_changed after insert or delete or update of
      recipient_user_id, revoked_at, suspended_at, valid_until on credentials
      for each row execute function talent_credentials_changed()`.execute(db);
  await sql`
    create function talent_imports_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then perform talent_mark_dirty(old.user_id); else perform talent_mark_dirty(new.user_id); end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger talent_imports_changed after insert or delete on imported_credentials
      for each row execute function talent_imports_changed()`.execute(db);

  // Reveals of a candidate's identity in a blind review: who, when, for which job (shown to the candidate).
  await db.schema
    .createTable('hiring_reveals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('hiring_jobs.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('revealed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('revealed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('hiring_reveals_by_user').on('hiring_reveals').columns(['user_id']).execute();
  await db.schema.createIndex('hiring_reveals_by_job').on('hiring_reveals').columns(['job_id', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hiring_reveals').execute();
  await sql`drop trigger talent_imports_changed on imported_credentials`.execute(db);
  await sql`drop trigger talent_credentials_changed on credentials`.execute(db);
  await sql`drop function talent_imports_changed()`.execute(db);
  await sql`drop function talent_credentials_changed()`.execute(db);
  await sql`drop function talent_mark_dirty(uuid)`.execute(db);
  await db.schema.dropTable('talent_dirty').execute();
  await db.schema.dropTable('talent_records').execute();
  await db.schema.dropTable('talent_evidence').execute();
  await db.schema.dropTable('hiring_jobs').execute();
  await db.schema.dropTable('talent_profiles').execute();
}
