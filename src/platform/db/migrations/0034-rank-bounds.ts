import { sql, type Kysely } from 'kysely';

/**
 * What a ranking needs to bound a candidate's score without reading the evidence's JSON: each evidence row's
 * result (the skill's own, else the credential's), how it was earned and whether its issuer was trusted, and each
 * record's months of work, as columns the database derives from the facts (so every writer of the index fills
 * them). The index by skill covers them, so the rows of the asked skills are read from the index alone; the
 * records' index by worker covers theirs.
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
  await sql`alter table talent_records
    add column months double precision generated always as (
      case when jsonb_typeof(facts->'work'->'months') = 'number' then (facts->'work'->>'months')::double precision
           else 0 end) stored`.execute(db);
  await sql`create index talent_records_by_user on talent_records (user_id) include (kind, status, valid_until, months)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index talent_records_by_user`.execute(db);
  await sql`alter table talent_records drop column months`.execute(db);
  await sql`drop index talent_evidence_by_skill`.execute(db);
  await sql`alter table talent_evidence drop column level, drop column assessment, drop column trusted`.execute(db);
  await sql`create index talent_evidence_by_skill on talent_evidence (skill, user_id)`.execute(db);
}
