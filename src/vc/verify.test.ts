import { describe, expect, it } from 'vitest';
import { achievementCredential } from '../../test/helpers/credentials.js';
import { signEddsaRdfc2022 } from './data-integrity.js';
import { createMethodResolver } from './did.js';
import { generateEd25519KeyPair } from './multikey.js';
import { verifyCredential } from './verify.js';

const key = generateEd25519KeyPair();
const did = `did:key:${key.publicKeyMultibase}`;
const deps = { resolveMethod: createMethodResolver(), now: () => new Date('2026-06-01T00:00:00Z') };

async function signed(dates: Record<string, string>) {
  const credential = achievementCredential({
    id: 'urn:uuid:0b9f0e7c-3c1e-4f59-8d4a-2f9b1a2c3d4e',
    issuer: { id: did, type: ['Profile'], name: 'Dates' },
    ...dates,
  });
  return signEddsaRdfc2022(credential, key.privateKey!, { verificationMethod: `${did}#${key.publicKeyMultibase}` });
}

describe('validity dates', () => {
  it('passes inside the window', async () => {
    const result = await verifyCredential(
      await signed({ validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }),
      deps,
    );
    expect(result.verified).toBe(true);
    expect(result.checks.find((c) => c.id === 'valid-until')?.message).toBe('Valid until 2027-01-01.');
  });
  it('fails an expired credential with that reason', async () => {
    const result = await verifyCredential(
      await signed({ validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }),
      deps,
    );
    expect(result.verified).toBe(false);
    expect(result.checks.find((c) => c.status === 'failed')).toEqual({
      id: 'valid-until',
      status: 'failed',
      message: 'The credential expired on 2026-01-01.',
    });
  });
  it('fails a credential that is not valid yet with that reason', async () => {
    const result = await verifyCredential(await signed({ validFrom: '2026-09-01T00:00:00Z' }), deps);
    expect(result.checks.find((c) => c.status === 'failed')).toEqual({
      id: 'valid-from',
      status: 'failed',
      message: 'The credential is not valid yet: it starts on 2026-09-01.',
    });
  });
  it('refuses dates without a time zone', async () => {
    const result = await verifyCredential(await signed({ validFrom: '2026-01-01T00:00:00' }), deps);
    expect(result.checks.find((c) => c.id === 'data-model')?.message).toContain('time zone');
  });
});

describe('unreadable documents', () => {
  it('says what is wrong instead of throwing', async () => {
    for (const input of [null, 'text', 42, [], {}]) {
      const result = await verifyCredential(input, deps);
      expect(result.verified).toBe(false);
      expect(result.checks.some((c) => c.status === 'failed')).toBe(true);
    }
  });
});
