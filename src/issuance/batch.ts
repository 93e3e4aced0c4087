import { randomUUID } from 'node:crypto';
import type { Keys, Signer } from '../keys/keys.js';
import { DomainError } from '../platform/errors.js';
import { nowSeconds } from '../vc/data-integrity.js';
import { schemaFor } from '../vc/schemas.js';
import { statusEntry, type StatusPurpose } from '../vc/status-list.js';
import type { IssuerProfile } from './prepare.js';
import type { SignedItem, SignPool } from './sign-pool.js';
import { createSlotPools, slotColumns } from './status-slots.js';
import type { IssuanceStore, NewCredential, StatusListRow, StoredCredential } from './store.js';

/** One credential of a batch: what to sign and what makes it exactly-once. */
export interface BatchItem {
  input: unknown;
  sourceKey: string;
  recipientUserId?: string | null;
  achievement?: { id: string; version: number };
  issuedBy?: string | null;
}

export interface BatchOutcome {
  sourceKey: string;
  /** The stored credential, without its document (bulk issuance never needs it back). */
  record: Omit<StoredCredential, 'document'>;
  /** False when the source was awarded before (by an earlier batch, run or process). */
  created: boolean;
}

/** Credentials per multi-row INSERT. */
export const batchChunkSize = 250;

export interface BatchOptions {
  statusPurpose?: StatusPurpose;
  chunkSize?: number;
}

/** What batch issuance takes from issuance. */
export interface BatchContext {
  store: IssuanceStore;
  keys: Keys;
  signPool: () => SignPool;
  listUrl: (listId: string) => string;
  listLength: number;
  openList: (orgId: string, purpose: StatusPurpose) => Promise<StatusListRow>;
  /** Told of each credential stored for a user account, as `issue` tells it (a follow-up, never awaited). */
  onIssuedTo?: ((userId: string, id: string) => Promise<unknown>) | undefined;
}

interface Allocated {
  item: BatchItem;
  lists: StatusListRow[];
  indices: number[];
}

/** Source keys looked up per query. */
const lookupPage = 1000;
/** Rounds of signing again (for slots another process took) before giving up. */
const maxRounds = 8;

/**
 * Issues many Data Integrity credentials for one organization, with the guarantees of `issue` (exactly once
 * per source key, stored exactly as signed) at a fraction of its cost, over a run of batches: the key is
 * unsealed once and the free status slots are tracked in memory across batches, so several batches can be in
 * flight at once (one signing while another is stored). The credentials are completed, checked and signed on
 * the signing threads while the main thread stores finished chunks (one multi-row INSERT each). Rows whose
 * source was awarded meanwhile come back as they were; rows whose slot another process took are signed again
 * with a new slot.
 */
