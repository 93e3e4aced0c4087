import { describe, expect, it } from 'vitest';
import { achievementCredential } from '../../test/helpers/credentials.js';
import { signEddsaRdfc2022 } from './data-integrity.js';
import { createMethodResolver } from './did.js';
import { VcError } from './errors.js';
import { generateEd25519KeyPair } from './multikey.js';
import { createVerifyMemo, undecided, verifyCredential } from './verify.js';

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

describe('the memo of content checks and signatures', () => {
  const window = { validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' };

  it('gives the same result again, and still refuses a changed copy', async () => {
    const memo = createVerifyMemo();
    const credential = await signed(window);
    const first = await verifyCredential(credential, { ...deps, memo });
    const second = await verifyCredential(structuredClone(credential), { ...deps, memo });
    expect(first.verified).toBe(true);
    expect(second).toEqual(first);
    const changed = await verifyCredential({ ...credential, name: 'Changed after signing' }, { ...deps, memo });
    expect(changed.verified).toBe(false);
    expect(changed.checks.find((c) => c.id === 'proof')?.status).toBe('failed');
  });

  it('checks dates against the clock of each verification', async () => {
    const memo = createVerifyMemo();
    const credential = await signed(window);
    expect((await verifyCredential(credential, { ...deps, memo })).verified).toBe(true);
    const later = await verifyCredential(credential, { ...deps, memo, now: () => new Date('2027-02-01T00:00:00Z') });
    expect(later.verified).toBe(false);
    expect(later.checks.find((c) => c.status === 'failed')?.id).toBe('valid-until');
  });

  it('checks the signature again with a key it has not seen the credential with', async () => {
    const memo = createVerifyMemo();
    const credential = await signed(window);
    expect((await verifyCredential(credential, { ...deps, memo })).verified).toBe(true);
    const other = generateEd25519KeyPair();
    const base = createMethodResolver();
    const swapped = async (id: string) => ({ ...(await base(id)), publicKey: other.publicKey });
    const result = await verifyCredential(credential, { ...deps, memo, resolveMethod: swapped });
    expect(result.checks.find((c) => c.id === 'proof')?.status).toBe('failed');
  });

  it('asks for the status list on every verification', async () => {
    const memo = createVerifyMemo();
    const credential = await signed({
      ...window,
      credentialStatus: {
        id: 'https://issuer.example/status/1#7',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://issuer.example/status/1',
      },
    } as never);
    let calls = 0;
    const fetchStatusList = async () => {
      calls += 1;
      throw new VcError('status-list', `offline (${calls})`);
    };
    const first = await verifyCredential(credential, { ...deps, memo, fetchStatusList });
    const second = await verifyCredential(credential, { ...deps, memo, fetchStatusList });
    expect(calls).toBe(2);
    expect(first.checks.find((c) => c.id === 'status')?.message).toContain('offline (1)');
    expect(second.checks.find((c) => c.id === 'status')?.message).toContain('offline (2)');
  });
});

describe('checks that could not be made', () => {
  const withStatus = async () =>
    signed({
      validFrom: '2026-01-01T00:00:00Z',
      credentialStatus: {
        id: 'https://issuer.example/status/1#7',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://issuer.example/status/1',
      },
    } as never);

  it('an error that is not the credential’s (a database blip) is `unknown`, its text kept inside', async () => {
    const result = await verifyCredential(await withStatus(), {
      ...deps,
      fetchStatusList: async () => {
        throw new Error('connection terminated; password=hunter2');
      },
    });
    expect(result.checks.find((c) => c.id === 'status')).toEqual({
      id: 'status',
      status: 'unknown',
      message: 'The revocation status could not be checked just now. Try again later.',
    });
    expect(result.verified).toBe(false);
    expect(undecided(result)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('a library error is a checked failure, with its message', async () => {
    const result = await verifyCredential(await withStatus(), {
      ...deps,
      fetchStatusList: async () => {
        throw new VcError('status-list', 'issuer.example answered HTTP 404.');
      },
    });
    expect(result.checks.find((c) => c.id === 'status')?.status).toBe('failed');
    expect(undecided(result)).toBe(false);
  });

  it('a key resolver that throws is `unknown` for the signature, not a failure', async () => {
    const result = await verifyCredential(await withStatus(), {
      ...deps,
      resolveMethod: async () => {
        throw new TypeError('Cannot read properties of undefined');
      },
      fetchStatusList: async () => {
        throw new VcError('status-list', 'offline');
      },
    });
    expect(result.checks.find((c) => c.id === 'proof')).toEqual({
      id: 'proof',
      status: 'unknown',
      message: "The issuer's signing key could not be checked just now. Try again later.",
    });
  });
});
