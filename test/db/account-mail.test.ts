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

const columns = async (table: string) =>
  (
    await sql<{ column_name: string }>`select column_name from information_schema.columns
      where table_name = ${table}`.execute(database.db)
  ).rows.map((r) => r.column_name);

it('0019 can be undone and redone; notices written before it are kept, never sent', async () => {
  expect(await columns('outbox')).toContain('state');
  expect(await columns('users')).toContain('email_confirmed_at');
  // Later migrations are undone first, down to 0019 (each must undo cleanly too).
  const later = knownMigrations().filter((name) => name > '0019-account-mail');
  for (const name of [...later].reverse()) expect(await migrateDownOne(database.db)).toBe(name);
  expect(await migrateDownOne(database.db)).toBe('0019-account-mail');
  expect(await columns('outbox')).not.toContain('state');
  expect(await columns('users')).not.toContain('email_confirmed_at');
  expect(await columns('account_tokens')).toEqual([]);
  const id = randomUUID();
  await sql`insert into outbox (id, to_email, subject, text) values (${id}, 'old@example.org', 'Old', 'Old')`.execute(
    database.db,
  );
  expect((await migrateToLatest(database.db)).applied).toEqual(['0019-account-mail', ...later]);
  const row = await database.db
    .selectFrom('outbox')
    .select(['state', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirst();
  expect(row).toEqual({ state: 'kept', attempts: 0 });
});
