import type { Membership } from '../accounts/accounts.js';
import { grants } from '../accounts/roles.js';
import { orgDid, orgIdOfDid } from '../keys/identity.js';
import { DomainError, invalid } from '../platform/errors.js';

/**
 * The issuer id a credential names (a URL, or an object's id), or undefined when it names none: no issuer, or
 * an object without an id. Other shapes (null, a number, an array) are left to the issuing checks to refuse.
 */
export function namedIssuer(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && !Array.isArray(issuer)) {
    const id = (issuer as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** Whether the credential leaves its issuer out (or gives an object without an id). */
export function issuerMissing(credential: Record<string, unknown>): boolean {
  const issuer = credential.issuer;
  return (
    issuer === undefined ||
    (issuer !== null && typeof issuer === 'object' && !Array.isArray(issuer) && !('id' in issuer))
  );
}

/**
 * The VC-API (as its W3C test suite checks) requires the credential to name its issuer: the refusal names the
 * value to send, the organization's DID for the identity asked for (did:web by default, did:key on request).
 */
export function missingIssuer(identities: { 'did:web': string; 'did:key': string }, identity?: 'did:web' | 'did:key') {
  const advice =
    identity === 'did:key'
      ? `set credential.issuer to ${identities['did:key']}, the did:key this request issues as`
      : `set credential.issuer to ${identities['did:web']} (or, with options.identity "did:key", to ${identities['did:key']})`;
  return invalid(`The credential must name its issuer: ${advice}, as a URL or as the id of an issuer object.`, {
    field: 'credential.issuer',
  });
}

/**
 * Which organization a generic VC-API issue call acts for: the one the credential's issuer names, by its did:web
 * or (didKeys: the caller's issuing organizations by did:key) its did:key; the caller must issue there. A
 * credential without an issuer goes to the caller's only issuing organization, whose issuing refuses it with
 * that organization's DIDs; with several, the refusal lists the DIDs the caller may name. Pure.
 */
export function chooseIssuingOrg(
  memberships: Membership[],
  credential: Record<string, unknown>,
  publicUrl: string,
  didKeys: Record<string, string> = {},
): string {
  const named = namedIssuer(credential);
  const issuing = memberships.filter((m) => grants(m.roles, ['issuer']));
  if (typeof named === 'string') {
    const orgId = named.startsWith('did:key:') ? didKeys[named] : orgIdOfDid(publicUrl, named);
    if (!orgId) {
      if (named.startsWith('did:key:') && issuing.length === 0) {
        throw new DomainError('forbidden', 'You are not an issuer in any organization.');
      }
      throw invalid(
        named.startsWith('did:key:')
          ? `${named} is not the did:key of an organization you issue for.`
          : `${named} is not an issuer on this instance.`,
        { field: 'credential.issuer' },
      );
    }
    if (!issuing.some((m) => m.org.id === orgId)) {
      throw new DomainError('forbidden', `You are not an issuer of ${named}.`);
    }
    return orgId;
  }
  if (issuing.length === 0) throw new DomainError('forbidden', 'You are not an issuer in any organization.');
  // The only one: issuing then refuses a missing issuer, naming that organization's DIDs (or a malformed one).
  if (issuing.length === 1) return issuing[0]!.org.id;
  const dids = issuing.map((m) => `${orgDid(publicUrl, m.org.id)} (${m.org.name})`);
  throw invalid(
    `You issue for several organizations: set credential.issuer to the one to use, one of ${dids.join(', ')} (or its did:key, with options.identity "did:key"), or call /issuers/ORG_ID/credentials/issue.`,
    { field: 'credential.issuer' },
  );
}
