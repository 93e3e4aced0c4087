import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
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
  // Newer migrations go first, then 0019.
  const undone: string[] = [];
  while (undone.at(-1) !== '0019-account-mail') {
    const last = await migrateDownOne(database.db);
    if (last === undefined) throw new Error('0019-account-mail was never taken back');
    undone.push(last);
  }
  expect(await columns('outbox')).not.toContain('state');
  expect(await columns('users')).not.toContain('email_confirmed_at');
  expect(await columns('account_tokens')).toEqual([]);
  const id = randomUUID();
  await sql`insert into outbox (id, to_email, subject, text) values (${id}, 'old@example.org', 'Old', 'Old')`.execute(
    database.db,
  );
  expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
  const row = await database.db
    .selectFrom('outbox')
    .select(['state', 'attempts'])
    .where('id', '=', id)
    .executeTakeFirst();
  expect(row).toEqual({ state: 'kept', attempts: 0 });
});
