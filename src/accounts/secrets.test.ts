import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, sameSecret } from './secrets.js';

describe('secrets', () => {
  it('are long, random, URL-safe and prefixed', () => {
    const a = newSecret('sp_');
    expect(a).toMatch(/^sp_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(newSecret());
  });
  it('hash deterministically without revealing the secret', () => {
    const secret = newSecret();
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toContain(secret);
  });
  it('compare in constant time and refuse non-strings', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
    expect(sameSecret(['abc'], 'abc')).toBe(false);
  });
});
