import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { DomainError, conflict, notFound } from '../platform/errors.js';
import { buildDidDocument, type DidDocument, type VerificationMethod } from '../vc/did.js';
import { generateEd25519KeyPair } from '../vc/multikey.js';
import { instanceDid, orgDid } from './identity.js';
import { open, seal } from './sealing.js';
import type { IssuerKeyRecord, KeysStore } from './store.js';

export type { IssuerKeyRecord } from './store.js';
export type KeyAlgorithm = 'Ed25519' | 'RSA';

export interface KeysDeps {
  store: KeysStore;
  masterKey: Uint8Array;
  publicUrl: string;
  /** Whether the user holds the role (owners hold every role) in the organization: who may manage its keys. */
  hasRole: (userId: string, orgId: string, role: 'owner' | 'issuer') => Promise<boolean>;
  now?: () => Date;
  /** Called after a key is retired: whatever it signed that is republished (status lists) must be re-signed. */
  onRetired?: (orgId: string) => Promise<void>;
  /** Called after a key is added or retired (caches of DID documents drop the organization's). */
  onKeysChanged?: (orgId: string | null) => void;
}

/** A key ready to sign, named by its DID URL. */
export interface Signer {
  did: string;
  verificationMethod: string;
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
}

/**
 * Issuer keys: an Ed25519 key for Data Integrity proofs and VC-JWT (EdDSA), and an RSA key for RS256
 * VC-JWT, which every OB 3.0 verifier must accept. Rotation adds a key that signs from then on; older keys
 * stay in the DID document, so what they signed keeps verifying, until the issuer retires them.
 */
