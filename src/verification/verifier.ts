import type { Issuance } from '../issuance/issuance.js';
import { orgIdOfDid } from '../keys/identity.js';
import type { Keys } from '../keys/keys.js';
import type { SafeFetch } from '../platform/safe-fetch.js';
import { createMethodResolver, type DidDocument } from '../vc/did.js';
import { VcError } from '../vc/errors.js';
import { verifyInput, type InputVerification, type VerifierInput } from '../vc/verify-input.js';
import type { VerifierDeps } from '../vc/verify.js';

export interface PlatformVerifierDeps {
  keys: Keys;
  issuance: Issuance;
  fetcher: SafeFetch;
  publicUrl: string;
  organizationExists: (orgId: string) => Promise<boolean>;
}

/**
 * The verifier as this instance runs it: its own DIDs and status lists answered locally (no request to
 * itself), everything foreign through the guarded fetcher.
 */
export function createPlatformVerifier(deps: PlatformVerifierDeps) {
  const statusPrefix = `${deps.publicUrl}/status-lists/`;

  async function localDid(did: string): Promise<DidDocument | undefined> {
    const orgId = orgIdOfDid(deps.publicUrl, did);
    if (orgId === undefined) return undefined;
    if (orgId !== null && !(await deps.organizationExists(orgId))) {
      throw new VcError('did-resolution', `${did} is not an issuer on this instance.`);
    }
    return deps.keys.didDocument(orgId);
  }

  const verifierDeps: VerifierDeps = {
    resolveMethod: createMethodResolver({ local: localDid, fetchJson: deps.fetcher.fetchJson }),
    async fetchStatusList(url: string) {
      if (url.startsWith(statusPrefix)) {
        const id = url.slice(statusPrefix.length);
        return JSON.parse((await deps.issuance.publishedList(id)).document) as unknown;
      }
      return deps.fetcher.fetchJson(url);
    },
    fetchOb2: deps.fetcher.fetchJsonResponse,
  };

  /** Fetches a credential from a URL (JSON, JWT or image) and verifies it. */
  async function verifyUrl(url: string): Promise<InputVerification> {
    const fetched = await deps.fetcher.fetchDocument(
      url,
      'application/vc+ld+json, application/vc+jwt, application/json, image/png, image/svg+xml, text/plain',
    );
    return verifyInput({ bytes: fetched.body }, verifierDeps);
  }

  return {
    deps: verifierDeps,
    verify: (input: VerifierInput) => verifyInput(input, verifierDeps),
    verifyUrl,
  };
}

export type PlatformVerifier = ReturnType<typeof createPlatformVerifier>;
