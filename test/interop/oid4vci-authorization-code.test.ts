import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preAuthorizedGrant } from '../../src/oid4vci/metadata.js';
import { createOrg, createTestApp, publishAchievement, signUp, type Client, type TestApp } from '../helpers/app.js';
import { browseAuthorization, oauthTokens, redirectUri } from '../helpers/oauth.js';
import { didKeyWallet, keyProof, offerFor, tokenFor } from '../helpers/oid4vci.js';

/**
 * OpenID4VCI's authorization-code flow through the OAuth 2.0 server, driven by an oauth4webapi client (panva's
 * RFC-conformant library, independent of oidc-provider) as a wallet would: the learner's offer names the OAuth
 * server and an issuer_state; the wallet discovers the server, registers itself, authorizes with PKCE S256 for a
 * credential configuration's scope (the learner consents), exchanges the code, gets a nonce, and requests the
 * credential with a did:key proof. The credential verifies with our verifier and is bound to the wallet's DID.
 * Refused: another learner's offer, a request that names no offer, a token without the configuration's scope,
 * and a token for another resource server.
 */
const issuerUrl = 'https://skillproof.test';
let t: TestApp;
let owner: Client;
let learner: Client;
let orgId: string;
let achievementId: string;

/** fetch, answered by the app in-process: the client library's requests as they would go over the wire. */
const inProcessFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  expect(url.origin).toBe(issuerUrl);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const response = await t.app.inject({
    method: request.method as 'GET',
    url: url.pathname + url.search,
    headers: Object.fromEntries(request.headers),
    ...(body ? { payload: body } : {}),
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of [value].flat()) if (one !== undefined) headers.append(name, String(one));
  }
  const noBody = response.statusCode === 204 || response.statusCode === 304;
  return new Response(noBody ? null : response.rawPayload, { status: response.statusCode, headers });
};
const options = { [oauth.customFetch]: inProcessFetch };

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Code Flow Issuer');
  orgId = await createOrg(t.app, owner, 'Code Flow University');
  achievementId = await publishAchievement(t.app, owner, orgId);
  learner = await signUp(t.app, 'Code Flow Learner');
}, 180_000);
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

interface AuthorizationCodeGrant {
  issuer_state: string;
  authorization_server: string;
}

/** The wallet's side: discovery of the server the offer names, and a public client registered for `scopes`. */
async function walletClient(server: string, scopes: string[]) {
  const as = await oauth.processDiscoveryResponse(
    new URL(server),
    await oauth.discoveryRequest(new URL(server), { ...options, algorithm: 'oidc' }),
  );
  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Interop Wallet',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: scopes.join(' '),
      },
      options,
    ),
  );
  return { as, client: { client_id: registered.client_id } as oauth.Client };
}

/** The authorization request with PKCE, the learner's consent in their browser, and the code for tokens. */
async function authorizeAndToken(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  as_learner: Client,
  parameters: Record<string, string>,
) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...parameters,
  }).toString();
  const { callback, stopped } = await browseAuthorization(t.app, as_learner, url.pathname + url.search);
  expect(stopped?.body).toBeUndefined();
  if (callback?.searchParams.get('error')) return { refused: callback };
  const params = oauth.validateAuthResponse(as, client, callback!, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, options),
  );
  return { tokens };
}

async function credentialRequest(accessToken: string, configurationId: string, proofFor = didKeyWallet()) {
  const key = await proofFor;
  const nonce = (
    (await (await inProcessFetch(`${issuerUrl}/oid4vci/nonce`, { method: 'POST' })).json()) as {
      c_nonce: string;
    }
  ).c_nonce;
  const proof = await keyProof(key, { aud: issuerUrl, nonce });
  const response = await oauth
    .protectedResourceRequest(
      accessToken,
      'POST',
      new URL(`${issuerUrl}/oid4vci/credential`),
      new Headers({ 'content-type': 'application/json' }),
      JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
      options,
    )
    .catch((error: unknown) => {
      // oauth4webapi turns a Bearer challenge (401, 403) into an error that carries the response.
      if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
      throw error;
    });
  return { key, response, body: (await response.json()) as Record<string, unknown> };
}

