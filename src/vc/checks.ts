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
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'skipped';

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