export function createKeys(deps: KeysDeps) {
  const now = deps.now ?? (() => new Date());
  // Opened private keys, by key id: keys never change once stored, so this cache is always right.
  const opened = new Map<string, KeyObject>();
  const didOf = (orgId: string | null) =>
    orgId === null ? instanceDid(deps.publicUrl) : orgDid(deps.publicUrl, orgId);

  async function generate(orgId: string | null, algorithm: KeyAlgorithm): Promise<IssuerKeyRecord> {
    const id = randomUUID();
    let record: IssuerKeyRecord;
    let secret: Buffer;
    if (algorithm === 'Ed25519') {
      const pair = generateEd25519KeyPair();
      secret = pair.privateKey!.export({ format: 'der', type: 'pkcs8' });
      record = {
        id,
        orgId,
        fragment: pair.publicKeyMultibase,
        algorithm,
        publicMultibase: pair.publicKeyMultibase,
        publicJwk: null,
        createdAt: now(),
        retiredAt: null,
      };
    } else {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      secret = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
      const publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      record = {
        id,
        orgId,
        fragment: `rsa-${id.slice(0, 8)}`,
        algorithm,
        publicMultibase: null,
        publicJwk,
        createdAt: now(),
        retiredAt: null,
      };
    }
    await deps.store.insert(record, seal(secret, deps.masterKey, id));
    deps.onKeysChanged?.(orgId);
    return record;
  }

  /** The newest unretired key of an algorithm, made on first use. */
  async function activeKey(orgId: string | null, algorithm: KeyAlgorithm): Promise<IssuerKeyRecord> {
    const keys = (await deps.store.list(orgId)).filter((k) => k.algorithm === algorithm && !k.retiredAt);
    return keys.at(-1) ?? generate(orgId, algorithm);
  }

  async function privateKeyOf(keyId: string): Promise<KeyObject> {
    let key = opened.get(keyId);
    if (!key) {
      const sealed = await deps.store.sealedPrivateKey(keyId);
      if (!sealed) throw notFound('That key');
      key = createPrivateKey({ key: open(sealed, deps.masterKey, keyId), format: 'der', type: 'pkcs8' });
      opened.set(keyId, key);
    }
    return key;
  }

  async function signer(orgId: string | null, algorithm: KeyAlgorithm = 'Ed25519'): Promise<Signer> {
    const key = await activeKey(orgId, algorithm);
    const did = didOf(orgId);
    return { did, verificationMethod: `${did}#${key.fragment}`, algorithm, privateKey: await privateKeyOf(key.id) };
  }

  /**
   * The organization's Ed25519 key as a did:key identity (`did:key:z6Mk…`), for verifiers that resolve only
   * did:key: the active key, or the one named by its fragment (its multibase public key) while not retired.
   * A did:key names one key for good, so rotating gives new credentials a new did:key; older ones keep theirs.
   */
  async function didKeySigner(orgId: string, fragment?: string): Promise<Signer> {
    const key =
      fragment === undefined
        ? await activeKey(orgId, 'Ed25519')
        : (await deps.store.list(orgId)).find(
            (k) => k.algorithm === 'Ed25519' && k.fragment === fragment && !k.retiredAt,
          );
    if (!key) throw notFound('That key');
    const did = `did:key:${key.publicMultibase!}`;
    return {
      did,
      verificationMethod: `${did}#${key.publicMultibase!}`,
      algorithm: 'Ed25519',
      privateKey: await privateKeyOf(key.id),
    };
  }

  function methodOf(did: string, key: IssuerKeyRecord): VerificationMethod {
    return key.algorithm === 'Ed25519'
      ? { id: `${did}#${key.fragment}`, type: 'Multikey', controller: did, publicKeyMultibase: key.publicMultibase! }
      : { id: `${did}#${key.fragment}`, type: 'JsonWebKey', controller: did, publicKeyJwk: key.publicJwk! };
  }

  /** The DID document: every key not yet retired, so credentials signed before a rotation still verify. */
  async function didDocument(orgId: string | null): Promise<DidDocument> {
    const did = didOf(orgId);
    await activeKey(orgId, 'Ed25519');
    const keys = (await deps.store.list(orgId)).filter((k) => !k.retiredAt);
    return buildDidDocument(
      did,
      keys.map((key) => methodOf(did, key)),
    );
  }

  /**
   * An organization's keys are its issuers' to list and its owners' to rotate or retire: checked here as well
   * as on the routes, so no route or other caller manages them for anyone else.
   */
  async function mayManage(userId: string, orgId: string, role: 'owner' | 'issuer') {
    if (!(await deps.hasRole(userId, orgId, role))) {
      throw new DomainError(
        'forbidden',
        role === 'owner'
          ? 'Only an owner of this organization may rotate or retire its keys.'
          : 'Only an issuer of this organization may see its keys.',
      );
    }
  }

  async function list(userId: string, orgId: string): Promise<IssuerKeyRecord[]> {
    await mayManage(userId, orgId, 'issuer');
    await activeKey(orgId, 'Ed25519');
    return deps.store.list(orgId);
  }

  async function rotate(userId: string, orgId: string, algorithm: KeyAlgorithm): Promise<IssuerKeyRecord> {
    await mayManage(userId, orgId, 'owner');
    return generate(orgId, algorithm);
  }

  async function retire(userId: string, orgId: string, keyId: string): Promise<void> {
    await mayManage(userId, orgId, 'owner');
    const keys = await deps.store.list(orgId);
    const key = keys.find((k) => k.id === keyId);
    if (!key) throw notFound('That key');
    if (key.retiredAt) throw conflict('That key is already retired.');
    const others = keys.filter((k) => k.algorithm === key.algorithm && !k.retiredAt && k.id !== keyId);
    if (others.length === 0)
      throw conflict(`This is the only ${key.algorithm} key in use: rotate first, then retire it.`);
    await deps.store.retire(orgId, keyId, now());
    deps.onKeysChanged?.(orgId);
    await deps.onRetired?.(orgId);
  }

  /** Tries to open every stored private key with the master key (AES-GCM only: cheap, even for thousands). */
  async function checkSealed(): Promise<{ total: number; failed: number }> {
    const all = await deps.store.allSealed();
    let failed = 0;
    for (const { id, sealed } of all) {
      try {
        open(sealed, deps.masterKey, id);
      } catch {
        failed += 1;
      }
    }
    return { total: all.length, failed };
  }

  return {
    did: didOf,
    checkSealed,
    signer,
    didKeySigner,
    didDocument,
    rotate,
    retire,
    list,
  };
}

export type Keys = ReturnType<typeof createKeys>;
