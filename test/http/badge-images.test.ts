import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { solidPng } from '../helpers/images.js';

// Issue 17, 5: each micro-credential's badge image: uploaded by its issuer (checked, stored, served, named in
// the OB 3.0 achievement's image), or drawn for it with the issuer's colour.
let t: TestApp;
let issuer: Client;
let outsider: Client;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  outsider = await signUp(t.app, 'Oscar Outsider');
  orgId = await createOrg(t.app, issuer, 'Northwind <Academy>');
});
afterAll(() => t.close());

const upload = (bytes: Uint8Array | Buffer, client = issuer) =>
  request(t.app, client, 'POST', `/api/orgs/${orgId}/badge-images`, { data: Buffer.from(bytes).toString('base64') });

it('stores a checked PNG, serves it, and signs its address into the achievement', async () => {
  const png = solidPng(128, 128);
  const uploaded = await upload(png);
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const { id, url } = uploaded.json();
  expect(url).toBe(`https://skillproof.test/badge-images/${id}`);

  const served = await t.app.inject({ method: 'GET', url: `/badge-images/${id}` });
  expect(served.statusCode).toBe(200);
  expect(served.headers['content-type']).toBe('image/png');
  expect(served.headers['x-content-type-options']).toBe('nosniff');
  expect(Buffer.compare(served.rawPayload, Buffer.from(png))).toBe(0);

  const achievementId = await publishAchievement(
    t.app,
    issuer,
    orgId,
    sqlDefinition({ prerequisites: [], image: url }),
  );
  const version = await t.app.inject({ method: 'GET', url: `/achievements/${achievementId}/versions/1` });
  expect(version.json().image).toEqual({ id: url, type: 'Image' });
});

it('refuses what is not a badge image, and anyone outside the organization', async () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
  expect((await upload(jpeg)).statusCode).toBe(201);
  const cases: [Uint8Array | Buffer, RegExp][] = [
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), /PNG or JPEG/],
    [Buffer.from('GIF89a......'), /PNG or JPEG/],
    [solidPng(16, 16), /16×16 pixels/],
    [solidPng(4000, 64), /4000×64 pixels/],
    [Buffer.concat([Buffer.from(solidPng(64, 64)), Buffer.alloc(300 * 1024)]), /more than 349534 characters/],
    [
      Buffer.concat([Buffer.from(solidPng(64, 64)), Buffer.alloc(256 * 1024)]).subarray(0, 256 * 1024 + 1),
      /larger than 256 KiB/,
    ],
  ];
  for (const [bytes, message] of cases) {
    const refused = await upload(bytes);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().detail).toMatch(message);
  }
  const notBase64 = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/badge-images`, { data: 'not base64!' });
  expect(notBase64.statusCode).toBe(400);
  expect((await upload(solidPng(64, 64), outsider)).statusCode).toBe(403);
  expect((await t.app.inject({ method: 'GET', url: `/badge-images/${crypto.randomUUID()}` })).statusCode).toBe(404);
});

it("draws a badge in the issuer's colour for a micro-credential without an image", async () => {
  const colour = await request(t.app, issuer, 'PUT', `/api/orgs/${orgId}/profile`, { colour: '#7A1F5C' });
  expect(colour.statusCode, colour.body).toBe(200);
  expect((await request(t.app, issuer, 'PUT', `/api/orgs/${orgId}/profile`, { colour: 'red' })).statusCode).toBe(400);

  const achievementId = await publishAchievement(
    t.app,
    issuer,
    orgId,
    sqlDefinition({ prerequisites: [], image: undefined, humanCode: 'SQL-9' }),
  );
  const version = await t.app.inject({ method: 'GET', url: `/achievements/${achievementId}/versions/1` });
  const badgeUrl = `https://skillproof.test/achievements/${achievementId}/badge.svg`;
  expect(version.json().image).toEqual({ id: badgeUrl, type: 'Image' });

  const badge = await t.app.inject({ method: 'GET', url: new URL(badgeUrl).pathname });
  expect(badge.statusCode).toBe(200);
  expect(badge.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  expect(badge.headers['content-security-policy']).toContain("default-src 'none'");
  expect(badge.body).toContain('fill="#7a1f5c"');
  expect(badge.body).toContain('>SQL-9<');
  // The issuer's name is text, escaped.
  expect(badge.body).toContain('Northwind &lt;Academy&gt;');
  expect(badge.body).not.toContain('<Academy>');
  // Shown on the wallet card, the public page and in the catalog.
  const learner = await signUp(t.app, 'Grace Hopper');
  const awarded = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  expect(awarded.statusCode, awarded.body).toBe(201);
  const [item] = (await request(t.app, learner, 'GET', '/api/me/wallet')).json().items;
  expect(item.image).toBe(badgeUrl);
  const shared = await request(t.app, learner, 'POST', `/api/me/wallet/${item.id}/share`);
  const page = await t.app.inject({ method: 'GET', url: new URL(shared.json().url).pathname });
  expect(page.body).toContain(`<img class="badge-image" src="/achievements/${achievementId}/badge.svg"`);
  const entry = await t.app.inject({ method: 'GET', url: `/api/catalog/${achievementId}` });
  expect(entry.json().image).toBe(badgeUrl);
  expect(
    (await t.app.inject({ method: 'GET', url: `/achievements/${crypto.randomUUID()}/badge.svg` })).statusCode,
  ).toBe(404);
});
