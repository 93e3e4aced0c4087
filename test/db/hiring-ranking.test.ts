import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHiring } from '../../src/hiring/hiring.js';
import { defaultParams } from '../../src/hiring/score.js';
import { createHiringStore, type EvidenceRow, type RecordRow } from '../../src/hiring/store.js';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The bounded ranking (an upper bound per candidate from the index, exact scores for the best bounds only) gives
 * exactly the answer of scoring every candidate holding an asked skill: random workers with tied and untied
 * scores, a skill hierarchy, every status, minimum results, work history and references, zero weights.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.dispose());

let seed = 20261207;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const uuid = (n: number, prefix = '0') => `00000000-0000-4000-8000-${prefix}${n.toString(16).padStart(11, '0')}`;

const skillCount = 30;
const code = (i: number) => `test:skill:${i}`;
// A forest: skill i's broader skill is one of the skills before it (a third of them have none).
const broader: { skill: string; broader: string }[] = [];
for (let i = 1; i < skillCount; i++)
  if (random() < 0.66) broader.push({ skill: code(i), broader: code(pick([...Array(i).keys()])) });

it('ranks the same candidates, scores, terms and total as scoring every candidate, on random evidence', async () => {
  const db = database.db;
  const store = createHiringStore(db);
  const workers = 160;
  await sql`insert into users (id, email, name, password_hash)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'r' || i || '@rank.test', 'R ' || i, 'x'
    from generate_series(1, ${workers}::int) i`.execute(db);
  const past = new Date(Date.now() - 86_400_000).toISOString();
  const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
  let holding = 0;
  for (let w = 1; w <= workers; w++) {
    const userId = uuid(w, '0');
    await store.saveProfile(userId, {
      discoverable: random() < 0.9,
      headline: '',
      availableFrom: null,
      daysPerWeek: null,
      dayRate: null,
      desiredRoles: [],
      holdingIds: null,
    });
    const evidence: EvidenceRow[] = [];
    const records: RecordRow[] = [];
    const status = () => (random() < 0.85 ? 'active' : pick(['revoked', 'suspended', 'unverified']));
    const validUntil = () => (random() < 0.1 ? past : random() < 0.2 ? future : null);
    const credentials = random() < 0.1 ? 8 + Math.floor(random() * 10) : Math.floor(random() * 4);
    for (let c = 0; c < credentials; c++) {
      const holdingId = uuid(++holding, '1');
      const base = {
        name: `Credential ${holding}`,
        issuer: `Issuer ${holding % 4}`,
        issuerId: `did:web:issuer${holding % 4}.test`,
        trusted: random() < 0.5,
        assessment: pick(['tested', 'reviewed', 'attendance']),
        // Few distinct results, so that scores tie.
        score: random() < 0.6 ? pick([50, 70, 90, 100]) : null,
        statusDetail: null,
      };
      const [s, v] = [status(), validUntil()];
      const skills = new Set<number>();
      const count = 1 + Math.floor(random() * 3);
      while (skills.size < count) skills.add(Math.floor(skillCount * random() ** 1.5));
      for (const skill of skills) {
        evidence.push({
          holdingId,
          skill: code(skill),
          kind: 'credential',
          status: s,
          validUntil: v,
          facts: {
            ...base,
            skillLabel: `Skill ${skill}`,
            skillScore: random() < 0.3 ? pick([40, 60, 80]) : null,
          },
        });
      }
    }
    const works = random() < 0.35 ? 1 + Math.floor(random() * 3) : 0;
    for (let k = 0; k < works; k++) {
      const holdingId = uuid(++holding, '1');
      const skills = [...new Set([code(Math.floor(skillCount * random())), code(Math.floor(skillCount * random()))])];
      const [s, v] = [status(), validUntil()];
      const work = {
        role: 'Analyst',
        months: pick([0, 3, 12, 30, 70]),
        from: null,
        until: null,
        ratings: {
          communication: random() < 0.5 ? 80 : null,
          timeliness: random() < 0.5 ? 60 : null,
          reliability: 90,
        },
      };
      const base = {
        name: 'Work',
        issuer: 'Employer',
        issuerId: null,
        trusted: true,
        assessment: 'tested',
        score: null,
      };
      for (const skill of skills) {
        evidence.push({
          holdingId,
          skill,
          kind: 'work',
          status: s,
          validUntil: v,
          facts: { ...base, statusDetail: null, skillLabel: skill, skillScore: null },
        });
      }
      records.push({
        holdingId,
        kind: 'work',
        status: s,
        validUntil: v,
        facts: { ...base, statusDetail: null, skills, work, reference: null },
      });
    }
    const references = random() < 0.25 ? 1 + Math.floor(random() * 3) : 0;
    for (let k = 0; k < references; k++) {
      records.push({
        holdingId: uuid(++holding, '1'),
        kind: 'reference',
        status: status(),
        validUntil: validUntil(),
        facts: { name: 'Reference', issuer: 'Employer', skills: [], work: null, reference: { comment: 'Good' } },
      });
    }
    await store.replaceEvidence(userId, evidence, records);
    // Some workers' evidence is computed again, without their records (the records' summary follows).
    if (w % 7 === 0) await store.replaceEvidence(userId, evidence, records.slice(0, 1));
  }

  const org = (
    await sql<{ id: string }>`insert into organizations (id, name) values (gen_random_uuid(), 'Rank Test')
      returning id`.execute(db)
  ).rows[0]!.id;
  const hiring = createHiring({
    store,
    holdings: async () => [],
    verdict: async () => undefined,
    skills: { skillsByCode: async () => [], broaderPairs: async () => broader, taxonomyStamp: async () => 'test' },
    identity: async () => ({ displayName: '', email: '' }),
    orgName: async () => 'Rank Test',
    issue: async () => {
      throw new Error('not in this test');
    },
    workerByEmail: async () => undefined,
  });

  let compared = 0;
  let pagesWithCandidates = 0;
  for (let j = 0; j < 24; j++) {
    const asked = new Set<number>();
    const size = 1 + Math.floor(random() * 5);
    while (asked.size < size) asked.add(Math.floor(skillCount * random()));
    const weights =
      j % 6 === 5
        ? { credentials: pick([0, 1]), workHistory: pick([0, 2]), references: pick([0, 0.5]) }
        : { credentials: pick([1, 1.5]), workHistory: 1, references: 1 };
    const job = await store.createJob(
      {
        orgId: org,
        title: `Job ${j}`,
        description: '',
        kind: 'job',
        status: 'open',
        skills: [...asked].map((s) => ({
          skill: code(s),
          label: `Skill ${s}`,
          weight: 1 + Math.floor(random() * 5),
          minLevel: random() < 0.2 ? pick([50, 75]) : null,
          required: j % 8 === 7 && random() < 0.5,
        })),
        weights,
        location: null,
        remote: true,
        blind: true,
      },
      uuid(1, '0'),
    );
    const everything = await hiring.candidates(org, job.id, { limit: 100, offset: 0, strategy: 'exhaustive' });
    for (const [limit, offset, firstBatch] of [
      [10, 0, 1],
      [5, 3, 2],
      [20, 0, undefined],
      [3, 40, 4],
      [100, 0, 7],
    ] as const) {
      const bounded = await hiring.candidates(org, job.id, { limit, offset, firstBatch });
      const exhaustive = await hiring.candidates(org, job.id, { limit, offset, strategy: 'exhaustive' });
      expect(bounded).toEqual(exhaustive);
      expect(bounded.candidates).toEqual(everything.candidates.slice(offset, offset + limit));
      for (const c of bounded.candidates) expect(c.terms.reduce((s, t) => s + t.points, 0)).toBe(c.score);
      compared++;
      if (bounded.candidates.length > 0) pagesWithCandidates++;
    }
  }
  expect(compared).toBe(120);
  // The comparison ranks real candidates, not empty pages.
  expect(pagesWithCandidates).toBeGreaterThan(80);
});

