import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bakePng } from '../../src/vc/baking.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import { solidPng } from '../helpers/images.js';

/**
 * Imports that make the server fetch: a credential by URL, and Open Badges 2.0 assertions whose badge and
 * issuer live on the issuer's site. A local HTTP server plays that site, so this app may fetch plain HTTP
 * from private addresses; the refusal of private addresses by default is tested in wallet.test.ts.
 */
let t: TestApp;
let learner: Client;
let site: Server;
let origin: string;
const pages = new Map<string, { status: number; type: string; body: string | Uint8Array; location?: string }>();

const importing = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/me/wallet/import', headers: learner.headers, payload });

function assertion(id: string, email: string, overrides: Record<string, unknown> = {}) {
  const salt = 'pepper';
  return {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'Assertion',
    id: `${origin}${id}`,
    recipient: {
      type: 'email',
      hashed: true,
      salt,
      identity: hashedIdentity(email, 'emailAddress', salt).identityHash,
    },
    badge: `${origin}/badges/sql`,
    verification: { type: 'hosted' },
    issuedOn: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}
const serve = (path: string, json: unknown, status = 200) =>
  pages.set(path, { status, type: 'application/json', body: JSON.stringify(json) });

beforeAll(async () => {
  site = createServer((request, response) => {
    const page = pages.get(request.url ?? '');
    if (!page) return response.writeHead(404).end();
    response
      .writeHead(page.status, { 'content-type': page.type, ...(page.location ? { location: page.location } : {}) })
      .end(page.body);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  t = await createTestApp({ env: { SKILLPROOF_FETCH_ALLOW_PRIVATE: '1', SKILLPROOF_FETCH_ALLOW_HTTP: '1' } });
  learner = await signUp(t.app, 'Ada Lovelace');
  serve('/issuer', {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'Issuer',
    id: `${origin}/issuer`,
    name: 'Old School Badges',
    url: origin,
  });
  serve('/badges/sql', {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'BadgeClass',
    id: `${origin}/badges/sql`,
    name: 'SQL Basics',
    description: 'Queries relational data.',
    criteria: { narrative: 'Pass the test.' },
    issuer: `${origin}/issuer`,
    alignment: [{ targetName: 'SQL', targetUrl: 'http://data.europa.eu/esco/skill/sql', targetFramework: 'ESCO' }],
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => site?.close(resolve));
});

it('imports a credential from a URL, following a redirect, as JSON or as a baked image', async () => {
  const orgId = await createOrg(t.app, await signUp(t.app, 'Issuer'), 'Faraway College');
  const issue = async () => {
    const unsigned = achievementCredential();
    const subject = { ...(unsigned.credentialSubject as Record<string, unknown>) };
    delete subject.id;
    return (
      await t.platform.issuance.issue(
        { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
        { ...unsigned, credentialSubject: { ...subject, identifier: [hashedIdentity(learner.email)] } },
      )
    ).verifiableCredential as Record<string, unknown>;
  };
  serve('/credential.json', await issue());
  pages.set('/go', { status: 302, type: 'text/plain', body: '', location: '/credential.json' });
  const byUrl = await importing({ url: `${origin}/go` });
  expect(byUrl.statusCode, byUrl.body).toBe(201);
  expect(byUrl.json().holding).toMatchObject({ source: 'url', status: 'active', name: 'Data Analysis with SQL' });
  const detail = await t.app.inject({
    method: 'GET',
    url: `/api/me/wallet/${byUrl.json().holding.id}`,
    headers: learner.cookie,
  });
  expect(detail.json().sourceUrl).toBe(`${origin}/go`);

  pages.set('/badge.png', {
    status: 200,
    type: 'image/png',
    body: bakePng(solidPng(), { kind: 'json', credential: await issue() }),
  });
  const image = await importing({ url: `${origin}/badge.png` });
  expect(image.statusCode, image.body).toBe(201);

  const missing = await importing({ url: `${origin}/nothing-here` });
  expect(missing.statusCode).toBe(400);
  expect(missing.json().detail).toMatch(/404/);
});

it('imports an Open Badges 2.0 assertion issued to the learner, and refuses one issued to someone else', async () => {
  const mine = assertion('/assertions/1', learner.email);
  serve('/assertions/1', mine);
  const imported = await importing({ text: JSON.stringify(mine) });
  expect(imported.statusCode, imported.body).toBe(201);
  expect(imported.json().holding).toMatchObject({ format: 'ob2', name: 'SQL Basics', status: 'active' });
  expect(imported.json().holding.issuer.name).toBe('Old School Badges');
  const detail = await t.app.inject({
    method: 'GET',
    url: `/api/me/wallet/${imported.json().holding.id}`,
    headers: learner.cookie,
  });
  expect(detail.json().verification.verified).toBe(true);
  expect(detail.json().achievement.skills.map((s: { name: string }) => s.name)).toEqual(['SQL']);

  const theirs = assertion('/assertions/2', 'someone@else.example');
  serve('/assertions/2', theirs);
  const refused = await importing({ text: JSON.stringify(theirs) });
  expect(refused.statusCode).toBe(422);
  expect(refused.json().reason).toBe('not-yours');

  const revoked = assertion('/assertions/3', learner.email);
  serve('/assertions/3', { revoked: true }, 410);
  const gone = await importing({ text: JSON.stringify(revoked) });
  expect(gone.statusCode).toBe(422);
  expect(gone.json().reason).toBe('revoked');
});
