import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Signed credentials are stored out of line but not compressed: compressing each ~3–7 KB JSON document
  // (pglz, in WebAssembly on the embedded database) cost about a fifth of a bulk INSERT's time, for a copy
  // that is written once and read rarely. Rows written before keep their storage; both read the same.
  await sql`alter table credentials alter column document set storage external`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credentials alter column document set storage extended`.execute(db);
}