it('0035: the rows per (worker, skill) its triggers keep are the ones computed from scratch, after every kind of change', async () => {
  const db = database.db;
  const snapshot = async () =>
    (
      await sql`select skill, user_id, credential, round(points::numeric, 9) as points,
        round(dated_points::numeric, 9) as dated_points, dated_until::text as dated_until, candidate_id, discoverable,
        round(record_duration::numeric, 9) as record_duration, record_months,
        record_settled_until::text as record_settled_until, record_works, record_refs
        from talent_rank_skill order by skill, user_id`.execute(db)
    ).rows;
  const workers = (offset: number, limit: number) =>
    sql`(select user_id from talent_profiles order by user_id offset ${offset} limit ${limit})`;
  // A revocation and a result changed in place, a skill renamed on one row, a worker's evidence removed.
  await sql`update talent_evidence set status = 'revoked' where kind = 'credential' and status = 'active'
    and user_id in ${workers(0, 6)}`.execute(db);
  await sql`update talent_evidence set facts = facts || '{"score": 12}'::jsonb where kind = 'credential'
    and user_id in ${workers(6, 6)}`.execute(db);
  await sql`update talent_evidence set skill = 'test:skill:moved' where (user_id, holding_id, skill) in
    (select user_id, holding_id, skill from talent_evidence order by user_id, holding_id, skill limit 1)`.execute(db);
  await sql`delete from talent_evidence where user_id in ${workers(12, 3)}`.execute(db);
  // Profiles hidden and shown, one removed, and records (so the profile's summary) changed and removed.
  await sql`update talent_profiles set discoverable = not discoverable where user_id in ${workers(15, 9)}`.execute(db);
  await sql`delete from talent_profiles where user_id in ${workers(24, 1)}`.execute(db);
  await sql`update talent_records set status = 'revoked' where user_id in ${workers(25, 20)}`.execute(db);
  await sql`delete from talent_records where user_id in ${workers(45, 20)}`.execute(db);
  const kept = await snapshot();
  expect(kept.length).toBeGreaterThan(100);
  expect(kept.filter((r) => (r as { discoverable: boolean }).discoverable).length).toBeGreaterThan(50);
  await sql`select rank_skill_rebuild()`.execute(db);
  expect(kept).toEqual(await snapshot());
  // The points were summed with the score's quality parameters (a change to them needs a migration).
  const params = (await sql`select * from talent_rank_params`.execute(db)).rows;
  const q = defaultParams.quality;
  expect(params).toEqual([
    {
      id: true,
      ...q.assessment,
      score_floor: q.scoreFloor,
      unscored: q.unscored,
      untrusted: q.untrustedIssuer,
    },
  ]);
});

