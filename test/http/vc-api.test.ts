import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakePng } from '../../src/vc/baking.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import { createOrg, createTestApp, grantRole, signUp, type Client, type TestApp } from '../helpers/app.js';
import { solidPng } from '../helpers/images.js';
import { achievementCredential } from '../helpers/credentials.js';

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

async function issue(
  options: Record<string, unknown> = {},
  credential: object = achievementCredential({ issuer: did }),
) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/issuers/${orgId}/credentials/issue`,
    headers: owner.headers,
    payload: { credential, options },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().verifiableCredential;
}

/** The compact JWS of an issued VC-JWT, which the issue route answers as an EnvelopedVerifiableCredential. */
function jwtOf(envelope: { id: string }): string {
  expect(envelope.id.startsWith('data:application/vc+jwt,')).toBe(true);
  return envelope.id.slice('data:application/vc+jwt,'.length);
}

async function verify(verifiableCredential: unknown) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential },
  });
  return { status: response.statusCode, body: response.json() };
}

async function setStatus(credentialId: string, entry: Record<string, unknown>, client = owner) {
  return t.app.inject({
    method: 'POST',
    url: '/credentials/status',
    headers: client.headers,
    payload: { credentialId, credentialStatus: [entry] },
  });
}

describe('issue and verify (Data Integrity)', () => {
  it('issues an OB 3.0 credential as the organization and verifies it', async () => {
    const vc = await issue();
    expect(vc.issuer).toMatchObject({ id: did, type: ['Profile'], name: 'Northwind Institute' });
    expect(vc.id).toMatch(/^urn:uuid:/);
    expect(vc.validFrom).toMatch(/Z$/);
    expect(vc.credentialStatus).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(vc.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
    });
    expect(vc.proof.verificationMethod).toMatch(new RegExp(`^${did}#z6Mk`));

    const { status, body } = await verify(vc);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.verified).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.warnings).toEqual([]);
    expect(body.checks).toEqual(expect.arrayContaining(['proof', 'issuer', 'status', 'schema']));
  });

  it('stores the credential exactly as signed', async () => {
    const vc = await issue();
    const stored = await t.platform.issuance.find(vc.id);
    expect(JSON.parse(stored.document)).toEqual(vc);
  });

  it('refuses credentials it cannot issue, with the reason', async () => {
    const withProof = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: { credential: { ...achievementCredential({ issuer: did }), proof: {} } },
    });
    expect(withProof.statusCode).toBe(400);
    const unknownContext = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: {
        credential: {
          ...achievementCredential({ issuer: did }),
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/ctx'],
        },
      },
    });
    expect(unknownContext.statusCode).toBe(400);
    expect(unknownContext.json().detail).toContain('evil.example');
    const otherIssuer = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: { credential: { ...achievementCredential(), issuer: 'did:web:someone.else' } },
    });
    expect(otherIssuer.statusCode).toBe(400);
    const undefinedTerm = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: owner.headers,
      payload: { credential: { ...achievementCredential({ issuer: did }), favouriteColour: 'blue' } },
    });
    expect(undefinedTerm.statusCode).toBe(400);
    expect(undefinedTerm.json().detail).toContain('favouriteColour');
  });

  it('requires the issuer (VC-API), naming the DIDs to send, and issues as the did:key it names', async () => {
    const post = (credential: object, options: object = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/issuers/${orgId}/credentials/issue`,
        headers: owner.headers,
        payload: { credential, options },
      });
    const didKey = `did:key:${(await t.app.inject({ method: 'GET', url: `/issuers/${orgId}/did.json` })).json().verificationMethod[0].publicKeyMultibase}`;
    const missing = await post(achievementCredential());
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain(`set credential.issuer to ${did}`);
    expect(missing.json().detail).toContain(didKey);
    const withoutId = await post(achievementCredential({ issuer: { name: 'Northwind Institute' } }));
    expect(withoutId.statusCode).toBe(400);
    expect(withoutId.json().detail).toContain(did);
    const asDidKey = await post(achievementCredential(), { identity: 'did:key' });
    expect(asDidKey.statusCode).toBe(400);
    expect(asDidKey.json().detail).toContain(`set credential.issuer to ${didKey}`);
    // Still one of the organization's identities: the did:key with or without options.identity, not another one.
    const named = await post(achievementCredential({ issuer: didKey }));
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json().verifiableCredential.issuer.id).toBe(didKey);
    expect(named.json().verifiableCredential.proof.verificationMethod.startsWith(`${didKey}#`)).toBe(true);
    expect((await post(achievementCredential({ issuer: did }), { identity: 'did:key' })).statusCode).toBe(400);
    expect(
      (await post(achievementCredential({ issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' })))
        .statusCode,
    ).toBe(400);
    const generic = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: owner.headers,
      payload: { credential: achievementCredential() },
    });
    expect(generic.statusCode).toBe(400);
    expect(generic.json().detail).toContain(`set credential.issuer to ${did}`);
  });

  it('rejects a changed credential and says why', async () => {
    const vc = await issue();
    const { status, body } = await verify({ ...vc, name: 'Something else' });
    expect(status).toBe(422);
    expect(body.verified).toBe(false);
    expect(body.errors).toContainEqual({
      check: 'proof',
      message: expect.stringContaining('changed after it was signed'),
    });
  });
});

describe('status', () => {
  it('revokes: the list flips, republishes, and verification fails with the reason', async () => {
    const vc = await issue();
    const listUrl = new URL(vc.credentialStatus.statusListCredential).pathname;
    const before = await t.app.inject({ method: 'GET', url: listUrl });
    expect(before.statusCode).toBe(200);
    const etag = before.headers.etag as string;
    expect((await t.app.inject({ method: 'GET', url: listUrl, headers: { 'if-none-match': etag } })).statusCode).toBe(
      304,
    );

    const revoked = await setStatus(vc.id, {
      type: 'BitstringStatusListCredential',
      status: 'revoked',
      reason: 'issued in error',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revocationReason: 'issued in error' });

    const after = await t.app.inject({ method: 'GET', url: listUrl, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    const { status, body } = await verify(vc);
    expect(status).toBe(422);
    expect(body.errors).toContainEqual({ check: 'status', message: 'The issuer has revoked this credential.' });

    expect((await setStatus(vc.id, { status: 'revoked' })).statusCode).toBe(409);
    expect((await setStatus(vc.id, { statusPurpose: 'revocation', status: 'active' })).statusCode).toBe(400);
    expect((await setStatus(vc.id, { status: 'suspended' })).statusCode).toBe(409);
  });

  it('suspends and reinstates a credential issued with a suspension entry', async () => {
    const vc = await issue({ statusPurpose: 'suspension' });
    expect(vc.credentialStatus.statusPurpose).toBe('suspension');
    expect((await setStatus(vc.id, { statusPurpose: 'suspension', status: 'suspended' })).statusCode).toBe(200);
    const suspended = await verify(vc);
    expect(suspended.status).toBe(422);
    expect(suspended.body.errors).toContainEqual({
      check: 'status',
      message: 'The issuer has suspended this credential.',
    });
    expect((await setStatus(vc.id, { statusPurpose: 'suspension', status: 'active' })).statusCode).toBe(200);
    expect((await verify(vc)).status).toBe(200);
  });

  it('only the issuing organization may change a status', async () => {
    const vc = await issue();
    const stranger = await signUp(t.app, 'Stranger');
    await createOrg(t.app, stranger, 'Elsewhere');
    // An issuer elsewhere gets the answer a credential that does not exist gets: existence does not leak.
    const refused = await setStatus(vc.id, { status: 'revoked' }, stranger);
    const missing = await setStatus('urn:uuid:00000000-0000-4000-8000-000000000000', { status: 'revoked' }, stranger);
    expect([refused.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(refused.json().detail).toBe(missing.json().detail);
    expect((await setStatus('urn:uuid:00000000-0000-4000-8000-000000000000', { status: 'revoked' })).statusCode).toBe(
      404,
    );
    expect((await verify(vc)).status).toBe(200);
  });
});

describe('VC-JWT', () => {
  it.each(['EdDSA', 'RS256'])('issues and verifies a %s JWT', async (algorithm) => {
    const envelope = await issue({ format: 'jwt', algorithm });
    const jwt = jwtOf(envelope);
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString())).toMatchObject({
      alg: algorithm,
      typ: 'JWT',
    });
    for (const given of [envelope, jwt]) {
      const { status, body } = await verify(given);
      expect(status, JSON.stringify(body)).toBe(200);
    }
  });

  it('answers a VC-JWT as an EnvelopedVerifiableCredential object (VCALM), and refuses a malformed envelope', async () => {
    const envelope = await issue({ format: 'jwt' });
    expect(envelope).toEqual({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: expect.stringMatching(/^data:application\/vc\+jwt,[\w-]+\.[\w-]+\.[\w-]+$/),
      type: 'EnvelopedVerifiableCredential',
    });
    for (const broken of [
      { ...envelope, '@context': [] },
      { ...envelope, id: jwtOf(envelope) },
      { ...envelope, id: `data:application/vc+cose,${jwtOf(envelope)}` },
      { ...envelope, issuer: 'did:example:someone-else' },
    ]) {
      const { status, body } = await verify(broken);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(body.detail).toMatch(/^The enveloped credential /);
    }
  });
});

describe('keys and DIDs', () => {
  it('serves DID documents and keeps old keys verifying after rotation, until retired', async () => {
    const before = await issue();
    const document = (await t.app.inject({ method: 'GET', url: `/issuers/${orgId}/did.json` })).json();
    expect(document.id).toBe(did);
    expect(document.assertionMethod).toContain(before.proof.verificationMethod);

    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/keys/rotate`,
      headers: owner.headers,
      payload: { algorithm: 'Ed25519' },
    });
    expect(rotated.statusCode).toBe(201);
    const after = await issue();
    expect(after.proof.verificationMethod).toBe(rotated.json().verificationMethod);
    expect(after.proof.verificationMethod).not.toBe(before.proof.verificationMethod);
    expect((await verify(before)).status).toBe(200);
    expect((await verify(after)).status).toBe(200);

    const keys = (await t.app.inject({ method: 'GET', url: `/api/orgs/${orgId}/keys`, headers: owner.cookie })).json()
      .keys;
    const old = keys.find(
      (k: { verificationMethod: string }) => k.verificationMethod === before.proof.verificationMethod,
    );
    const retired = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/keys/${old.id}/retire`,
      headers: owner.headers,
    });
    expect(retired.statusCode).toBe(204);
    const { status, body } = await verify(before);
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain('is not in the document');
    expect((await verify(after)).status).toBe(200);
  });

  it('never shows private keys, and stores them sealed', async () => {
    const keys = await t.app.inject({ method: 'GET', url: `/api/orgs/${orgId}/keys`, headers: owner.cookie });
    expect(keys.body).not.toMatch(/"d"\s*:/);
    expect(keys.body).not.toContain('private');
    const did = await t.app.inject({ method: 'GET', url: `/issuers/${orgId}/did.json` });
    expect(did.body).not.toMatch(/"d"\s*:/);
    const rows = await t.platform.database.db.selectFrom('issuer_keys').select('private_sealed').execute();
    for (const row of rows) expect(row.private_sealed).toMatch(/^v1\./);
  });

  it('a credential signed by a key outside the issuer DID document fails', async () => {
    const stranger = generateEd25519KeyPair();
    const vc = await issue();
    const { proof: _proof, ...unsigned } = vc;
    const forged = await signEddsaRdfc2022(unsigned, stranger.privateKey!, {
      verificationMethod: `${did}#${stranger.publicKeyMultibase}`,
    });
    const { status, body } = await verify(forged);
    expect(status).toBe(422);
    expect(JSON.stringify(body.errors)).toContain('is not in the document');
  });

  it('answers 404 for DID documents of unknown organizations', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/issuers/00000000-0000-4000-8000-000000000000/did.json' })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/did.json' })).json().id).toBe(
      'did:web:skillproof.test',
    );
  });
});

