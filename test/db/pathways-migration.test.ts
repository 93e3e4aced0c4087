import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { knownMigrations, migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.dispose());

const tables = async () =>
  (
    await sql<{ table_name: string }>`select table_name from information_schema.tables
      where table_name like 'pathway%' order by table_name`.execute(database.db)
  ).rows.map((r) => r.table_name);

it('0024 can be undone and redone', async () => {
  // 0026 adds pathway_notices, 0036 pathway_facts_dirty and pathway_holding_facts.
  const all = [
    'pathway_award_flags',
    'pathway_awards',
    'pathway_facts_dirty',
    'pathway_holding_facts',
    'pathway_notices',
    'pathway_versions',
    'pathways',
  ];
  expect(await tables()).toEqual(all);
  const later = knownMigrations().filter((name) => name > '0024-pathways');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0024-pathways');
  expect(await tables()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual(['0024-pathways', ...later]);
  expect(await tables()).toEqual(all);
});

it('0026 can be undone and redone', async () => {
  const later = knownMigrations().filter((name) => name > '0026-pathway-notices');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0026-pathway-notices');
  expect(await tables()).not.toContain('pathway_notices');
  expect((await migrateToLatest(database.db)).applied).toEqual(['0026-pathway-notices', ...later]);
  expect(await tables()).toContain('pathway_notices');
});

it('0036 can be undone and redone, and marks every learner holding something so the first re-evaluation fills it', async () => {
  const later = knownMigrations().filter((name) => name > '0036-pathway-holding-facts');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0036-pathway-holding-facts');
  expect(await tables()).not.toContain('pathway_holding_facts');
  const [importer, none] = [randomUUID(), randomUUID()];
  for (const id of [importer, none]) {
    await sql`insert into users (id, email, name, password_hash) values (${id}, ${`${id}@example.test`}, 'L', 'x')`.execute(
      database.db,
    );
  }
  await sql`insert into imported_credentials (id, user_id, format, document, digest, source)
    values (${randomUUID()}, ${importer}, 'ldp_vc', '{}', 'sha256:x', 'json')`.execute(database.db);
  expect((await migrateToLatest(database.db)).applied).toEqual(['0036-pathway-holding-facts', ...later]);
  const marked = await sql<{ user_id: string }>`select user_id from pathway_facts_dirty`.execute(database.db);
  expect(marked.rows.map((r) => r.user_id)).toContain(importer);
  expect(marked.rows.map((r) => r.user_id)).not.toContain(none);
  // An import removed later takes its row out of the projection at once, and marks its learner.
  await sql`delete from pathway_facts_dirty`.execute(database.db);
  await sql`delete from imported_credentials where user_id = ${importer}`.execute(database.db);
  expect(
    (await sql`select 1 from pathway_facts_dirty where user_id = ${importer}`.execute(database.db)).rows,
  ).toHaveLength(1);
});
