import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signEd25519, verifyEd25519 } from './ed25519.js';
import { publicKeyObject } from './multikey.js';

describe('Ed25519 through libsodium', () => {
  it('makes the signatures node:crypto makes, and agrees with it on every check', () => {
    for (let i = 0; i < 50; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const other = generateKeyPairSync('ed25519').publicKey;
      const data = randomBytes(i === 0 ? 0 : 1 + ((i * 37) % 300));
      const signature = signEd25519(data, privateKey);
      expect(signature.equals(sign(null, data, privateKey))).toBe(true);
      const changed = Buffer.from(signature);
      changed[i % 64]! ^= 1 << (i % 8);
      const longer = Buffer.concat([data, Buffer.from([i])]);
      for (const [d, key, sig] of [
        [data, publicKey, signature],
        [data, publicKey, changed],
        [longer, publicKey, signature],
        [data, other, signature],
      ] as const) {
        expect(verifyEd25519(d, key, sig)).toBe(verify(null, d, key, sig));
      }
      expect(verifyEd25519(data, publicKey, signature)).toBe(true);
      expect(verifyEd25519(data, publicKey, changed)).toBe(false);
    }
  });

  it('keeps each key object apart (raw keys are remembered per object)', () => {
    const a = generateKeyPairSync('ed25519');
    const b = generateKeyPairSync('ed25519');
    const data = Buffer.from('one message');
    expect(signEd25519(data, a.privateKey).equals(signEd25519(data, b.privateKey))).toBe(false);
    expect(verifyEd25519(data, b.publicKey, signEd25519(data, a.privateKey))).toBe(false);
    expect(verifyEd25519(data, a.publicKey, signEd25519(data, a.privateKey))).toBe(true);
  });

  it('refuses a signature that is not 64 bytes', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signature = signEd25519(Buffer.from('x'), privateKey);
    expect(verifyEd25519(Buffer.from('x'), publicKey, signature.subarray(0, 63))).toBe(false);
    expect(verifyEd25519(Buffer.from('x'), publicKey, Buffer.concat([signature, Buffer.alloc(1)]))).toBe(false);
  });

  it('refuses the identity point as a public key, under which one signature fits every message', () => {
    // A = identity, R = the base point B, S = 1: [S]B = R + [k]A holds for every k, so for every message.
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const basePoint = Buffer.from('5866666666666666666666666666666666666666666666666666666666666666', 'hex');
    const s = Buffer.alloc(32);
    s[0] = 1;
    const signature = Buffer.concat([basePoint, s]);
    const key = publicKeyObject(identity);
    for (const message of ['a degree', 'anything else']) {
      expect(verify(null, Buffer.from(message), key, signature)).toBe(true); // OpenSSL accepts the forgery
      expect(verifyEd25519(Buffer.from(message), key, signature)).toBe(false);
    }
  });

  it('leaves other kinds of keys to node:crypto', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('not for Ed25519');
    const signature = signEd25519(data, privateKey);
    expect(verify(null, data, publicKey, signature)).toBe(true);
    expect(verifyEd25519(data, publicKey, signature)).toBe(true);
  });
});
