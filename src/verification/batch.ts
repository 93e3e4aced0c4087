import { DomainError } from '../platform/errors.js';
import type { IssuerTrust } from '../trust/check.js';
import { VcError } from '../vc/errors.js';
import { undecided, type Check } from '../vc/verify.js';
import { notCheckedNow } from './outcome.js';
import type { TrustedVerification, VerifyContext } from './verifier.js';

/**
 * Many credentials checked in one go, as an employer has them (links, pasted JSON, badge files). Each item
 * stands alone: one that cannot be read is an error in its row, never a failed batch.
 */
export const batchLimits = {
  items: 50,
  /** All the items' text together (base64 images count as their base64). */
  totalChars: 16 * 1024 * 1024,
  /** The request body: the items plus room for the JSON around them. */
  maxBodyBytes: 16 * 1024 * 1024 + 64 * 1024,
  /** Items checked at the same time (foreign fetches and signature checks). */
  concurrency: 4,
};

export interface BatchItem {
  text?: string;
  url?: string;
  /** base64 of a PNG or SVG badge, or of a credential file. */
  image?: string;
  /** What the person calls it (a file name), echoed back. */
  label?: string;
}

export type BatchVerdict = 'verified' | 'not-verified' | 'error';

export interface BatchResult {
  index: number;
  label: string | null;
  verdict: BatchVerdict;
  /** One sentence a person can act on. */
  headline: string;
  issuer: { id: string | null; name: string | null; claimedName: string | null } | null;
  issuerTrust: IssuerTrust | null;
  achievement: string | null;
  recipient: string | null;
  checks: Check[];
}

export interface Verifies {
  verify(input: { text: string } | { bytes: Uint8Array }, context?: VerifyContext): Promise<TrustedVerification>;
  verifyUrl(url: string, context?: VerifyContext): Promise<TrustedVerification>;
}

/** Refuses a batch too big to take, before any item is checked. */
export function checkBatchSize(items: BatchItem[]): void {
  if (items.length > batchLimits.items) {
    throw new DomainError(
      'too-large',
      `A batch holds at most ${batchLimits.items} credentials; this one has ${items.length}. Split it.`,
    );
  }
  const total = items.reduce(
    (sum, i) => sum + (i.text?.length ?? 0) + (i.url?.length ?? 0) + (i.image?.length ?? 0),
    0,
  );
  if (total > batchLimits.totalChars) {
    throw new DomainError(
      'too-large',
      `A batch holds at most ${batchLimits.totalChars / 1024 / 1024} MiB of credentials in all; split it into smaller batches.`,
    );
  }
}

function errorResult(index: number, label: string | null, message: string): BatchResult {
  return {
    index,
    label,
    verdict: 'error',
    headline: `Could not be checked: ${message}`,
    issuer: null,
    issuerTrust: null,
    achievement: null,
    recipient: null,
    checks: [],
  };
}

function describe(index: number, label: string | null, result: TrustedVerification): BatchResult {
  const summary = result.summary;
  const trust = result.issuerTrust;
  const claimedName = summary?.issuer.name ?? null;
  const issuerName = trust.known ? (trust.name ?? claimedName) : claimedName;
  const achievement = summary?.achievement?.name ?? summary?.name ?? null;
  const recipient = summary?.subject?.name ?? null;
  const failed = result.checks.filter((c) => c.status === 'failed').map((c) => c.message);
  const who = issuerName ?? summary?.issuer.id ?? 'an unnamed issuer';
  const what = achievement ? `"${achievement}"` : 'this credential';
  const headline = result.verified
    ? `Verified: ${who} issued ${what}${recipient ? ` to ${recipient}` : ''}${trust.known ? '' : ' (an issuer this instance does not know)'}.`
    : `Not verified: ${failed.join(' ') || 'the credential did not pass its checks.'}`;
  return {
    index,
    label,
    verdict: result.verified ? 'verified' : 'not-verified',
    headline,
    issuer: summary ? { id: summary.issuer.id ?? null, name: issuerName, claimedName } : null,
    issuerTrust: trust,
    achievement,
    recipient,
    checks: result.checks,
  };
}

async function verifyOne(
  verifier: Verifies,
  item: BatchItem,
  index: number,
  context: VerifyContext,
): Promise<BatchResult> {
  const label = item.label ?? item.url ?? null;
  const given = (['text', 'url', 'image'] as const).filter((k) => item[k] !== undefined);
  if (given.length !== 1) return errorResult(index, label, 'Give exactly one of text, url or image.');
  try {
    const result =
      item.url !== undefined
        ? await verifier.verifyUrl(item.url.trim(), context)
        : item.image !== undefined
          ? await verifier.verify({ bytes: Buffer.from(item.image, 'base64') }, context)
          : await verifier.verify({ text: item.text! }, context);
    // Something could not be checked just now: no verdict for this row, as for an unreadable item.
    if (undecided(result)) return errorResult(index, label, notCheckedNow().message);
    return describe(index, label, result);
  } catch (error) {
    if (error instanceof VcError || error instanceof DomainError) return errorResult(index, label, error.message);
    throw error;
  }
}

/** Checks every item, a few at a time, and answers in the order given. */
export async function verifyBatch(
  verifier: Verifies,
  items: BatchItem[],
  onUnexpected: (error: unknown) => void = () => {},
  context: VerifyContext = {},
): Promise<BatchResult[]> {
  checkBatchSize(items);
  const results: BatchResult[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await verifyOne(verifier, items[index]!, index, context).catch((error: unknown) => {
        onUnexpected(error);
        const label = items[index]!.label ?? items[index]!.url ?? null;
        return errorResult(index, label, 'Something went wrong on our side; it has been logged.');
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(batchLimits.concurrency, items.length) }, worker));
  return results;
}
