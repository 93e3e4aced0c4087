import { DomainError, invalid } from '../platform/errors.js';
import { VcError, type VcErrorCode } from '../vc/errors.js';
import { undecided, type Check } from '../vc/verify.js';

/**
 * A verification made for a request (the verify routes, a wallet import): a library error about unreadable
 * input is the input's fault (400 with the library's plain message); a result where some check could not be
 * made just now (a database or network failure) is no verdict, so the caller gets 503 and tries again, never
 * "not verified". Anything else is ours and propagates (500, its text logged, not shown).
 */
export async function verificationFor<T extends { checks: readonly Check[] }>(
  work: () => Promise<T>,
  others: (result: T) => readonly { checks: readonly Check[] }[] = () => [],
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (error instanceof VcError) throw invalid(error.message);
    throw error;
  }
  // A presentation is undecided when something in it could not be checked and nothing in it failed.
  if (undecided({ checks: [result, ...others(result)].flatMap((r) => r.checks) })) throw notCheckedNow();
  return result;
}

export const notCheckedNow = () =>
  new DomainError('unavailable', 'The credential could not be checked just now. Try again in a moment.');

/**
 * A fetcher for the verifier whose refusals (an unreachable host, an HTTP error, not JSON: DomainErrors with
 * messages written for people) are reported as the document's problem, as before; anything else it throws
 * (a database error, a bug) stays an error, which the verifier reports as "could not check".
 */
export function withReadableRefusals<A extends unknown[], R>(
  fetch: (...args: A) => Promise<R>,
  code: VcErrorCode,
): (...args: A) => Promise<R> {
  return (...args) =>
    fetch(...args).catch((error: unknown) => {
      throw error instanceof DomainError && error.code !== 'unavailable' ? new VcError(code, error.message) : error;
    });
}
