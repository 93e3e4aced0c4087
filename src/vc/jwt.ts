import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader, type JWSHeaderParameters } from 'jose';
import type { MethodResolver } from './did.js';
import { VcError } from './errors.js';
import {
  issuerIdOf,
  verifyCredential,
  type Check,
  type ProofOutcome,
  type VerificationResult,
  type VerifierDeps,
} from './verify.js';

/**
 * VC-JWT as Open Badges 3.0 specifies it (section 8.2: the payload is the credential plus the registered
 * claims iss, jti, sub, nbf and exp, which must agree with it; `typ` "JWT"), as VC-JOSE-COSE specifies
 * `application/vc+jwt` (the payload is the credential alone), and, for reading only, the VC 1.1 form that
 * puts the credential in a `vc` claim. RS256 is the algorithm every OB 3.0 implementation must support.
 */
export type JwtAlgorithm = 'RS256' | 'EdDSA';
export const jwtAlgorithms: readonly JwtAlgorithm[] = ['RS256', 'EdDSA'];
/** How a JWT carries the credential; `vc-claim` is VC 1.1's form, used for VC 1.1 credentials. */
export type JwtFormat = 'ob3' | 'vc+jwt' | 'vc-claim';
export type DecodedFormat = JwtFormat;
const registeredClaims = ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat', 'aud'] as const;

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export function looksLikeJwt(text: string): boolean {
  return compactJws.test(text.trim());
}

function seconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

export interface JwtSignOptions {
  privateKey: KeyObject;
  algorithm: JwtAlgorithm;
  /** DID URL of the key: verifiers resolve it. */
  kid: string;
  format?: JwtFormat;
}

/** Signs an unsecured credential as a compact JWS. */
export async function signCredentialJwt(credential: Record<string, unknown>, options: JwtSignOptions): Promise<string> {
  const { proof: _proof, ...unsecured } = credential;
  const format = options.format ?? 'ob3';
  let payload: Record<string, unknown>;
  let header: JWSHeaderParameters & { alg: string };
  if (format === 'vc+jwt') {
    payload = unsecured;
    header = { alg: options.algorithm, kid: options.kid, typ: 'vc+jwt', cty: 'vc' };
  } else if (format === 'vc-claim') {
    // VC Data Model 1.1 §6.3.1: registered claims for the credential's properties, the credential in "vc".
    const subject = [unsecured.credentialSubject].flat()[0] as { id?: unknown } | undefined;
    payload = {
      iss: issuerIdOf(unsecured),
      ...(typeof unsecured.id === 'string' ? { jti: unsecured.id } : {}),
      ...(typeof subject?.id === 'string' ? { sub: subject.id } : {}),
      ...(seconds(unsecured.issuanceDate) !== undefined ? { nbf: seconds(unsecured.issuanceDate) } : {}),
      ...(seconds(unsecured.expirationDate) !== undefined ? { exp: seconds(unsecured.expirationDate) } : {}),
      vc: unsecured,
    };
    header = { alg: options.algorithm, kid: options.kid, typ: 'JWT' };
  } else {
    const subject = [unsecured.credentialSubject].flat()[0] as { id?: unknown } | undefined;
    payload = {
      ...unsecured,
      iss: issuerIdOf(unsecured),
      ...(typeof unsecured.id === 'string' ? { jti: unsecured.id } : {}),
      ...(typeof subject?.id === 'string' ? { sub: subject.id } : {}),
      ...(seconds(unsecured.validFrom) !== undefined ? { nbf: seconds(unsecured.validFrom) } : {}),
      ...(seconds(unsecured.validUntil) !== undefined ? { exp: seconds(unsecured.validUntil) } : {}),
    };
    header = { alg: options.algorithm, kid: options.kid, typ: 'JWT' };
  }
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(options.privateKey);
}

export interface DecodedJwt {
  header: JWSHeaderParameters;
  payload: Record<string, unknown>;
  credential: Record<string, unknown>;
  format: DecodedFormat;
}

