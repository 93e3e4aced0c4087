import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, type JWK } from 'jose';
import { didKeyDocument, keyOf } from '../vc/did.js';
import { proofAlgorithms } from './metadata.js';

/** A request refused as OID4VCI and OAuth 2.0 prescribe: an `error` code, its HTTP status, and a description. */
export class Oid4vciError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
    description: string,
  ) {
    super(description);
  }
}

const invalidProof = (description: string) => new Oid4vciError('invalid_proof', 400, description);

/** What a valid key proof proves: the wallet's key, named as the subject id its credential is issued for. */
export interface ProvenKey {
  /** did:key (the proof's kid) or did:jwk (the proof's jwk). */
  subjectId: string;
  /** RFC 7638 thumbprint of the key, recorded with the delivery. */
  thumbprint: string;
  nonce: string;
}

export interface ProofCheck {
  /** The credential issuer identifier: the proof's audience. */
  audience: string;
  now: Date;
  /** How far the proof's iat may lie from now, in seconds. */
  maxAgeSeconds?: number;
}

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function publicJwk(jwk: Record<string, unknown>): JWK {
  if ('d' in jwk || 'p' in jwk || 'q' in jwk || 'k' in jwk)
    throw invalidProof('The proof header carries a private or symmetric key.');
  const members = jwk.kty === 'OKP' ? ['kty', 'crv', 'x'] : jwk.kty === 'EC' ? ['kty', 'crv', 'x', 'y'] : undefined;
  if (!members) throw invalidProof('The proof key is neither an OKP (Ed25519) nor an EC (P-256) JWK.');
  return Object.fromEntries(members.map((m) => [m, jwk[m]])) as JWK;
}

/** The wallet's key from the proof header: a did:key URL in `kid`, or a `jwk` (not both, nothing else). */
function holderKey(header: Record<string, unknown>): { key: KeyObject; jwk: JWK; subjectId: string } {
  if (header.kid !== undefined && header.jwk !== undefined)
    throw invalidProof('The proof header names a kid and a jwk.');
  if (header.x5c !== undefined || header.trust_chain !== undefined)
    throw invalidProof('Only kid (did:key) and jwk proofs are accepted.');
  if (typeof header.kid === 'string') {
    const [did, fragment] = header.kid.split('#');
    if (!did?.startsWith('did:key:') || !fragment)
      throw invalidProof('The proof kid is not a did:key URL with its fragment.');
    let key: KeyObject;
    try {
      const method = (didKeyDocument(did).verificationMethod ?? []).find((m) => m.id === header.kid);
      if (!method) throw new Error('no such method');
      key = keyOf(method);
    } catch {
      throw invalidProof('The proof kid is not an Ed25519 did:key this issuer resolves.');
    }
    return { key, jwk: key.export({ format: 'jwk' }) as JWK, subjectId: did };
  }
  if (header.jwk && typeof header.jwk === 'object' && !Array.isArray(header.jwk)) {
    const jwk = publicJwk(header.jwk as Record<string, unknown>);
    try {
      return {
        key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
        jwk,
        subjectId: `did:jwk:${base64urlJson(jwk)}`,
      };
    } catch {
      throw invalidProof('The proof jwk is not a valid public key.');
    }
  }
  throw invalidProof('The proof header names no key (kid or jwk).');
}

/**
 * Checks a `jwt` key proof (OID4VCI 1.0 Appendix F.1): typ openid4vci-proof+jwt, an asymmetric algorithm we accept
 * (never `none`), the signature by the key the header names, this issuer as audience, a recent iat, and a nonce.
 * The nonce's freshness is the caller's to check (it is used up in the store). Returns the proven key.
 */
export async function verifyKeyProof(jwt: unknown, check: ProofCheck): Promise<ProvenKey> {
  if (typeof jwt !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt))
    throw invalidProof('The proof is not a compact JWS.');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  } catch {
    throw invalidProof('The proof header is not base64url JSON.');
  }
  if (header.typ !== 'openid4vci-proof+jwt') throw invalidProof('The proof typ must be openid4vci-proof+jwt.');
  if (typeof header.alg !== 'string' || !(proofAlgorithms as readonly string[]).includes(header.alg)) {
    throw invalidProof(`The proof algorithm must be one of ${proofAlgorithms.join(', ')}.`);
  }
  const holder = holderKey(header);
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(jwt, holder.key, { algorithms: [header.alg] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    throw invalidProof('The proof signature does not verify with the key its header names.');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    throw invalidProof('The proof payload is not a JSON object.');
  const audiences = [payload.aud].flat();
  if (!audiences.includes(check.audience)) throw invalidProof(`The proof audience must be ${check.audience}.`);
  const maxAge = check.maxAgeSeconds ?? 300;
  const now = check.now.getTime() / 1000;
  if (typeof payload.iat !== 'number' || payload.iat > now + 60 || payload.iat < now - maxAge) {
    throw invalidProof('The proof iat is missing or not recent.');
  }
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) {
    throw new Oid4vciError('invalid_nonce', 400, 'The proof carries no nonce: get one from the nonce endpoint.');
  }
  return { subjectId: holder.subjectId, thumbprint: await calculateJwkThumbprint(holder.jwk), nonce: payload.nonce };
}
