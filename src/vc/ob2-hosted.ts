import type { CheckStatus } from './checks.js';
import { obj, origin, str, type Ob2Fetcher, type Obj } from './ob2-document.js';

export interface HostedOutcome {
  status: CheckStatus;
  message: string;
  /** Set when the issuer says, where the assertion is hosted, that it is revoked (with its reason, or ''). */
  revoked?: string;
  /** The assertion as its issuer serves it, when that is this exact assertion. */
  served?: Obj;
}

/**
 * The proof of a hosted assertion (OB 2.0 "hosted verification"): it must still be served at its own id, be
 * the same assertion there, and be served from an origin its issuer allows. A fetch that was refused says
 * nothing of the badge; a 410 or `revoked: true` there is the issuer's revocation.
 */
export async function checkHosted(
  assertion: Obj,
  verification: Obj | undefined,
  issuer: Obj | undefined,
  fetcher: Ob2Fetcher,
): Promise<HostedOutcome> {
  const id = str(assertion.id);
  if (!id) return { status: 'failed', message: 'A hosted assertion must have the URL it is served at as its id.' };
  const allowed = [
    verification?.allowedOrigins ?? obj(issuer?.verification)?.allowedOrigins ?? origin(str(issuer?.id)),
  ].flat();
  let refused: string | undefined;
  const response = await fetcher(id).catch((error: Error) => {
    refused = error.message;
    return { status: 0, json: undefined };
  });
  const hosted = obj(response.json);
  if (refused !== undefined) {
    // Not an answer from the issuer: the fetch itself was refused or failed, which says nothing of the badge.
    return {
      status: 'failed',
      message: `The assertion could not be fetched from ${id}, so it was not checked: ${refused}`,
    };
  }
  if (response.status === 410 || hosted?.revoked === true) {
    return {
      status: 'passed',
      message: `The issuer still answers for this assertion at ${id}.`,
      revoked: str(hosted?.revocationReason) ?? '',
    };
  }
  if (response.status !== 200 || !hosted) {
    return {
      status: 'failed',
      message: `The assertion is no longer served at ${id}, so its issuer no longer vouches for it.`,
    };
  }
  if (hosted.id !== id || JSON.stringify(hosted.badge) !== JSON.stringify(assertion.badge)) {
    return { status: 'failed', message: `The assertion served at ${id} is not this one.` };
  }
  if (!allowed.includes(origin(id))) {
    return { status: 'failed', message: `The assertion is served from ${origin(id)}, not from its issuer's site.` };
  }
  return { status: 'passed', message: `The issuer serves this exact assertion at ${id}.`, served: hosted };
}
