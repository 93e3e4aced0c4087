import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakeSvg } from '../../src/vc/baking.js';
import { walletLimits } from '../../src/wallet/wallet.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp, publishAchievement } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * Odd and hostile input to every wallet route: each answers a problem-details 4xx (never a 500), and
 * someone else's holding is 404 everywhere.
 */
let t: TestApp;
let learner: Client;
let other: Client;
let orgId: string;
let issuedId: string;
let credential: Record<string, unknown>;

type Method = 'GET' | 'POST' | 'DELETE';
const send = (client: Client, method: Method, url: string, payload?: unknown, contentType?: string) =>
  t.app.inject({
    method,
    url,
    headers: {
      ...(method === 'GET' ? client.cookie : client.headers),
      ...(contentType ? { 'content-type': contentType } : {}),
    },
    ...(payload !== undefined ? { payload: payload as string } : {}),
  });
const importing = (payload: unknown, contentType?: string) =>
  send(learner, 'POST', '/api/me/wallet/import', payload, contentType);

function expectProblem(response: Awaited<ReturnType<typeof send>>, status?: number) {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, response.body).toBeLessThan(500);
  if (status) expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  t = await createTestApp();
  const issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');
  const achievement = await publishAchievement(t.app, issuer, orgId);
  const award = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievement}/awards`, {
    email: learner.email,
  });
  issuedId = award.json().credential.id;
  credential = award.json().verifiableCredential;
});
afterAll(() => t.close());

describe('import bodies', () => {
  const bodies: [string, unknown, string?][] = [
    ['text as a number', { text: 123 }],
    ['empty text', { text: '' }],
    ['blank text', { text: '   \n ' }],
    ['text and url together', { text: '{}', url: 'https://example.org' }],
    ['an array', [{ text: '{}' }]],
    ['null', 'null', 'application/json'],
    ['a string', '"text"', 'application/json'],
    ['not JSON', '{"text": ', 'application/json'],
    ['a top-level __proto__', '{"__proto__": {"text": "x"}, "text": "{}"}', 'application/json'],
    ['a credential with __proto__', { text: '{"__proto__": {"verified": true}, "type": ["VerifiableCredential"]}' }],
    ['deeply nested JSON', { text: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }],
    ['deeply nested object', { text: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }],
    ['unicode noise', { text: '\u202e\u0000\ud800💥 ﷽' }],
    [
      'huge numbers',
      { text: JSON.stringify({ ...credentialPlaceholder(), validFrom: 1e308 }).replace('1e+308', '1e99999') },
    ],
    ['bad base64', { image: '!!!!not base64 at all$$$' }],
    ['base64 of nothing useful', { image: 'AAAA' }],
    ['a PNG header only', { image: Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').toString('base64') }],
    ['a url that is javascript:', { url: 'javascript:alert(1)' }],
    ['a url that is file:', { url: 'file:///etc/passwd' }],
    ['a url that is not a url', { url: 'not a url' }],
    ['a JWT with three empty parts', { text: '..' }],
    ['a JWT with bad base64', { text: '@@@.###.$$$' }],
    // Markup that is not an SVG once sent the reader round between text and image until the stack ran out.
    ['HTML', { text: '<html><body>hello</body></html>' }],
    ['HTML as an image', { image: Buffer.from('<html><svg></svg></html>').toString('base64') }],
    ['an SVG behind a DOCTYPE', { text: '<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>' }],
  ];
  for (const [what, body, contentType] of bodies) {
    it(`${what}: a clear 4xx`, async () => {
      expectProblem(
        await importing(typeof body === 'string' ? body : JSON.stringify(body), contentType ?? 'application/json'),
      );
    });
  }

  it('an image that is neither a PNG nor an SVG is named as such, before anything reads it', async () => {
    const response = await importing(
      JSON.stringify({ image: Buffer.from('<html><svg></svg></html>').toString('base64') }),
      'application/json',
    );
    expectProblem(response, 400);
    expect(response.json().detail).toBe('The file is neither a PNG nor an SVG image.');
  });

  it('a body over the server limit, or a credential over the document limit, is a 413', async () => {
    const overBody = await importing(JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }), 'application/json');
    expectProblem(overBody, 413);
    const padded = JSON.stringify({ ...credential, padding: 'x'.repeat(1024 * 1024 - 2000) });
    const big = await importing(JSON.stringify({ text: padded }), 'application/json');
    expectProblem(big, 413);
  });

  it('a JWT with alg none is refused', async () => {
    const subject = { ...(credential.credentialSubject as object), identifier: [hashedIdentity(learner.email)] };
    const unsigned = { ...credential, id: 'urn:uuid:1a2b3c4d-0000-4000-8000-000000000001', credentialSubject: subject };
    delete (unsigned as Record<string, unknown>).proof;
    for (const header of [{ alg: 'none', typ: 'vc+jwt' }, { alg: 'none' }, { alg: 'HS256', typ: 'vc+jwt' }]) {
      const response = await importing(
        JSON.stringify({ text: `${b64url(header)}.${b64url(unsigned)}.` }),
        'application/json',
      );
      expectProblem(response);
    }
    expect((await send(learner, 'GET', '/api/me/wallet')).json().total).toBe(1);
  });

  it('an SVG with entities or a script is refused', async () => {
    const entities =
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>';
    const script = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    for (const svg of [entities, script]) {
      expectProblem(
        await importing(JSON.stringify({ image: Buffer.from(svg).toString('base64') }), 'application/json'),
      );
      expectProblem(await importing(JSON.stringify({ text: svg }), 'application/json'));
    }
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', { kind: 'json', credential });
    const withScript = baked.replace('</svg>', '<script>alert(1)</script></svg>');
    expectProblem(
      await importing(JSON.stringify({ image: Buffer.from(withScript).toString('base64') }), 'application/json'),
    );
    const refusal = await importing(JSON.stringify({ text: entities }), 'application/json');
    expect(refusal.json().detail).toMatch(/DOCTYPE/);
  });

  it('the public verifier answers markup that is not an SVG with a 400 too', async () => {
    for (const text of ['<html><body>hello</body></html>', '<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/verify', payload: { text } });
      expectProblem(response, 400);
    }
  });
});

function credentialPlaceholder() {
  return achievementCredential();
}

describe('ids and other people', () => {
  const oddIds = [
    'x',
    '%00',
    '%E2%80%AE',
    'a'.repeat(101),
    '00000000-0000-0000-0000-000000000000',
    "1' or '1'='1",
    '..%2f..%2fetc',
  ];

  it('odd holding ids answer 400 or 404 on every route', async () => {
    for (const id of oddIds) {
      expectProblem(await send(learner, 'GET', `/api/me/wallet/${id}`));
      expectProblem(await send(learner, 'DELETE', `/api/me/wallet/${id}`));
      expectProblem(await send(learner, 'GET', `/api/me/wallet/${id}/export/png`));
    }
    expectProblem(await send(learner, 'GET', `/api/me/wallet/${issuedId}/export/exe`), 400);
  });

  it("someone else's holding is 404 on every route", async () => {
    expectProblem(await send(other, 'GET', `/api/me/wallet/${issuedId}`), 404);
    expectProblem(await send(other, 'DELETE', `/api/me/wallet/${issuedId}`), 404);
    for (const format of ['json', 'jwt', 'png', 'svg']) {
      expectProblem(await send(other, 'GET', `/api/me/wallet/${issuedId}/export/${format}`), 404);
    }
    expectProblem(await send(other, 'POST', '/api/me/wallet/transcript', { holdingIds: [issuedId] }), 404);
    // Nothing of it shows in their own list, zip or transcript.
    expect((await send(other, 'GET', '/api/me/wallet')).json().total).toBe(0);
    expectProblem(await send(other, 'POST', '/api/me/wallet/transcript'), 409);
  });

  it('odd query strings and transcript bodies answer 400', async () => {
    for (const query of [
      'status=bogus',
      'expiringWithinDays=99999999999999999999',
      'expiringWithinDays=-1',
      'q=' + 'x'.repeat(300),
      'extra=1',
    ]) {
      expectProblem(await send(learner, 'GET', `/api/me/wallet?${query}`), 400);
    }
    for (const body of [
      { holdingIds: [] },
      { holdingIds: ['x'] },
      { holdingIds: 'all' },
      { holdingIds: [1] },
      { other: 1 },
    ]) {
      expectProblem(await send(learner, 'POST', '/api/me/wallet/transcript', body), 400);
    }
    const tooMany = Array.from({ length: 501 }, () => issuedId);
    expectProblem(await send(learner, 'POST', '/api/me/wallet/transcript', { holdingIds: tooMany }), 400);
  });
});

describe('size limits', () => {
  /** Imports written straight to the store: what matters here is how many there are, not what they say. */
  async function fill(client: Client, count: number) {
    const userId = client.userId;
    for (let i = 0; i < count; i++) {
      const result = await t.platform.wallet.storeImported({
        id: randomUUID(),
        userId,
        format: 'ldp_vc',
        document: JSON.stringify({ id: `urn:uuid:${randomUUID()}` }),
        digest: randomUUID(),
        source: 'json',
        sourceUrl: null,
        credentialId: null,
        issuerId: null,
        name: `Filler ${i}`,
        validFrom: null,
        validUntil: null,
      });
      expect(result).toBe('stored');
    }
  }

  it('a wallet over the export limit gets a 413 for the zip and the full transcript, before any work', async () => {
    const hoarder = await signUp(t.app, 'Hoarder');
    await fill(hoarder, walletLimits.maxExportHoldings + 1);
    const zip = await send(hoarder, 'GET', '/api/me/wallet/export.zip');
    expectProblem(zip, 413);
    expect(zip.json().detail).toMatch(String(walletLimits.maxExportHoldings));
    const transcript = await send(hoarder, 'POST', '/api/me/wallet/transcript');
    expectProblem(transcript, 413);
    expect(transcript.json().detail).toMatch(/choose/i);
  }, 120_000);

  it('a wallet full of imports refuses one more, saying why, and keeps what it holds', async () => {
    const collector = await signUp(t.app, 'Collector');
    await fill(collector, walletLimits.maxImports);
    const response = await send(collector, 'POST', '/api/me/wallet/import', { text: JSON.stringify(credential) });
    expectProblem(response, 409);
    expect(response.json().detail).toMatch(/remove/i);
    expect((await send(collector, 'GET', '/api/me/wallet')).json().total).toBe(walletLimits.maxImports);
  }, 120_000);
});
