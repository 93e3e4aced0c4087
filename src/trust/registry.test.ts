import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import type { Check } from '../vc/verify.js';
import { trustCheck, withTrust } from './check.js';
import { parseDccRegistry, registryLimits } from './registry.js';
import { createTrust } from './trust.js';
import type { ListedIssuer, TrustStore } from './store.js';

// The shape the Digital Credentials Consortium serves at digitalcredentials.github.io/issuer-registry/registry.json.
const dccFile = `{
  "meta": { "created": "2020-12-02T02:32:16+0000", "updated": "2022-05-25T12:40:00+0000" },
  "registry": {
    "did:key:z6MkqEwzA36k2PWsWpeQXjFMzT1PpZuVjZ9W9jd2ZGRb6JKr": {
      "name": "DCC Sandbox Issuer",
      "location": "Cambridge, MA, USA",
      "url": "https://verify.dcconsortium.org"
    },
    "did:web:c21u.gatech.edu": {
      "name": "Georgia Tech Center for 21st Century Universities",
      "location": "Atlanta, GA, USA",
      "url": "https://c21u.gatech.edu"
    },
    "did:web:www.credly.com:api:v1:obi:v3:issuers:ede32dcc-9168-4563-9352-8725936d5231": {
      "name": "Credly Test OBv3 PM",
      "accreditation": "kept as given"
    }
  }
}`;