/** Reads a VC-JWT without checking it (for display and routing). */
export function decodeCredentialJwt(jwt: string): DecodedJwt {
  const token = jwt.trim();
  if (!looksLikeJwt(token)) throw new VcError('invalid-jwt', 'This is not a compact JWT (three base64url parts).');
  let header: JWSHeaderParameters;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new VcError('invalid-jwt', 'The JWT is truncated or its parts are not valid base64url JSON.');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new VcError('invalid-jwt', 'The JWT payload is not a JSON object.');
  }
  const embedded = payload.vc;
  if (embedded && typeof embedded === 'object' && !Array.isArray(embedded)) {
    return { header, payload, credential: embedded as Record<string, unknown>, format: 'vc-claim' };
  }
  if ('@context' in payload) {
    const credential = Object.fromEntries(
      Object.entries(payload).filter(([name]) => !(registeredClaims as readonly string[]).includes(name)),
    );
    return { header, payload, credential, format: header.typ === 'vc+jwt' ? 'vc+jwt' : 'ob3' };
  }
  throw new VcError(
    'invalid-jwt',
    'The JWT carries no credential (no "vc" claim, and the payload is not a credential).',
  );
}

async function keyFor(header: JWSHeaderParameters, resolveMethod: MethodResolver, issuerId: string | undefined) {
  if (typeof header.kid === 'string' && header.kid.length > 0) {
    const kid = header.kid.startsWith('#') && issuerId ? issuerId + header.kid : header.kid;
    const resolved = await resolveMethod(kid);
    return { key: resolved.publicKey, controller: resolved.method.controller, confirmed: resolved.confirmed };
  }
  if (header.jwk && typeof header.jwk === 'object') {
    try {
      return {
        key: createPublicKey({ key: header.jwk as JsonWebKey, format: 'jwk' }),
        controller: undefined,
        confirmed: false,
      };
    } catch {
      throw new VcError('invalid-jwt', 'The JWT header carries a key that is not a valid JWK.');
    }
  }
  throw new VcError('invalid-jwt', 'The JWT header names no key (neither "kid" nor "jwk").');
}

/** Verifies a VC-JWT: its signature and registered claims, then the credential through the common pipeline. */
export async function verifyCredentialJwt(
  jwt: string,
  deps: VerifierDeps,
): Promise<VerificationResult & { format: DecodedFormat }> {
  const decoded = decodeCredentialJwt(jwt);
  const issuerId = issuerIdOf(decoded.credential);
  const outcome = await checkJwtProof(jwt.trim(), decoded, issuerId, deps);
  const result = await verifyCredential(decoded.credential, deps, { externalProof: outcome });
  return { ...withClaimDates(result, decoded, deps.now?.() ?? new Date()), format: decoded.format };
}

const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * A JWT's "nbf" and "exp" bound it whatever the credential inside says (RFC 7519 4.1.4-5): a token past
 * its "exp" is expired even when the credential has no validUntil, and one before its "nbf" is not valid
 * yet. They are checked against the clock here, on top of the credential's own dates.
 */
function withClaimDates(
  result: VerificationResult,
  { payload, credential }: DecodedJwt,
  now: Date,
): VerificationResult {
  const time = now.getTime();
  const expires = typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  const starts = typeof payload.nbf === 'number' ? payload.nbf * 1000 : undefined;
  const checks = result.checks.map((check): Check => {
    if (check.id === 'valid-from' && starts !== undefined && starts > time) {
      return { ...check, status: 'failed', message: `The JWT is not valid yet: its "nbf" claim is ${day(starts)}.` };
    }
    if (check.id === 'valid-until' && expires !== undefined) {
      if (expires <= time) {
        return { ...check, status: 'failed', message: `The JWT expired on ${day(expires)} (its "exp" claim).` };
      }
      if (check.status === 'passed' && credential.validUntil === undefined && credential.expirationDate === undefined) {
        return { ...check, message: `Valid until ${day(expires)} (the JWT's "exp" claim).` };
      }
    }
    return check;
  });
  return { ...result, checks, verified: !checks.some((c) => c.status === 'failed') };
}

