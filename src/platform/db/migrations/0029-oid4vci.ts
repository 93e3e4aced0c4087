import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A credential offer (OpenID4VCI, pre-authorized code flow) for one of a learner's credentials issued here.
  // Secrets are kept as SHA-256 digests only: the pre-authorized code, the transaction code (digested with the
  // code, so it cannot be guessed offline from this table alone) and the access token the code is exchanged for.
  await db.schema
    .createTable('oid4vci_offers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'uuid', (c) => c.notNull().references('credentials.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tx_code_hash', 'text', (c) => c.notNull())
    .addColumn('tx_code_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('configuration_ids', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('redeemed_at', 'timestamptz')
    .addColumn('access_token_hash', 'text', (c) => c.unique())
    .addColumn('token_expires_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('oid4vci_offers_user_idx').on('oid4vci_offers').columns(['user_id']).execute();

  // Nonces for key proofs (c_nonce): each proves freshness once, then is deleted.
  await db.schema
    .createTable('oid4vci_nonces')
    .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Each credential delivered to a wallet: re-issued from the award for the wallet's key, with the original's
  // status entries, so revoking or suspending the original does the same to every copy.
  await db.schema
    .createTable('oid4vci_deliveries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('offer_id', 'uuid', (c) => c.notNull().references('oid4vci_offers.id').onDelete('cascade'))
    .addColumn('original_id', 'uuid', (c) => c.notNull().references('credentials.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('configuration_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('key_thumbprint', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('oid4vci_deliveries_original_idx')
    .on('oid4vci_deliveries')
    .columns(['original_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oid4vci_deliveries').execute();
  await db.schema.dropTable('oid4vci_nonces').execute();
  await db.schema.dropTable('oid4vci_offers').execute();
}
