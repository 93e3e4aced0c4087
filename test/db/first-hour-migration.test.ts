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

it('0022 gives existing micro-credentials codes in the order they were made, and can be undone and redone', async () => {
  const undone: (string | undefined)[] = [];
  while (undone.at(-1) !== '0022-first-hour') {
    undone.push(await migrateDownOne(database.db));
    if (undone.at(-1) === undefined) throw new Error('no 0022-first-hour to take back');
  }
  const org = randomUUID();
  const other = randomUUID();
  await sql`insert into organizations (id, name) values (${org}, 'One'), (${other}, 'Two')`.execute(database.db);
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  for (const [i, [id, orgId]] of [
    [ids[0], org],
    [ids[1], other],
    [ids[2], org],
  ].entries()) {
    await sql`insert into achievements (id, org_id, status, draft, created_at, updated_at)
      values (${id}, ${orgId}, 'draft', ${JSON.stringify({ title: `T${i}` })}, ${new Date(Date.UTC(2026, 0, i + 1))}, now())`.execute(
      database.db,
    );
  }
  expect((await migrateToLatest(database.db)).applied).toEqual(undone.reverse());
  const rows = await sql<{
    id: string;
    code: string;
    draft: unknown;
  }>`select id, code, draft from achievements`.execute(database.db);
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  const draftOf = (id: string) => {
    const draft = byId.get(id)!.draft;
    return (typeof draft === 'string' ? JSON.parse(draft) : draft) as { title: string; humanCode: string };
  };
  expect(ids.map((id) => byId.get(id)!.code)).toEqual(['MC-001', 'MC-001', 'MC-002']);
  expect(draftOf(ids[2]!)).toEqual({ title: 'T2', humanCode: 'MC-002' });
  // One code per organization, in any case.
  await expect(
    sql`update achievements set code = 'mc-001' where id = ${ids[2]!}`.execute(database.db),
  ).rejects.toThrow();
});
