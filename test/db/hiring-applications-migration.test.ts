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
      where table_name in ('hiring_applications', 'hiring_application_events', 'hiring_engagements',
        'hiring_funnel_counts')
      order by table_name`.execute(database.db)
  ).rows.map((r) => r.table_name);

it('0025 can be undone and redone', async () => {
  const all = ['hiring_application_events', 'hiring_applications', 'hiring_engagements', 'hiring_funnel_counts'];
  expect(await tables()).toEqual(all);
  const later = knownMigrations().filter((name) => name > '0025-hiring-applications');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0025-hiring-applications');
  expect(await tables()).toEqual([]);
  expect((await migrateToLatest(database.db)).applied).toEqual(['0025-hiring-applications', ...later]);
  expect(await tables()).toEqual(all);
});
