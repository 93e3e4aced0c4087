import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { badgeSvg, solidPng } from '../../test/helpers/images.js';
import { bakePng } from './baking.js';
import { verifyOb2, type Ob2Fetcher } from './ob2.js';
import { verifyInput } from './verify-input.js';
import { createMethodResolver } from './did.js';
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';

/** An issuer's web site, as an injected fetcher: what a verifier would GET over HTTPS. */
const issuerId = 'https://badges.example.edu/issuer';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyId = 'https://badges.example.edu/keys/1';
const site = new Map<string, { status: number; json: unknown }>([
  [
    issuerId,
    {
      status: 200,
      json: {
        '@context': 'https://w3id.org/openbadges/v2',
        type: 'Issuer',
        id: issuerId,
        name: 'Example University',
        url: 'https://example.edu',
        publicKey: keyId,
        revocationList: 'https://badges.example.edu/revocations',
      },
    },
  ],
  [
    'https://badges.example.edu/badges/sql',
    {
      status: 200,
      json: {
        '@context': 'https://w3id.org/openbadges/v2',
        type: 'BadgeClass',
        id: 'https://badges.example.edu/badges/sql',
        name: 'SQL Basics',
        description: 'Queries relational data.',
        criteria: { narrative: 'Pass the test.' },
        issuer: issuerId,
        alignment: [{ targetName: 'SQL', targetUrl: 'http://data.europa.eu/esco/skill/sql', targetFramework: 'ESCO' }],
      },
    },
  ],
  [
    keyId,
    {
      status: 200,
      json: {
        type: 'CryptographicKey',
        id: keyId,
        owner: issuerId,
        publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
      },
    },
  ],
  [
    'https://badges.example.edu/revocations',
    {
      status: 200,
      json: { type: 'RevocationList', revokedAssertions: [{ id: 'urn:uuid:revoked', revocationReason: 'Cheating' }] },
    },
  ],
]);
const fetcher: Ob2Fetcher = async (url) => site.get(url) ?? { status: 404, json: undefined };

function assertion(overrides: Record<string, unknown> = {}) {
  return {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'Assertion',
    id: 'https://badges.example.edu/assertions/1',
    recipient: {
      type: 'email',
      hashed: true,
      salt: 'deadsea',
      identity: 'sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5',
    },
    badge: 'https://badges.example.edu/badges/sql',
    verification: { type: 'hosted' },
    issuedOn: '2020-01-01T00:00:00Z',
    ...overrides,
  };
}

async function sign(payload: object, key = rsa.privateKey) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(key);
}

