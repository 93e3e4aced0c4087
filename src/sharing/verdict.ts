import type { Check } from '../vc/verify.js';

/** How a verification reads to a person: one word, a tone, and the plain-language reasons behind it. */
export type VerdictLabel = 'Verified' | 'Revoked' | 'Expired' | 'Suspended' | 'Not verified';

export interface Verdict {
  label: VerdictLabel;
  ok: boolean;
  /** The messages of the failed checks (or the reason nothing could be checked). */
  reasons: string[];
}

/** What a verification (by the trust helper, when present) says about the issuer. */
export interface IssuerTrust {
  known: boolean;
  name?: string;
  registry?: string;
  url?: string;
}

export interface VerdictInput {
  verified: boolean;
  checks: Check[];
}

/**
 * The verdict of a verification. The store's own record decides between revoked and suspended for credentials
 * issued here (an OB 3.0 credential carries one status entry, so a revocation may set its suspension bit).
 */
export function verdictOf(
  result: VerdictInput | { error: string },
  issued?: { revokedAt: Date | null; suspendedAt: Date | null },
): Verdict {
  if ('error' in result) return { label: 'Not verified', ok: false, reasons: [result.error] };
  const failed = result.checks.filter((c) => c.status === 'failed');
  if (result.verified && failed.length === 0) return { label: 'Verified', ok: true, reasons: [] };
  // A check that could not be made just now (`unknown`) is a reason too: the page says to try again.
  const reasons = [...failed, ...result.checks.filter((c) => c.status === 'unknown')].map((c) => c.message);
  const status = failed.find((c) => c.id === 'status');
  if (status || issued?.revokedAt || issued?.suspendedAt) {
    if (issued?.revokedAt) return { label: 'Revoked', ok: false, reasons };
    if (issued?.suspendedAt || /suspend/i.test(status?.message ?? ''))
      return { label: 'Suspended', ok: false, reasons };
    if (/revok/i.test(status?.message ?? '')) return { label: 'Revoked', ok: false, reasons };
  }
  if (failed.some((c) => c.id === 'valid-until')) return { label: 'Expired', ok: false, reasons };
  return { label: 'Not verified', ok: false, reasons: reasons.length ? reasons : ['The credential did not verify.'] };
}
