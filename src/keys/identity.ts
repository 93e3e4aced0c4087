import { didWebFor } from '../vc/did.js';

/**
 * Who signs on this instance: each organization is `did:web:HOST:issuers:ORG_ID`, the instance itself
 * `did:web:HOST`. Their DID documents are served at /issuers/ORG_ID/did.json and /.well-known/did.json.
 */
export function instanceDid(publicUrl: string): string {
  return didWebFor(publicUrl);
}

export function orgDid(publicUrl: string, orgId: string): string {
  return didWebFor(`${publicUrl}/issuers/${orgId}`);
}

/** The organization id of one of this instance's issuer DIDs, or undefined for any other DID. */
export function orgIdOfDid(publicUrl: string, did: string): string | null | undefined {
  const base = instanceDid(publicUrl);
  if (did === base) return null;
  const match = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:issuers:([0-9a-f-]{36})$`).exec(did);
  return match ? match[1] : undefined;
}
