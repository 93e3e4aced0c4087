import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.dispose());

const tableExists = async () =>
  (
    await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_name = 'trust_registry_sources'`.execute(database.db)
  ).rows[0]!.n === 1;

it('0021 (registry sources) can be undone and redone, and refuses intervals outside 15 minutes to a week', async () => {
  expect(await tableExists()).toBe(true);
  const undone: string[] = [];
  while (undone.at(-1) !== '0021-registry-sources') {
    const last = await migrateDownOne(database.db);
    if (last === undefined) throw new Error('0021-registry-sources was never taken back');
    undone.push(last);
  }
  expect(await tableExists()).toBe(false);
  expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
  expect(await tableExists()).toBe(true);
  const insert = (minutes: number) =>
    sql`insert into trust_registry_sources (name, url, interval_minutes)
        values (${`r${minutes}`}, 'https://registry.example/registry.json', ${minutes})`.execute(database.db);
  await expect(insert(14)).rejects.toThrow();
  await expect(insert(10_081)).rejects.toThrow();
  await insert(15);
  const row = await database.db.selectFrom('trust_registry_sources').selectAll().executeTakeFirstOrThrow();
  expect(row).toMatchObject({ name: 'r15', last_status: 'pending', last_error: null });
});
