import type { Issuance } from '../issuance/issuance.js';
import { orgIdOfDid } from '../keys/identity.js';
import type { Keys } from '../keys/keys.js';
import type { SafeFetch } from '../platform/safe-fetch.js';
import { createMethodResolver, type DidDocument } from '../vc/did.js';
import { VcError } from '../vc/errors.js';
import { trustCheck, withTrust, type IssuerTrust, type TrustedIssuer } from '../trust/check.js';
import { verifyPresentation } from '../vc/presentation.js';
import { verifyInput, type InputVerification, type VerifierInput } from '../vc/verify-input.js';
import {
  checkStatusList,
  createVerifyMemo,
  type StatusListOutcome,
  type VerificationResult,
  type VerifierDeps,
} from '../vc/verify.js';
import { compactListBytes } from '../vc/status-list.js';
import { LRUCache } from 'lru-cache';
import { withReadableRefusals } from './outcome.js';

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
  /** Limits on what anonymous callers can make this instance fetch and keep (see `defaultStatusListLimits`). */
  statusListLimits?: Partial<StatusListLimits>;
  now?: () => number;
}

export interface StatusListLimits {
  /** Bytes of checked, compact status lists kept (the decoded bits, not the documents). */
  cacheBytes: number;
  /** A larger list is checked and used but not kept. */
  entryBytes: number;
  /** Foreign status lists one verification (a credential, a presentation, a batch item) may fetch. */
  fetchesPerVerification: number;
  /** Foreign status lists one client may make this instance fetch per minute (cached ones are free). */
  fetchesPerClientPerMinute: number;
  /** Clients exempt from the per-client limit (an internal verification service; the rate-limit allow list). */
  exemptClients: string[];
}

export const defaultStatusListLimits: StatusListLimits = {
  cacheBytes: 32 * 1024 * 1024,
  entryBytes: 2 * 1024 * 1024,
  fetchesPerVerification: 8,
  fetchesPerClientPerMinute: 120,
  exemptClients: [],
};

/** Who asked for a verification, for the per-client limit on foreign fetches (none: internal callers). */
export interface VerifyContext {
  client?: string;
}

/**
 * What one verification may still fetch: foreign lists are counted against it and against its client's
 * minute, only when actually fetched (a cached or pending list costs nothing).
 */
class FetchBudget {
  private spent = 0;
  constructor(
    private readonly limits: StatusListLimits,
    private readonly clientCount: { count: number } | undefined,
  ) {}
  spend(): void {
    if (this.spent >= this.limits.fetchesPerVerification) {
      throw new VcError(
        'status-list',
        `a verification fetches at most ${this.limits.fetchesPerVerification} status lists from other servers.`,
      );
    }
    if (this.clientCount && this.clientCount.count >= this.limits.fetchesPerClientPerMinute) {
      throw new VcError(
        'status-list',
        'too many status lists from other servers were fetched for you in the last minute; try again later.',
      );
    }
    this.spent += 1;
    if (this.clientCount) this.clientCount.count += 1;
  }
}

/** lru-cache keeps an entry while its age is at most `ttl`; ours expire when their age reaches it. */
const lruTtl = (ttl: number) => Math.max(ttl - 1, 1);

/** A cache bounded by count with a time to live, on the verifier's clock; failed loads are not kept. */
function ttlCache<V extends object>(ttl: number, perf: { now: () => number }, max = 10_000) {
  return new LRUCache<string, V, () => Promise<V>>({
    max,
    ttl: lruTtl(ttl),
    perf,
    ttlResolution: 0,
    ignoreFetchAbort: true,
    fetchMethod: (_key, _stale, { context }) => context(),
  });
}

async function loaded<V extends object>(
  cache: LRUCache<string, V, () => Promise<V>>,
  key: string,
  load: () => Promise<V>,
): Promise<V> {
  if (cache.ttl <= 0) return load();
  const value = await cache.fetch(key, { context: load });
  if (value === undefined) return load();
  return value;
}

/**
 * The verifier as this instance runs it: its own DIDs and status lists answered locally (no request to
 * itself), everything foreign through the guarded fetcher.
 */
