import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../../src/platform/db/migrate.js';
import { createIssuanceStore, type NewCredential } from '../../src/issuance/store.js';
import { deflateDocument } from '../../src/issuance/stored-document.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { standardsText } from '../helpers/standards.js';

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
  const credential = (suspensionIndex: number, document: NewCredential['document']): NewCredential => ({
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

/** Takes the migrations back, newest first, down to and including `name`; their names in that order. */
async function downThrough(name: string): Promise<string[]> {
  const undone: string[] = [];
  for (;;) {
    const last = await migrateDownOne(database.db);
    if (last === undefined) throw new Error(`no migration ${name} to take back`);
    undone.push(last);
    if (last === name) return undone;
  }
}

describe('the bulk-writes migration (0015)', () => {
  it('drops only the foreign keys another key already guarantees, and can be taken back', async () => {
    expect(await foreignKeys('claims')).toEqual(['claims_claimed_by_fkey', 'claims_credential_id_fkey']);
    expect(await foreignKeys('outbox')).toEqual(['outbox_claim_id_fkey']);
    expect(await foreignKeys('bulk_rows')).toEqual(['bulk_rows_upload_id_fkey']);

    const undone = await downThrough('0015-bulk-writes');
    expect(undone.slice(-2)).toEqual(['0016-deflated-documents', '0015-bulk-writes']);
    expect(await foreignKeys('claims')).toContain('claims_org_id_fkey');
    expect(await foreignKeys('bulk_rows')).toContain('bulk_rows_credential_id_fkey');
    expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
    expect(await foreignKeys('outbox')).toEqual(['outbox_claim_id_fkey']);
  });

  it('still refuses a suspension slot taken twice', async () => {
    const store = createIssuanceStore(database.db);
    const { credential } = await fixture();
    const text = JSON.stringify({ name: 'Zoë’s 数据 🎓' });
    const first = credential(3, deflateDocument(text));
    expect(await store.insertCredential(first)).toBe('stored');
    expect(await store.insertCredential(credential(3, text))).toBe('slot-taken');
    expect((await store.findCredential({ id: first.id }))!.document).toBe(text);
    // The database no longer sees the text, so bytes are taken only as `deflateDocument` made them, from text:
    // anything else (bytes that are not UTF-8, say) is refused by the type checker (`npm run typecheck`).
    // @ts-expect-error raw bytes are not a deflated document
    void credential(4, new Uint8Array([0x7b, 0xff, 0x7d]));
  });
});

describe('the deflated-documents migration (0016)', () => {
  const documentColumns = (id: string) =>
    database.db
      .selectFrom('credentials')
      .select(['document', 'document_deflated'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('stores new documents deflated, reads older ones as text, and takes both back to text when undone', async () => {
    const store = createIssuanceStore(database.db);
    const { orgId, credential } = await fixture();
    // The complete OB 3.0 example, with non-ASCII text and the exact whitespace of the file.
    const text = standardsText('ob3/examples/example-complete-openbadgecredential.json').replace(
      '"name": "',
      '"name": "Zoë’s 数据 🎓 ',
    );
    const fresh = credential(5, text);
    expect(await store.insertCredential(fresh)).toBe('stored');
    const stored = await documentColumns(fresh.id);
    expect(stored.document).toBeNull();
    expect(stored.document_deflated!.length).toBeLessThan(Buffer.byteLength(text) / 2);
    expect((await store.findCredential({ id: fresh.id }))!.document).toBe(text);

    // A row from before the migration keeps its text.
    const older = randomUUID();
    await database.db
      .insertInto('credentials')
      .values({ id: older, org_id: orgId, credential_id: `urn:uuid:${older}`, format: 'jwt', document: 'a.b.c' })
      .execute();
    expect((await store.findCredential({ id: older }))!.document).toBe('a.b.c');

    // A row has exactly one of the two.
    const both = { id: randomUUID(), org_id: orgId, format: 'jwt' as const, document: 'a.b.c' };
    await expect(
      database.db
        .insertInto('credentials')
        .values({ ...both, credential_id: `urn:uuid:${both.id}`, document_deflated: deflateDocument('a.b.c') })
        .execute(),
    ).rejects.toThrow(/credentials_one_document/);
    await expect(
      database.db
        .insertInto('credentials')
        .values({ ...both, credential_id: `urn:uuid:${both.id}`, document: null })
        .execute(),
    ).rejects.toThrow(/credentials_one_document/);

    const undone = await downThrough('0016-deflated-documents');
    expect(undone.at(-1)).toBe('0016-deflated-documents');
    const { rows } = await sql<{ document: string }>`select document from credentials where id = ${fresh.id}`.execute(
      database.db,
    );
    expect(rows[0]!.document).toBe(text);
    expect((await migrateToLatest(database.db)).applied).toEqual([...undone].reverse());
    expect((await store.findCredential({ id: fresh.id }))!.document).toBe(text);
    expect((await store.findCredential({ id: older }))!.document).toBe('a.b.c');
  });
});
