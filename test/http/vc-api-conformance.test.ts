import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';

// What the W3C VC 2.0, Data Integrity and VC-API suites send an issuer, and what they expect back.
let t: TestApp;
let owner: Client;
let orgId: string;
let did: string;
let didKey: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Issuer Owner');
  orgId = await createOrg(t.app, owner, 'Northwind Institute');
  did = `did:web:skillproof.test:issuers:${orgId}`;
  const document = (await t.app.inject({ method: 'GET', url: `/issuers/${orgId}/did.json` })).json();
  didKey = `did:key:${document.verificationMethod[0].publicKeyMultibase}`;
});
afterAll(() => t.close());

const plain = (overrides: Record<string, unknown> = {}) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  type: ['VerifiableCredential', 'ExampleDegreeCredential'],
  issuer: did,
  credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: { type: 'ExampleBachelorDegree' } },
  ...overrides,
});

function post(credential: unknown, options: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/issuers/${orgId}/credentials/issue`,
    headers: owner.headers,
    payload: { credential, options },
  });
}

async function issued(credential: unknown, options: Record<string, unknown> = {}) {
  const response = await post(credential, options);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().verifiableCredential;
}

async function verified(verifiableCredential: unknown) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential },
  });
  return response.json() as { verified: boolean; errors: unknown[] };
}

describe('plain VC 2.0 credentials', () => {
  it('are issued with the caller’s issuer form, and verify', async () => {
    const asUrl = await issued(plain({ issuer: did }));
    expect(asUrl.issuer).toBe(did);
    expect((await verified(asUrl)).verified).toBe(true);
    const asObject = await issued(plain({ issuer: { id: did, name: 'Example Issuer' } }));
    expect(asObject.issuer).toEqual({ id: did, name: 'Example Issuer' });
    expect((await verified(asObject)).verified).toBe(true);
  });

  it('keep a credentialStatus the caller gives, with ours after it; addStatus: false adds none', async () => {
    const theirs = {
      id: 'https://status.example/credentials/status/3#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://status.example/credentials/status/3',
    };
    const vc = await issued(plain({ credentialStatus: theirs }));
    expect(vc.credentialStatus[0]).toEqual(theirs);
    expect(vc.credentialStatus.slice(1)).toMatchObject([
      { statusPurpose: 'revocation' },
      { statusPurpose: 'suspension' },
    ]);
    const alone = await issued(plain({ credentialStatus: theirs }), { addStatus: false });
    expect(alone.credentialStatus).toEqual(theirs);
    const none = await issued(plain(), { addStatus: false });
    expect(none.credentialStatus).toBeUndefined();
  });

  it('sign and verify names with language and base direction', async () => {
    const name = [
      { '@value': 'Example Degree', '@language': 'en', '@direction': 'ltr' },
      { '@value': 'شهادة المثال', '@language': 'ar', '@direction': 'rtl' },
    ];
    const vc = await issued(plain({ name, issuer: { id: did, name: { '@value': 'Northwind', '@direction': 'ltr' } } }));
    expect(vc.name).toEqual(name);
    expect((await verified(vc)).verified).toBe(true);
  });
});

describe('Open Badges credentials', () => {
  it('keep the caller’s one credentialStatus, without ours (OB 3.0 allows one)', async () => {
    const theirs = {
      id: 'https://status.example/credentials/status/3#7',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: 'https://status.example/credentials/status/3',
    };
    const vc = await issued(achievementCredential({ issuer: did, credentialStatus: theirs }));
    expect(vc.credentialStatus).toEqual(theirs);
    expect(vc.issuer).toMatchObject({ id: did, type: ['Profile'], name: 'Northwind Institute' });
  });
});

describe('refused with 400 and the reason, never replaced', () => {
  // Built when each test runs: the issuer DID is known only once the organization exists.
  it.each([
    ['"id": null', () => plain({ id: null }), 'id is null'],
    ['"issuer": null', () => plain({ issuer: null }), 'issuer is null'],
    ['an issuer id of null', () => plain({ issuer: { id: null } }), 'issuer id must be a URL'],
    [
      'an issuer name with extra properties',
      () => plain({ issuer: { id: did, name: { '@value': 'Example', '@language': 'en', url: 'did:example:issuer' } } }),
      'issuer name may only have',
    ],
    ['a name with a bad @direction', () => plain({ name: { '@value': 'x', '@direction': 'up' } }), '@direction'],
  ])('%s', async (_what, credential, reason) => {
    const response = await post(credential());
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(reason);
  });
});

describe('a did:key identity chosen per request', () => {
  it('issues as the organization’s did:key, publishes its status list as that did:key, and verifies', async () => {
    const vc = await issued(plain({ issuer: didKey }), { identity: 'did:key' });
    expect(vc.issuer).toMatch(/^did:key:z6Mk/);
    expect(vc.proof.verificationMethod).toBe(`${vc.issuer}#${vc.issuer.slice('did:key:'.length)}`);
    const listUrl = new URL(vc.credentialStatus[0].statusListCredential).pathname;
    expect(listUrl).toMatch(/\/did-key\/z6Mk/);
    const list = (await t.app.inject({ method: 'GET', url: listUrl })).json();
    expect(list.issuer).toBe(vc.issuer);
    expect(list.proof.verificationMethod).toBe(vc.proof.verificationMethod);
    const result = await verified(vc);
    expect(result.verified, JSON.stringify(result)).toBe(true);

    const revoked = await t.app.inject({
      method: 'POST',
      url: '/credentials/status',
      headers: owner.headers,
      payload: { credentialId: vc.id, credentialStatus: [{ statusPurpose: 'revocation', status: 'revoked' }] },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await verified(vc)).verified).toBe(false);
  });

  it('refuses RS256 with a did:key identity, and answers 404 for a list under an unknown key', async () => {
    const response = await post(plain({ issuer: didKey }), { identity: 'did:key', format: 'jwt', algorithm: 'RS256' });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain('did:key identity is an Ed25519 key');
    const vc = await issued(plain({ issuer: didKey }), { identity: 'did:key' });
    const listUrl = new URL(vc.credentialStatus[0].statusListCredential).pathname;
    const other = listUrl.replace(/did-key\/.*/, 'did-key/z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
    expect((await t.app.inject({ method: 'GET', url: other })).statusCode).toBe(404);
  });
});

