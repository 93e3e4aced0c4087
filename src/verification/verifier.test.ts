import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Issuance } from '../issuance/issuance.js';
import type { Keys } from '../keys/keys.js';
import { createSafeFetch, defaultFetchPolicy } from '../platform/safe-fetch.js';
import { signEddsaRdfc2022 } from '../vc/data-integrity.js';
import { generateEd25519KeyPair } from '../vc/multikey.js';
import { Bitstring, statusEntry, statusListCredential } from '../vc/status-list.js';
import { createPlatformVerifier, type PlatformVerifierDeps } from './verifier.js';

/**
 * The status-list cache is what an anonymous caller can fill by naming lists on other servers: it is bounded
 * by bytes, holds checked lists in their compact form, and foreign fetches are capped per verification and
 * per client. A local server hands out a distinct signed list at every URL.
 */
const key = generateEd25519KeyPair();
const did = `did:key:${key.publicKeyMultibase}`;
// 1,048,576 entries: 128 KiB of bits per list once decoded (a few hundred bytes encoded).
const listEntries = 8 * 128 * 1024;
let server: Server;
let base: string;
let served = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    served += 1;
    const url = `${base}${request.url}`;
    const bits = new Bitstring(listEntries);
    if (request.url?.includes('revoked')) bits.set(7, true);
    const list = statusListCredential({
      url,
      issuer: did,
      purpose: 'revocation',
      list: bits,
      validFrom: '2026-01-01T00:00:00Z',
    });
    void signEddsaRdfc2022(list, key.privateKey!, { verificationMethod: `${did}#${key.publicKeyMultibase}` }).then(
      (signed) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(signed));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function verifier(overrides: Partial<PlatformVerifierDeps> = {}) {
  return createPlatformVerifier({
    keys: {} as Keys,
    issuance: {} as Issuance,
    fetcher: createSafeFetch({ ...defaultFetchPolicy, allowHttp: true, allowPrivate: true }),
    publicUrl: 'https://skillproof.test',
    organizationExists: async () => false,
    ...overrides,
  });
}

/** A credential naming the given lists (unsigned: its status is checked all the same, as an attacker's would be). */
function naming(...paths: string[]) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: did,
    credentialSubject: { id: 'did:example:someone' },
    credentialStatus: paths.map((path) => statusEntry(`${base}${path}`, 'revocation', 7)),
  };
}

const statusOf = (result: { checks: { id: string; status: string; message: string }[] }) =>
  result.checks.find((c) => c.id === 'status')!;

