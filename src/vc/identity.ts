import { createHash, randomBytes } from 'node:crypto';
import type { IdentityObject } from './types.js';

/**
 * Recipient identities (OB 3.0 IdentityObject): the email travels only as a salted hash, so a credential
 * names its holder without publishing their address. IdentityHash = "sha256$" + hex(sha256(value ‖ salt)).
 */
export function normalizeIdentity(value: string, type: string): string {
  return type === 'emailAddress' ? value.trim().toLowerCase() : value.trim();
}

export function hashedIdentity(
  value: string,
  identityType = 'emailAddress',
  salt = randomBytes(16).toString('hex'),
): IdentityObject {
  const digest = createHash('sha256')
    .update(normalizeIdentity(value, identityType) + salt, 'utf8')
    .digest('hex');
  return { type: 'IdentityObject', hashed: true, identityHash: `sha256$${digest}`, identityType, salt };
}

/** Whether an identity object names one of the candidate values (plaintext, or sha256/md5 hash). */
export function identityMatches(identity: IdentityObject, candidates: string[]): boolean {
  const normalized = candidates.map((c) => normalizeIdentity(c, identity.identityType));
  if (!identity.hashed) return normalized.includes(normalizeIdentity(identity.identityHash, identity.identityType));
  const [algorithm, expected] = identity.identityHash.split('$');
  if ((algorithm !== 'sha256' && algorithm !== 'md5') || !expected) return false;
  return normalized.some(
    (value) =>
      createHash(algorithm)
        .update(value + (identity.salt ?? ''), 'utf8')
        .digest('hex') === expected.toLowerCase(),
  );
}