function problemOf(input: unknown): DomainError {
  try {
    parseDccRegistry(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the registry was accepted');
}

describe('parseDccRegistry', () => {
  it('reads a DCC registry file, from its text or its JSON, keeping every field', () => {
    const parsed = parseDccRegistry(dccFile);
    expect(parsed).toEqual(parseDccRegistry(JSON.parse(dccFile)));
    expect(parsed.meta).toEqual({ created: '2020-12-02T02:32:16+0000', updated: '2022-05-25T12:40:00+0000' });
    expect(parsed.entries).toHaveLength(3);
    expect(parsed.entries[1]).toEqual({
      did: 'did:web:c21u.gatech.edu',
      name: 'Georgia Tech Center for 21st Century Universities',
      location: 'Atlanta, GA, USA',
      url: 'https://c21u.gatech.edu',
      entry: {
        name: 'Georgia Tech Center for 21st Century Universities',
        location: 'Atlanta, GA, USA',
        url: 'https://c21u.gatech.edu',
      },
    });
    // Only a name is required, as in the DCC sandbox registry's Credly entries.
    expect(parsed.entries[2]).toMatchObject({ name: 'Credly Test OBv3 PM', entry: { accreditation: 'kept as given' } });
    expect(parsed.entries[2]).not.toHaveProperty('url');
  });

  it('accepts a file without meta', () => {
    expect(parseDccRegistry({ registry: { 'did:web:a.example': { name: 'A' } } }).meta).toEqual({});
  });

  it('names every problem of a bad file', () => {
    expect(problemOf('{ not json').message).toBe('The registry file is not valid JSON.');
    expect(problemOf('[]').message).toContain('must be a JSON object');
    expect(problemOf({ entries: {} }).message).toContain('the file lacks "registry"');
    expect(problemOf({ registry: {} }).message).toContain('registry lists no issuers');
    expect(problemOf({ registry: [] }).message).toContain('registry must be object');
    const many = problemOf({
      registry: {
        'https://issuer.example': { name: 'Web' },
        'did:web:ok.example': { name: 'OK' },
        'did:web:nameless.example': { url: 'https://nameless.example' },
        'did:web:empty.example': { name: '' },
        'did:web:script.example': { name: 'S', url: 'javascript:alert(1)' },
        'did:web:typed.example': { name: 42 },
      },
    });
    expect(many.code).toBe('invalid-input');
    expect(many.details?.problems).toEqual([
      'registry lists "https://issuer.example", which is not a DID (keys must look like did:method:…)',
      'registry["did:web:nameless.example"] lacks "name"',
      'registry["did:web:empty.example"]["name"] must NOT have fewer than 1 characters',
      'registry["did:web:script.example"]["url"] must be an http or https address',
      'registry["did:web:typed.example"]["name"] must be string',
    ]);
    expect(many.message).toMatch(
      /^The registry file is not in the Digital Credentials Consortium issuer-registry format: /,
    );
  });

  it('refuses what could not be stored or processed', () => {
    expect(problemOf({ registry: { 'did:web:a.example': { name: 'A\u0000' } } }).message).toContain('NUL character');
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = { deeper: deep };
    const nested = JSON.stringify({ registry: { 'did:web:a.example': { name: 'A', deep } } });
    expect(problemOf(nested).message).toContain('nested more than 32 levels');
    expect(problemOf('['.repeat(200_000) + ']'.repeat(200_000)).message).toMatch(/not valid JSON|nested/);
  });

  it('refuses more issuers than it takes', () => {
    const registry = Object.fromEntries(
      Array.from({ length: registryLimits.maxEntries + 1 }, (_, i) => [`did:web:i${i}.example`, { name: `I${i}` }]),
    );
    expect(problemOf({ registry }).message).toContain(`more than ${registryLimits.maxEntries} issuers`);
  });
});

/** A store over plain arrays: the lookup's rules, without a database. */
function memoryStore(listed: ListedIssuer[]): TrustStore {
  return {
    findIssuer: async (did: string) => listed.find((i) => i.did === did),
    listIssuers: async () => listed,
    localIssuers: async () => [{ orgId: '11111111-2222-4333-8444-555555555555', name: 'Local Org' }],
  } as unknown as TrustStore;
}

describe('lookup', () => {
  const trust = createTrust({
    store: memoryStore([
      { did: 'did:web:first.example', name: 'First', url: 'https://first.example', location: null, registry: 'A' },
    ]),
    publicUrl: 'https://skills.example.org',
    orgName: async (orgId) => (orgId === '11111111-2222-4333-8444-555555555555' ? 'Local Org' : undefined),
  });

  it("knows this instance's organizations by their own name", async () => {
    expect(await trust.lookup('did:web:skills.example.org:issuers:11111111-2222-4333-8444-555555555555')).toEqual({
      name: 'Local Org',
      registry: 'skills.example.org (this instance)',
    });
    // A well-formed DID of this instance for an organization that does not exist is not known.
    expect(await trust.lookup('did:web:skills.example.org:issuers:99999999-2222-4333-8444-555555555555')).toBe(
      undefined,
    );
  });

  it('finds imported entries and nothing else', async () => {
    expect(await trust.lookup('did:web:first.example')).toEqual({
      name: 'First',
      registry: 'A',
      url: 'https://first.example',
    });
    expect(await trust.lookup('did:web:other.example')).toBe(undefined);
  });

  it('lists local organizations first, with their DIDs', async () => {
    const issuers = await trust.listIssuers();
    expect(issuers.map((i) => [i.did, i.local])).toEqual([
      ['did:web:skills.example.org:issuers:11111111-2222-4333-8444-555555555555', true],
      ['did:web:first.example', false],
    ]);
  });

  it('refuses registry names that are empty or hold control characters', async () => {
    await expect(
      trust.importRegistry('  ', { registry: { 'did:web:a.example': { name: 'A' } } }, null),
    ).rejects.toThrow(/registry name/);
    await expect(
      trust.importRegistry('bad\nname', { registry: { 'did:web:a.example': { name: 'A' } } }, null),
    ).rejects.toThrow(/control characters/);
  });
});

describe('the trust check', () => {
  const passed: Check = { id: 'issuer', status: 'passed', message: 'The signing key belongs to the issuer.' };
  const listed = { name: 'Registered Name', registry: 'DCC Registry', url: 'https://r.example' };

  it('passes for a confirmed, listed issuer and names the registry', () => {
    expect(trustCheck('did:web:a.example', passed, listed, 'Self Name')).toEqual({
      check: {
        id: 'trust',
        status: 'passed',
        message: 'Issuer known: DCC Registry lists did:web:a.example as Registered Name.',
      },
      issuerTrust: { known: true, name: 'Registered Name', registry: 'DCC Registry', url: 'https://r.example' },
    });
  });

  it('warns, never fails, for an unknown issuer', () => {
    const { check, issuerTrust } = trustCheck('did:web:a.example', passed, undefined, 'Self Name');
    expect(check.status).toBe('warning');
    expect(check.message).toBe(
      `Issuer not in this instance's registry of trusted issuers: did:web:a.example. It calls itself "Self Name"; nobody here has confirmed that.`,
    );
    expect(issuerTrust).toEqual({ known: false });
  });

  it('does not vouch when the signature did not confirm the issuer', () => {
    for (const status of ['failed', 'skipped'] as const) {
      const result = trustCheck('did:web:a.example', { ...passed, status }, listed);
      expect(result.check.status).toBe('skipped');
      expect(result.issuerTrust).toEqual({ known: false });
    }
    const unconfirmed = trustCheck('did:web:a.example', { ...passed, status: 'warning' }, listed);
    expect(unconfirmed.check.status).toBe('warning');
    expect(unconfirmed.issuerTrust.known).toBe(false);
    expect(trustCheck(undefined, passed, listed).check.status).toBe('skipped');
  });

  it('places the check after the issuer check and leaves the verdict alone', () => {
    const result = {
      verified: true,
      checks: [
        { id: 'proof', status: 'passed', message: '' },
        passed,
        { id: 'status', status: 'passed', message: '' },
      ] as Check[],
    };
    const trusted = withTrust(result, trustCheck('did:web:a.example', passed, undefined));
    expect(trusted.checks.map((c) => c.id)).toEqual(['proof', 'issuer', 'trust', 'status']);
    expect(trusted.verified).toBe(true);
  });
});
