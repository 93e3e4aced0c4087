import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preAuthorizedGrant } from '../../src/oid4vci/metadata.js';
import { oid4vciLimits } from '../../src/oid4vci/oid4vci.js';
import { createOrg, createTestApp, publishAchievement, signUp, type Client, type TestApp } from '../helpers/app.js';
import { didKeyWallet, jwkWallet, keyProof, offerFor, readyToRequest, tokenFor } from '../helpers/oid4vci.js';

/**
 * OpenID4VCI's pre-authorized flow refuses what it must, with the error each specification prescribes (OAuth 2.0
 * token errors, OID4VCI credential errors), never a 500: wrong or reused codes and transaction codes, tokens that
 * are missing or not ours, and key proofs with a wrong nonce, audience, key, type or algorithm `none`.
 */
const aud = 'https://skillproof.test';
let t: TestApp;
let owner: Client;
let learner: Client;
let orgId: string;
let achievementId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'OID4VCI Issuer');
  orgId = await createOrg(t.app, owner, 'Protocol University');
  achievementId = await publishAchievement(t.app, owner, orgId);
  learner = await signUp(t.app, 'OID4VCI Learner');
}, 120_000);
afterAll(() => t.close());

async function holding(client: Client = learner): Promise<string> {
  const issued = await t.platform.awarding.awardByHand({
    orgId,
    achievementId,
    email: client.email,
    issuedBy: owner.userId,
    allowDuplicate: true,
  });
  return issued.record.id;
}

async function requestCredential(accessToken: string, body: object) {
  return t.app.inject({
    method: 'POST',
    url: '/oid4vci/credential',
    headers: { authorization: `Bearer ${accessToken}` },
    payload: body,
  });
}

const grant = (code: string, txCode?: string) => ({
  grant_type: preAuthorizedGrant,
  'pre-authorized_code': code,
  ...(txCode !== undefined ? { tx_code: txCode } : {}),
});

describe('metadata', () => {
  it('names both configurations, eddsa-rdfc-2022 for ldp_vc, display data, and the nonce endpoint', async () => {
    const metadata = (await t.app.inject({ method: 'GET', url: '/.well-known/openid-credential-issuer' })).json();
    expect(metadata.credential_issuer).toBe(aud);
    expect(metadata.nonce_endpoint).toBe(`${aud}/oid4vci/nonce`);
    const ldp = metadata.credential_configurations_supported.OpenBadgeCredential_ldp_vc;
    expect(ldp.credential_signing_alg_values_supported).toEqual(['eddsa-rdfc-2022']);
    expect(ldp.credential_metadata.display[0].name).toBe('Open Badge');
    expect(metadata.credential_configurations_supported.OpenBadgeCredential_jwt_vc_json.format).toBe('jwt_vc_json');
    const as = (await t.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server/oid4vci' })).json();
    expect(as.issuer).toBe(metadata.authorization_servers[0]);
    expect(as['pre-authorized_grant_anonymous_access_supported']).toBe(true);
  });
});

describe('offers', () => {
  it("are the learner's own: another learner's holding is not found", async () => {
    const other = await signUp(t.app, 'Other Learner');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/me/wallet/${await holding()}/oid4vci-offer`,
      headers: other.headers,
    });
    expect(response.statusCode).toBe(404);
  });

  it('carry the code in a QR code and a link, but never the transaction code', async () => {
    const offer = await offerFor(t.app, learner, await holding());
    expect(offer.offerUri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true);
    expect(offer.txCode).toMatch(/^\d{6}$/);
    expect(offer.offerUri).not.toContain(offer.txCode);
    const stored = await t.platform.database.db.selectFrom('oid4vci_offers').selectAll().execute();
    // Digests at rest, never the secrets.
    expect(JSON.stringify(stored)).not.toContain(offer.code);
  });

  it('are refused for a revoked credential', async () => {
    const id = await holding();
    await t.platform.issuance.changeStatus(owner.userId, orgId, id, 'revoke', 'test');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/me/wallet/${id}/oid4vci-offer`,
      headers: learner.headers,
    });
    expect(response.statusCode).toBe(409);
  });
});

describe('the token endpoint', () => {
  it('refuses other grants, a missing or wrong transaction code, and a code used once already', async () => {
    const { code, txCode } = await offerFor(t.app, learner, await holding());
    const other = await tokenFor(t.app, { grant_type: 'authorization_code', code });
    expect([other.statusCode, other.json().error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await tokenFor(t.app, grant(code));
    expect([missing.statusCode, missing.json().error]).toEqual([400, 'invalid_request']);
    const wrong = await tokenFor(t.app, grant(code, txCode === '000000' ? '111111' : '000000'));
    expect([wrong.statusCode, wrong.json().error]).toEqual([400, 'invalid_grant']);
    const unknown = await tokenFor(t.app, grant('not-a-code', txCode));
    expect([unknown.statusCode, unknown.json().error]).toEqual([400, 'invalid_grant']);

    const first = await tokenFor(t.app, grant(code, txCode));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json().token_type).toBe('Bearer');
    const again = await tokenFor(t.app, grant(code, txCode));
    expect([again.statusCode, again.json().error]).toEqual([400, 'invalid_grant']);
  });

  it('gives up on an offer after too many wrong transaction codes, even for the right one then', async () => {
    const { code, txCode } = await offerFor(t.app, learner, await holding());
    const wrongCode = txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < oid4vciLimits.txCodeFailures; i++) await tokenFor(t.app, grant(code, wrongCode));
    const right = await tokenFor(t.app, grant(code, txCode));
    expect([right.statusCode, right.json().error]).toEqual([400, 'invalid_grant']);
  });

  it('answers a body that is not a form in OAuth terms, not a 500', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/oid4vci/token',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('exchanges concurrent redemptions of one code for at most one token', async () => {
    const { code, txCode } = await offerFor(t.app, learner, await holding());
    const answers = await Promise.all([1, 2, 3].map(() => tokenFor(t.app, grant(code, txCode))));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
  });
});