describe('the status-list cache', () => {
  it('stays within its byte bound over thousands of distinct foreign lists', async () => {
    const cacheBytes = 4 * 1024 * 1024;
    const v = verifier({ statusListLimits: { cacheBytes } });
    const lists = 2_000;
    let peak = 0;
    for (let i = 0; i < lists; i += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, j) => {
          const result = await v.verify({ json: naming(`/lists/${i + j}`) });
          expect(statusOf(result)).toMatchObject({ status: 'passed' });
        }),
      );
      peak = Math.max(peak, v.statusListCache().bytes);
    }
    const kept = v.statusListCache();
    // Unbounded, 2,000 lists of 128 KiB of bits would be 250 MiB (and their documents more).
    expect(peak).toBeLessThanOrEqual(cacheBytes);
    expect(kept.bytes).toBeGreaterThan(cacheBytes / 2);
    expect(kept.lists).toBeLessThan(cacheBytes / (128 * 1024) + 1);
  }, 120_000);

  it('keeps a checked list and reads every credential from it until it expires', async () => {
    let clock = 1_000_000;
    const v = verifier({ now: () => clock, foreignStatusTtlMs: 60_000 });
    const before = served;
    expect(statusOf(await v.verify({ json: naming('/kept/revoked') })).message).toMatch(/revoked/);
    await Promise.all([1, 2, 3].map(() => v.verify({ json: naming('/kept/revoked') })));
    expect(served - before).toBe(1);
    expect(v.statusListCache()).toMatchObject({ lists: 1 });
    // Only the bits and who published the list are kept, not the document.
    expect(v.statusListCache().bytes).toBeLessThan(128 * 1024 + 1024);
    clock += 60_001;
    expect(statusOf(await v.verify({ json: naming('/kept/revoked') })).message).toMatch(/revoked/);
    expect(served - before).toBe(2);
  });

  it('drops expired lists as it is used, not only when full', async () => {
    let clock = 1_000_000;
    const v = verifier({ now: () => clock, foreignStatusTtlMs: 1_000 });
    for (let i = 0; i < 5; i++) await v.verify({ json: naming(`/expiring/${i}`) });
    expect(v.statusListCache().lists).toBe(5);
    clock += 20_000;
    await v.verify({ json: naming('/expiring/last') });
    expect(v.statusListCache().lists).toBe(1);
  });

  it('uses a list larger than an entry may be without keeping it', async () => {
    const v = verifier({ statusListLimits: { entryBytes: 64 * 1024 } });
    expect(statusOf(await v.verify({ json: naming('/large/1') })).status).toBe('passed');
    expect(v.statusListCache()).toMatchObject({ lists: 0, bytes: 0 });
  });

  it('fetches at most a few foreign lists for one verification', async () => {
    const v = verifier({ statusListLimits: { fetchesPerVerification: 3 } });
    const result = await v.verify({ json: naming('/many/1', '/many/2', '/many/3', '/many/4') });
    expect(statusOf(result).status).toBe('failed');
    expect(statusOf(result).message).toMatch(/at most 3 status lists/);
    // Lists already kept cost nothing: the same four again need one fetch.
    expect(statusOf(await v.verify({ json: naming('/many/1', '/many/2', '/many/3', '/many/4') })).status).toBe(
      'passed',
    );
  });

  it('fetches at most so many foreign lists per client and minute; other and exempt clients are not held up', async () => {
    let clock = 1_000_000;
    const v = verifier({
      now: () => clock,
      statusListLimits: { fetchesPerClientPerMinute: 3, exemptClients: ['10.0.0.9'] },
    });
    for (let i = 0; i < 3; i++) {
      expect(statusOf(await v.verify({ json: naming(`/client/${i}`) }, { client: '10.0.0.1' })).status).toBe('passed');
    }
    const refused = await v.verify({ json: naming('/client/3') }, { client: '10.0.0.1' });
    expect(statusOf(refused).message).toMatch(/too many status lists .* try again later/);
    // A list already kept is still read for that client.
    expect(statusOf(await v.verify({ json: naming('/client/0') }, { client: '10.0.0.1' })).status).toBe('passed');
    expect(statusOf(await v.verify({ json: naming('/client/4') }, { client: '10.0.0.2' })).status).toBe('passed');
    for (let i = 5; i < 10; i++) {
      expect(statusOf(await v.verify({ json: naming(`/client/${i}`) }, { client: '10.0.0.9' })).status).toBe('passed');
    }
    clock += 60_001;
    expect(statusOf(await v.verify({ json: naming('/client/10') }, { client: '10.0.0.1' })).status).toBe('passed');
  });
});

describe('errors from this instance', () => {
  it('are told plainly, never in the database’s words', async () => {
    const v = verifier({
      issuance: {
        publishedList: async () => {
          throw new Error('invalid input syntax for type uuid: "x" (relation status_lists)');
        },
      } as unknown as Issuance,
    });
    const credential = {
      ...naming(),
      credentialStatus: statusEntry(
        'https://skillproof.test/status-lists/0b9f0e7c-3c1e-4f59-8d4a-2f9b1a2c3d4e',
        'revocation',
        7,
      ),
    };
    // Not a verdict on the credential (issue 18): "could not be checked just now", and never the database's text.
    const status = statusOf(await v.verify({ json: credential }));
    expect(status.status).toBe('unknown');
    expect(status.message).toBe('The revocation status could not be checked just now. Try again later.');
    expect(status.message).not.toMatch(/syntax|relation/);
  });
});
