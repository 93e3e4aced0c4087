import type { Issuance } from '../issuance/issuance.js';
import { orgIdOfDid } from '../keys/identity.js';
import type { Keys } from '../keys/keys.js';
import type { SafeFetch } from '../platform/safe-fetch.js';
import { createMethodResolver, type DidDocument } from '../vc/did.js';
import { VcError } from '../vc/errors.js';
import { trustCheck, withTrust, type IssuerTrust, type TrustedIssuer } from '../trust/check.js';
import { verifyPresentation } from '../vc/presentation.js';
import { verifyInput, type InputVerification, type VerifierInput } from '../vc/verify-input.js';
import { createVerifyMemo, type VerificationResult, type VerifierDeps } from '../vc/verify.js';
import { withReadableRefusals } from './outcome.js';
import { TtlCache } from './ttl-cache.js';

/**
 * What a process changed that other processes' caches must drop: an issuer's keys, one status list, or the
 * registry of trusted issuers.
 */
export type VerifierChange = { issuer: string | null } | { statusList: string } | { trustedIssuers: true };

/** A verification with what this instance knows of its issuer (the 'trust' check and `issuerTrust`). */
export type TrustedVerification = InputVerification & { issuerTrust: IssuerTrust };

export interface PlatformVerifierDeps {
  keys: Keys;
  issuance: Issuance;
  fetcher: SafeFetch;
  publicUrl: string;
  organizationExists: (orgId: string) => Promise<boolean>;
  /** Who this instance knows an issuer DID as (its organizations, imported registries); none: all unknown. */
  trustedIssuer?: (did: string) => Promise<TrustedIssuer | undefined>;
  /**
   * How long this instance's own DID documents and status lists are reused (default 10 s). Changes made
   * through this process are seen at once (forgetIssuer, forgetStatusList); the TTL bounds what other
   * processes behind the same database changed.
   */
  localTtlMs?: number;
  /**
   * The document an address of this instance serves (a public credential page, say), read from its own data:
   * its own addresses are never fetched over the network (a default install is plain http on localhost).
   */
  localDocument?: (url: URL) => Promise<string | undefined>;
  /** How long foreign status lists are reused (default 60 s): a revocation shows after at most this. */
  foreignStatusTtlMs?: number;
  now?: () => number;
}

/**
 * The verifier as this instance runs it: its own DIDs and status lists answered locally (no request to
 * itself), everything foreign through the guarded fetcher.
 */
