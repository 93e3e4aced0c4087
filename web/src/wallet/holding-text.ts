import { formatDate } from '../platform/components';
import type { HoldingDetail } from './wallet-api';

/** The sentences of a held credential's page, built apart from its markup. */
type Verification = HoldingDetail['verification'];
type HeldResult = HoldingDetail['results'][number];
type IssuerFacts = HoldingDetail['issuer'];

/** Why the credential holds up today, or what fails: the server's error when it could not be checked. */
export function verdictSentence(verification: Verification): string {
  if (verification.error) return verification.error;
  if (verification.verified) return 'Its issuer signed it, nobody has changed it, and it is valid today.';
  const failed = verification.checks.filter((c) => c.status === 'failed');
  return `It does not hold up today: ${failed.map((c) => c.message).join(' ')}`;
}

/** What the trusted registries say of the issuer. */
export function issuerTrustSentence(trust: NonNullable<Verification['issuerTrust']>): string {
  if (!trust.known)
    return 'The issuer is not in any registry this site trusts: check who they are before relying on it.';
  return `The issuer is known${trust.registry ? ` to ${trust.registry}` : ''}${trust.name ? ` as ${trust.name}` : ''}.`;
}

export function resultText(result: HeldResult): string {
  return [result.value, result.status, result.detail].filter(Boolean).join(' · ') || 'Recorded';
}

export function accreditationText(issuer: IssuerFacts): string {
  const qa = issuer.qualityAssurance;
  if (!qa) return 'None stated';
  return [qa.accreditingBody, qa.accreditationId, qa.framework, qa.validUntil && `until ${formatDate(qa.validUntil)}`]
    .filter(Boolean)
    .join(' · ');
}
