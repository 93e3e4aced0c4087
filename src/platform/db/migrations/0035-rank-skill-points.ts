import { sql, type Kysely } from 'kysely';

/**
 * One row per (skill, worker) holding what a ranking's upper bound needs of that worker's evidence for that skill,
 * with the worker's profile summary beside it, so that a job's bounds read one index entry per (candidate, asked
 * skill) and join nothing:
 *
 * - `points`: the quality of the worker's active credentials for the skill without an end of validity, summed (the
 *   score's quality of one credential: how it was earned × its result × its issuer's trust, with the quality
 *   parameters in `talent_rank_params`); `dated_points` the same for those with an end, `dated_until` the latest
 *   end (a ranking counts them while some may still be valid: an upper bound); `credential` whether any row is a
 *   credential's;
 * - the profile's id, whether it is discoverable, and the summary of the worker's records (0034) as the profile
 *   holds it.
 *
 * Kept by statement triggers: on `talent_evidence` (each changed (worker, skill) computed again from its rows) and on
 * `talent_profiles` (its columns copied to the worker's rows; 0034's triggers update the profile when records change).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The score's quality parameters the points were computed with (the ranking checks them against its own).
  await sql`create table talent_rank_params (
    id boolean primary key default true check (id),
    tested double precision not null, reviewed double precision not null, attendance double precision not null,
    score_floor double precision not null, unscored double precision not null, untrusted double precision not null
  )`.execute(db);
  await sql`insert into talent_rank_params values (true, 1, 1, 0.4, 0.6, 0.8, 0.6)`.execute(db);
  await sql`create table talent_rank_skill (
    skill text not null,
    user_id uuid not null,
    credential boolean not null,
    points double precision not null,
    dated_points double precision not null,
    dated_until timestamptz,
    candidate_id uuid,
    discoverable boolean not null,
    record_duration double precision not null,
    record_months double precision not null,
    record_settled_until timestamptz not null,
    record_works integer not null,
    record_refs integer not null,
    constraint talent_rank_skill_pk primary key (skill, user_id)
      include (credential, points, dated_points, dated_until, candidate_id, discoverable, record_duration,
        record_months, record_settled_until, record_works, record_refs)
  )`.execute(db);
  // The rows of these (worker, skill) pairs, computed from their evidence and profile (none when no evidence).
  const select = (from: string) => `
    select e.skill, e.user_id, bool_or(e.kind = 'credential'),
      coalesce(sum(q.points) filter (where e.valid_until is null), 0),
      coalesce(sum(q.points) filter (where e.valid_until is not null), 0),
      max(e.valid_until) filter (where q.points > 0),
      p.id, coalesce(p.discoverable, false), coalesce(p.record_duration, 0), coalesce(p.record_months, 0),
      coalesce(p.record_settled_until, 'infinity'), coalesce(p.record_works, 0), coalesce(p.record_refs, 0)
    from ${from}
    left join talent_profiles p on p.user_id = e.user_id
    cross join talent_rank_params r
    cross join lateral (select case when e.kind = 'credential' and e.status = 'active' then
        case coalesce(e.assessment, 'attendance') when 'tested' then r.tested when 'reviewed' then r.reviewed
          when 'attendance' then r.attendance else greatest(r.tested, r.reviewed, r.attendance) end
        * case when e.level is null then r.unscored else r.score_floor + (1 - r.score_floor) * e.level / 100 end
        * case when e.trusted then 1 else r.untrusted end
      else 0 end as points) q
    group by e.skill, e.user_id, p.id, p.discoverable, p.record_duration, p.record_months, p.record_settled_until,
      p.record_works, p.record_refs`;
  // The pairs a statement touched (an update's old and new ones), computed again (removed when no row is left).
  // Upserted, not deleted and inserted again, so that two transactions computing the same pair do not collide.
  const columns = [
    'credential',
    'points',
    'dated_points',
    'dated_until',
    'candidate_id',
    'discoverable',
    'record_duration',
    'record_months',
    'record_settled_until',
    'record_works',
    'record_refs',
  ];
  const refresh = (pairs: string) => `
      delete from talent_rank_skill t using (${pairs}) c where t.skill = c.skill and t.user_id = c.user_id
        and not exists (select 1 from talent_evidence e where e.user_id = c.user_id and e.skill = c.skill);
      insert into talent_rank_skill ${select(`(select distinct user_id, skill from (${pairs}) d) c
        join talent_evidence e on e.user_id = c.user_id and e.skill = c.skill`)}
      on conflict (skill, user_id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')};`;
  await sql`
    create function rank_evidence_changed() returns trigger language plpgsql as $$
    begin
      ${sql.raw(refresh('select user_id, skill from changed'))}
      return null;
    end $$`.execute(db);
  await sql`
    create function rank_evidence_updated() returns trigger language plpgsql as $$
    begin
      ${sql.raw(refresh('select user_id, skill from changed union select user_id, skill from gone'))}
      return null;
    end $$`.execute(db);
  await sql`create trigger rank_evidence_inserted after insert on talent_evidence
    referencing new table as changed for each statement execute function rank_evidence_changed()`.execute(db);
  await sql`create trigger rank_evidence_deleted after delete on talent_evidence
    referencing old table as changed for each statement execute function rank_evidence_changed()`.execute(db);
  await sql`create trigger rank_evidence_updated after update on talent_evidence
    referencing old table as gone new table as changed for each statement execute function rank_evidence_updated()`.execute(
    db,
  );
  await sql`create index talent_rank_skill_by_user on talent_rank_skill (user_id)`.execute(db);
  // A profile's columns, copied to its worker's rows (made, changed or removed).
  await sql`
    create function rank_profile_changed() returns trigger language plpgsql as $$
    begin
      update talent_rank_skill t set candidate_id = p.id, discoverable = p.discoverable,
        record_duration = p.record_duration, record_months = p.record_months,
        record_settled_until = p.record_settled_until, record_works = p.record_works, record_refs = p.record_refs
      from changed c join talent_profiles p on p.user_id = c.user_id
      where t.user_id = c.user_id and (t.candidate_id, t.discoverable, t.record_duration, t.record_months,
        t.record_settled_until, t.record_works, t.record_refs) is distinct from (p.id, p.discoverable,
        p.record_duration, p.record_months, p.record_settled_until, p.record_works, p.record_refs);
      update talent_rank_skill t set candidate_id = null, discoverable = false
      from changed c where t.user_id = c.user_id
        and not exists (select 1 from talent_profiles p where p.user_id = c.user_id) and t.candidate_id is not null;
      return null;
    end $$`.execute(db);
  for (const [name, event, table] of [
    ['rank_profile_inserted', 'insert', 'new'],
    ['rank_profile_updated', 'update', 'new'],
    ['rank_profile_deleted', 'delete', 'old'],
  ] as const) {
    await sql`create trigger ${sql.raw(name)} after ${sql.raw(event)} on talent_profiles
      referencing ${sql.raw(table)} table as changed for each statement execute function rank_profile_changed()`.execute(
      db,
    );
  }
  // Every (worker, skill) at once, for the rows already there (and after a bulk load with the triggers off).
  await sql`
    create function rank_skill_rebuild() returns void language plpgsql as $$
    begin
      truncate talent_rank_skill;
      insert into talent_rank_skill ${sql.raw(select('talent_evidence e'))};
    end $$`.execute(db);
  await sql`select rank_skill_rebuild()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const event of ['inserted', 'updated', 'deleted']) {
    await sql`drop trigger ${sql.raw(`rank_profile_${event}`)} on talent_profiles`.execute(db);
    await sql`drop trigger ${sql.raw(`rank_evidence_${event}`)} on talent_evidence`.execute(db);
  }
  await sql`drop function rank_profile_changed()`.execute(db);
  await sql`drop function rank_evidence_updated()`.execute(db);
  await sql`drop function rank_evidence_changed()`.execute(db);
  await sql`drop function rank_skill_rebuild()`.execute(db);
  await sql`drop table talent_rank_skill`.execute(db);
  await sql`drop table talent_rank_params`.execute(db);
}