describe('Open Badges 2.0 hosted assertions', () => {
  it('verify when the issuer serves the same assertion on its own site', async () => {
    site.set('https://badges.example.edu/assertions/1', { status: 200, json: assertion() });
    const result = await verifyOb2(assertion(), fetcher);
    expect(result.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(result.summary?.achievement?.name).toBe('SQL Basics');
    expect(result.summary?.skills[0]?.name).toBe('SQL');
  });
  it('fail when revoked (410 Gone), no longer served, served elsewhere, or expired', async () => {
    site.set('https://badges.example.edu/assertions/2', { status: 410, json: { revoked: true } });
    const revoked = await verifyOb2(assertion({ id: 'https://badges.example.edu/assertions/2' }), fetcher);
    expect(revoked.checks.find((c) => c.id === 'status')?.status).toBe('failed');
    const gone = await verifyOb2(assertion({ id: 'https://badges.example.edu/assertions/404' }), fetcher);
    expect(gone.checks.find((c) => c.id === 'proof')?.message).toMatch(/no longer served/);
    site.set('https://evil.example/a', { status: 200, json: assertion({ id: 'https://evil.example/a' }) });
    const elsewhere = await verifyOb2(assertion({ id: 'https://evil.example/a' }), fetcher);
    expect(elsewhere.checks.find((c) => c.id === 'proof')?.message).toMatch(/not from its issuer's site/);
    site.set('https://badges.example.edu/assertions/3', {
      status: 200,
      json: assertion({ id: 'https://badges.example.edu/assertions/3', expires: '2021-01-01T00:00:00Z' }),
    });
    const expired = await verifyOb2(
      assertion({ id: 'https://badges.example.edu/assertions/3', expires: '2021-01-01T00:00:00Z' }),
      fetcher,
    );
    expect(expired.checks.find((c) => c.id === 'valid-until')?.status).toBe('failed');
  });
});

describe('Open Badges 2.0 hosted assertions that cannot be fetched', () => {
  it('say the fetch was refused, not that the issuer no longer vouches for them', async () => {
    const refusing = async (url: string) => {
      if (url === 'https://badges.example.edu/assertions/1') {
        throw new Error('badges.example.edu is a private or local address, which is not fetched.');
      }
      return fetcher(url);
    };
    const result = await verifyOb2(assertion(), refusing);
    const proof = result.checks.find((c) => c.id === 'proof')!;
    expect(proof.status).toBe('failed');
    expect(proof.message).toBe(
      'The assertion could not be fetched from https://badges.example.edu/assertions/1, so it was not checked: ' +
        'badges.example.edu is a private or local address, which is not fetched.',
    );
    expect(proof.message).not.toMatch(/no longer vouches/);
  });
});

describe('Open Badges 2.0 signed assertions', () => {
  const signedAssertion = (overrides: Record<string, unknown> = {}) =>
    assertion({ id: 'urn:uuid:signed-1', verification: { type: 'SignedBadge', creator: keyId }, ...overrides });

  it('verify with the issuer key, and fail when tampered, signed by another key, or revoked', async () => {
    const jws = await sign(signedAssertion());
    const ok = await verifyOb2(jws, fetcher);
    expect(ok.checks.filter((c) => c.status === 'failed')).toEqual([]);

    const [h, , s] = jws.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify(signedAssertion({ issuedOn: '2021-01-01T00:00:00Z' }))).toString('base64url')}.${s}`;
    expect((await verifyOb2(tampered, fetcher)).checks.find((c) => c.id === 'proof')?.message).toMatch(
      /does not match/,
    );

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await verifyOb2(await sign(signedAssertion(), other.privateKey), fetcher)).verified).toBe(false);

    const revoked = await verifyOb2(await sign(signedAssertion({ id: 'urn:uuid:revoked' })), fetcher);
    expect(revoked.checks.find((c) => c.id === 'status')?.message).toBe('The issuer has revoked this badge: Cheating');
  });

  it('are recognized in baked images and through the common entry point', async () => {
    const jws = await sign(signedAssertion());
    const png = solidPng();
    const chunks = extractChunks(png);
    const text = Buffer.concat([Buffer.from('openbadges\0', 'latin1'), Buffer.from(jws, 'latin1')]);
    const baked = encodeChunks([...chunks.slice(0, -1), { name: 'tEXt', data: text }, chunks.at(-1)!]);
    const deps = { resolveMethod: createMethodResolver(), fetchOb2: fetcher };
    const fromPng = await verifyInput({ bytes: baked }, deps);
    expect(fromPng).toMatchObject({ verified: true, format: 'ob2', baked: 'png' });

    const svg = badgeSvg
      .replace('<svg ', `<svg xmlns:openbadges="http://openbadges.org" `)
      .replace('</svg>', `<openbadges:assertion verify="${jws}"/></svg>`);
    expect(await verifyInput({ bytes: new TextEncoder().encode(svg) }, deps)).toMatchObject({
      verified: true,
      format: 'ob2',
      baked: 'svg',
    });
    // Skillproof reads OB 2.0 images but bakes only OB 3.0: asked to bake an assertion, it says so.
    expect(() => bakePng(png, { kind: 'ob2', value: jws })).toThrow(
      'Skillproof bakes Open Badges 3.0 credentials only.',
    );
    await expect(verifyInput({ bytes: baked }, { resolveMethod: createMethodResolver() })).rejects.toThrow(
      /network access/,
    );
  });
});
