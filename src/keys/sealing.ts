import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Private keys are sealed with AES-256-GCM under the master key before they reach the database. The key's
 * id is bound as associated data, so a sealed key copied onto another row does not open.
 */
const version = 'v1';

export function seal(plaintext: Uint8Array, masterKey: Uint8Array, associated: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    version,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function open(sealed: string, masterKey: Uint8Array, associated: string): Buffer {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== version || !iv || !tag || body === undefined) throw new Error('The sealed key is not in a known format.');
  const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    throw new Error('The key cannot be opened: wrong SKILLPROOF_MASTER_KEY, or the stored key was altered.');
  }
}
