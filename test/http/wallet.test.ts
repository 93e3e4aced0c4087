import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakePng, bakeSvg } from '../../src/vc/baking.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import {
  createOrg,
  createTestApp,
  signUp,
  type Client,
  type TestApp,
  request,
  type Method,
  publishAchievement,
} from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import { badgeSvg, solidPng } from '../helpers/images.js';

/** The learner's wallet over HTTP: importing in every format, what is refused and why, listing and filters. */
let t: TestApp;
let homeIssuer: Client;
let learner: Client;
let other: Client;
let homeOrgId: string;
let secondOrgId: string;
let secondOwner: Client;
let issuedHoldingId: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);
const importing = (payload: object, client = learner) => send(client, 'POST', '/api/me/wallet/import', payload);
const walletOf = async (client = learner, query = '') => (await send(client, 'GET', `/api/me/wallet${query}`)).json();

/** A credential the second organization issues to `email` (not through an award, so not yet in any wallet). */
async function issuedElsewhere(
  email: string | null,
  options: { format?: 'ldp_vc' | 'jwt'; overrides?: Record<string, unknown>; subject?: Record<string, unknown> } = {},
) {
  const base = achievementCredential(options.overrides);
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  if (email) subject.identifier = [hashedIdentity(email)];
  const { catalog, issuance } = t.platform;
  return issuance.issue(
    { orgId: secondOrgId, profile: await catalog.issuerProfile(secondOrgId) },
    { ...base, credentialSubject: { ...subject, ...options.subject } },
    { format: options.format ?? 'ldp_vc' },
  );
}
const jsonOf = async (...args: Parameters<typeof issuedElsewhere>) =>
  (await issuedElsewhere(...args)).verifiableCredential as Record<string, unknown>;

