import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import type { CheckId, CheckStatus } from './checks.js';
import { VcError } from './errors.js';
import { fetchObject, obj, str, type Ob2Fetcher, type Obj } from './ob2-document.js';

/** The assertion a compact JWS carries (OB 2.0 "signed verification"), unchecked. */
export function signedAssertion(jws: string): Obj {
  try {
    return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Obj;
  } catch {
    throw new VcError('invalid-jwt', 'The signed Open Badges 2.0 assertion is not a readable JWS.');
  }
}

/**
 * The proof of a signed assertion: an RS256 signature by the key `verification.creator` names (or the
 * issuer's published key), a key its issuer owns or publishes.
 */
export async function checkSignature(
  jws: string,
  verification: Obj,
  issuer: Obj | undefined,
  fetcher: Ob2Fetcher,
): Promise<[CheckId, CheckStatus, string]> {
  const header = (() => {
    try {
      return decodeProtectedHeader(jws);
    } catch {
      return undefined;
    }
  })();
  if (header?.alg !== 'RS256')
    return ['proof', 'failed', `Open Badges 2.0 signatures use RS256, not ${String(header?.alg)}.`];
  const creator = str(verification.creator) ?? str(issuer?.publicKey);
  if (!creator) return ['proof', 'failed', 'The assertion does not say which key signed it (verification.creator).'];
  let key: Obj;
  try {
    key = await fetchObject(fetcher, creator, 'signing key');
  } catch (error) {
    return ['proof', 'failed', (error as Error).message];
  }
  const published = [issuer?.publicKey].flat().map((k) => str(k) ?? str(obj(k)?.id));
  if (key.owner !== issuer?.id && !published.includes(creator)) {
    return ['proof', 'failed', `The key ${creator} does not belong to the badge's issuer.`];
  }
  try {
    await compactVerify(jws, createPublicKey(String(key.publicKeyPem)), { algorithms: ['RS256'] });
  } catch {
    return [
      'proof',
      'failed',
      'The signature does not match: the assertion was changed after it was signed, or signed with another key.',
    ];
  }
  return ['proof', 'passed', `The issuer's RS256 signature is valid (key ${creator}).`];
}
