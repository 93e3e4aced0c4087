import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.js';
import { open, seal } from './sealing.js';

describe('sealing private keys', () => {
  const master = randomBytes(32);
  it('round-trips and hides the plaintext', () => {
    const secret = randomBytes(32);
    const sealed = seal(secret, master, 'key-1');
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(open(sealed, master, 'key-1').equals(secret)).toBe(true);
  });
  it('refuses another master key, another key id, or a changed ciphertext', () => {
    const sealed = seal(randomBytes(32), master, 'key-1');
    expect(() => open(sealed, randomBytes(32), 'key-1')).toThrow(/cannot be opened/);
    expect(() => open(sealed, master, 'key-2')).toThrow(/cannot be opened/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => open(parts.join('.'), master, 'key-1')).toThrow(/cannot be opened/);
  });
});

describe('master key', () => {
  it('reads hex or base64 and refuses other lengths', () => {
    const key = randomBytes(32);
    expect(loadMasterKey(key.toString('hex'), '/nonexistent').key.equals(key)).toBe(true);
    expect(loadMasterKey(key.toString('base64'), '/nonexistent').key.equals(key)).toBe(true);
    expect(() => loadMasterKey('abcd', '/nonexistent')).toThrow(/32 bytes/);
  });
  it('generates a development key once, private to the user, with a warning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-master-'));
    try {
      const warnings: string[] = [];
      const warn = (w: string) => void warnings.push(w);
      const first = loadMasterKey(undefined, dir, { warn }).key;
      const second = loadMasterKey(undefined, dir, { warn, sealedKeys: 2 }).key;
      expect(first.equals(second)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dir, 'master.key'), 'utf8').trim()).toBe(first.toString('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('never writes a replacement key when the database holds sealed keys', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-master-'));
    try {
      expect(() => loadMasterKey(undefined, dir, { sealedKeys: 3, warn: () => {} })).toThrow(
        /master key is missing.*3 issuer keys.*will not make a new key/s,
      );
      expect(existsSync(path.join(dir, 'master.key'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