describe('verify anything', () => {
  it('verifies pasted JSON, a JWT, and a baked PNG', async () => {
    const vc = await issue();
    const pasted = await t.app.inject({ method: 'POST', url: '/api/verify', payload: { text: JSON.stringify(vc) } });
    expect(pasted.json()).toMatchObject({ verified: true, format: 'json' });
    expect(pasted.json().summary.issuer.id).toBe(did);
    const baked = bakePng(solidPng(), { kind: 'json', credential: vc });
    const image = await t.app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { image: Buffer.from(baked).toString('base64') },
    });
    expect(image.json()).toMatchObject({ verified: true, baked: 'png' });
    const jwt = jwtOf(await issue({ format: 'jwt' }));
    const fromJwt = await t.app.inject({ method: 'POST', url: '/api/verify', payload: { text: jwt } });
    expect(fromJwt.json()).toMatchObject({ verified: true, format: 'ob3' });
  });

  it('refuses unreadable input and private URLs with a clear 400', async () => {
    for (const payload of [
      { text: 'not json' },
      { text: 'aaa.bbb' },
      { image: Buffer.from('hello').toString('base64') },
      { url: 'http://127.0.0.1:3000/x' },
      { url: 'https://10.0.0.1/x' },
    ]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/verify', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().detail).toBeTruthy();
    }
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: 'garbage' },
    });
    expect(garbage.statusCode).toBe(400);
  });
});

