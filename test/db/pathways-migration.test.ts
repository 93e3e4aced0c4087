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
  // 0026 adds pathway_notices.
  const all = ['pathway_award_flags', 'pathway_awards', 'pathway_notices', 'pathway_versions', 'pathways'];
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
