import type { Membership } from '../accounts/accounts.js';
import { grants } from '../accounts/roles.js';
import { orgIdOfDid } from '../keys/identity.js';
import { DomainError, invalid } from '../platform/errors.js';

/**
 * Which organization a generic VC-API issue call acts for: the one the credential's issuer names (the
 * caller must issue there), else the caller's only issuing organization. Pure.
 */
export function chooseIssuingOrg(
  memberships: Membership[],
  credential: Record<string, unknown>,
  publicUrl: string,
): string {
  const issuer = credential.issuer;
  const named = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  const issuing = memberships.filter((m) => grants(m.roles, ['issuer']));
  if (typeof named === 'string') {
    const orgId = orgIdOfDid(publicUrl, named);
    if (!orgId) throw invalid(`${named} is not an issuer on this instance.`, { field: 'credential.issuer' });
    if (!issuing.some((m) => m.org.id === orgId)) {
      throw new DomainError('forbidden', `You are not an issuer of ${named}.`);
    }
    return orgId;
  }
  if (issuing.length === 1) return issuing[0]!.org.id;
  if (issuing.length === 0) throw new DomainError('forbidden', 'You are not an issuer in any organization.');
  throw invalid(
    'You issue for several organizations: set credential.issuer to the one to use, or call /issuers/ORG_ID/credentials/issue.',
    { field: 'credential.issuer' },
  );
}
