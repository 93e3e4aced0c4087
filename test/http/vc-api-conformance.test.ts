import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';

// What the W3C VC 2.0, Data Integrity and VC-API suites send an issuer, and what they expect back.
let t: TestApp;
let owner: Client;
let orgId: string;
let did: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Issuer Owner');
  orgId = await createOrg(t.app, owner, 'Northwind Institute');
  did = `did:web:skillproof.test:issuers:${orgId}`;
});
afterAll(() => t.close());

const plain = (overrides: Record<string, unknown> = {}) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  type: ['VerifiableCredential', 'ExampleDegreeCredential'],
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
    const vc = await issued(achievementCredential({ credentialStatus: theirs }));
    expect(vc.credentialStatus).toEqual(theirs);
    expect(vc.issuer).toMatchObject({ id: did, type: ['Profile'], name: 'Northwind Institute' });
  });
});

describe('refused with 400 and the reason, never replaced', () => {
  it.each([
    ['"id": null', plain({ id: null }), 'id is null'],
    ['"issuer": null', plain({ issuer: null }), 'issuer is null'],
    ['an issuer id of null', plain({ issuer: { id: null } }), 'issuer id must be a URL'],
    [
      'an issuer name with extra properties',
      plain({ issuer: { name: { '@value': 'Example', '@language': 'en', url: 'did:example:issuer' } } }),
      'issuer name may only have',
    ],
    ['a name with a bad @direction', plain({ name: { '@value': 'x', '@direction': 'up' } }), '@direction'],
  ])('%s', async (_what, credential, reason) => {
    const response = await post(credential);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain(reason);
  });
});