/** Each profile's summary of its records is what its records say (read from their facts here). */
async function summariesMatch() {
  const records = await database.db.selectFrom('talent_records').selectAll().execute();
  const profiles = (
    await sql<{
      user_id: string;
      record_duration: number;
      record_months: number;
      record_settled_until: string;
      record_works: number;
      record_refs: number;
    }>`select user_id, record_duration, record_months, record_settled_until::text as record_settled_until, record_works, record_refs
      from talent_profiles`.execute(database.db)
  ).rows;
  let withRecords = 0;
  for (const p of profiles) {
    const mine = records.filter((r) => r.user_id === p.user_id);
    const work = mine.filter((r) => r.kind === 'work');
    const facts = (r: (typeof mine)[number]) =>
      (typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts) as {
        work: { months: number; ratings: Record<string, number | null> };
      };
    let duration = 0;
    let months = 0;
    for (const r of work) {
      const w = facts(r).work;
      const given = Object.values(w.ratings).filter((x): x is number => x !== null);
      const rating = given.length ? 0.5 + (0.5 * given.reduce((a, b) => a + b, 0)) / given.length / 100 : 0.75;
      duration += Math.min(1, Math.max(0, w.months) / 12) * rating;
      months += Math.max(0, w.months);
    }
    const settled = work.every((r) => r.status === 'active')
      ? Math.min(Infinity, ...work.map((r) => (r.valid_until ? r.valid_until.getTime() : Infinity)))
      : -Infinity;
    const until = p.record_settled_until;
    const stored = until === 'infinity' ? Infinity : until === '-infinity' ? -Infinity : new Date(until).getTime();
    expect(p.record_duration).toBeCloseTo(duration, 9);
    expect(p.record_months).toBe(months);
    expect(stored).toBe(settled);
    expect(p.record_works).toBe(work.length);
    expect(p.record_refs).toBe(mine.length - work.length);
    if (mine.length) withRecords++;
  }
  expect(withRecords).toBeGreaterThan(10);
}

