import { createHash, createHmac, randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Catalog, PublishedVersion } from '../catalog/catalog.js';
import { validUntil } from '../catalog/definition.js';
import { DomainError, conflict, notFound } from '../platform/errors.js';
import type { JobDefinition, JobQueue, JobRun } from '../platform/jobs/queue.js';
import { awardCredential } from './award.js';
import {
  bulkSourceKey,
  decodeCsv,
  previewBulk,
  safeCsv,
  uploadHash,
  type BulkPreview,
  type CheckedRow,
} from './bulk.js';
import type { BulkRowOutcome, BulkStore, BulkUpload, ClaimRecord, OutboxMessage } from './bulk-store.js';
import type { BatchItem, Issuance, StoredCredential } from './issuance.js';

export const bulkJobName = 'bulk.issue';

export interface BulkIssuanceDeps {
  store: BulkStore;
  issuance: Issuance;
  catalog: Catalog;
  queue: JobQueue;
  publicUrl: string;
  /** Derives claim tokens: only their hashes are stored, and the links can be listed again for the issuer. */
  claimSecret: Uint8Array;
  orgName: (orgId: string) => Promise<string>;
  /** Whether the user is an issuer (or owner) of the organization: who may read its recipients and claim links. */
  isIssuer: (userId: string, orgId: string) => Promise<boolean>;
  now?: () => Date;
  /**
   * Rows per batch: issued in one go, recorded in one go, one progress step, and at most what a crashed
   * attempt redoes. By default a twentieth of the upload, from 100 to 2,000 rows.
   */
  batchSize?: number;
}

