/**
 * Renewal by retesting: a learner whose credential for a micro-credential has expired, or expires within
 * the window, may take the test again even when their attempts are used up (the cooldown still applies).
 * Pure: the caller supplies the credentials the learner holds for the micro-credential and the time.
 */
export const renewalWindowDays = 30;

export interface HeldCredential {
  validUntil: Date | null;
  revoked: boolean;
  suspended: boolean;
}

export function renewalDue(held: HeldCredential[], now: Date, windowDays = renewalWindowDays): boolean {
  // Revoked and suspended credentials are the issuer's decision: retesting does not get around them.
  if (held.some((c) => c.revoked || c.suspended)) return false;
  if (held.length === 0 || held.some((c) => c.validUntil === null)) return false;
  const latest = Math.max(...held.map((c) => c.validUntil!.getTime()));
  return latest < now.getTime() + windowDays * 86_400_000;
}
