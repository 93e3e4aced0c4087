import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign, type JWK } from 'jose';
import type { FastifyInstance } from 'fastify';
import { publicKeyToMultibase, rawPublicKey } from '../../src/vc/multikey.js';
import type { Client } from './app.js';

/** A wallet's key: Ed25519 named by did:key, or P-256 sent as a JWK. */
export interface WalletKey {
  privateKey: KeyObject;
  alg: 'EdDSA' | 'ES256';
  /** did:key URL (Ed25519) */
  kid?: string;
  did?: string;
  jwk?: JWK;
}

export async function didKeyWallet(): Promise<WalletKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const multibase = publicKeyToMultibase(rawPublicKey(publicKey));
  const did = `did:key:${multibase}`;
  return { privateKey, alg: 'EdDSA', kid: `${did}#${multibase}`, did, jwk: publicKey.export({ format: 'jwk' }) as JWK };
}

export async function jwkWallet(): Promise<WalletKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, alg: 'ES256', jwk: publicKey.export({ format: 'jwk' }) as JWK };
}

/** A `jwt` key proof as OID4VCI 1.0 Appendix F.1 describes it; `overrides` make it wrong on purpose. */
export async function keyProof(
  key: WalletKey,
  claims: { aud: string; nonce?: string; iat?: number },
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = { aud: claims.aud, iat: claims.iat ?? Math.floor(Date.now() / 1000), nonce: claims.nonce };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({
      alg: key.alg,
      typ: 'openid4vci-proof+jwt',
      ...(key.kid ? { kid: key.kid } : { jwk: key.jwk }),
      ...header,
    } as Parameters<CompactSign['setProtectedHeader']>[0])
    .sign(key.privateKey);
}

/** The learner's offer of a holding (POST /api/me/wallet/:id/oid4vci-offer). */
export async function offerFor(
  app: FastifyInstance,
  learner: Client,
  holdingId: string,
  grants: 'pre-authorized' | 'both' = 'pre-authorized',
) {
  const response = await app.inject({
    method: 'POST',
    url: `/api/me/wallet/${holdingId}/oid4vci-offer${grants === 'both' ? '?grants=both' : ''}`,
    headers: learner.headers,
  });
  if (response.statusCode !== 201) throw new Error(`offer failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as { offerUri: string; txCode: string; credentialConfigurationIds: string[] };
  const offer = JSON.parse(new URL(body.offerUri).searchParams.get('credential_offer')!) as {
    credential_issuer: string;
    grants: Record<string, { 'pre-authorized_code': string }>;
  };
  const code = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
  return { ...body, offer, code };
}

/** The token request as a form. */
export async function tokenFor(app: FastifyInstance, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/oid4vci/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** Offer, token and nonce: what a wallet holds right before its credential request. */
export async function readyToRequest(app: FastifyInstance, learner: Client, holdingId: string) {
  const { code, txCode, credentialConfigurationIds } = await offerFor(app, learner, holdingId);
  const token = await tokenFor(app, {
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    tx_code: txCode,
  });
  if (token.statusCode !== 200) throw new Error(`token failed: ${token.body}`);
  const nonce = await app.inject({ method: 'POST', url: '/oid4vci/nonce' });
  return {
    accessToken: token.json().access_token as string,
    nonce: nonce.json().c_nonce as string,
    credentialConfigurationIds,
  };
}
