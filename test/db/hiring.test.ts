import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.dispose());

const tables = async () =>
  (
    await sql<{ table_name: string }>`select table_name from information_schema.tables
      where table_name in ('talent_profiles', 'hiring_jobs', 'talent_evidence', 'talent_records', 'talent_dirty',
        'hiring_reveals') order by table_name`.execute(database.db)
  ).rows.map((r) => r.table_name);
const triggers = async () =>
  (
    await sql<{ tgname: string }>`select tgname from pg_trigger where tgname like 'talent_%' order by tgname`.execute(
      database.db,
    )
  ).rows.map((r) => r.tgname);

it('0023 can be undone and redone, with its tables and the triggers that mark workers for recomputing', async () => {
  expect(await tables()).toHaveLength(6);
  expect(await triggers()).toEqual(['talent_credentials_changed', 'talent_imports_changed']);
  const undone: string[] = [];
  while (undone.at(-1) !== '0023-hiring') {
    const last = await migrateDownOne(database.db);
    if (last === undefined) throw new Error('no 0023-hiring to take back');
    undone.push(last);
  }
  expect(await tables()).toEqual([]);
  expect(await triggers()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
  expect(await tables()).toHaveLength(6);
});
