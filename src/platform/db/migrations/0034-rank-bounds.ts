import { sql, type Kysely } from 'kysely';

/**
 * What a ranking needs to bound every candidate's score without reading the evidence's JSON: each evidence row's
 * result (the skill's own, else the credential's), how it was earned and whether its issuer was trusted, and each
 * record's months of work and ratings' factor, as columns the database derives from the facts (so every writer of
 * the index fills them); the index by skill covers them, so the rows of the asked skills are read from the index
 * alone. Each profile carries a summary of its worker's records (below), kept by triggers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table talent_evidence
    add column level double precision generated always as (
      case when jsonb_typeof(facts->'skillScore') = 'number' then (facts->>'skillScore')::double precision
           when jsonb_typeof(facts->'score') = 'number' then (facts->>'score')::double precision end) stored,
    add column assessment text generated always as (facts->>'assessment') stored,
    add column trusted boolean generated always as (coalesce(facts->'trusted' = 'true'::jsonb, false)) stored`.execute(
    db,
  );
  await sql`drop index talent_evidence_by_skill`.execute(db);
  await sql`create index talent_evidence_by_skill on talent_evidence (skill, user_id)
    include (holding_id, kind, status, valid_until, level, assessment, trusted)`.execute(db);
  const rating = (key: string) =>
    `case when jsonb_typeof(facts->'work'->'ratings'->'${key}') = 'number' then (facts->'work'->'ratings'->>'${key}')::double precision end`;
  const [c, t, r] = ['communication', 'timeliness', 'reliability'].map(rating);
  await sql`alter table talent_records
    add column months double precision generated always as (
      case when jsonb_typeof(facts->'work'->'months') = 'number' then (facts->'work'->>'months')::double precision
           else 0 end) stored,
    add column rating double precision generated always as (coalesce(0.5 + 0.5 * (
      (coalesce(${sql.raw(c!)}, 0) + coalesce(${sql.raw(t!)}, 0) + coalesce(${sql.raw(r!)}, 0))
      / nullif((${sql.raw(c!)} is not null)::int + (${sql.raw(t!)} is not null)::int + (${sql.raw(r!)} is not null)::int, 0)
    ) / 100, 0.75)) stored`.execute(db);

  // Each profile carries what its records can add at most, whatever their status now: the work history's points
  // as a fraction of the full points (each engagement's months as a fraction of a year, at most 1, times its
  // ratings' factor), its months, until when all of it verifies (-infinity: some does not now), and how many work
  // records and references. Kept by triggers on the records, whatever writes them; the profiles' index by worker
  // covers them with the candidate id.
  await sql`alter table talent_profiles
    add column record_duration double precision not null default 0,
    add column record_months double precision not null default 0,
    add column record_settled_until timestamptz not null default 'infinity',
    add column record_works integer not null default 0,
    add column record_refs integer not null default 0`.execute(db);
  await sql`
    create function rank_record_summary(target uuid[]) returns void language sql as $$
      update talent_profiles p set
        record_duration = s.duration, record_months = s.months, record_settled_until = s.settled_until,
        record_works = s.works, record_refs = s.refs
      from (select u.user_id,
              coalesce(sum(least(1, greatest(r.months, 0) / 12) * r.rating) filter (where r.kind = 'work'), 0) as duration,
              coalesce(sum(greatest(r.months, 0)) filter (where r.kind = 'work'), 0) as months,
              case when coalesce(bool_and(r.status = 'active') filter (where r.kind = 'work'), true)
                then coalesce(min(r.valid_until) filter (where r.kind = 'work'), 'infinity')
                else '-infinity' end as settled_until,
              count(r.user_id) filter (where r.kind = 'work') as works,
              count(r.user_id) filter (where r.kind = 'reference') as refs
            from unnest(target) as u(user_id) left join talent_records r on r.user_id = u.user_id
            group by u.user_id) s
      where p.user_id = s.user_id
    $$`.execute(db);
  await sql`
    create function rank_records_changed() returns trigger language plpgsql as $$
    begin
      perform rank_record_summary(array(select distinct user_id from changed));
      return null;
    end $$`.execute(db);
  await sql`create trigger rank_records_inserted after insert on talent_records
    referencing new table as changed for each statement execute function rank_records_changed()`.execute(db);
  await sql`create trigger rank_records_updated after update on talent_records
    referencing new table as changed for each statement execute function rank_records_changed()`.execute(db);
  await sql`create trigger rank_records_deleted after delete on talent_records
    referencing old table as changed for each statement execute function rank_records_changed()`.execute(db);
  // A profile made after its worker's records (records are written for profiles, so hardly ever) gets their summary.
  await sql`
    create function rank_profile_added() returns trigger language plpgsql as $$
    begin
      perform rank_record_summary(array(select distinct a.user_id from added a
        where exists (select 1 from talent_records r where r.user_id = a.user_id)));
      return null;
    end $$`.execute(db);
  await sql`create trigger rank_profile_added after insert on talent_profiles
    referencing new table as added for each statement execute function rank_profile_added()`.execute(db);
  await sql`select rank_record_summary(array(select distinct user_id from talent_records))`.execute(db);
  await sql`create index talent_profiles_rank on talent_profiles (user_id)
    include (id, discoverable, record_duration, record_months, record_settled_until, record_works, record_refs)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index talent_profiles_rank`.execute(db);
  await sql`drop trigger rank_profile_added on talent_profiles`.execute(db);
  await sql`drop function rank_profile_added()`.execute(db);
  for (const trigger of ['inserted', 'updated', 'deleted']) {
    await sql`drop trigger ${sql.raw(`rank_records_${trigger}`)} on talent_records`.execute(db);
  }
  await sql`drop function rank_records_changed()`.execute(db);
  await sql`drop function rank_record_summary(uuid[])`.execute(db);
  await sql`alter table talent_profiles drop column record_duration, drop column record_months,
    drop column record_settled_until, drop column record_works, drop column record_refs`.execute(db);
  await sql`alter table talent_records drop column months, drop column rating`.execute(db);
  await sql`drop index talent_evidence_by_skill`.execute(db);
  await sql`alter table talent_evidence drop column level, drop column assessment, drop column trusted`.execute(db);
  await sql`create index talent_evidence_by_skill on talent_evidence (skill, user_id)`.execute(db);
}