describe('presentations', () => {
  it('verifies a holder-signed presentation with challenge and domain', async () => {
    const vc = await issue();
    const holder = generateEd25519KeyPair();
    const holderDid = `did:key:${holder.publicKeyMultibase}`;
    const vp = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: holderDid,
      verifiableCredential: [vc],
    };
    const signed = await signEddsaRdfc2022(vp, holder.privateKey!, {
      verificationMethod: `${holderDid}#${holder.publicKeyMultibase}`,
      proofPurpose: 'authentication',
      challenge: 'c-123',
      domain: 'jobs.example',
    });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { verifiablePresentation: signed, options: { challenge: 'c-123', domain: 'jobs.example' } },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().credentialResults[0].verified).toBe(true);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/presentations/verify',
      payload: { verifiablePresentation: signed, options: { challenge: 'other', domain: 'jobs.example' } },
    });
    expect(replay.statusCode).toBe(422);
  });
});

describe('issuing for several organizations', () => {
  it('/credentials/issue picks the organization from the credential issuer when the caller has several', async () => {
    const second = await createOrg(t.app, owner, 'Second Academy');
    const ambiguous = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: owner.headers,
      payload: { credential: achievementCredential() },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().detail).toContain(`${did} (Northwind Institute)`);
    expect(ambiguous.json().detail).toContain(`did:web:skillproof.test:issuers:${second} (Second Academy)`);
    const named = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: owner.headers,
      payload: { credential: { ...achievementCredential(), issuer: `did:web:skillproof.test:issuers:${second}` } },
    });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json().verifiableCredential.issuer.name).toBe('Second Academy');
    // By its did:key too: the organization whose key it is, issuing as that did:key.
    const secondKey = `did:key:${(await t.app.inject({ method: 'GET', url: `/issuers/${second}/did.json` })).json().verificationMethod[0].publicKeyMultibase}`;
    const byKey = await t.app.inject({
      method: 'POST',
      url: '/credentials/issue',
      headers: owner.headers,
      payload: { credential: achievementCredential({ issuer: secondKey }) },
    });
    expect(byKey.statusCode, byKey.body).toBe(201);
    expect(byKey.json().verifiableCredential.issuer).toMatchObject({ id: secondKey, name: 'Second Academy' });
  });

  it('an assessor may not issue', async () => {
    const assessor = await signUp(t.app, 'Assessor');
    await grantRole(t.app, owner, orgId, assessor.email, 'assessor');
    const response = await t.app.inject({
      method: 'POST',
      url: `/issuers/${orgId}/credentials/issue`,
      headers: assessor.headers,
      payload: { credential: achievementCredential() },
    });
    expect(response.statusCode).toBe(403);
  });
});
