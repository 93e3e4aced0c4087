import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { contextUrls } from './contexts.js';
import { VcError } from './errors.js';
import { publicKeyFromMultibase, publicKeyObject } from './multikey.js';

export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: JsonWebKey;
}

export interface DidDocument {
  '@context'?: unknown;
  id: string;
  verificationMethod?: VerificationMethod[];
  assertionMethod?: (string | VerificationMethod)[];
  authentication?: (string | VerificationMethod)[];
  [key: string]: unknown;
}

/** A verification method resolved to a usable key, with how far its link to its controller was confirmed. */
export interface ResolvedMethod {
  method: VerificationMethod;
  publicKey: KeyObject;
  /** The relationships the controller authorizes the method for (assertionMethod, authentication…). */
  purposes: string[];
  /** False when the key came from the method's own URL fragment and its controller could not be asked. */
  confirmed: boolean;
  note?: string;
}

export type MethodResolver = (verificationMethodId: string) => Promise<ResolvedMethod>;

/** Fetches a JSON document over HTTPS (policy — timeouts, size, private addresses — is the caller's). */
export type JsonFetcher = (url: string) => Promise<unknown>;

const relationships = ['assertionMethod', 'authentication', 'capabilityInvocation', 'capabilityDelegation'] as const;

/**
 * Imported public keys by their encoding (multibase, or the JWK's JSON): importing costs more than a
 * signature check, and the same few issuer keys come back for every credential. Keyed by content, so
 * never stale; bounded.
 */
const importedKeys = new Map<string, KeyObject>();
const importedKeyLimit = 4096;

function remember(encoding: string, make: () => KeyObject): KeyObject {
  const hit = importedKeys.get(encoding);
  if (hit) return hit;
  const key = make();
  if (importedKeys.size >= importedKeyLimit) importedKeys.delete(importedKeys.keys().next().value!);
  importedKeys.set(encoding, key);
  return key;
}

export function keyOf(method: VerificationMethod): KeyObject {
  const multibase = method.publicKeyMultibase;
  if (multibase) return remember(`mb:${multibase}`, () => publicKeyObject(publicKeyFromMultibase(multibase)));
  if (method.publicKeyJwk) {
    const jwk = method.publicKeyJwk;
    try {
      return remember(`jwk:${JSON.stringify(jwk)}`, () => createPublicKey({ key: jwk, format: 'jwk' }));
    } catch {
      throw new VcError('invalid-key', `The key of ${method.id} is not a valid JWK.`);
    }
  }
  throw new VcError('invalid-key', `The verification method ${method.id} has no public key.`);
}

/** The DID document of a did:key (Ed25519 only), generated, never fetched. */
export function didKeyDocument(did: string): DidDocument {
  const match = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) throw new VcError('did-resolution', `${did} is not an Ed25519 did:key.`);
  const multibase = match[1]!;
  publicKeyFromMultibase(multibase); // validates
  const id = `${did}#${multibase}`;
  return {
    '@context': [contextUrls.did, contextUrls.multikey],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: multibase }],
    assertionMethod: [id],
    authentication: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  };
}

/** did:web:example.com:issuers:42 → https://example.com/issuers/42/did.json (DID Web method, section 3.2). */
export function didWebUrl(did: string): string {
  const match = /^did:web:([^:#?/]+)((?::[^:#?/]+)*)$/.exec(did);
  if (!match) throw new VcError('did-resolution', `${did} is not a valid did:web.`);
  const host = decodeURIComponent(match[1]!);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) throw new VcError('did-resolution', `${did} names an invalid host.`);
  const path = match[2] ? match[2].split(':').slice(1).map(decodeURIComponent) : ['.well-known'];
  if (path.some((segment) => segment === '..' || segment === '.' || segment.includes('/'))) {
    throw new VcError('did-resolution', `${did} has an invalid path.`);
  }
  return `https://${host}/${path.map(encodeURIComponent).join('/')}/did.json`;
}

/** The did:web identifier for an https URL (host, optional port, path segments). */
export function didWebFor(url: string): string {
  const parsed = new URL(url);
  const host = parsed.port ? `${parsed.hostname}%3A${parsed.port}` : parsed.hostname;
  const segments = parsed.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...segments].join(':');
}

/** Builds a DID document listing keys (newest last); all may assert credentials until retired. */
export function buildDidDocument(did: string, methods: VerificationMethod[]): DidDocument {
  const ids = methods.map((m) => m.id);
  const usesJwk = methods.some((m) => m.publicKeyJwk);
  return {
    '@context': [
      contextUrls.did,
      contextUrls.multikey,
      ...(usesJwk ? ['https://w3id.org/security/suites/jws-2020/v1'] : []),
    ],
    id: did,
    verificationMethod: methods,
    assertionMethod: ids,
    authentication: ids,
  };
}

