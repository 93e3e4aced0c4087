import { sql, type Kysely } from 'kysely';

// A bulk run writes four rows per credential (credential, claim, notice, outcome), and every foreign key is a
// lookup and a row lock on the referenced row, per row written. These keys repeat what another one already
// guarantees, so they go:
// - claims.org_id and claims.upload_id: a claim belongs to its credential (ON DELETE CASCADE), and the
//   credential to its organization; uploads are deleted only with their organization.
// - outbox.org_id: notices with an organization are claim notices, deleted with their claim.
// - bulk_rows.credential_id: credentials are deleted only with their organization, which takes the upload and
//   its rows along.
// The columns stay. Indexes on columns that bulk runs leave empty skip those rows.
const redundantKeys = [
  ['claims', 'claims_org_id_fkey', 'org_id', 'organizations(id) on delete cascade'],
  ['claims', 'claims_upload_id_fkey', 'upload_id', 'bulk_uploads(id) on delete set null'],
  ['outbox', 'outbox_org_id_fkey', 'org_id', 'organizations(id) on delete cascade'],
  ['bulk_rows', 'bulk_rows_credential_id_fkey', 'credential_id', 'credentials(id) on delete set null'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, name] of redundantKeys) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(name)}`.execute(db);
  }
  // Only credentials issued to an account are looked up by recipient, and only credentials with a suspension
  // entry have a suspension slot (Open Badges credentials carry one status entry, revocation by default).
  await sql`drop index credentials_recipient_idx`.execute(db);
  await sql`create index credentials_recipient_idx on credentials (recipient_user_id) where recipient_user_id is not null`.execute(
    db,
  );
  await sql`alter table credentials drop constraint credentials_suspension_slot`.execute(db);
  await sql`create unique index credentials_suspension_slot on credentials (suspension_list_id, suspension_index) where suspension_list_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index credentials_suspension_slot`.execute(db);
  await sql`alter table credentials add constraint credentials_suspension_slot unique (suspension_list_id, suspension_index)`.execute(
    db,
  );
  await sql`drop index credentials_recipient_idx`.execute(db);
  await sql`create index credentials_recipient_idx on credentials (recipient_user_id)`.execute(db);
  for (const [table, name, column, target] of redundantKeys) {
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(name)} foreign key (${sql.ref(column)}) references ${sql.raw(target)}`.execute(
      db,
    );
  }
}
