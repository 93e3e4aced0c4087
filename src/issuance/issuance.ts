import { randomInt, randomUUID } from 'node:crypto';
import type { Keys, Signer } from '../keys/keys.js';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { nowSeconds, signEddsaRdfc2022, toSeconds } from '../vc/data-integrity.js';
import { isVc11 } from '../vc/data-model.js';
import { VcError } from '../vc/errors.js';
import { decodeCredentialJwt, signCredentialJwt, type JwtAlgorithm } from '../vc/jwt.js';
import { schemaFor } from '../vc/schemas.js';
import {
  Bitstring,
  minimumListLength,
  statusEntry,
  statusListCredential,
  type StatusPurpose,
} from '../vc/status-list.js';
import { createBatchIssuer, type BatchItem, type BatchOptions, type BatchOutcome } from './batch.js';
import { prepareCredential, type IssuerProfile } from './prepare.js';
import { createSignPool, type SignPool } from './sign-pool.js';
import { fillLimit, slotColumns } from './status-slots.js';
import type {
  CredentialFilter,
  CredentialStatusUpdate,
  IssuanceStore,
  StatusListRow,
  StoredCredential,
} from './store.js';

const listIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { prepareCredential, type IssuerProfile } from './prepare.js';
export { batchChunkSize, type BatchItem, type BatchOutcome } from './batch.js';
export type { CredentialState, ListedCredential, StoredCredential } from './store.js';

export interface IssuanceDeps {
  store: IssuanceStore;
  keys: Keys;
  publicUrl: string;
  now?: () => Date;
  /** Entries per status list (the spec's minimum by default). */
  listLength?: number;
  /** The threads bulk issuance signs on (started on first use by default). */
  signPool?: SignPool;
  /** Called after a status bit changed (verifier caches drop the list). */
  onStatusChanged?: (listId: string) => void;
  /** A credential was revoked (its row id): stacked credentials listing it are flagged for review. */
  onRevoked?: (id: string, reason: string | null) => Promise<unknown>;
  /**
   * A credential was stored for a user of this instance (its row id): their pathways are evaluated again, so a
   * stacked credential the new one completes is awarded without the learner having to look. Not awaited.
   */
  onIssuedTo?: (userId: string, id: string) => Promise<unknown>;
  /** Whether the user is an issuer (owners are) of the organization: who may list and revoke its credentials. */
  isIssuer: (userId: string, orgId: string) => Promise<boolean>;
}

export type CredentialFormat = 'ldp_vc' | 'jwt';
export type StatusChange = 'revoke' | 'suspend' | 'unsuspend';

export interface IssueOptions {
  format?: CredentialFormat;
  /**
   * Open Badges 3.0 allows one credentialStatus, so OB and CLR credentials get one entry: revocation
   * (default) or suspension (then revoking sets the suspension bit for good). Other credentials get both.
   */
  statusPurpose?: StatusPurpose;
  /**
   * Whether to add our status entries (default true) after any the caller gave. Open Badges credentials allow
   * one entry, so one that brings its own gets none of ours.
   */
  addStatus?: boolean;
  /**
   * The identity to issue as: the organization's did:web (default), or its Ed25519 key as a did:key, for
   * verifiers that resolve only did:key. Status lists are then published by that did:key too.
   */
  identity?: 'did:web' | 'did:key';
  /** For VC-JWT: EdDSA (default) or RS256. */
  algorithm?: JwtAlgorithm;
  issuedBy?: string | null;
  /** The learner's account, when the recipient has one (their wallet lists it). */
  recipientUserId?: string | null;
  achievement?: { id: string; version: number };
  /** What the award came from (an attempt, a review, a bulk row): issuing twice for it returns the first. */
  sourceKey?: string;
}

export interface IssuedCredential {
  record: StoredCredential;
  /** The credential as issued: a JSON object (ldp_vc) or a compact JWS (jwt). */
  verifiableCredential: Record<string, unknown> | string;
}

