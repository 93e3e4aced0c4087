import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { publicKeyToMultibase, rawPublicKey } from '../vc/multikey.js';
import { Oid4vciError, verifyKeyProof } from './proof.js';

const audience = 'https://skillproof.test';
const now = new Date('2026-12-07T12:00:00Z');
const iat = Math.floor(now.getTime() / 1000);

function ed25519() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const multibase = publicKeyToMultibase(rawPublicKey(publicKey));
  return { privateKey, publicKey, did: `did:key:${multibase}`, kid: `did:key:${multibase}#${multibase}` };
}

const sign = (
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: Parameters<CompactSign['sign']>[0],
) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as Parameters<CompactSign['setProtectedHeader']>[0])
    .sign(key);

async function refusal(jwt: string): Promise<string> {
  try {
    await verifyKeyProof(jwt, { audience, now });
  } catch (error) {
    if (error instanceof Oid4vciError) return error.error;
    throw error;
  }
  return 'accepted';
}

describe('verifyKeyProof', () => {
  it('binds a did:key proof to its DID, and a JWK proof to its did:jwk', async () => {
    const key = ed25519();
    const header = { alg: 'EdDSA', typ: 'openid4vci-proof+jwt' };
    const byKid = await verifyKeyProof(
      await sign({ ...header, kid: key.kid }, { aud: audience, iat, nonce: 'n' }, key.privateKey),
      { audience, now },
    );
    expect(byKid).toMatchObject({ subjectId: key.did, nonce: 'n' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = ec.publicKey.export({ format: 'jwk' });
    const byJwk = await verifyKeyProof(
      await sign(
        { alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk },
        { aud: [audience], iat, nonce: 'm' },
        ec.privateKey,
      ),
      { audience, now },
    );
    const named = JSON.parse(Buffer.from(byJwk.subjectId.slice('did:jwk:'.length), 'base64url').toString());
    expect(named).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    expect(byJwk.thumbprint).not.toBe(byKid.thumbprint);
  });

  it('refuses a kid and a jwk together, a non-did:key kid, RSA and HMAC algorithms, and a missing nonce', async () => {
    const key = ed25519();
    const jwk = key.publicKey.export({ format: 'jwk' });
    const payload = { aud: audience, iat, nonce: 'n' };
    const header = { alg: 'EdDSA', typ: 'openid4vci-proof+jwt' };
    expect(await refusal(await sign({ ...header, kid: key.kid, jwk }, payload, key.privateKey))).toBe('invalid_proof');
    expect(await refusal(await sign({ ...header, kid: 'did:web:example.com#key-1' }, payload, key.privateKey))).toBe(
      'invalid_proof',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(
      await refusal(
        await sign(
          { alg: 'RS256', typ: 'openid4vci-proof+jwt', jwk: rsa.publicKey.export({ format: 'jwk' }) },
          payload,
          rsa.privateKey,
        ),
      ),
    ).toBe('invalid_proof');
    const secret = new TextEncoder().encode('a shared secret of thirty-two bytes!');
    expect(
      await refusal(await sign({ alg: 'HS256', typ: 'openid4vci-proof+jwt', kid: key.kid }, payload, secret)),
    ).toBe('invalid_proof');
    expect(await refusal(await sign({ ...header, kid: key.kid }, { aud: audience, iat }, key.privateKey))).toBe(
      'invalid_nonce',
    );
    expect(await refusal('not.a.jwt!')).toBe('invalid_proof');
  });
});