export function createBatchIssuer(context: BatchContext, issuer: IssuerProfile, options: BatchOptions = {}) {
  const { store, keys } = context;
  const did = keys.did(issuer.orgId);
  const size = options.chunkSize ?? batchChunkSize;
  let unsealing: Promise<Signer> | undefined;
  const slots = createSlotPools({
    store,
    orgId: issuer.orgId,
    listLength: context.listLength,
    openList: (purpose) => context.openList(issuer.orgId, purpose),
  });

  /** Open Badges credentials get one status entry (they allow one), others both. */
  async function allocate(item: BatchItem): Promise<Allocated> {
    const single = schemaFor((item.input ?? {}) as { type?: unknown }) !== undefined;
    const purposes: StatusPurpose[] = single ? [options.statusPurpose ?? 'revocation'] : ['revocation', 'suspension'];
    return { item, ...(await slots.allocate(purposes)) };
  }

  /** The outcomes of sources awarded before: stored credentials, not created now. */
  async function awardedBefore(sourceKeys: string[], outcomes: Map<string, BatchOutcome>) {
    for (let start = 0; start < sourceKeys.length; start += lookupPage) {
      for (const record of await store.findBySourceKeys(sourceKeys.slice(start, start + lookupPage))) {
        outcomes.set(record.sourceKey!, { sourceKey: record.sourceKey!, record, created: false });
      }
    }
  }

  /** Every chunk goes to the signing threads at once; each can be stored as soon as its signatures are back. */
  async function signChunks(pending: BatchItem[], signer: Signer) {
    const chunks = [];
    for (let from = 0; from < pending.length; from += size) {
      const chunk: Allocated[] = [];
      for (const item of pending.slice(from, from + size)) chunk.push(await allocate(item));
      const signing = context.signPool().sign({
        privateKey: signer.privateKey,
        verificationMethod: signer.verificationMethod,
        did,
        profile: issuer.profile,
        items: chunk.map(({ item, lists, indices }) => ({
          input: item.input,
          credentialId: `urn:uuid:${randomUUID()}`,
          validFrom: nowSeconds(),
          status: lists.map(
            (list, i) =>
              statusEntry(context.listUrl(list.id), list.purpose, indices[i]!) as unknown as Record<string, unknown>,
          ),
        })),
      });
      // A chunk that fails is reported when its turn comes; until then nobody waits on it.
      signing.catch(() => undefined);
      chunks.push({ chunk, signing });
    }
    return chunks;
  }

  function recordsOf(chunk: Allocated[], signed: SignedItem[]) {
    return chunk.map(({ item, lists, indices }, i) => ({
      id: randomUUID(),
      orgId: issuer.orgId,
      credentialId: signed[i]!.credentialId,
      format: 'ldp_vc' as const,
      document: signed[i]!.document,
      subjectId: signed[i]!.subjectId,
      name: signed[i]!.name,
      validUntil: signed[i]!.validUntil === null ? null : new Date(signed[i]!.validUntil!),
      ...slotColumns(lists, indices),
      issuedBy: item.issuedBy ?? null,
      recipientUserId: item.recipientUserId ?? null,
      achievementId: item.achievement?.id ?? null,
      achievementVersion: item.achievement?.version ?? null,
      sourceKey: item.sourceKey,
    })) satisfies NewCredential[];
  }

  /** Stores a signed chunk in one INSERT; returns its items that were not stored. */
  async function storeChunk(chunk: Allocated[], signed: SignedItem[], outcomes: Map<string, BatchOutcome>) {
    const records = recordsOf(chunk, signed);
    const stored = await store.insertCredentials(records);
    for (const { issuedBy: _issuedBy, document: _document, ...record } of records) {
      const issuedAt = stored.get(record.id);
      if (!issuedAt) continue;
      const full = { ...record, issuedAt, revokedAt: null, revocationReason: null, suspendedAt: null };
      outcomes.set(record.sourceKey, { sourceKey: record.sourceKey, record: full, created: true });
    }
    const issuedTo = records.filter((r) => r.recipientUserId && stored.has(r.id));
    if (context.onIssuedTo && issuedTo.length) {
      // One after another, off the batch's path: a hook's failure is its own to log, never the batch's.
      const hook = context.onIssuedTo;
      void (async () => {
        for (const r of issuedTo) await hook(r.recipientUserId!, r.id)?.catch(() => undefined);
      })();
    }
    return chunk.filter(({ item }) => !outcomes.has(item.sourceKey)).map(({ item }) => item);
  }

  async function issue(items: BatchItem[]): Promise<BatchOutcome[]> {
    const outcomes = new Map<string, BatchOutcome>();
    const signer = await (unsealing ??= keys.signer(issuer.orgId, 'Ed25519'));
    const unique = [...new Map(items.map((item) => [item.sourceKey, item])).values()];
    await awardedBefore(
      unique.map((item) => item.sourceKey),
      outcomes,
    );
    let pending = unique.filter((item) => !outcomes.has(item.sourceKey));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= maxRounds) throw new DomainError('unavailable', 'No free status slots were found; try again.');
      const lost: BatchItem[] = [];
      for (const { chunk, signing } of await signChunks(pending, signer)) {
        lost.push(...(await storeChunk(chunk, await signing, outcomes)));
      }
      // Not stored: the source was awarded meanwhile (it comes back as it was), or another process took the
      // slot (reload which slots are taken, then sign again).
      await awardedBefore(
        lost.map((item) => item.sourceKey),
        outcomes,
      );
      pending = lost.filter((item) => !outcomes.has(item.sourceKey));
      if (pending.length > 0) slots.clear();
    }
    return items.map((item) => outcomes.get(item.sourceKey)!);
  }

  return { issue };
}
