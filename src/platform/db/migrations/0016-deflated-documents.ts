import { sql, type Kysely } from 'kysely';
import { inflateRawSync } from 'node:zlib';

// New credentials are stored deflated, raw DEFLATE of the UTF-8 text (issuance/stored-document.ts, not imported:
// a migration stands on its own); those stored before keep their text. A row
// has exactly one of the two. Tuples up to a page stay whole: the deflated document is already compressed,
// and moving it to TOAST would cost more than it saves.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credentials add column document_deflated bytea`.execute(db);
  await sql`alter table credentials alter column document_deflated set storage external`.execute(db);
  await sql`alter table credentials alter column document drop not null`.execute(db);
  await sql`alter table credentials add constraint credentials_one_document check ((document is null) <> (document_deflated is null))`.execute(
    db,
  );
  await sql`alter table credentials set (toast_tuple_target = 8160)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credentials reset (toast_tuple_target)`.execute(db);
  await sql`alter table credentials drop constraint credentials_one_document`.execute(db);
  for (;;) {
    const { rows } = await sql<{ id: string; document_deflated: Uint8Array }>`
      select id, document_deflated from credentials where document is null limit 1000`.execute(db);
    if (rows.length === 0) break;
    for (const row of rows) {
      await sql`update credentials set document = ${inflateRawSync(row.document_deflated).toString('utf8')}, document_deflated = null where id = ${row.id}`.execute(
        db,
      );
    }
  }
  await sql`alter table credentials alter column document set not null`.execute(db);
  await sql`alter table credentials drop column document_deflated`.execute(db);
}
