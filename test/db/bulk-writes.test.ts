import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createIssuanceStore, type NewCredential } from '../../src/issuance/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.dispose());

async function foreignKeys(table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select conname as name from pg_constraint where conrelid = ${table}::regclass and contype = 'f' order by 1`.execute(
    database.db,
  );
  return rows.map((r) => r.name);
}

async function fixture() {
  const db = database.db;
  const orgId = randomUUID();
  await db.insertInto('organizations').values({ id: orgId, name: 'Writes Academy' }).execute();
  const listId = randomUUID();
  await db
    .insertInto('status_lists')
    .values({
      id: listId,
      org_id: orgId,
      purpose: 'suspension',
      length: 8,
      bits: new Uint8Array(1),
      updated_at: new Date(),
    })
    .execute();
  const credential = (suspensionIndex: number, document: string | Uint8Array): NewCredential => ({
    id: randomUUID(),
    orgId,
    credentialId: `urn:uuid:${randomUUID()}`,
    format: 'ldp_vc',
    document,
    subjectId: null,
    name: 'Writes',
    validUntil: null,
    revocationListId: null,
    revocationIndex: null,
    suspensionListId: listId,
    suspensionIndex,
    issuedBy: null,
    recipientUserId: null,
    achievementId: null,
    achievementVersion: null,
    sourceKey: randomUUID(),
  });
  return { orgId, listId, credential };
}

describe('the bulk-writes migration (0015)', () => {
  it('drops only the foreign keys another key already guarantees, and can be taken back', async () => {
    expect(await foreignKeys('claims')).toEqual(['claims_claimed_by_fkey', 'claims_credential_id_fkey']);
    expect(await foreignKeys('outbox')).toEqual(['outbox_claim_id_fkey']);
    expect(await foreignKeys('bulk_rows')).toEqual(['bulk_rows_upload_id_fkey']);

    expect(await migrateDownOne(database.db)).toBe('0015-bulk-writes');
    expect(await foreignKeys('claims')).toContain('claims_org_id_fkey');
    expect(await foreignKeys('bulk_rows')).toContain('bulk_rows_credential_id_fkey');
    expect((await migrateToLatest(database.db)).applied).toEqual(['0015-bulk-writes']);
    expect(await foreignKeys('outbox')).toEqual(['outbox_claim_id_fkey']);
  });

  it('still refuses a suspension slot taken twice, and stores documents given as UTF-8 bytes', async () => {
    const store = createIssuanceStore(database.db);
    const { credential } = await fixture();
    const text = JSON.stringify({ name: 'Zoë’s 数据 🎓' });
    const first = credential(3, new TextEncoder().encode(text));
    expect(await store.insertCredential(first)).toBe('stored');
    expect(await store.insertCredential(credential(3, text))).toBe('slot-taken');
    expect((await store.findCredential({ id: first.id }))!.document).toBe(text);
    // Bytes that are not UTF-8 are refused by the database, not stored.
    await expect(store.insertCredential(credential(4, new Uint8Array([0x7b, 0xff, 0x7d])))).rejects.toThrow(/UTF8/i);
  });
});
