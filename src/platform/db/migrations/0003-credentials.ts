import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Issuer keys: the public half in the clear (it goes into DID documents), the private half sealed.
  await db.schema
    .createTable('issuer_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('fragment', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull().check(sql`algorithm in ('Ed25519', 'RSA')`))
    .addColumn('public_multibase', 'text')
    .addColumn('public_jwk', 'jsonb')
    .addColumn('private_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retired_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('issuer_keys_org_idx')
    .on('issuer_keys')
    .columns(['org_id', 'algorithm', 'created_at'])
    .execute();

  await db.schema
    .createTable('status_lists')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('revocation', 'suspension')`))
    .addColumn('length', 'integer', (c) => c.notNull())
    .addColumn('bits', 'bytea', (c) => c.notNull())
    .addColumn('allocated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('status_lists_org_idx').on('status_lists').columns(['org_id', 'purpose']).execute();

  // Credentials exactly as signed (JSON text or compact JWS), with what queries need beside them.
  await db.schema
    .createTable('credentials')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('ldp_vc', 'jwt')`))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('name', 'text')
    .addColumn('issued_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('valid_until', 'timestamptz')
    .addColumn('revocation_list_id', 'uuid', (c) => c.references('status_lists.id'))
    .addColumn('revocation_index', 'integer')
    .addColumn('suspension_list_id', 'uuid', (c) => c.references('status_lists.id'))
    .addColumn('suspension_index', 'integer')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revocation_reason', 'text')
    .addColumn('suspended_at', 'timestamptz')
    .addUniqueConstraint('credentials_revocation_slot', ['revocation_list_id', 'revocation_index'])
    .addUniqueConstraint('credentials_suspension_slot', ['suspension_list_id', 'suspension_index'])
    .execute();
  await db.schema.createIndex('credentials_org_idx').on('credentials').columns(['org_id', 'issued_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('credentials').execute();
  await db.schema.dropTable('status_lists').execute();
  await db.schema.dropTable('issuer_keys').execute();
}