export interface BulkRunView {
  id: string;
  uploadId: string;
  state: JobRun['state'];
  done: number;
  total: number;
  issued: number;
  existing: number;
  errors: number;
  duplicates: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClaimView {
  achievement: { id: string | null; name: string | null };
  issuer: { id: string; name: string };
  issuedAt: string;
  recipient: string;
  claimed: boolean;
}

/** An email shown to whoever holds a claim link, enough to recognize it, not to harvest it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'*'.repeat(Math.max(1, Math.min(local.length - 1, 5)))}@${domain}`;
}

/**
 * Bulk issuance: preview, a durable job per upload that issues in batches and resumes where it stopped, the
 * run's outcome as CSVs; and claims, which hold credentials for recipients who have no account yet.
 */
export function createBulkIssuance(deps: BulkIssuanceDeps) {
  const { store, issuance, catalog, queue } = deps;
  const now = deps.now ?? (() => new Date());
  const batchSizeFor = (rows: number) => deps.batchSize ?? Math.min(2000, Math.max(100, Math.ceil(rows / 20)));

  const tokenOf = (claimId: string) =>
    createHmac('sha256', deps.claimSecret).update(`claim:${claimId}`).digest('base64url');
  const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
  const claimUrl = (claimId: string) => `${deps.publicUrl}/claim/${tokenOf(claimId)}`;

  async function achievementsOf(orgId: string) {
    const records = await catalog.list(orgId);
    return new Map(records.map((r) => [r.id.toLowerCase(), { status: r.status, name: r.draft.title, code: r.code }]));
  }

  async function preview(orgId: string, bytes: Uint8Array): Promise<BulkPreview> {
    return previewBulk(bytes, { achievements: await achievementsOf(orgId), now: now() });
  }

  /**
   * The preview the issuer reads: each sound row also says when its award was issued before (it will not issue
   * again) or its learner already holds the micro-credential (a second one would be issued).
   */
  async function previewWithNotes(orgId: string, bytes: Uint8Array): Promise<BulkPreview> {
    const checked = await preview(orgId, bytes);
    const sound = checked.rows
      .filter((r) => r.status === 'ok')
      .map((row) => ({ row, sourceKey: bulkSourceKey(orgId, row) }));
    const { issued, held } = await store.priorAwards(
      orgId,
      sound.map(({ row, sourceKey }) => ({ email: row.email, achievementId: row.achievementId, sourceKey })),
    );
    for (const { row, sourceKey } of sound) {
      const notes: string[] = [];
      const before = issued.get(sourceKey);
      if (before) {
        notes.push(
          `The same award was issued before, on ${before.toISOString().slice(0, 10)}: this row will not issue it again.`,
        );
      } else if (held.has(`${row.email}\n${row.achievementId}`)) {
        notes.push('This learner already holds this micro-credential: the row issues another one.');
      }
      if (notes.length) row.notes = notes;
    }
    return checked;
  }

  /** Stores the upload and queues its job, once per organization and file: the same file returns the first run. */
  async function start(
    orgId: string,
    bytes: Uint8Array,
    userId: string,
  ): Promise<{ run: BulkRunView; created: boolean; preview: BulkPreview['totals'] }> {
    const checked = await preview(orgId, bytes);
    const upload = await store.saveUpload({
      id: randomUUID(),
      orgId,
      contentHash: uploadHash(bytes),
      content: decodeCsv(bytes),
      rowCount: checked.totals.rows,
      createdBy: userId,
    });
    const { run, created } = await queue.enqueue(
      bulkJobName,
      { uploadId: upload.id },
      { key: `${orgId}:${upload.contentHash}`, userId },
    );
    if (upload.runId !== run.id) await store.setRun(upload.id, run.id);
    return { run: await view({ ...upload, runId: run.id }, run), created, preview: checked.totals };
  }

  async function view(upload: BulkUpload, run: JobRun): Promise<BulkRunView> {
    const counts = await store.countRows(upload.id);
    return {
      id: run.id,
      uploadId: upload.id,
      state: run.state,
      done: run.done,
      total: run.total || upload.rowCount,
      issued: counts.issued,
      existing: counts.existing,
      errors: counts.error,
      duplicates: counts.duplicate,
      error: run.error,
      createdAt: run.createdAt.toISOString(),
      updatedAt: run.updatedAt.toISOString(),
    };
  }

  async function uploadOf(orgId: string, runId: string): Promise<BulkUpload> {
    const upload = await store.uploadOfRun(orgId, runId);
    if (!upload) throw notFound('That bulk run');
    return upload;
  }

  async function status(orgId: string, runId: string): Promise<BulkRunView> {
    const upload = await uploadOf(orgId, runId);
    return view(upload, await queue.getRun(runId));
  }

  async function runs(orgId: string): Promise<BulkRunView[]> {
    const uploads = (await store.listUploads(orgId)).filter((u) => u.runId);
    return Promise.all(uploads.map(async (u) => view(u, await queue.getRun(u.runId!))));
  }

  /**
   * Recipients' emails and claim links (whoever holds a link can claim the credential) are the issuer's
   * alone: checked here as well as on the routes, so no route can hand them out by mistake.
   */
  async function assertIssuer(reader: string, orgId: string): Promise<void> {
    if (!(await deps.isIssuer(reader, orgId))) {
      throw new DomainError(
        'forbidden',
        'Only an issuer of this organization may read its recipients and claim links.',
      );
    }
  }

  /** Rows that were not issued, and why: formula-safe CSV. */
  async function errorsCsv(reader: string, orgId: string, runId: string): Promise<string> {
    await assertIssuer(reader, orgId);
    const upload = await uploadOf(orgId, runId);
    const rows = await store.rowOutcomes(upload.id, ['error', 'duplicate']);
    return safeCsv(
      ['row', 'email', 'achievement', 'status', 'messages'],
      rows.map((r) => [r.row, r.email, r.achievement, r.status, r.message]),
    );
  }

  /** The claim links of a run's recipients without an account: formula-safe CSV. */
  async function claimsCsv(reader: string, orgId: string, runId: string): Promise<string> {
    await assertIssuer(reader, orgId);
    const upload = await uploadOf(orgId, runId);
    const claims = await store.claimsOfUpload(upload.id);
    return safeCsv(
      ['email', 'name', 'credential', 'claimed', 'claim_url'],
      claims.map((c) => [c.email, c.name, c.credentialId, c.claimedAt ? 'yes' : 'no', claimUrl(c.id)]),
    );
  }

  function notice(claim: Pick<ClaimRecord, 'id' | 'orgId' | 'email' | 'name'>, org: string, achievementName: string) {
    return {
      subject: `${org} awarded you "${achievementName}"`,
      text: [
        `Hello ${claim.name ?? claim.email},`,
        '',
        `${org} awarded you the micro-credential "${achievementName}".`,
        `Claim it for your Skillproof wallet: ${claimUrl(claim.id)}`,
        '',
        `Sign in, or sign up, with this email address (${claim.email}) to claim it.`,
      ].join('\n'),
    };
  }

  /** Holds credentials for recipients without an account: a claim each, and a notice in the outbox. */
  async function holdForClaim(
    awards: {
      record: Pick<StoredCredential, 'id' | 'orgId' | 'name'>;
      email: string;
      name: string | null;
      uploadId: string | null;
    }[],
  ): Promise<void> {
    if (awards.length === 0) return;
    const claims = awards.map((a) => ({
      id: randomUUID(),
      credentialId: a.record.id,
      orgId: a.record.orgId,
      email: a.email,
      name: a.name,
      uploadId: a.uploadId,
      tokenHash: '',
    }));
    for (const claim of claims) claim.tokenHash = hashOf(tokenOf(claim.id));
    const names = new Map(awards.map((a) => [a.record.id, a.record.name ?? 'Micro-credential']));
    const orgNames = new Map<string, string>();
    for (const orgId of new Set(claims.map((c) => c.orgId))) orgNames.set(orgId, await deps.orgName(orgId));
    const notices = new Map<string, { subject: string; text: string }>();
    for (const claim of claims) {
      notices.set(claim.id, notice(claim, orgNames.get(claim.orgId)!, names.get(claim.credentialId)!));
    }
    await store.createClaims(claims, (claim) => notices.get(claim.id)!, randomUUID);
  }

  async function issueBatch(
    upload: BulkUpload,
    rows: CheckedRow[],
    versions: Map<string, PublishedVersion>,
    issuer: ReturnType<Issuance['batchIssuer']>,
  ) {
    const users = await store.usersByEmail([...new Set(rows.map((r) => r.email))]);
    const items: BatchItem[] = [];
    const failed: BulkRowOutcome[] = [];
    const planned: CheckedRow[] = [];
    for (const row of rows) {
      let version = versions.get(row.achievementId);
      if (!version) {
        try {
          version = await catalog.current(row.achievementId);
          versions.set(row.achievementId, version);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          failed.push({ ...outcomeOf(row, 'error'), message: error.message });
          continue;
        }
      }
      const awardedAt = row.date ? new Date(row.date) : now();
      items.push({
        input: awardCredential({
          achievement: version.achievement,
          recipient: { email: row.email },
          ...(row.score !== undefined ? { score: { percent: row.score, passMark: 0, total: 0, perSkill: [] } } : {}),
          evidence:
            row.narrative || row.evidenceUrl
              ? [
                  {
                    name: 'Awarded by the issuer',
                    narrative: row.narrative ?? 'Awarded by the issuer.',
                    ...(row.evidenceUrl ? { url: row.evidenceUrl } : {}),
                  },
                ]
              : [],
          awardedAt,
          validUntil: validUntil(version.definition, awardedAt),
        }),
        sourceKey: bulkSourceKey(upload.orgId, row),
        recipientUserId: users.get(row.email) ?? null,
        achievement: { id: row.achievementId, version: version.version },
        issuedBy: upload.createdBy,
      });
      planned.push(row);
    }
    const outcomes = await issuer.issue(items);
    return { failed, planned, outcomes };
  }

  /** Records a batch: claims and notices for recipients without an account, then every row's outcome. */
  async function recordBatch(
    upload: BulkUpload,
    { failed, planned, outcomes }: Awaited<ReturnType<typeof issueBatch>>,
  ): Promise<void> {
    await holdForClaim(
      outcomes
        .map((o, i) => ({ outcome: o, row: planned[i]! }))
        .filter(({ outcome }) => !outcome.record.recipientUserId)
        .map(({ outcome, row }) => ({ record: outcome.record, email: row.email, name: row.name, uploadId: upload.id })),
    );
    await store.recordRows(upload.id, [
      ...failed,
      ...outcomes.map((o, i) => ({
        ...outcomeOf(planned[i]!, o.created ? 'issued' : 'existing'),
        credentialId: o.record.id,
      })),
    ]);
  }

  /** The job: checks the stored upload, records the rows that cannot be issued, issues the rest in batches. */
  const job: JobDefinition<{ uploadId: string }> = {
    name: bulkJobName,
    async handler({ uploadId }, { progress, signal }) {
      const upload = await store.findUpload(uploadId);
      if (!upload) throw new Error(`Bulk upload ${uploadId} is gone`);
      const checked = previewBulk(Buffer.from(upload.content), {
        achievements: await achievementsOf(upload.orgId),
        now: now(),
      });
      const total = checked.rows.length;
      // Resume where a crashed attempt stopped: rows with an outcome are done.
      const done = await store.doneRows(upload.id);
      await store.recordRows(
        upload.id,
        checked.rows
          .filter((r) => r.status !== 'ok' && !done.has(r.row))
          .map((r) => ({ ...outcomeOf(r, r.status as 'error' | 'duplicate'), message: r.messages.join(' ') })),
      );
      const remaining = checked.rows.filter((r) => r.status === 'ok' && !done.has(r.row));
      let finished = total - remaining.length;
      await progress(finished, total);
      const versions = new Map<string, PublishedVersion>();
      const batchSize = batchSizeFor(total);
      const issuer = issuance.batchIssuer({ orgId: upload.orgId, profile: await catalog.issuerProfile(upload.orgId) });
      const batches: CheckedRow[][] = [];
      for (let i = 0; i < remaining.length; i += batchSize) batches.push(remaining.slice(i, i + batchSize));
      // Two batches in flight: while one is stored, the next is already on the signing threads. A batch is
      // recorded (claims, outcomes, progress) in order, and counts as done only once it is.
      const begin = (batch: CheckedRow[]) => {
        const issuing = issueBatch(upload, batch, versions, issuer);
        issuing.catch(() => undefined);
        return issuing;
      };
      let recording: Promise<void> = Promise.resolve();
      let next = batches.length ? begin(batches[0]!) : undefined;
      try {
        for (const [n, batch] of batches.entries()) {
          signal.throwIfAborted();
          const current = next!;
          next = n + 1 < batches.length ? begin(batches[n + 1]!) : undefined;
          const issued = await current;
          await recording;
          recording = recordBatch(upload, issued).then(async () => {
            finished += batch.length;
            await progress(finished, total);
          });
          // Handled here while the next batch is signing; awaited (and thrown) before the next is recorded.
          recording.catch(() => undefined);
          // Let this process's requests, heartbeats and timers run between batches.
          await yieldToEventLoop();
        }
      } finally {
        // Never leave work behind, even when a batch fails.
        await Promise.allSettled([recording, next]);
      }
      await recording;
      const counts = await store.countRows(upload.id);
      return { issued: counts.issued, existing: counts.existing, errors: counts.error, duplicates: counts.duplicate };
    },
  };

  async function findClaim(token: string): Promise<ClaimRecord> {
    const claim = /^[A-Za-z0-9_-]{43}$/.test(token) ? await store.findClaim({ tokenHash: hashOf(token) }) : undefined;
    if (!claim) throw notFound('That claim link');
    return claim;
  }

  /** What waits behind a claim link, for whoever holds it. */
  async function claimView(token: string): Promise<ClaimView> {
    const claim = await findClaim(token);
    const record = await issuance.find(claim.credentialId);
    return {
      achievement: { id: record.achievementId, name: record.name },
      issuer: { id: claim.orgId, name: await deps.orgName(claim.orgId) },
      issuedAt: record.issuedAt.toISOString(),
      recipient: maskEmail(claim.email),
      claimed: claim.claimedAt !== null,
    };
  }

  /** Attaches the credential to the signed-in account whose email it was awarded to. */
  async function claim(
    token: string,
    user: { id: string; email: string; emailConfirmed: boolean },
  ): Promise<StoredCredential> {
    const found = await findClaim(token);
    if (found.claimedAt) throw conflict('This credential has already been claimed.');
    if (found.email !== user.email.toLowerCase()) {
      throw new DomainError(
        'forbidden',
        `This credential was awarded to ${maskEmail(found.email)}, not to the email of your account. Sign in with that address to claim it.`,
      );
    }
    // Holding the link proves nothing: whoever signed up with the address must show the address is theirs.
    if (!user.emailConfirmed) {
      throw new DomainError(
        'forbidden',
        'Confirm your email address first (follow the link we sent to it): credentials sent to an address ' +
          'reach the account only once the address is confirmed. Confirming adds this one on its own.',
        { reason: 'email-unconfirmed' },
      );
    }
    const taken = await store.attach({ claimId: found.id }, user.id);
    if (taken === 0) throw conflict('This credential has already been claimed.');
    return issuance.find(found.credentialId);
  }

  return {
    preview: previewWithNotes,
    start,
    status,
    runs,
    errorsCsv,
    claimsCsv,
    job,
    claimView,
    claim,
    holdForClaim,
    /** An account that confirmed its email gets what was awarded to that email before. */
    attachPending: (user: { id: string; email: string }) => store.attach({ email: user.email.toLowerCase() }, user.id),
    /** The claim link of a credential held for claiming, if it is. */
    claimLink: async (credentialId: string) => {
      const found = await store.findClaim({ credentialId });
      return found && claimUrl(found.id);
    },
    /** The notices sent for the organization's claims (each with its claim link). */
    async outbox(reader: string, orgId: string, limit = 100): Promise<OutboxMessage[]> {
      await assertIssuer(reader, orgId);
      return store.outbox(orgId, limit);
    },
    claimUrl,
  };
}

function outcomeOf(row: CheckedRow, status: BulkRowOutcome['status']): BulkRowOutcome {
  return {
    row: row.row,
    email: row.email,
    achievement: row.achievementId,
    status,
    message: row.messages.length ? row.messages.join(' ') : null,
    credentialId: null,
  };
}

export type BulkIssuance = ReturnType<typeof createBulkIssuance>;
