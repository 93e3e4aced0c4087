import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { base58 } from '@scure/base';
import { VcError } from './errors.js';

// Multicodec prefixes (varint-encoded): ed25519-pub 0xed, ed25519-priv 0x1300.
const ed25519PublicPrefix = Uint8Array.of(0xed, 0x01);
const ed25519SecretPrefix = Uint8Array.of(0x80, 0x26);
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): the fixed DER header before the 32 bytes.
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key pair as node:crypto objects (imported once, reused for every signature). */
export interface Ed25519KeyPair {
  publicKey: KeyObject;
  privateKey?: KeyObject;
  /** `z6Mk…`: base58btc multibase of the multicodec-prefixed public key. */
  publicKeyMultibase: string;
}

export function decodeMultibaseBase58(value: string, what = 'key'): Uint8Array {
  if (typeof value !== 'string' || !value.startsWith('z') || value.length < 2) {
    throw new VcError('invalid-key', `The ${what} is not a base58btc multibase value (it must start with "z").`);
  }
  try {
    return base58.decode(value.slice(1));
  } catch {
    throw new VcError('invalid-key', `The ${what} is not valid base58.`);
  }
}

export function encodeMultibaseBase58(bytes: Uint8Array): string {
  return 'z' + base58.encode(bytes);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

export function publicKeyFromMultibase(publicKeyMultibase: string): Uint8Array {
  const bytes = decodeMultibaseBase58(publicKeyMultibase, 'public key');
  if (bytes.length !== 34 || !startsWith(bytes, ed25519PublicPrefix)) {
    throw new VcError('invalid-key', 'The public key is not an Ed25519 Multikey (z6Mk…).');
  }
  return bytes.slice(2);
}

export function publicKeyToMultibase(raw: Uint8Array): string {
  return encodeMultibaseBase58(Uint8Array.from([...ed25519PublicPrefix, ...raw]));
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new VcError('invalid-key', 'An Ed25519 public key has 32 bytes.');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) }, format: 'jwk' });
}

/** Key pair from an Ed25519 secret key: 32-byte seed, or 64 bytes seed ‖ public key (as in some test vectors). */
export function keyPairFromSecret(secret: Uint8Array): Ed25519KeyPair {
  if (secret.length !== 32 && secret.length !== 64) {
    throw new VcError('invalid-key', 'An Ed25519 secret key has 32 bytes (or 64 with the public key).');
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([pkcs8Ed25519Prefix, secret.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  if (secret.length === 64 && Buffer.compare(Buffer.from(secret.slice(32)), Buffer.from(raw)) !== 0) {
    throw new VcError('invalid-key', 'The secret key does not match the public key it carries.');
  }
  return { privateKey, publicKey, publicKeyMultibase: publicKeyToMultibase(raw) };
}

export function keyPairFromSecretMultibase(secretKeyMultibase: string): Ed25519KeyPair {
  const bytes = decodeMultibaseBase58(secretKeyMultibase, 'secret key');
  if (!startsWith(bytes, ed25519SecretPrefix)) {
    throw new VcError('invalid-key', 'The secret key is not an Ed25519 Multikey secret key.');
  }
  return keyPairFromSecret(bytes.slice(2));
}

export function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new VcError('invalid-key', 'Not an Ed25519 key.');
  return Buffer.from(jwk.x, 'base64url');
}

export function rawSecretSeed(privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.d) throw new VcError('invalid-key', 'Not an Ed25519 private key.');
  return Buffer.from(jwk.d, 'base64url');
}

export function secretKeyToMultibase(privateKey: KeyObject): string {
  return encodeMultibaseBase58(Uint8Array.from([...ed25519SecretPrefix, ...rawSecretSeed(privateKey)]));
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey, privateKey, publicKeyMultibase: publicKeyToMultibase(rawPublicKey(publicKey)) };
}

export function publicKeyPairFromMultibase(publicKeyMultibase: string): Ed25519KeyPair {
  return { publicKey: publicKeyObject(publicKeyFromMultibase(publicKeyMultibase)), publicKeyMultibase };
}