type Credential = Record<string, unknown>;

export function createIssuance(deps: IssuanceDeps) {
  const { store, keys } = deps;
  const now = deps.now ?? (() => new Date());
  const listLength = deps.listLength ?? minimumListLength;
  const listUrl = (id: string) => `${deps.publicUrl}/status-lists/${id}`;
  const didKeyListUrl = (id: string, did: string) => `${listUrl(id)}/did-key/${did.slice('did:key:'.length)}`;
  let threads: SignPool | undefined;
  const signPool = () => (threads ??= deps.signPool ?? createSignPool());

  async function openList(orgId: string, purpose: StatusPurpose): Promise<StatusListRow> {
    return (
      (await store.openList(orgId, purpose, fillLimit)) ??
      store.createList({ id: randomUUID(), orgId, purpose, length: listLength })
    );
  }

  async function sign(
    credential: Credential,
    orgId: string,
    options: IssueOptions,
    didKey?: Signer,
  ): Promise<Credential | string> {
    if (options.format === 'jwt') {
      const signer = didKey ?? (await keys.signer(orgId, options.algorithm === 'RS256' ? 'RSA' : 'Ed25519'));
      return signCredentialJwt(credential, {
        privateKey: signer.privateKey,
        algorithm: options.algorithm ?? 'EdDSA',
        kid: signer.verificationMethod,
        ...(isVc11(credential) ? { format: 'vc-claim' as const } : {}),
      });
    }
    const signer = didKey ?? (await keys.signer(orgId, 'Ed25519'));
    try {
      return await signEddsaRdfc2022(credential, signer.privateKey, {
        verificationMethod: signer.verificationMethod,
        created: nowSeconds(),
      });
    } catch (error) {
      // Terms the contexts do not define fail canonicalization in safe mode: the input's fault.
      if (error instanceof VcError) throw invalid(error.message, { field: 'credential' });
      throw error;
    }
  }

  /** Issues a credential for an organization: status slots at random, signed, stored exactly as signed. */
  async function issue(issuer: IssuerProfile, input: unknown, options: IssueOptions = {}): Promise<IssuedCredential> {
    if (options.sourceKey) {
      const earlier = await store.findCredential({ sourceKey: options.sourceKey });
      if (earlier) return existing(earlier);
    }
    if (options.identity === 'did:key' && options.format === 'jwt' && options.algorithm === 'RS256') {
      throw invalid('A did:key identity is an Ed25519 key: use EdDSA or Data Integrity with it.', {
        field: 'options.identity',
      });
    }
    const didKey = options.identity === 'did:key' ? await keys.didKeySigner(issuer.orgId) : undefined;
    const did = didKey?.did ?? keys.did(issuer.orgId);
    // Lists are published by the identity that issues: a did:key credential's list is signed by that did:key.
    const entryUrl = (id: string) => (didKey ? didKeyListUrl(id, didKey.did) : listUrl(id));
    const lists = await Promise.all(statusPurposes(input, options).map((purpose) => openList(issuer.orgId, purpose)));
    const credentialId = `urn:uuid:${randomUUID()}`;
    const validFrom = nowSeconds();
    for (let attempt = 0; attempt < 8; attempt++) {
      const indices = lists.map((list) => randomInt(list.length));
      const status = lists.map(
        (list, i) => statusEntry(entryUrl(list.id), list.purpose, indices[i]!) as unknown as Credential,
      );
      const credential = prepareCredential(
        input,
        { did, profile: issuer.profile },
        { credentialId, validFrom, status },
      );
      const secured = await sign(credential, issuer.orgId, options, didKey);
      const subject = [credential.credentialSubject].flat()[0] as { id?: unknown } | undefined;
      const validUntil = typeof credential.validUntil === 'string' ? new Date(credential.validUntil) : null;
      const record = {
        id: randomUUID(),
        orgId: issuer.orgId,
        credentialId: String(credential.id),
        format: options.format ?? 'ldp_vc',
        document: typeof secured === 'string' ? secured : JSON.stringify(secured),
        subjectId: typeof subject?.id === 'string' ? subject.id : null,
        name: typeof credential.name === 'string' ? credential.name : null,
        validUntil,
        ...slotColumns(lists, indices),
        issuedBy: options.issuedBy ?? null,
        recipientUserId: options.recipientUserId ?? null,
        achievementId: options.achievement?.id ?? null,
        achievementVersion: options.achievement?.version ?? null,
        sourceKey: options.sourceKey ?? null,
      } as const;
      const outcome = await store.insertCredential(record);
      if (outcome === 'stored') {
        await store.countAllocation(lists.map((list) => list.id));
        if (record.recipientUserId) {
          // A follow-up, not part of issuing: its failure is the hook's to log, never the issue's.
          void deps.onIssuedTo?.(record.recipientUserId, record.id)?.catch(() => undefined);
        }
        const stored = await store.findCredential({ id: record.id });
        return { record: stored!, verifiableCredential: secured };
      }
      if (outcome === 'duplicate') return existing((await store.findCredential({ sourceKey: options.sourceKey! }))!);
      if (outcome === 'id-taken') throw conflict(`A credential with id ${String(credential.id)} was already issued.`);
      if (typeof (input as Credential).id === 'string') {
        const existing = await store.findCredential({ credentialId: (input as Credential).id as string });
        if (existing) throw conflict(`A credential with id ${String((input as Credential).id)} was already issued.`);
      }
    }
    throw new DomainError('unavailable', 'No free status slot was found; try again.');
  }

  const batchContext = {
    store,
    keys,
    signPool,
    listUrl,
    listLength,
    openList,
    onIssuedTo: deps.onIssuedTo,
  };

  /** Issues many Data Integrity credentials for one organization: see `createBatchIssuer`. */
  async function issueMany(
    issuer: IssuerProfile,
    items: BatchItem[],
    options: BatchOptions = {},
  ): Promise<BatchOutcome[]> {
    return batchIssuer(issuer, options).issue(items);
  }

  /** `issueMany` for a run of batches, several in flight at once: see `createBatchIssuer`. */
  function batchIssuer(issuer: IssuerProfile, options: BatchOptions = {}) {
    return createBatchIssuer(batchContext, issuer, options);
  }

  function existing(record: StoredCredential): IssuedCredential {
    return {
      record,
      verifiableCredential:
        record.format === 'jwt' ? record.document : (JSON.parse(record.document) as Record<string, unknown>),
    };
  }

  /** The status entries of ours a credential gets: one for Open Badges (they allow one), otherwise both. */
  function statusPurposes(input: unknown, options: IssueOptions): StatusPurpose[] {
    if (options.addStatus === false) return [];
    const single = schemaFor((input ?? {}) as { type?: unknown }) !== undefined;
    if (!single) return ['revocation', 'suspension'];
    const own = input && typeof input === 'object' && (input as Credential).credentialStatus !== undefined;
    return own ? [] : [options.statusPurpose ?? 'revocation'];
  }

  /**
   * The signed status list credential, signing the current bits when they changed since last time. With a
   * did:key's fragment, the same bits published by that did:key (signed on each request: only credentials
   * issued as did:key point there), while its key is not retired.
   */
  async function publishedList(
    listId: string,
    didKeyFragment?: string,
  ): Promise<{ document: string; version: number; updatedAt: Date }> {
    // Anyone can name a list (in a URL, in a credential): what is not a list id names no list.
    if (!listIdPattern.test(listId)) throw notFound('That status list');
    const list = await store.findList(listId);
    if (!list) throw notFound('That status list');
    if (didKeyFragment !== undefined) {
      if (list.orgId === null) throw notFound('That status list');
      const signer = await keys.didKeySigner(list.orgId, didKeyFragment);
      const url = didKeyListUrl(list.id, signer.did);
      const unsigned = statusListCredential({
        url,
        issuer: signer.did,
        purpose: list.purpose,
        list: new Bitstring(list.bits),
        validFrom: toSeconds(list.updatedAt),
      });
      const signed = await signEddsaRdfc2022(unsigned, signer.privateKey, {
        verificationMethod: signer.verificationMethod,
      });
      return { document: JSON.stringify(signed), version: list.version, updatedAt: list.updatedAt };
    }
    if (list.published) return { document: list.published, version: list.version, updatedAt: list.updatedAt };
    const unsigned = statusListCredential({
      url: listUrl(list.id),
      issuer: keys.did(list.orgId),
      purpose: list.purpose,
      list: new Bitstring(list.bits),
      validFrom: nowSeconds(),
    });
    const signer = await keys.signer(list.orgId, 'Ed25519');
    const signed = await signEddsaRdfc2022(unsigned, signer.privateKey, {
      verificationMethod: signer.verificationMethod,
    });
    const document = JSON.stringify(signed);
    await store.savePublished(list.id, list.version, document);
    return { document, version: list.version, updatedAt: list.updatedAt };
  }

  function flip(bits: Uint8Array, index: number, value: boolean): Uint8Array {
    const list = new Bitstring(bits);
    list.set(index, value);
    return list.bytes;
  }

  /**
   * Who the organization issued to, and the power to revoke or suspend it, are its issuers': checked here as
   * well as on the routes, role first (someone else learns nothing about which credentials exist), so no route
   * or other caller lists or changes them for anyone else.
   */
  async function asIssuer(userId: string, orgId: string) {
    if (!(await deps.isIssuer(userId, orgId))) {
      throw new DomainError('forbidden', 'Only an issuer of this organization may see or change its credentials.');
    }
  }

  /** One of the organization's credentials, for its issuer; another organization's is "not found". */
  async function orgCredential(userId: string, orgId: string, credentialId: string): Promise<StoredCredential> {
    await asIssuer(userId, orgId);
    const record = await findByAnyId(credentialId);
    if (record.orgId !== orgId) throw new DomainError('not-found', 'That credential was not found.');
    return record;
  }

  async function list(userId: string, orgId: string, filter: Omit<CredentialFilter, 'now'>) {
    await asIssuer(userId, orgId);
    return store.listCredentials(orgId, { ...filter, now: now() });
  }

  /** Revokes (for good, with a reason), suspends or lifts a suspension, and republishes the list. */
  function changeStatus(
    userId: string,
    orgId: string,
    credentialId: string,
    change: StatusChange,
    reason?: string,
  ): Promise<StoredCredential> {
    return changeStatuses(userId, orgId, credentialId, [{ change, reason }]);
  }

  /**
   * Applies several changes to one credential (e.g. a VC-API request's entries), all or none: each is
   * checked against the state the ones before it leave, then every bit and the record change in one
   * transaction. Lists the changes touched are republished.
   */
  async function changeStatuses(
    userId: string,
    orgId: string,
    credentialId: string,
    changes: readonly { change: StatusChange; reason?: string | undefined }[],
  ): Promise<StoredCredential> {
    const record = await orgCredential(userId, orgId, credentialId);
    let revoked = record.revokedAt !== null;
    let suspended = record.suspendedAt !== null;
    const bits = new Map<string, { listId: string; index: number; value: boolean }>();
    const update: CredentialStatusUpdate = {};
    for (const { change, reason } of changes) {
      if (change === 'revoke') {
        if (revoked) throw conflict('The credential is already revoked; revocation is permanent.');
        // A credential issued with only a suspension entry is revoked by setting that bit for good.
        const [listId, index] =
          record.revocationListId !== null
            ? [record.revocationListId, record.revocationIndex!]
            : [record.suspensionListId!, record.suspensionIndex!];
        bits.set(listId, { listId, index, value: true });
        Object.assign(update, { revoked_at: now(), revocation_reason: reason?.trim() || null });
        revoked = true;
        continue;
      }
      if (revoked) throw conflict('The credential is revoked; its suspension can no longer change.');
      if (record.suspensionListId === null) {
        throw conflict('This credential was issued with a revocation entry only: it can be revoked, not suspended.');
      }
      const suspend = change === 'suspend';
      if (suspended === suspend) {
        throw conflict(suspend ? 'The credential is already suspended.' : 'The credential is not suspended.');
      }
      bits.set(record.suspensionListId, {
        listId: record.suspensionListId,
        index: record.suspensionIndex!,
        value: suspend,
      });
      update.suspended_at = suspend ? now() : null;
      suspended = suspend;
    }
    if (bits.size > 0) {
      await store.setBits([...bits.values()], { id: record.id, change: update }, flip);
      for (const listId of bits.keys()) deps.onStatusChanged?.(listId);
      if (update.revoked_at) await deps.onRevoked?.(record.id, update.revocation_reason ?? null);
    }
    return (await store.findCredential({ id: record.id }))!;
  }

  /**
   * The same award re-issued for another subject id (a wallet's key, for OpenID4VCI): the original's claims,
   * validity and status entries (so revoking or suspending the original does the same to the copy), a new id,
   * signed now by the identity that signed the original, as Data Integrity or VC-JWT. Not stored here: the
   * caller records what it delivers.
   */
  async function reissue(
    record: StoredCredential,
    subjectId: string,
    format: CredentialFormat,
  ): Promise<{ credentialId: string; verifiableCredential: Credential | string }> {
    const original =
      record.format === 'jwt'
        ? decodeCredentialJwt(record.document).credential
        : (JSON.parse(record.document) as Credential);
    const { proof: _proof, ...unsecured } = original;
    const subject = [unsecured.credentialSubject].flat()[0];
    if (!subject || typeof subject !== 'object') throw invalid('The credential names no subject to re-issue for.');
    const issuerId =
      typeof unsecured.issuer === 'string' ? unsecured.issuer : (unsecured.issuer as { id?: unknown } | undefined)?.id;
    let didKey: Signer | undefined;
    if (typeof issuerId === 'string' && issuerId.startsWith('did:key:')) {
      didKey = await keys.didKeySigner(record.orgId);
      if (didKey.did !== issuerId) {
        throw conflict('The key this credential was issued with was rotated: it can no longer be re-issued.');
      }
    }
    const credentialId = `urn:uuid:${randomUUID()}`;
    const credential: Credential = {
      ...unsecured,
      id: credentialId,
      credentialSubject: { ...(subject as Credential), id: subjectId },
    };
    return { credentialId, verifiableCredential: await sign(credential, record.orgId, { format }, didKey) };
  }

  async function findByAnyId(id: string): Promise<StoredCredential> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
    const record =
      (uuid ? await store.findCredential({ id }) : undefined) ?? (await store.findCredential({ credentialId: id }));
    if (!record) throw notFound('That credential');
    return record;
  }

  return {
    issue,
    issueMany,
    batchIssuer,
    publishedList,
    changeStatus,
    changeStatuses,
    find: findByAnyId,
    reissue,
    list,
    ofRecipient: (userId: string) => store.credentialsOfRecipient(userId),
    liveAward: store.liveAward,
    statusListUrl: listUrl,
    /** The identities an organization issues as: its did:web, and its Ed25519 key's did:key (options.identity). */
    identities: async (orgId: string) => ({
      'did:web': keys.did(orgId),
      'did:key': (await keys.didKeySigner(orgId)).did,
    }),
    /** Stops the signing threads, if they were started. */
    close: async () => threads?.close(),
  };
}

export type Issuance = ReturnType<typeof createIssuance>;
