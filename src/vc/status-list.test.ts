import { describe, expect, it } from 'vitest';
import { standardsJson } from '../../test/helpers/standards.js';
import {
  Bitstring,
  minimumListLength,
  randomFreeIndex,
  readStatus,
  statusEntry,
  statusListCredential,
  type StatusListEntry,
} from './status-list.js';

describe('Bitstring', () => {
  it('sets and reads bits, left-most first', () => {
    const list = new Bitstring(16);
    list.set(0, true);
    list.set(9, true);
    expect([...list.bytes]).toEqual([0b1000_0000, 0b0100_0000]);
    expect(list.get(0)).toBe(true);
    expect(list.get(1)).toBe(false);
    list.set(0, false);
    expect(list.get(0)).toBe(false);
    expect(() => list.get(16)).toThrow(/outside/);
  });

  it('round-trips through encodedList', () => {
    const list = new Bitstring(minimumListLength);
    for (const i of [0, 7, 8, 131_071, 50_000]) list.set(i, true);
    const decoded = Bitstring.decode(list.encode());
    expect(decoded.length).toBe(minimumListLength);
    for (const i of [0, 7, 8, 131_071, 50_000]) expect(decoded.get(i)).toBe(true);
    expect(decoded.get(1)).toBe(false);
    expect(list.encode().length).toBeLessThan(200); // an empty-ish list compresses to almost nothing
  });

  it('refuses garbage and gzip bombs', () => {
    expect(() => Bitstring.decode('not multibase')).toThrow(/multibase/);
    expect(() => Bitstring.decode('uAAAA')).toThrow(/decompressed/);
    const bomb = new Bitstring(8 * 64 * 1024 * 1024); // 64 MiB of zeros compresses to ~64 KiB
    expect(() => Bitstring.decode(bomb.encode())).toThrow(/decompressed/);
  });
});

describe('status list credentials', () => {
  it('reads the 1EdTech revoked fixture: bit 23 set, others clear', () => {
    const list = standardsJson('bitstring-status-list/1edtech-ob3-status-list-credential.json');
    const credential = standardsJson<{ credentialStatus: StatusListEntry }>(
      'bitstring-status-list/1edtech-ob3-credential-status-revoked.json',
    );
    expect(readStatus(credential.credentialStatus, list)).toBe(true);
    expect(readStatus({ ...credential.credentialStatus, statusListIndex: '24' }, list)).toBe(false);
    expect(() => readStatus({ ...credential.credentialStatus, statusPurpose: 'suspension' }, list)).toThrow(
      /not suspension/,
    );
  });

  it('builds entries and list credentials that read back', () => {
    const list = new Bitstring(minimumListLength);
    list.set(42, true);
    const url = 'https://skillproof.example/status-lists/1';
    const credential = statusListCredential({
      url,
      issuer: 'did:web:skillproof.example',
      purpose: 'revocation',
      list,
      validFrom: '2026-01-01T00:00:00Z',
    });
    expect(readStatus(statusEntry(url, 'revocation', 42), credential)).toBe(true);
    expect(readStatus(statusEntry(url, 'revocation', 43), credential)).toBe(false);
  });

  it('reads each version of a list as it is, however often the lists alternate (decoded lists are reused)', () => {
    const url = 'https://skillproof.example/status-lists/2';
    const versions = [false, true].map((revoked) => {
      const list = new Bitstring(minimumListLength);
      list.set(7, revoked);
      const credential = statusListCredential({
        url,
        issuer: 'did:web:skillproof.example',
        purpose: 'revocation',
        list,
        validFrom: '2026-01-01T00:00:00Z',
      });
      return { credential, revoked };
    });
    for (let round = 0; round < 3; round++) {
      for (const { credential, revoked } of versions) {
        expect(readStatus(statusEntry(url, 'revocation', 7), credential)).toBe(revoked);
        expect(readStatus(statusEntry(url, 'revocation', 8), credential)).toBe(false);
      }
    }
  });

  it('refuses lists shorter than the minimum', () => {
    const list = new Bitstring(1024);
    const credential = statusListCredential({
      url: 'https://x/1',
      issuer: 'did:key:x',
      purpose: 'revocation',
      list,
      validFrom: '2026-01-01T00:00:00Z',
    });
    expect(() => readStatus(statusEntry('https://x/1', 'revocation', 1), credential)).toThrow(/fewer than/);
  });

  it('picks random free indices', () => {
    const used = new Set([1, 2, 3]);
    const picks = new Set(Array.from({ length: 50 }, () => randomFreeIndex(minimumListLength, (i) => used.has(i))));
    expect(picks.size).toBeGreaterThan(45);
    expect(randomFreeIndex(8, () => true)).toBeUndefined();
  });
});