describe('the credential endpoint', () => {
  it('refuses a missing or unknown access token with 401 and WWW-Authenticate', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/oid4vci/credential', payload: {} });
    expect([none.statusCode, none.json().error]).toEqual([401, 'invalid_token']);
    expect(none.headers['www-authenticate']).toContain('invalid_token');
    const unknown = await requestCredential('made-up', { credential_configuration_id: 'OpenBadgeCredential_ldp_vc' });
    expect([unknown.statusCode, unknown.json().error]).toEqual([401, 'invalid_token']);
  });

  it('refuses proofs with a wrong nonce, audience, typ, key, or algorithm none; a nonce works once', async () => {
    const { accessToken } = await readyToRequest(t.app, learner, await holding());
    const key = await didKeyWallet();
    const nonce = async () => (await t.app.inject({ method: 'POST', url: '/oid4vci/nonce' })).json().c_nonce;
    const ask = (jwt: string) =>
      requestCredential(accessToken, {
        credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
        proofs: { jwt: [jwt] },
      });
    const refused = async (jwt: string, error: string) => {
      const response = await ask(jwt);
      expect([response.statusCode, response.json().error], response.body).toEqual([400, error]);
    };

    await refused(await keyProof(key, { aud, nonce: 'never-issued' }), 'invalid_nonce');
    await refused(await keyProof(key, { aud: 'https://elsewhere.example', nonce: await nonce() }), 'invalid_proof');
    await refused(await keyProof(key, { aud, nonce: await nonce() }, { typ: 'JWT' }), 'invalid_proof');
    await refused(await keyProof(key, { aud, nonce: await nonce(), iat: 1_000_000 }), 'invalid_proof');
    // Signed by one key, naming another.
    const other = await didKeyWallet();
    await refused(await keyProof(key, { aud, nonce: await nonce() }, { kid: other.kid }), 'invalid_proof');
    // alg none: an unsigned proof.
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'openid4vci-proof+jwt', kid: key.kid })).toString(
      'base64url',
    );
    const body = Buffer.from(
      JSON.stringify({ aud, iat: Math.floor(Date.now() / 1000), nonce: await nonce() }),
    ).toString('base64url');
    await refused(`${header}.${body}.`, 'invalid_proof');
    await refused(`${header}.${body}.c2ln`, 'invalid_proof');
    // A private key in the header.
    const jwkKey = await jwkWallet();
    const withPrivate = { ...jwkKey.jwk, d: 'AAAA' };
    await refused(await keyProof(jwkKey, { aud, nonce: await nonce() }, { jwk: withPrivate }), 'invalid_proof');

    const fresh = await nonce();
    const good = await ask(await keyProof(key, { aud, nonce: fresh }));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().credentials[0].credential.credentialSubject.id).toBe(key.did);
    await refused(await keyProof(key, { aud, nonce: fresh }), 'invalid_nonce');
  });

  it('refuses configurations the offer did not name, batches, and a request without a proof', async () => {
    const { accessToken, nonce } = await readyToRequest(t.app, learner, await holding());
    const key = await didKeyWallet();
    const clr = await requestCredential(accessToken, { credential_configuration_id: 'ClrCredential_ldp_vc' });
    expect([clr.statusCode, clr.json().error]).toEqual([400, 'unknown_credential_configuration']);
    const noProof = await requestCredential(accessToken, { credential_configuration_id: 'OpenBadgeCredential_ldp_vc' });
    expect([noProof.statusCode, noProof.json().error]).toEqual([400, 'invalid_proof']);
    const jwt = await keyProof(key, { aud, nonce });
    const batch = await requestCredential(accessToken, {
      credential_configuration_id: 'OpenBadgeCredential_ldp_vc',
      proofs: { jwt: [jwt, jwt] },
    });
    expect([batch.statusCode, batch.json().error]).toEqual([400, 'invalid_proof']);
  });

  it('records each delivery, and refuses to deliver once the original is revoked', async () => {
    const id = await holding();
    const { accessToken, nonce } = await readyToRequest(t.app, learner, id);
    const key = await jwkWallet();
    const delivered = await requestCredential(accessToken, {
      credential_configuration_id: 'OpenBadgeCredential_jwt_vc_json',
      proofs: { jwt: [await keyProof(key, { aud, nonce })] },
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    const records = await t.platform.oid4vci.deliveries(learner.userId, id);
    expect(records).toHaveLength(1);
    expect(records[0]!.subjectId).toMatch(/^did:jwk:/);
    expect(records[0]!.document).toBe(delivered.json().credentials[0].credential);

    await t.platform.issuance.changeStatus(owner.userId, orgId, id, 'revoke', 'test');
    const fresh = (await t.app.inject({ method: 'POST', url: '/oid4vci/nonce' })).json().c_nonce;
    const after = await requestCredential(accessToken, {
      credential_configuration_id: 'OpenBadgeCredential_jwt_vc_json',
      proofs: { jwt: [await keyProof(key, { aud, nonce: fresh })] },
    });
    expect([after.statusCode, after.json().error]).toEqual([400, 'credential_request_denied']);
  });
});
