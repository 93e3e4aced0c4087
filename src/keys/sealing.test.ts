import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    expect(loadMasterKey(key.toString('hex'), '/nonexistent').equals(key)).toBe(true);
    expect(loadMasterKey(key.toString('base64'), '/nonexistent').equals(key)).toBe(true);
    expect(() => loadMasterKey('abcd', '/nonexistent')).toThrow(/32 bytes/);
  });
  it('generates a development key once, private to the user, with a warning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-master-'));
    try {
      const warnings: string[] = [];
      const first = loadMasterKey(undefined, dir, (w) => warnings.push(w));
      const second = loadMasterKey(undefined, dir, (w) => warnings.push(w));
      expect(first.equals(second)).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dir, 'master.key'), 'utf8').trim()).toBe(first.toString('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
