import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Applications to a job: a worker applied, or an employer invited a discoverable candidate (who accepts or
  // declines). `stage` is where it stands now; `furthest` the furthest pipeline stage it reached (moves only go
  // forward, so the funnel reads it without the history). `aligned`: at least one attached credential, verified
  // when the worker applied (or accepted), aligns to the job's skills (the funnel's split).
  await db.schema
    .createTable('hiring_applications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('hiring_jobs.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('applied', 'invited')`))
    .addColumn('stage', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`stage in ('invited', 'declined', 'applied', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn')`,
        ),
    )
    .addColumn('furthest', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('invitation_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('holdings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('aligned', 'boolean')
    .addColumn('rejection_reason', 'text')
    .addColumn('rejection_note', 'text')
    .addColumn('revealed_at', 'timestamptz')
    .addColumn('applied_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('hiring_applications_once', ['job_id', 'user_id'])
    .execute();
  // The pipeline board of a job, oldest first.
  await db.schema
    .createIndex('hiring_applications_by_job')
    .on('hiring_applications')
    .columns(['job_id', 'created_at'])
    .execute();
  await db.schema.createIndex('hiring_applications_by_user').on('hiring_applications').columns(['user_id']).execute();
  // Invitations sent, for the funnel (a few among many applications).
  await db.schema
    .createIndex('hiring_applications_invitations')
    .on('hiring_applications')
    .columns(['org_id', 'job_id', 'created_at', 'stage'])
    .where(sql.ref('origin'), '=', 'invited')
    .execute();

  // The funnel's counts, kept by a trigger on every insert, move and delete of an application, whatever path made
  // it: per job, day applied (UTC), group, furthest stage and where they stand. A funnel reads at most a few rows per
  // day, however many applications there are. No foreign key: a job's deletion takes its applications, whose
  // triggers take the counts to zero (and away).
  await db.schema
    .createTable('hiring_funnel_counts')
    .addColumn('job_id', 'uuid', (c) => c.notNull())
    .addColumn('org_id', 'uuid', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('aligned', 'boolean', (c) => c.notNull())
    .addColumn('furthest', 'smallint', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hiring_funnel_counts_pk', ['job_id', 'day', 'aligned', 'furthest', 'stage'])
    .execute();
  await db.schema
    .createIndex('hiring_funnel_counts_by_org')
    .on('hiring_funnel_counts')
    .columns(['org_id', 'day'])
    .execute();
  await sql`
    create function hiring_funnel_count() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.furthest > 0 and old.aligned is not null and old.applied_at is not null then
        update hiring_funnel_counts set count = count - 1
          where job_id = old.job_id and day = (old.applied_at at time zone 'UTC')::date and aligned = old.aligned
            and furthest = old.furthest and stage = old.stage;
        delete from hiring_funnel_counts
          where job_id = old.job_id and day = (old.applied_at at time zone 'UTC')::date and aligned = old.aligned
            and furthest = old.furthest and stage = old.stage and count <= 0;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.furthest > 0 and new.aligned is not null and new.applied_at is not null then
        insert into hiring_funnel_counts (job_id, org_id, day, aligned, furthest, stage, count)
          values (new.job_id, new.org_id, (new.applied_at at time zone 'UTC')::date, new.aligned, new.furthest,
            new.stage, 1)
          on conflict (job_id, day, aligned, furthest, stage) do update set count = hiring_funnel_counts.count + 1;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger hiring_funnel_count after insert or update or delete on hiring_applications
      for each row execute function hiring_funnel_count()`.execute(db);

  // Every move: from which stage to which, who moved it, when, and why (a rejection's reason and note).
  await db.schema
    .createTable('hiring_application_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('application_id', 'uuid', (c) => c.notNull().references('hiring_applications.id').onDelete('cascade'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('by_user', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('by_role', 'text', (c) => c.notNull().check(sql`by_role in ('candidate', 'employer')`))
    .addColumn('reason', 'text')
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema
    .createIndex('hiring_application_events_by_application')
    .on('hiring_application_events')
    .columns(['application_id', 'at'])
    .execute();

  // Engagements: opened when an application is hired, closed with the end, the value (earnings) and the
  // employer's ratings. The outcome records of the analytics issue: value, dates, worker, and the credentials
  // the worker had attached, as verified at hire time.
  await db.schema
    .createTable('hiring_engagements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('job_id', 'uuid', (c) => c.references('hiring_jobs.id').onDelete('set null'))
    .addColumn('application_id', 'uuid', (c) => c.unique().references('hiring_applications.id').onDelete('set null'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('day_rate', 'double precision')
    .addColumn('agreed_value', 'double precision')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'closing', 'closed')`),
    )
    .addColumn('end_date', 'date')
    .addColumn('value', 'double precision')
    .addColumn('ratings', 'jsonb')
    .addColumn('credentials_at_hire', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('work_history_id', 'uuid')
    .addColumn('reference_id', 'uuid')
    .addColumn('opened_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('closed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('hiring_engagements_by_org')
    .on('hiring_engagements')
    .columns(['org_id', 'opened_at'])
    .execute();
  await db.schema.createIndex('hiring_engagements_by_user').on('hiring_engagements').columns(['user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hiring_engagements').execute();
  await db.schema.dropTable('hiring_application_events').execute();
  await db.schema.dropTable('hiring_applications').execute();
  await sql`drop function hiring_funnel_count()`.execute(db);
  await db.schema.dropTable('hiring_funnel_counts').execute();
}
