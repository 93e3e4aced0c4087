import { sign as opensslSign, verify as opensslVerify, type KeyObject } from 'node:crypto';
import sodium from 'sodium-native';

/**
 * Ed25519 with libsodium (through sodium-native), for the keys Skillproof holds as node:crypto KeyObjects.
 * Against OpenSSL's, libsodium signs about twice and verifies about 1.8 times as fast, and the signature
 * check is the largest fixed cost of verifying a credential. Signatures are the same bytes (Ed25519 is
 * deterministic). Verification is stricter: libsodium refuses public keys and R values of small order and
 * non-canonical encodings, which no honest signer produces, while OpenSSL accepts, for instance, the
 * identity point as a public key, under which one signature "verifies" every message.
 */

const SIGNATURE_BYTES = 64;
const rawPublicKeys = new WeakMap<KeyObject, Buffer>();
const rawSecretKeys = new WeakMap<KeyObject, Buffer>();

function isEd25519(key: KeyObject, type: 'public' | 'private'): boolean {
  return key.type === type && key.asymmetricKeyType === 'ed25519';
}

/** The 32-byte public key, exported once per key object. */
function rawPublicKey(key: KeyObject): Buffer {
  let raw = rawPublicKeys.get(key);
  if (raw === undefined) {
    raw = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
    rawPublicKeys.set(key, raw);
  }
  return raw;
}

/** libsodium's 64-byte secret key (seed, then public key), exported once per key object. */
function rawSecretKey(key: KeyObject): Buffer {
  let raw = rawSecretKeys.get(key);
  if (raw === undefined) {
    const jwk = key.export({ format: 'jwk' });
    raw = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
    rawSecretKeys.set(key, raw);
  }
  return raw;
}

/** The Ed25519 signature of `data`; any other kind of key is left to node:crypto. */
export function signEd25519(data: Uint8Array, privateKey: KeyObject): Buffer {
  if (!isEd25519(privateKey, 'private')) return opensslSign(null, data, privateKey);
  const signature = Buffer.alloc(SIGNATURE_BYTES);
  sodium.crypto_sign_detached(signature, data as Buffer, rawSecretKey(privateKey));
  return signature;
}

/** Whether `signature` is an Ed25519 signature of `data` by `publicKey`; other keys are left to node:crypto. */
export function verifyEd25519(data: Uint8Array, publicKey: KeyObject, signature: Uint8Array): boolean {
  if (!isEd25519(publicKey, 'public')) return opensslVerify(null, data, publicKey, signature);
  if (signature.length !== SIGNATURE_BYTES) return false;
  return sodium.crypto_sign_verify_detached(signature as Buffer, data as Buffer, rawPublicKey(publicKey));
}