beforeAll(async () => {
  t = await createTestApp();
  homeIssuer = await signUp(t.app, 'Iris Issuer');
  homeOrgId = await createOrg(t.app, homeIssuer, 'Northwind');
  secondOwner = await signUp(t.app, 'Second Owner');
  secondOrgId = await createOrg(t.app, secondOwner, 'Contoso Academy');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');
  const achievementId = await publishAchievement(t.app, homeIssuer, homeOrgId);
  const award = await send(homeIssuer, 'POST', `/api/orgs/${homeOrgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  issuedHoldingId = award.json().credential.id;
});
afterAll(() => t.close());

describe('importing', () => {
  let jsonHoldingId: string;
  let jsonCredential: Record<string, unknown>;

  it('takes a credential as JSON, verified, and lists it beside the one issued here', async () => {
    jsonCredential = await jsonOf(learner.email);
    const response = await importing({ text: JSON.stringify(jsonCredential) });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      expired: false,
      holding: { kind: 'imported', format: 'ldp_vc', source: 'json', status: 'active', name: 'Data Analysis with SQL' },
    });
    expect(body.holding.issuer.name).toBe('Contoso Academy');
    jsonHoldingId = body.holding.id;

    const wallet = await walletOf();
    expect(wallet.items.map((i: { id: string }) => i.id).sort()).toEqual([issuedHoldingId, jsonHoldingId].sort());
    expect(wallet.facets.issuers.map((i: { name: string }) => i.name)).toEqual(['Contoso Academy', 'Northwind']);

    const detail = (await send(learner, 'GET', `/api/me/wallet/${jsonHoldingId}`)).json();
    expect(detail.verification.verified).toBe(true);
    expect(detail.factsFrom).toBe('credential');
    expect(detail.achievement.skills.map((s: { name: string }) => s.name)).toEqual(['SQL']);
    expect(detail.results[0].value).toBe('85');
    expect(detail.document.id).toBe(jsonCredential.id);
  });

  it('refuses the same credential again, in whatever form, and keeps the first copy', async () => {
    const again = await importing({ text: JSON.stringify(jsonCredential, null, 2) });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ reason: 'already-held', holdingId: jsonHoldingId });
    expect(again.json().detail).toMatch(/already in your wallet/);
    const baked = Buffer.from(bakePng(solidPng(), { kind: 'json', credential: jsonCredential }));
    expect((await importing({ image: baked.toString('base64') })).statusCode).toBe(409);

    const kept = (await send(learner, 'GET', `/api/me/wallet/${jsonHoldingId}`)).json();
    expect(kept.holding.source).toBe('json');
    expect((await walletOf()).total).toBe(2);
  });

  it('refuses a credential issued here to this learner: it is in the wallet already', async () => {
    const issued = (await send(learner, 'GET', `/api/me/wallet/${issuedHoldingId}`)).json();
    expect(issued.holding.kind).toBe('issued');
    expect(issued.factsFrom).toBe('catalog');
    expect(issued.achievement.learningOutcomes.length).toBeGreaterThan(0);
    const response = await importing({ text: JSON.stringify(issued.document) });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ reason: 'already-held', holdingId: issuedHoldingId });
  });

  it('takes a VC-JWT, a baked PNG and a baked SVG', async () => {
    const jwt = (await issuedElsewhere(learner.email, { format: 'jwt' })).verifiableCredential as string;
    const fromJwt = await importing({ text: jwt });
    expect(fromJwt.statusCode, fromJwt.body).toBe(201);
    expect(fromJwt.json().holding).toMatchObject({ format: 'jwt', source: 'jwt', status: 'active' });

    const png = bakePng(solidPng(), { kind: 'json', credential: await jsonOf(learner.email) });
    const fromPng = await importing({ image: Buffer.from(png).toString('base64') });
    expect(fromPng.statusCode, fromPng.body).toBe(201);
    expect(fromPng.json().holding.source).toBe('png');

    const svg = bakeSvg(badgeSvg, { kind: 'json', credential: await jsonOf(learner.email) });
    const fromSvg = await importing({ image: Buffer.from(svg).toString('base64') });
    expect(fromSvg.statusCode, fromSvg.body).toBe(201);
    expect(fromSvg.json().holding.source).toBe('svg');
  });

  it('refuses a PNG holding two credentials, saying why', async () => {
    const png = bakePng(solidPng(), { kind: 'json', credential: await jsonOf(learner.email) });
    const chunks = extractChunks(png);
    const second = chunks.find((c) => c.name === 'iTXt')!;
    chunks.splice(chunks.length - 1, 0, { name: 'iTXt', data: second.data });
    const response = await importing({ image: Buffer.from(encodeChunks(chunks)).toString('base64') });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/more than one credential/);
  });

  it("refuses someone else's credential and one naming no recipient, saying which identities were checked", async () => {
    const before = (await walletOf()).total;
    const theirs = await importing({ text: JSON.stringify(await jsonOf(other.email)) });
    expect(theirs.statusCode).toBe(422);
    expect(theirs.json().reason).toBe('not-yours');
    expect(theirs.json().detail).toContain(learner.email);
    expect(theirs.json().detail).toMatch(/hashed email address/);

    const byDid = await importing({
      text: JSON.stringify(await jsonOf(null, { subject: { id: 'did:example:someone-else' } })),
    });
    expect(byDid.statusCode).toBe(422);
    expect(byDid.json().detail).toMatch(/did:example:someone-else.*no DIDs/);

    const nobody = await importing({ text: JSON.stringify(await jsonOf(null)) });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.json().reason).toBe('no-recipient');
    expect((await walletOf()).total).toBe(before);
  });

  it('refuses a tampered credential with the failed checks in plain words', async () => {
    const credential = await jsonOf(learner.email);
    const response = await importing({ text: JSON.stringify({ ...credential, name: 'Forged' }) });
    expect(response.statusCode).toBe(422);
    expect(response.json().reason).toBe('not-verified');
    expect(response.json().checks.map((c: { id: string }) => c.id)).toContain('proof');
    expect(response.json().detail).toMatch(/did not pass verification/);
  });

  it('refuses a revoked credential, and takes an expired one flagged as expired', async () => {
    const revoked = await issuedElsewhere(learner.email);
    await t.platform.issuance.changeStatus(
      secondOwner.userId,
      secondOrgId,
      revoked.record.id,
      'revoke',
      'Issued in error',
    );
    const refused = await importing({ text: JSON.stringify(revoked.verifiableCredential) });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().reason).toBe('revoked');
    // Said once, not twice.
    expect(refused.json().detail).toBe('The issuer has revoked this credential, so it cannot be added.');

    // The issuer will not sign a credential already expired: one that expires in two seconds, after it did.
    const seconds = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const expired = await jsonOf(learner.email, { overrides: { validUntil: seconds(2_000) } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const taken = await importing({ text: JSON.stringify(expired) });
    expect(taken.statusCode, taken.body).toBe(201);
    expect(taken.json()).toMatchObject({ expired: true, holding: { status: 'expired' } });
    expect(taken.json().message).toMatch(/marked as expired/);

    const soon = await jsonOf(learner.email, { overrides: { validUntil: seconds(10 * 24 * 3600 * 1000) } });
    expect((await importing({ text: JSON.stringify(soon) })).json().holding.status).toBe('active');
  });

  it('answers 413 to a huge credential and 400 to something that is not one', async () => {
    const huge = await importing({ text: `{"name":"${'x'.repeat(1_100_000)}"}` });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toMatch(/problem\+json/);
    const junk = await importing({ image: Buffer.from('not an image').toString('base64') });
    expect(junk.statusCode).toBe(400);
    expect((await importing({ text: 'hello' })).statusCode).toBe(400);
  });

  it('refuses URLs that point at private or local addresses', async () => {
    for (const url of ['https://127.0.0.1:9/credential.json', 'https://localhost:9/credential.json']) {
      const response = await importing({ url });
      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toMatch(/private or local address/);
    }
  });

  it('keeps HTML in names as data, never markup', async () => {
    const name = '<img src=x onerror="alert(1)">Badge';
    const credential = await jsonOf(learner.email, {
      overrides: {
        credentialSubject: {
          ...(achievementCredential().credentialSubject as Record<string, unknown>),
          achievement: {
            ...((achievementCredential().credentialSubject as Record<string, unknown>).achievement as object),
            name,
          },
        },
      },
    });
    const response = await importing({ text: JSON.stringify(credential) });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.json().holding.name).toBe(name);
  });
});

describe('listing and removing', () => {
  it('filters by words, issuer, skill, status and expiry', async () => {
    const all = await walletOf();
    expect(all.total).toBe(all.items.length);
    const byIssuer = await walletOf(learner, '?issuer=Northwind');
    expect(byIssuer.items.map((i: { id: string }) => i.id)).toEqual([issuedHoldingId]);
    const bySkill = await walletOf(learner, '?skill=sql');
    expect(bySkill.items.length).toBeGreaterThan(0);
    expect(bySkill.items.every((i: { skills: { name: string }[] }) => i.skills.some((s) => s.name === 'SQL'))).toBe(
      true,
    );
    const expired = await walletOf(learner, '?status=expired');
    expect(expired.items).toHaveLength(1);
    const words = await walletOf(learner, '?q=contoso%20sql');
    expect(words.items.every((i: { issuer: { name: string } }) => i.issuer.name === 'Contoso Academy')).toBe(true);
    expect((await walletOf(learner, '?q=nothing-like-this')).items).toEqual([]);
    const expiring = await walletOf(learner, '?expiringWithinDays=30');
    expect(expiring.items).toHaveLength(1);
    expect(expiring.items[0].status).toBe('active');
    expect((await walletOf(learner, '?expiringWithinDays=5')).items).toEqual([]);
    expect((await send(learner, 'GET', '/api/me/wallet?status=lost')).statusCode).toBe(400);
  });

  it("shows a revocation on the next look, and never shows anyone else's holding", async () => {
    const held = await issuedElsewhere(learner.email);
    const added = (await importing({ text: JSON.stringify(held.verifiableCredential) })).json().holding.id;
    await t.platform.issuance.changeStatus(secondOwner.userId, secondOrgId, held.record.id, 'revoke', 'Cheating');
    const detail = (await send(learner, 'GET', `/api/me/wallet/${added}`)).json();
    expect(detail.verification.verified).toBe(false);
    expect(detail.holding.status).toBe('revoked');
    expect((await walletOf(learner, '?status=revoked')).items.map((i: { id: string }) => i.id)).toEqual([added]);
    expect((await send(other, 'GET', `/api/me/wallet/${added}`)).statusCode).toBe(404);
    expect((await send(other, 'DELETE', `/api/me/wallet/${added}`)).statusCode).toBe(404);
  });

  it('removes an import, but not a credential issued here', async () => {
    const added = (await importing({ text: JSON.stringify(await jsonOf(learner.email)) })).json().holding.id;
    expect((await send(learner, 'DELETE', `/api/me/wallet/${added}`)).statusCode).toBe(204);
    expect((await send(learner, 'GET', `/api/me/wallet/${added}`)).statusCode).toBe(404);
    const issued = await send(learner, 'DELETE', `/api/me/wallet/${issuedHoldingId}`);
    expect(issued.statusCode).toBe(409);
    expect(issued.json().detail).toMatch(/only its issuer/);
    expect((await send(learner, 'GET', `/api/me/wallet/${issuedHoldingId}`)).statusCode).toBe(200);
  });
});
