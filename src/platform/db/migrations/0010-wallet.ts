import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Credentials a learner brought from elsewhere. Those issued here stay in `credentials` and join the wallet
  // through recipient_user_id; an imported one is kept exactly as received (JSON text or compact JWT).
  await db.schema
    .createTable('imported_credentials')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('ldp_vc', 'jwt', 'ob2')`))
    .addColumn('document', 'text', (c) => c.notNull())
    // SHA-256 of the document: the same credential is imported once per learner, never replaced.
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('json', 'jwt', 'png', 'svg', 'url')`))
    .addColumn('source_url', 'text')
    .addColumn('credential_id', 'text')
    .addColumn('issuer_id', 'text')
    .addColumn('name', 'text')
    .addColumn('valid_from', 'timestamptz')
    .addColumn('valid_until', 'timestamptz')
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('imported_credentials_once', ['user_id', 'digest'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('imported_credentials').execute();
}