async function checkJwtProof(
  token: string,
  { header, payload, credential, format }: DecodedJwt,
  issuerId: string | undefined,
  deps: VerifierDeps,
): Promise<ProofOutcome> {
  if (!jwtAlgorithms.includes(header.alg as JwtAlgorithm)) {
    return {
      status: 'failed',
      message: `The JWT is signed with ${String(header.alg)}; Skillproof accepts RS256 and EdDSA.`,
    };
  }
  let signer: Awaited<ReturnType<typeof keyFor>>;
  try {
    signer = await keyFor(header, deps.resolveMethod, issuerId);
  } catch (error) {
    // Only a library error is about the credential; anything else (a database blip) is "could not check".
    if (!(error instanceof VcError)) {
      return { status: 'unknown', message: "The issuer's signing key could not be checked just now. Try again later." };
    }
    return { status: 'failed', message: error.message };
  }
  try {
    await compactVerify(token, signer.key, { algorithms: [...jwtAlgorithms] });
  } catch {
    return {
      status: 'failed',
      message:
        'The JWT signature does not match: the credential was changed after it was signed, or signed with another key.',
    };
  }
  if (format === 'ob3' && header.typ !== undefined && header.typ !== 'JWT') {
    return { status: 'failed', message: `The JWT "typ" header must be "JWT", not "${String(header.typ)}".` };
  }
  const claimProblems = claimsMismatch(payload, credential, issuerId, format === 'ob3');
  if (claimProblems) return { status: 'failed', message: claimProblems };
  const message = `The issuer's JWT signature (${header.alg}) is valid, so the credential has not been changed.`;
  if (signer.controller && signer.controller !== issuerId) {
    return {
      status: 'failed',
      message: `The credential was signed by ${signer.controller}, not by its issuer ${issuerId ?? '(none given)'}.`,
      issuer: { status: 'failed', message: `The issuer ${issuerId ?? '(none given)'} did not sign this credential.` },
    };
  }
  if (!signer.confirmed) {
    return {
      status: 'passed',
      message,
      issuer: {
        status: 'warning',
        message: 'The JWT carries its own key, which could not be confirmed with the issuer.',
      },
    };
  }
  return {
    status: 'passed',
    message,
    issuer: { status: 'passed', message: `The signing key belongs to the issuer ${issuerId}.` },
  };
}

/**
 * OB 3.0 section 8.2.4: the registered claims must agree with the credential they carry; in the OB form
 * iss, jti (when the credential has an id), sub (when the subject has an id) and nbf are required.
 */
function claimsMismatch(
  payload: Record<string, unknown>,
  credential: Record<string, unknown>,
  issuerId: string | undefined,
  required: boolean,
) {
  const subject = [credential.credentialSubject].flat()[0] as { id?: unknown } | undefined;
  for (const claim of ['nbf', 'exp', 'iat'] as const) {
    if (payload[claim] !== undefined && (typeof payload[claim] !== 'number' || !Number.isFinite(payload[claim]))) {
      return `The JWT "${claim}" claim is not a time in seconds (a NumericDate).`;
    }
  }
  if (required) {
    const missing = [
      payload.iss === undefined && 'iss',
      payload.jti === undefined && credential.id !== undefined && 'jti',
      payload.sub === undefined && subject?.id !== undefined && 'sub',
      payload.nbf === undefined && 'nbf',
    ].filter(Boolean);
    if (missing.length) return `The JWT lacks the required claims ${missing.join(', ')}.`;
  }
  if (payload.iss !== undefined && payload.iss !== issuerId)
    return 'The JWT "iss" claim is not the credential\'s issuer.';
  if (payload.jti !== undefined && credential.id !== undefined && payload.jti !== credential.id) {
    return 'The JWT "jti" claim is not the credential\'s id.';
  }
  if (payload.sub !== undefined && subject?.id !== undefined && payload.sub !== subject.id) {
    return 'The JWT "sub" claim is not the credential subject.';
  }
  const nbf = seconds(credential.validFrom);
  if (typeof payload.nbf === 'number' && nbf !== undefined && payload.nbf !== nbf) {
    return 'The JWT "nbf" claim does not match validFrom.';
  }
  const exp = seconds(credential.validUntil);
  if (typeof payload.exp === 'number' && exp !== undefined && payload.exp !== exp) {
    return 'The JWT "exp" claim does not match validUntil.';
  }
  return undefined;
}
