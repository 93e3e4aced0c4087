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
      where table_name in ('oauth_records', 'ob_profiles') order by table_name`.execute(database.db)
  ).rows.map((r) => r.table_name);

it('0028 can be undone and redone', async () => {
  const all = ['oauth_records', 'ob_profiles'];
  expect(await tables()).toEqual(all);
  const later = knownMigrations().filter((name) => name > '0028-oauth');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0028-oauth');
  expect(await tables()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual(['0028-oauth', ...later]);
  expect(await tables()).toEqual(all);
});