export function createPlatformVerifier(deps: PlatformVerifierDeps) {
  const statusPrefix = `${deps.publicUrl}/status-lists/`;
  const localTtl = deps.localTtlMs ?? 10_000;
  const localDids = new TtlCache<DidDocument>(localTtl, 10_000, deps.now);
  const localLists = new TtlCache<unknown>(localTtl, 10_000, deps.now);
  const foreignLists = new TtlCache<unknown>(deps.foreignStatusTtlMs ?? 60_000, 10_000, deps.now);
  const trusted = new TtlCache<TrustedIssuer | null>(localTtl, 10_000, deps.now);

  async function localDid(did: string): Promise<DidDocument | undefined> {
    const orgId = orgIdOfDid(deps.publicUrl, did);
    if (orgId === undefined) return undefined;
    return localDids.get(orgId ?? '', async () => {
      if (orgId !== null && !(await deps.organizationExists(orgId))) {
        throw new VcError('did-resolution', `${did} is not an issuer on this instance.`);
      }
      return deps.keys.didDocument(orgId);
    });
  }

  // Cached lists are shared objects: verify.ts remembers its check of each one (by identity) meanwhile.
  const verifierDeps: VerifierDeps = {
    resolveMethod: createMethodResolver({
      local: withReadableRefusals(localDid, 'did-resolution'),
      fetchJson: withReadableRefusals(deps.fetcher.fetchJson, 'did-resolution'),
    }),
    // A list this instance does not have is the credential's problem; a database error is "could not check".
    fetchStatusList: withReadableRefusals((url: string) => {
      if (url.startsWith(statusPrefix)) {
        // ID, or ID/did-key/FRAGMENT: the same list published by a did:key of the organization.
        const rest = url.slice(statusPrefix.length);
        const [id = '', didKey, fragment] = rest.split('/');
        const variant = didKey === 'did-key' ? fragment : undefined;
        return localLists.get(
          rest,
          async () => JSON.parse((await deps.issuance.publishedList(id, variant)).document) as unknown,
        );
      }
      return foreignLists.get(url, () => deps.fetcher.fetchJson(url));
    }, 'status-list'),
    fetchOb2: withReadableRefusals(deps.fetcher.fetchJsonResponse, 'invalid-document'),
    // Credentials verified again skip the pure checks; key, dates and status are checked every time.
    memo: createVerifyMemo(),
  };

  /** Adds the 'trust' check: whom the registry of trusted issuers knows the (signature-confirmed) issuer as. */
  async function trust<T extends VerificationResult>(result: T): Promise<T & { issuerTrust: IssuerTrust }> {
    const issuerId = result.summary?.issuer.id;
    const issuerCheck = result.checks.find((c) => c.id === 'issuer');
    const lookup = deps.trustedIssuer;
    // Registries list DIDs only; a bound on the length keeps made-up issuer ids from filling the cache.
    const listable = issuerId !== undefined && issuerId.startsWith('did:') && issuerId.length <= 2048;
    const confirmed = issuerCheck !== undefined && issuerCheck.status !== 'failed' && issuerCheck.status !== 'skipped';
    const listed =
      listable && confirmed && lookup
        ? ((await trusted.get(issuerId, async () => (await lookup(issuerId)) ?? null)) ?? undefined)
        : undefined;
    return withTrust(result, trustCheck(issuerId, issuerCheck, listed, result.summary?.issuer.name));
  }

  /** Fetches a credential from a URL (JSON, JWT or image) and verifies it. */
  async function verifyUrl(url: string): Promise<TrustedVerification> {
    const own = URL.canParse(url) ? new URL(url) : undefined;
    if (own && deps.localDocument && own.host === new URL(deps.publicUrl).host) {
      const text = await deps.localDocument(own);
      if (text !== undefined) return trust(await verifyInput({ text }, verifierDeps));
    }
    const fetched = await deps.fetcher.fetchDocument(
      url,
      'application/vc+ld+json, application/vc+jwt, application/json, image/png, image/svg+xml, text/plain',
    );
    return trust(await verifyInput({ bytes: fetched.body }, verifierDeps));
  }

  const listeners: ((change: VerifierChange) => void)[] = [];
  function forget(change: VerifierChange) {
    if ('statusList' in change) {
      localLists.deleteWhere((key) => key === change.statusList || key.startsWith(`${change.statusList}/`));
      return;
    }
    if ('trustedIssuers' in change) {
      trusted.deleteWhere(() => true);
      return;
    }
    localDids.delete(change.issuer ?? '');
    // An organization's name (as the registry of trusted issuers shows it) may have changed with it.
    trusted.deleteWhere(() => true);
    // Retiring a key re-signs the issuer's lists; which lists are its is the store's business: drop all.
    localLists.deleteWhere(() => true);
  }
  function changed(change: VerifierChange) {
    forget(change);
    for (const listener of listeners) listener(change);
  }

  return {
    deps: verifierDeps,
    verify: async (input: VerifierInput): Promise<TrustedVerification> => trust(await verifyInput(input, verifierDeps)),
    verifyUrl,
    /** A presentation's holder proof and every credential in it, each with its issuer's standing. */
    async verifyPresentation(presentation: unknown, options: { challenge?: string; domain?: string } = {}) {
      const result = await verifyPresentation(presentation, verifierDeps, options);
      return { ...result, credentials: await Promise.all(result.credentials.map(trust)) };
    },
    /** An issuer's keys changed (or the instance's, for null): its DID document and lists are re-read. */
    forgetIssuer(orgId: string | null) {
      changed({ issuer: orgId });
    },
    /** A status list of this instance changed: the next verification reads it again. */
    forgetStatusList(listId: string) {
      changed({ statusList: listId });
    },
    /** The registry of trusted issuers changed: issuers are looked up again. */
    forgetTrustedIssuers() {
      changed({ trustedIssuers: true });
    },
    /** Tells `listener` of every change made through this process (to pass on to the other processes). */
    onChange(listener: (change: VerifierChange) => void) {
      listeners.push(listener);
    },
    /** A change another process made: forgotten here too, and not passed on again. */
    applyChange(change: VerifierChange) {
      forget(change);
    },
  };
}

export type PlatformVerifier = ReturnType<typeof createPlatformVerifier>;