export function createPlatformVerifier(deps: PlatformVerifierDeps) {
  const statusPrefix = `${deps.publicUrl}/status-lists/`;
  const localTtl = deps.localTtlMs ?? 10_000;
  const limits: StatusListLimits = { ...defaultStatusListLimits, ...deps.statusListLimits };
  const perf = { now: deps.now ?? Date.now };
  const localDids = ttlCache<DidDocument>(localTtl, perf);
  const trusted = ttlCache<{ issuer: TrustedIssuer | null }>(localTtl, perf);

  /**
   * Status lists, checked and compact (the outcome of `checkStatusList`), bounded by bytes: this instance's
   * own by list id, foreign ones by URL (the URL's length counts: anyone can name one). Concurrent
   * verifications share one pending load; failed loads are not kept; expired lists are dropped as the
   * cache is used.
   */
  function listCache(ttl: number) {
    return new LRUCache<string, StatusListOutcome, { load: () => Promise<StatusListOutcome> }>({
      maxSize: limits.cacheBytes,
      maxEntrySize: limits.entryBytes,
      sizeCalculation: (outcome, key) =>
        2 * key.length +
        ('list' in outcome
          ? compactListBytes(outcome.list)
          : 'problem' in outcome
            ? 2 * outcome.problem.length + 64
            : 64),
      ttl: lruTtl(ttl),
      perf,
      ttlResolution: 0,
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => context.load(),
    });
  }
  const localLists = listCache(localTtl);
  const foreignLists = listCache(deps.foreignStatusTtlMs ?? 60_000);
  // Foreign fetches per client in the current minute (bounded: a client past the bound is forgotten early).
  const clientFetches = new LRUCache<string, { count: number }>({ max: 50_000, ttl: 60_000, perf, ttlResolution: 0 });
  let lastPurge = perf.now();

  async function statusList(
    cache: LRUCache<string, StatusListOutcome, { load: () => Promise<StatusListOutcome> }>,
    key: string,
    load: () => Promise<StatusListOutcome>,
  ): Promise<StatusListOutcome> {
    const time = perf.now();
    if (time - lastPurge >= 10_000) {
      lastPurge = time;
      localLists.purgeStale();
      foreignLists.purgeStale();
    }
    // A list's refusals are the credential's problem; anything else (a database error, a bug) is no verdict.
    const readable = withReadableRefusals(load, 'status-list');
    const outcome = await cache.fetch(key, { context: { load: readable } });
    // Undefined only when the entry was dropped (forgotten) while loading: load it again, uncached.
    if (outcome && 'unknown' in outcome) cache.delete(key);
    return outcome ?? readable();
  }

  async function localDid(did: string): Promise<DidDocument | undefined> {
    const orgId = orgIdOfDid(deps.publicUrl, did);
    if (orgId === undefined) return undefined;
    return loaded(localDids, orgId ?? '', async () => {
      if (orgId !== null && !(await deps.organizationExists(orgId))) {
        throw new VcError('did-resolution', `${did} is not an issuer on this instance.`);
      }
      return deps.keys.didDocument(orgId);
    });
  }

  // Cached credentials' checks are remembered across verifications (the memo); status lists are kept checked.
  const verifierDeps: VerifierDeps = {
    // Refusals (an unknown DID, an unreachable host) are the credential's problem; a database error is "could not check".
    resolveMethod: createMethodResolver({
      local: withReadableRefusals(localDid, 'did-resolution'),
      fetchJson: withReadableRefusals(deps.fetcher.fetchJson, 'did-resolution'),
    }),
    fetchOb2: withReadableRefusals(deps.fetcher.fetchJsonResponse, 'invalid-document'),
    // Credentials verified again skip the pure checks; key, dates and status are checked every time.
    memo: createVerifyMemo(),
  };

  /** The deps for one verification: status lists through the caches, foreign fetches counted. */
  function depsFor(context: VerifyContext = {}): VerifierDeps {
    const client =
      context.client !== undefined && !limits.exemptClients.includes(context.client) ? context.client : undefined;
    let budget: FetchBudget | undefined;
    const spend = () => {
      if (!budget) {
        let count: { count: number } | undefined;
        if (client !== undefined) {
          count = clientFetches.get(client);
          if (!count) {
            count = { count: 0 };
            clientFetches.set(client, count);
          }
        }
        budget = new FetchBudget(limits, count);
      }
      budget.spend();
    };
    const own: VerifierDeps = {
      ...verifierDeps,
      statusList(url: string) {
        if (url.startsWith(statusPrefix)) {
          // ID, or ID/did-key/FRAGMENT: the same list published by a did:key of the organization.
          const rest = url.slice(statusPrefix.length);
          const [id = '', didKey, fragment] = rest.split('/');
          return statusList(localLists, rest, async () => {
            const published = await deps.issuance.publishedList(id, didKey === 'did-key' ? fragment : undefined);
            return checkStatusList(JSON.parse(published.document) as unknown, url, own);
          });
        }
        return statusList(foreignLists, url, async () => {
          spend();
          return checkStatusList(await deps.fetcher.fetchJson(url), url, own);
        });
      },
    };
    return own;
  }

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
        ? ((await loaded(trusted, issuerId, async () => ({ issuer: (await lookup(issuerId)) ?? null }))).issuer ??
          undefined)
        : undefined;
    return withTrust(result, trustCheck(issuerId, issuerCheck, listed, result.summary?.issuer.name));
  }

  /** Fetches a credential from a URL (JSON, JWT or image) and verifies it. */
  async function verifyUrl(url: string, context?: VerifyContext): Promise<TrustedVerification> {
    const own = URL.canParse(url) ? new URL(url) : undefined;
    if (own && deps.localDocument && own.host === new URL(deps.publicUrl).host) {
      const text = await deps.localDocument(own);
      if (text !== undefined) return trust(await verifyInput({ text }, depsFor(context)));
    }
    const fetched = await deps.fetcher.fetchDocument(
      url,
      'application/vc+ld+json, application/vc+jwt, application/json, image/png, image/svg+xml, text/plain',
    );
    return trust(await verifyInput({ bytes: fetched.body }, depsFor(context)));
  }

  const listeners: ((change: VerifierChange) => void)[] = [];
  function forget(change: VerifierChange) {
    if ('statusList' in change) {
      // The list and the same bits published by the organization's did:keys (ID/did-key/FRAGMENT).
      for (const key of [...localLists.keys()]) {
        if (key === change.statusList || key.startsWith(`${change.statusList}/`)) localLists.delete(key);
      }
      return;
    }
    if ('trustedIssuers' in change) {
      trusted.clear();
      return;
    }
    localDids.delete(change.issuer ?? '');
    // An organization's name (as the registry of trusted issuers shows it) may have changed with it.
    trusted.clear();
    // Retiring a key re-signs the issuer's lists; which lists are its is the store's business: drop all.
    localLists.clear();
  }
  function changed(change: VerifierChange) {
    forget(change);
    for (const listener of listeners) listener(change);
  }

  return {
    /** The deps of a verification without a client (internal callers). */
    get deps(): VerifierDeps {
      return depsFor();
    },
    verify: async (input: VerifierInput, context?: VerifyContext): Promise<TrustedVerification> =>
      trust(await verifyInput(input, depsFor(context))),
    verifyUrl,
    /** A presentation's holder proof and every credential in it, each with its issuer's standing. */
    async verifyPresentation(
      presentation: unknown,
      options: { challenge?: string; domain?: string } = {},
      context?: VerifyContext,
    ) {
      const result = await verifyPresentation(presentation, depsFor(context), options);
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
    /** What the status-list caches hold, in bytes and lists (for limits, tests and metrics). */
    statusListCache() {
      return {
        bytes: localLists.calculatedSize + foreignLists.calculatedSize,
        lists: localLists.size + foreignLists.size,
        maxBytes: 2 * limits.cacheBytes,
      };
    },
  };
}

export type PlatformVerifier = ReturnType<typeof createPlatformVerifier>;