function absolute(ref: string, base: string): string {
  return ref.startsWith('#') ? base + ref : ref;
}

/** Finds a verification method in a controller document and the purposes it is authorized for. */
export function methodInDocument(document: DidDocument, methodId: string): ResolvedMethod {
  const found = (document.verificationMethod ?? []).find((m) => absolute(m.id, document.id) === methodId);
  const embedded = relationships
    .flatMap((r) => (document[r] as (string | VerificationMethod)[] | undefined) ?? [])
    .find(
      (entry): entry is VerificationMethod => typeof entry === 'object' && absolute(entry.id, document.id) === methodId,
    );
  const method = found ?? embedded;
  if (!method) throw new VcError('did-resolution', `The key ${methodId} is not in the document of ${document.id}.`);
  if (method.controller && method.controller !== document.id) {
    throw new VcError(
      'did-resolution',
      `The key ${methodId} is controlled by ${method.controller}, not ${document.id}.`,
    );
  }
  const purposes = relationships.filter((r) =>
    ((document[r] as (string | VerificationMethod)[] | undefined) ?? []).some(
      (entry) => absolute(typeof entry === 'string' ? entry : entry.id, document.id) === methodId,
    ),
  );
  return {
    method: { ...method, id: methodId, controller: document.id },
    publicKey: keyOf(method),
    purposes,
    confirmed: true,
  };
}

export interface ResolverOptions {
  /** Fetches DID documents and HTTPS controller documents; without it only did:key and `local` resolve. */
  fetchJson?: JsonFetcher;
  /** DID documents this instance serves itself, answered without a network request. */
  local?: (did: string) => Promise<DidDocument | undefined> | DidDocument | undefined;
}

/**
 * Resolves verification method ids: did:key locally, did:web through `local` then `fetchJson`, and HTTPS
 * method URLs by dereferencing them; when an HTTPS method cannot be dereferenced and its fragment is an
 * Ed25519 Multikey (as the 1EdTech examples do), the fragment's key is used and marked unconfirmed.
 */
export function createMethodResolver(options: ResolverOptions = {}): MethodResolver {
  return async (methodId: string) => {
    if (typeof methodId !== 'string' || methodId.length === 0) {
      throw new VcError('did-resolution', 'The proof names no verification method.');
    }
    const [base = '', fragment] = methodId.split('#', 2);
    if (base.startsWith('did:key:')) {
      const document = didKeyDocument(base);
      return methodInDocument(document, fragment ? methodId : document.verificationMethod![0]!.id);
    }
    if (base.startsWith('did:web:')) {
      const document = ((await options.local?.(base)) ??
        (options.fetchJson ? await options.fetchJson(didWebUrl(base)) : undefined)) as DidDocument | undefined;
      if (!document) throw new VcError('did-resolution', `${base} could not be resolved here.`);
      if (document.id !== base)
        throw new VcError('did-resolution', `The document at ${didWebUrl(base)} is for ${document.id}, not ${base}.`);
      return methodInDocument(document, methodId);
    }
    if (base.startsWith('did:')) {
      throw new VcError(
        'did-resolution',
        `The DID method of ${base.split(':').slice(0, 2).join(':')} is not supported.`,
      );
    }
    if (!/^https?:\/\//.test(base)) {
      throw new VcError('did-resolution', `The verification method ${methodId} is neither a DID nor an HTTPS URL.`);
    }
    let fetchProblem = 'fetching is off';
    if (options.fetchJson) {
      try {
        const document = (await options.fetchJson(base)) as DidDocument | VerificationMethod;
        if ('publicKeyMultibase' in document || 'publicKeyJwk' in document) {
          const method = document as VerificationMethod;
          return { method, publicKey: keyOf(method), purposes: ['assertionMethod'], confirmed: true };
        }
        return methodInDocument({ ...(document as DidDocument), id: (document as DidDocument).id ?? base }, methodId);
      } catch (error) {
        fetchProblem = error instanceof Error ? error.message : String(error);
      }
    }
    if (fragment?.startsWith('z6Mk')) {
      const method: VerificationMethod = {
        id: methodId,
        type: 'Multikey',
        controller: base,
        publicKeyMultibase: fragment,
      };
      return {
        method,
        publicKey: keyOf(method),
        purposes: ['assertionMethod'],
        confirmed: false,
        note: `The key is taken from its own address; ${base} could not be asked to confirm it (${fetchProblem}).`,
      };
    }
    throw new VcError('did-resolution', `The key ${methodId} could not be resolved (${fetchProblem}).`);
  };
}