describe('the authorization-code flow', () => {
  it('delivers the offered credential through the OAuth 2.0 server to an oauth4webapi wallet, bound to its did:key', async () => {
    const holdingId = await holding();
    const { offer, code, txCode } = await offerFor(t.app, learner, holdingId, 'both');
    const grant = (offer.grants as unknown as Record<string, AuthorizationCodeGrant>).authorization_code!;
    expect(grant.authorization_server).toBe(`${issuerUrl}/oauth`);
    // Only when asked: by default an offer carries the pre-authorized grant alone; a wrong choice is bad input.
    const plain = await offerFor(t.app, learner, holdingId);
    expect(Object.keys(plain.offer.grants)).toEqual([preAuthorizedGrant]);
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/me/wallet/${holdingId}/oid4vci-offer?grants=everything`,
      headers: learner.headers,
    });
    expect(bad.statusCode).toBe(400);

    // The issuer metadata lists both authorization servers, and each configuration's scope.
    const metadata = (await (await inProcessFetch(`${issuerUrl}/.well-known/openid-credential-issuer`)).json()) as {
      authorization_servers: string[];
      credential_configurations_supported: Record<string, { scope: string }>;
    };
    expect(metadata.authorization_servers).toEqual([`${issuerUrl}/oid4vci`, grant.authorization_server]);
    const scope = metadata.credential_configurations_supported.OpenBadgeCredential_ldp_vc!.scope;

    const { as, client } = await walletClient(grant.authorization_server, [scope]);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);

    // The consent page shows the configuration's scope in plain words.
    const { tokens } = await authorizeAndToken(as, client, learner, {
      scope,
      issuer_state: grant.issuer_state,
      resource: offer.credential_issuer,
    });
    expect(tokens?.scope).toBe(scope);

    const { key, response, body } = await credentialRequest(tokens!.access_token, scope);
    expect(response.status, JSON.stringify(body)).toBe(200);
    const credential = (body.credentials as { credential: Record<string, unknown> }[])[0]!.credential;
    expect((credential.credentialSubject as { id: string }).id).toBe(key.did);
    const verdict = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: credential },
    });
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(verdict.json().verified).toBe(true);
    expect(verdict.json().errors).toEqual([]);
    const deliveries = await t.platform.oid4vci.deliveries(learner.userId, holdingId);
    expect(deliveries.map((d) => [d.subjectId, d.configurationId])).toEqual([[key.did, scope]]);

    // The offer is used once, by either flow: its pre-authorized code is spent with it.
    const preAuthorized = await tokenFor(t.app, {
      grant_type: preAuthorizedGrant,
      'pre-authorized_code': code,
      tx_code: txCode,
    });
    expect([preAuthorized.statusCode, preAuthorized.json().error]).toEqual([400, 'invalid_grant']);
  });

  it('finds the credential issuer by the scope when the wallet names no resource, and shows the scope in words', async () => {
    const holdingId = await holding();
    const { offer } = await offerFor(t.app, learner, holdingId, 'both');
    const grant = (offer.grants as unknown as Record<string, AuthorizationCodeGrant>).authorization_code!;
    const scope = 'OpenBadgeCredential_jwt_vc_json';
    const { as, client } = await walletClient(grant.authorization_server, [scope]);
    const { tokens } = await authorizeAndToken(as, client, learner, { scope, issuer_state: grant.issuer_state });
    const { response, body } = await credentialRequest(tokens!.access_token, scope);
    expect(response.status, JSON.stringify(body)).toBe(200);
    const jwt = (body.credentials as { credential: string }[])[0]!.credential;
    expect(jwt.split('.')).toHaveLength(3);
    const details = await t.platform.oauth.connectedApplications(learner.userId);
    const wallet = details.find((app) => app.clientId === client.client_id);
    expect(wallet?.scopes.map((s) => s.words).join(' ')).toContain('Open Badge');
  });
});

describe('refusals', () => {
  it("refuses another learner's offer, and a request that names no offer, at consent (access_denied)", async () => {
    const holdingId = await holding();
    const { offer, code, txCode } = await offerFor(t.app, learner, holdingId, 'both');
    const grant = (offer.grants as unknown as Record<string, AuthorizationCodeGrant>).authorization_code!;
    const scope = 'OpenBadgeCredential_ldp_vc';
    const { as, client } = await walletClient(grant.authorization_server, [scope]);
    const other = await signUp(t.app, 'Another Learner');
    const stolen = await authorizeAndToken(as, client, other, { scope, issuer_state: grant.issuer_state });
    expect(stolen.tokens).toBeUndefined();
    expect(stolen.refused?.searchParams.get('error')).toBe('access_denied');
    const none = await authorizeAndToken(as, client, learner, { scope });
    expect(none.refused?.searchParams.get('error')).toBe('access_denied');
    // Neither grant stayed, and the learner's offer is untouched: its pre-authorized code still works.
    expect(await t.platform.oauth.connectedApplications(other.userId)).toEqual([]);
    const preAuthorized = await tokenFor(t.app, {
      grant_type: preAuthorizedGrant,
      'pre-authorized_code': code,
      tx_code: txCode,
    });
    expect(preAuthorized.statusCode, preAuthorized.body).toBe(200);
  });

  it("refuses a token without the configuration's scope (403), and a token for the OB 3.0 API (401)", async () => {
    const holdingId = await holding();
    const { offer } = await offerFor(t.app, learner, holdingId, 'both');
    const grant = (offer.grants as unknown as Record<string, AuthorizationCodeGrant>).authorization_code!;
    const { as, client } = await walletClient(grant.authorization_server, ['OpenBadgeCredential_jwt_vc_json']);
    const { tokens } = await authorizeAndToken(as, client, learner, {
      scope: 'OpenBadgeCredential_jwt_vc_json',
      issuer_state: grant.issuer_state,
      resource: issuerUrl,
    });
    const narrow = await credentialRequest(tokens!.access_token, 'OpenBadgeCredential_ldp_vc');
    expect([narrow.response.status, narrow.body.error]).toEqual([403, 'insufficient_scope']);
    expect(await t.platform.oid4vci.deliveries(learner.userId, holdingId)).toEqual([]);

    const ob = await oauthTokens(t.app, learner);
    const wrongAudience = await credentialRequest(ob.access_token, 'OpenBadgeCredential_jwt_vc_json');
    expect([wrongAudience.response.status, wrongAudience.body.error]).toEqual([401, 'invalid_token']);
    expect(wrongAudience.response.headers.get('www-authenticate')).toContain('invalid_token');
  });
});
