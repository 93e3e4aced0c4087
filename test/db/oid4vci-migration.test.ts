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
      where table_name like 'oid4vci%' order by table_name`.execute(database.db)
  ).rows.map((r) => r.table_name);

it('0029 can be undone and redone', async () => {
  const all = ['oid4vci_deliveries', 'oid4vci_nonces', 'oid4vci_offers'];
  expect(await tables()).toEqual(all);
  const later = knownMigrations().filter((name) => name > '0029-oid4vci');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0029-oid4vci');
  expect(await tables()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual(['0029-oid4vci', ...later]);
  expect(await tables()).toEqual(all);
});
