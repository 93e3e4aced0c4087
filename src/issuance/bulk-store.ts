import { sql, type Kysely, type Selectable } from 'kysely';
import type { ClaimsTable, Database } from '../platform/db/schema.js';

export interface BulkUpload {
  id: string;
  orgId: string;
  contentHash: string;
  content: string;
  rowCount: number;
  createdBy: string | null;
  runId: string | null;
  createdAt: Date;
}

export interface BulkRowOutcome {
  row: number;
  email: string;
  achievement: string;
  status: 'issued' | 'existing' | 'error' | 'duplicate';
  message: string | null;
  credentialId: string | null;
}

export interface ClaimRecord {
  id: string;
  tokenHash: string;
  credentialId: string;
  orgId: string;
  email: string;
  name: string | null;
  uploadId: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  claimedBy: string | null;
}

export interface OutboxMessage {
  id: string;
  orgId: string | null;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

const toClaim = (row: Selectable<ClaimsTable>): ClaimRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  credentialId: row.credential_id,
  orgId: row.org_id,
  email: row.email,
  name: row.name,
  uploadId: row.upload_id,
  createdAt: row.created_at,
  claimedAt: row.claimed_at,
  claimedBy: row.claimed_by,
});

/** The SQL behind bulk uploads, their rows' outcomes, claims and the outbox. */
export function createBulkStore(db: Kysely<Database>) {
  return {
    /** The upload of this content for this organization: the first one, when it was uploaded before. */
    async saveUpload(upload: Omit<BulkUpload, 'createdAt' | 'runId'>): Promise<BulkUpload> {
      await db
        .insertInto('bulk_uploads')
        .values({
          id: upload.id,
          org_id: upload.orgId,
          content_hash: upload.contentHash,
          content: upload.content,
          row_count: upload.rowCount,
          created_by: upload.createdBy,
        })
        .onConflict((oc) => oc.columns(['org_id', 'content_hash']).doNothing())
        .execute();
      const row = await db
        .selectFrom('bulk_uploads')
        .selectAll()
        .where('org_id', '=', upload.orgId)
        .where('content_hash', '=', upload.contentHash)
        .executeTakeFirstOrThrow();
      return toUpload(row);
    },

    async setRun(uploadId: string, runId: string): Promise<void> {
      await db.updateTable('bulk_uploads').set({ run_id: runId }).where('id', '=', uploadId).execute();
    },

    async findUpload(id: string): Promise<BulkUpload | undefined> {
      const row = await db.selectFrom('bulk_uploads').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUpload(row);
    },

    async uploadOfRun(orgId: string, runId: string): Promise<BulkUpload | undefined> {
      const row = await db
        .selectFrom('bulk_uploads')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('run_id', '=', runId)
        .executeTakeFirst();
      return row && toUpload(row);
    },

    async listUploads(orgId: string): Promise<BulkUpload[]> {
      const rows = await db
        .selectFrom('bulk_uploads')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      return rows.map(toUpload);
    },

    /** Rows that already have an outcome (a resumed job skips them). */
    async doneRows(uploadId: string): Promise<Set<number>> {
      const rows = await db.selectFrom('bulk_rows').select('row').where('upload_id', '=', uploadId).execute();
      return new Set(rows.map((r) => r.row));
    },

    async recordRows(uploadId: string, outcomes: BulkRowOutcome[]): Promise<void> {
      for (let i = 0; i < outcomes.length; i += 1000) {
        await db
          .insertInto('bulk_rows')
          .values(
            outcomes.slice(i, i + 1000).map((o) => ({
              upload_id: uploadId,
              row: o.row,
              email: o.email,
              achievement: o.achievement,
              status: o.status,
              message: o.message,
              credential_id: o.credentialId,
            })),
          )
          .onConflict((oc) => oc.columns(['upload_id', 'row']).doNothing())
          .execute();
      }
    },

    async rowOutcomes(uploadId: string, statuses?: BulkRowOutcome['status'][]): Promise<BulkRowOutcome[]> {
      let query = db.selectFrom('bulk_rows').selectAll().where('upload_id', '=', uploadId);
      if (statuses) query = query.where('status', 'in', statuses);
      const rows = await query.orderBy('row').execute();
      return rows.map((r) => ({
        row: r.row,
        email: r.email,
        achievement: r.achievement,
        status: r.status,
        message: r.message,
        credentialId: r.credential_id,
      }));
    },

    async countRows(uploadId: string): Promise<Record<BulkRowOutcome['status'], number>> {
      const rows = await db
        .selectFrom('bulk_rows')
        .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
        .where('upload_id', '=', uploadId)
        .groupBy('status')
        .execute();
      const counts = { issued: 0, existing: 0, error: 0, duplicate: 0 };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },

    /**
     * What exists already for the rows of a preview: source keys issued before (with the date), and the
     * (email, achievement) pairs whose learner holds a live credential, in their wallet or waiting for a claim.
     */
    async priorAwards(
      orgId: string,
      rows: { email: string; achievementId: string; sourceKey: string }[],
    ): Promise<{ issued: Map<string, Date>; held: Set<string> }> {
      const issued = new Map<string, Date>();
      const held = new Set<string>();
      const achievementIds = [...new Set(rows.map((r) => r.achievementId))];
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        const keys = chunk.map((r) => r.sourceKey);
        const emails = [...new Set(chunk.map((r) => r.email))];
        const [byKey, inWallets, inClaims] = await Promise.all([
          db
            .selectFrom('credentials')
            .select(['source_key', 'issued_at'])
            .where('org_id', '=', orgId)
            .where('source_key', 'in', keys)
            .execute(),
          db
            .selectFrom('credentials as c')
            .innerJoin('users as u', 'u.id', 'c.recipient_user_id')
            .select(['u.email', 'c.achievement_id'])
            .where('c.org_id', '=', orgId)
            .where('c.revoked_at', 'is', null)
            .where('c.achievement_id', 'in', achievementIds)
            .where('u.email', 'in', emails)
            .execute(),
          db
            .selectFrom('claims as cl')
            .innerJoin('credentials as c', 'c.id', 'cl.credential_id')
            .select(['cl.email', 'c.achievement_id'])
            .where('cl.org_id', '=', orgId)
            .where('cl.claimed_at', 'is', null)
            .where('c.revoked_at', 'is', null)
            .where('c.achievement_id', 'in', achievementIds)
            .where('cl.email', 'in', emails)
            .execute(),
        ]);
        for (const row of byKey) if (row.source_key) issued.set(row.source_key, row.issued_at);
        for (const row of [...inWallets, ...inClaims]) held.add(`${row.email}\n${row.achievement_id}`);
      }
      return { issued, held };
    },

    /**
     * Account ids by (lower-case) email, for the emails an account has confirmed: a credential for an email no
     * account confirmed waits as a claim.
     */
    async usersByEmail(emails: string[]): Promise<Map<string, string>> {
      if (emails.length === 0) return new Map();
      const rows = await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('email', 'in', emails)
        .where('email_confirmed_at', 'is not', null)
        .execute();
      return new Map(rows.map((r) => [r.email, r.id]));
    },

    /** Creates claims (one per credential) and their notices; claims that exist are left as they are. */
    async createClaims(
      claims: Omit<ClaimRecord, 'createdAt' | 'claimedAt' | 'claimedBy'>[],
      notice: (claim: Omit<ClaimRecord, 'createdAt' | 'claimedAt' | 'claimedBy'>) => { subject: string; text: string },
      newId: () => string,
    ): Promise<void> {
      if (claims.length === 0) return;
      await db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('claims')
          .values(
            claims.map((c) => ({
              id: c.id,
              token_hash: c.tokenHash,
              credential_id: c.credentialId,
              org_id: c.orgId,
              email: c.email,
              name: c.name,
              upload_id: c.uploadId,
            })),
          )
          .onConflict((oc) => oc.column('credential_id').doNothing())
          .returning('id')
          .execute();
        const ids = new Set(created.map((r) => r.id));
        const fresh = claims.filter((c) => ids.has(c.id));
        if (fresh.length === 0) return;
        await trx
          .insertInto('outbox')
          .values(
            fresh.map((c) => ({
              id: newId(),
              org_id: c.orgId,
              to_email: c.email,
              claim_id: c.id,
              ...notice(c),
            })),
          )
          .execute();
      });
    },

    async findClaim(where: { tokenHash?: string; credentialId?: string }): Promise<ClaimRecord | undefined> {
      let query = db.selectFrom('claims').selectAll();
      if (where.tokenHash) query = query.where('token_hash', '=', where.tokenHash);
      if (where.credentialId) query = query.where('credential_id', '=', where.credentialId);
      const row = await query.executeTakeFirst();
      return row && toClaim(row);
    },

    async claimsOfUpload(uploadId: string): Promise<ClaimRecord[]> {
      const rows = await db
        .selectFrom('claims')
        .selectAll()
        .where('upload_id', '=', uploadId)
        .orderBy('created_at')
        .orderBy('email')
        .execute();
      return rows.map(toClaim);
    },

    /** Hands claims to an account: the credentials go to its wallet. Returns the claims taken now. */
    async attach(where: { claimId?: string; email?: string }, userId: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        let query = trx
          .updateTable('claims')
          .set({ claimed_at: sql`now()`, claimed_by: userId })
          .where('claimed_at', 'is', null);
        if (where.claimId) query = query.where('id', '=', where.claimId);
        if (where.email) query = query.where('email', '=', where.email);
        const claimed = await query.returning('credential_id').execute();
        if (claimed.length === 0) return 0;
        await trx
          .updateTable('credentials')
          .set({ recipient_user_id: userId })
          .where(
            'id',
            'in',
            claimed.map((c) => c.credential_id),
          )
          .execute();
        return claimed.length;
      });
    },

    async outbox(orgId: string, limit: number): Promise<OutboxMessage[]> {
      const rows = await db
        .selectFrom('outbox')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        orgId: r.org_id,
        to: r.to_email,
        subject: r.subject,
        text: r.text,
        createdAt: r.created_at,
      }));
    },
  };
}

function toUpload(row: {
  id: string;
  org_id: string;
  content_hash: string;
  content: string;
  row_count: number;
  created_by: string | null;
  run_id: string | null;
  created_at: Date;
}): BulkUpload {
  return {
    id: row.id,
    orgId: row.org_id,
    contentHash: row.content_hash,
    content: row.content,
    rowCount: row.row_count,
    createdBy: row.created_by,
    runId: row.run_id,
    createdAt: row.created_at,
  };
}

export type BulkStore = ReturnType<typeof createBulkStore>;