describe('VC 1.1 credentials (the request uses the 2018 context)', () => {
  const v11 = () => ({
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential'],
    issuer: did,
    credentialSubject: { id: 'did:key:z6MkhTNL7i2etLerDK8Acz5t528giE5KA4p75T6ka1E1D74r' },
  });

  it('are issued as VC 1.1 with Data Integrity, and verify', async () => {
    const vc = await issued(v11());
    expect(vc.issuanceDate).toMatch(/Z$/);
    expect(vc.validFrom).toBeUndefined();
    expect(vc['@context']).toContain('https://w3id.org/security/data-integrity/v2');
    const result = await verified(vc);
    expect(result.verified, JSON.stringify(result)).toBe(true);
  });

  it('are issued as a VC-JWT with the vc claim, and verify', async () => {
    const envelope = await issued(v11(), { format: 'jwt' });
    expect(envelope.type).toBe('EnvelopedVerifiableCredential');
    const jwt: string = envelope.id.replace(/^data:application\/vc\+jwt,/, '');
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(payload.vc.issuanceDate).toBeDefined();
    expect(payload.iss).toBe(did);
    expect(payload.nbf).toBeTypeOf('number');
    for (const given of [envelope, jwt]) {
      const result = await verified(given);
      expect(result.verified, JSON.stringify(result)).toBe(true);
    }
  });
});

describe('a caller-supplied id', () => {
  it('issues once; the same id again is a 409 with the reason, not a 500', async () => {
    const credential = plain({ id: 'https://example.org/credentials/reused-1' });
    expect((await issued(credential)).id).toBe('https://example.org/credentials/reused-1');
    const again = await post(credential);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().detail).toContain('was already issued');
  });
});

describe('VC-API verify', () => {
  it('refuses a credential sent as JSON text in a string (only a VC-JWT may be a string)', async () => {
    const vc = await issued(plain());
    const response = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: JSON.stringify(vc) },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().detail).toContain('not a VC-JWT');
    expect((await verified(vc)).verified).toBe(true);
  });
});