it('0034 can be undone and redone: the bound columns and the covering indexes', async () => {
  const columns = async () =>
    (
      await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_name in ('talent_evidence', 'talent_records', 'talent_profiles')
          and column_name in ('level', 'assessment', 'trusted', 'months', 'rating', 'record_duration', 'record_months',
            'record_settled_until', 'record_works', 'record_refs')
        order by column_name`.execute(database.db)
    ).rows.map((r) => r.column_name);
  const expected = [
    'assessment',
    'level',
    'months',
    'rating',
    'record_duration',
    'record_months',
    'record_refs',
    'record_settled_until',
    'record_works',
    'trusted',
  ];
  expect(await columns()).toEqual(expected);
  // Kept by the triggers as the ranking test wrote and replaced records, and for a profile made after its records.
  const late = uuid(9999, '0');
  await sql`insert into users (id, email, name, password_hash) values (${late}, 'late@rank.test', 'Late', 'x')`.execute(
    database.db,
  );
  const store = createHiringStore(database.db);
  const work = { role: 'Analyst', months: 7, from: null, until: null, ratings: { communication: 40 } };
  await store.replaceEvidence(
    late,
    [],
    [{ holdingId: uuid(9999, '1'), kind: 'work', status: 'active', validUntil: null, facts: { skills: [], work } }],
  );
  await store.saveProfile(late, {
    discoverable: true,
    headline: '',
    availableFrom: null,
    daysPerWeek: null,
    dayRate: null,
    desiredRoles: [],
    holdingIds: null,
  });
  const summary = (
    await sql<{ works: number; months: number }>`select record_works as works, record_months as months
      from talent_profiles where user_id = ${late}`.execute(database.db)
  ).rows[0]!;
  expect(summary).toEqual({ works: 1, months: 7 });
  await summariesMatch();
  const undone: string[] = [];
  while (undone.at(-1) !== '0034-rank-bounds') {
    const last = await migrateDownOne(database.db);
    if (last === undefined) throw new Error('no 0034-rank-bounds to take back');
    undone.push(last);
  }
  expect(await columns()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
  expect(await columns()).toEqual(expected);
  // The derived columns are filled for the rows already there.
  const filled = (
    await sql<{ n: number }>`select count(*)::int as n from talent_evidence
      where kind = 'credential' and trusted = ((facts->>'trusted')::boolean)
        and level is not distinct from coalesce((facts->>'skillScore')::float8, (facts->>'score')::float8)`.execute(
      database.db,
    )
  ).rows[0]!.n;
  const all = (
    await sql<{ n: number }>`select count(*)::int as n from talent_evidence where kind = 'credential'`.execute(
      database.db,
    )
  ).rows[0]!.n;
  expect(all).toBeGreaterThan(0);
  expect(filled).toBe(all);
  // Each profile's summary of its records, filled for the records already there.
  await summariesMatch();
});
