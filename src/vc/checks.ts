import type { CredentialSummary } from './summary.js';

/** A verification's outcome, check by check: shared by the VC verifier and the Open Badges 2.0 checks. */
export type CheckId =
  | 'data-model'
  | 'context'
  | 'schema'
  | 'proof'
  | 'issuer'
  /** Whether this instance knows the issuer (added by the platform verifier; never a failure). */
  | 'trust'
  | 'valid-from'
  | 'valid-until'
  | 'status';
/**
 * `unknown`: the check could not be made just now (a database or network failure, a bug), which says nothing
 * about the credential: ask again later. Only `failed` means the credential was checked and found wanting.
 */
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped' | 'unknown';

export interface Check {
  id: CheckId;
  status: CheckStatus;
  message: string;
}

export interface VerificationResult {
  verified: boolean;
  checks: Check[];
  summary?: CredentialSummary;
}

/**
 * Whether a result is no verdict: some check could not be made and none failed. Callers answer "try again
 * later" (503), never "not verified".
 */
export function undecided(result: { checks: readonly Check[] }): boolean {
  return result.checks.some((c) => c.status === 'unknown') && !result.checks.some((c) => c.status === 'failed');
}
