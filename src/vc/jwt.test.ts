import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, jwtVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { standardsJson } from '../../test/helpers/standards.js';
import { buildDidDocument, createMethodResolver, type VerificationMethod } from './did.js';
import { generateEd25519KeyPair } from './multikey.js';
import { decodeCredentialJwt, signCredentialJwt, verifyCredentialJwt } from './jwt.js';

const did = 'did:web:issuer.example:issuers:42';
const ed = generateEd25519KeyPair();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaJwk = rsa.publicKey.export({ format: 'jwk' });
const methods: VerificationMethod[] = [
  { id: `${did}#ed`, type: 'Multikey', controller: did, publicKeyMultibase: ed.publicKeyMultibase },
  { id: `${did}#rsa`, type: 'JsonWebKey', controller: did, publicKeyJwk: rsaJwk },
];
const resolveMethod = createMethodResolver({
  local: (id) => (id === did ? buildDidDocument(did, methods) : undefined),
});

function credential(): Record<string, unknown> {
  const example = standardsJson<Record<string, unknown>>('ob3/examples/example-basic-openbadgecredential.json');
  const issuer = { ...(example.issuer as object), id: did };
  return { ...example, issuer, validFrom: '2024-01-01T00:00:00Z' };
}

describe('VC-JWT', () => {
  it.each([
    ['EdDSA', 'ob3', ed.privateKey!, `${did}#ed`],
    ['RS256', 'ob3', rsa.privateKey, `${did}#rsa`],
    ['EdDSA', 'vc+jwt', ed.privateKey!, `${did}#ed`],
    ['RS256', 'vc+jwt', rsa.privateKey, `${did}#rsa`],
  ] as const)('signs with %s as %s and verifies', async (algorithm, format, privateKey, kid) => {
    const jwt = await signCredentialJwt(credential(), { privateKey, algorithm, kid, format });
    const decoded = decodeCredentialJwt(jwt);
    expect(decoded.format).toBe(format);
    expect(decoded.header).toMatchObject({ alg: algorithm, kid });
    const result = await verifyCredentialJwt(jwt, { resolveMethod });
    expect(result.checks.filter((c) => c.status !== 'passed' && c.status !== 'skipped')).toEqual([]);
    expect(result.verified).toBe(true);
  });

  it('OB 3.0 JWTs carry the registered claims and verify with jose alone', async () => {
    const jwt = await signCredentialJwt(credential(), {
      privateKey: rsa.privateKey,
      algorithm: 'RS256',
      kid: `${did}#rsa`,
    });
    const key = await importJWK(await exportJWK(rsa.publicKey), 'RS256');
    const { payload } = await jwtVerify(jwt, key, { issuer: did });
    expect(payload).toMatchObject({ iss: did, jti: credential().id, nbf: Date.parse('2024-01-01T00:00:00Z') / 1000 });
    expect(payload.proof).toBeUndefined();
    expect(payload['@context']).toBeDefined();
  });

  it('rejects a changed payload, a foreign key, alg none and truncation', async () => {
    const jwt = await signCredentialJwt(credential(), {
      privateKey: ed.privateKey!,
      algorithm: 'EdDSA',
      kid: `${did}#ed`,
    });
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.name = 'Forged';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const forgedResult = await verifyCredentialJwt(forged, { resolveMethod });
    expect(forgedResult.verified).toBe(false);
    expect(forgedResult.checks.find((c) => c.id === 'proof')?.message).toMatch(/does not match/);

    const other = generateEd25519KeyPair();
    const wrongKey = await signCredentialJwt(credential(), {
      privateKey: other.privateKey!,
      algorithm: 'EdDSA',
      kid: `${did}#ed`,
    });
    expect((await verifyCredentialJwt(wrongKey, { resolveMethod })).verified).toBe(false);

    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: `${did}#ed` })).toString('base64url')}.${p}.AA`;
    const noneResult = await verifyCredentialJwt(none, { resolveMethod });
    expect(noneResult.checks.find((c) => c.id === 'proof')?.message).toMatch(/none; Skillproof accepts/);

    await expect(verifyCredentialJwt(jwt.slice(0, 40), { resolveMethod })).rejects.toThrow(/not a compact JWT/);
    await expect(verifyCredentialJwt(`${h}.bm90IGpzb24.${s}`, { resolveMethod })).rejects.toThrow(
      /truncated|base64url JSON/,
    );
  });

  it('still reads the VC 1.1 form with the credential in a vc claim', async () => {
    const { CompactSign } = await import('jose');
    const vc = credential();
    const payload = { vc, iss: did, jti: vc.id, nbf: Date.parse('2024-01-01T00:00:00Z') / 1000 };
    const legacy = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', kid: `${did}#ed` })
      .sign(ed.privateKey!);
    const result = await verifyCredentialJwt(legacy, { resolveMethod });
    expect(result.format).toBe('vc-claim');
    expect(result.verified).toBe(true);
  });

  it('requires the registered claims in the OB form', async () => {
    const { CompactSign } = await import('jose');
    const {
      iss: _iss,
      nbf: _nbf,
      ...withoutClaims
    } = decodeCredentialJwt(
      await signCredentialJwt(credential(), { privateKey: ed.privateKey!, algorithm: 'EdDSA', kid: `${did}#ed` }),
    ).payload;
    const bare = await new CompactSign(new TextEncoder().encode(JSON.stringify(withoutClaims)))
      .setProtectedHeader({ alg: 'EdDSA', kid: `${did}#ed`, typ: 'JWT' })
      .sign(ed.privateKey!);
    const result = await verifyCredentialJwt(bare, { resolveMethod });
    expect(result.checks.find((c) => c.id === 'proof')?.message).toMatch(/lacks the required claims iss, nbf/);
  });

  it('rejects claims that disagree with the credential', async () => {
    const jwt = await signCredentialJwt(credential(), {
      privateKey: ed.privateKey!,
      algorithm: 'EdDSA',
      kid: `${did}#ed`,
    });
    const decoded = decodeCredentialJwt(jwt);
    expect(decoded.payload.iss).toBe(did);
    const { CompactSign } = await import('jose');
    const payload = { ...decoded.payload, iss: 'did:web:someone.else' };
    const lying = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', kid: `${did}#ed` })
      .sign(ed.privateKey!);
    const result = await verifyCredentialJwt(lying, { resolveMethod });
    expect(result.checks.find((c) => c.id === 'proof')?.message).toMatch(/"iss" claim/);
  });

  describe('"exp" and "nbf" are checked against the clock, whatever the credential says', () => {
    async function withClaims(claims: Record<string, unknown>) {
      const { CompactSign } = await import('jose');
      const signed = await signCredentialJwt(credential(), {
        privateKey: ed.privateKey!,
        algorithm: 'EdDSA',
        kid: `${did}#ed`,
      });
      const payload = { ...decodeCredentialJwt(signed).payload, ...claims };
      expect(payload.validUntil).toBeUndefined();
      return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'EdDSA', kid: `${did}#ed`, typ: 'JWT' })
        .sign(ed.privateKey!);
    }
    const now = () => new Date('2026-06-01T00:00:00Z');
    const check = (result: { checks: { id: string; status: string; message: string }[] }, id: string) =>
      result.checks.find((c) => c.id === id);

    it('fails a JWT past its "exp" though the credential has no validUntil', async () => {
      const jwt = await withClaims({ exp: Date.parse('2025-01-01T00:00:00Z') / 1000 });
      const result = await verifyCredentialJwt(jwt, { resolveMethod, now });
      expect(result.verified).toBe(false);
      expect(check(result, 'valid-until')).toEqual({
        id: 'valid-until',
        status: 'failed',
        message: 'The JWT expired on 2025-01-01 (its "exp" claim).',
      });
      expect(check(result, 'proof')?.status).toBe('passed');
    });

    it('fails a JWT before its "nbf"', async () => {
      // Without validFrom in the credential, "nbf" is the only start there is.
      const jwt = await withClaims({ nbf: Date.parse('2027-01-01T00:00:00Z') / 1000, validFrom: undefined });
      const result = await verifyCredentialJwt(jwt, { resolveMethod, now });
      expect(result.verified).toBe(false);
      expect(check(result, 'valid-from')?.message).toBe('The JWT is not valid yet: its "nbf" claim is 2027-01-01.');
      expect(check(result, 'proof')?.status).toBe('passed');
    });

    it('passes inside the window and says until when', async () => {
      const jwt = await withClaims({ exp: Date.parse('2027-01-01T00:00:00Z') / 1000 });
      const result = await verifyCredentialJwt(jwt, { resolveMethod, now });
      expect(result.verified).toBe(true);
      expect(check(result, 'valid-until')?.message).toBe('Valid until 2027-01-01 (the JWT\'s "exp" claim).');
    });

    it('refuses an "exp" that is not a time in seconds', async () => {
      const jwt = await withClaims({ exp: '2020-01-01' });
      const result = await verifyCredentialJwt(jwt, { resolveMethod, now });
      expect(result.verified).toBe(false);
      expect(check(result, 'proof')?.message).toMatch(/"exp" claim is not a time in seconds/);
    });
  });
});
