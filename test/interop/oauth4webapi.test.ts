import * as oauth from 'oauth4webapi';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashedIdentity } from '../../src/vc/identity.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import { allObScopes, browseAuthorization, redirectUri } from '../helpers/oauth.js';
import { standardsJson } from '../helpers/standards.js';

/**
 * An OAuth 2.0 client built on oauth4webapi (panva's RFC-conformant client library, independent of the
 * server's oidc-provider code) against our server, in-process: it discovers the server, registers itself
 * (RFC 7591), runs the authorization code flow with PKCE S256, checks the RFC 9207 `iss` parameter, calls every
 * Open Badges 3.0 endpoint, refreshes and revokes its tokens. Its HTTP goes through app.inject (customFetch).
 */
let t: TestApp;
let learner: Client;
let orgId: string;

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateList = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_getopenbadgecredentialsresponse_schema.json'));
const validateStatus = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_imsx_statusinfo_schema.json'));
const validateProfile = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_profile_schema.json'));

/** fetch, answered by the app in-process: the client library's requests as they would go over the wire. */
const inProcessFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  expect(url.origin).toBe('https://skillproof.test');
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
  learner = await signUp(t.app, 'Ada Interop');
  const owner = await signUp(t.app, 'Issuer');
  orgId = await createOrg(t.app, owner, 'Interop Org');
}, 180_000);
afterAll(() => t.close());

it('an oauth4webapi client registers, runs the code flow with PKCE and calls every OB 3.0 endpoint', async () => {
  // Discovery: the OB 3.0 Service Description Document names the registration URL; the OAuth 2.0 metadata
  // comes from the issuer.
  const sdd = (await (await inProcessFetch('https://skillproof.test/ims/ob/v3p0/discovery')).json()) as {
    components: { securitySchemes: { OAuth2ACG: Record<string, unknown> } };
  };
  const registrationUrl = sdd.components.securitySchemes.OAuth2ACG['x-imssf-registrationUrl'];
  const issuer = new URL('https://skillproof.test/oauth');
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' }),
  );
  expect(as.registration_endpoint).toBe(registrationUrl);
  expect(as.code_challenge_methods_supported).toEqual(['S256']);
  expect(as.authorization_response_iss_parameter_supported).toBe(true);

  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: 'Interop LMS',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: allObScopes.join(' '),
      },
      options,
    ),
  );
  const client: oauth.Client = { client_id: registered.client_id };
  const auth = oauth.ClientSecretBasic(registered.client_secret as string);

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const authorizationUrl = new URL(as.authorization_endpoint!);
  authorizationUrl.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: allObScopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  const { callback, stopped } = await browseAuthorization(
    t.app,
    learner,
    authorizationUrl.pathname + authorizationUrl.search,
  );
  expect(stopped?.body).toBeUndefined();
  // validateAuthResponse checks `iss` against the discovered issuer (RFC 9207) and the state.
  const params = oauth.validateAuthResponse(as, client, callback!, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, options),
  );
  expect(tokens.token_type).toBe('bearer');
  expect(tokens.scope?.split(' ').sort()).toEqual([...allObScopes].sort());

  const api = (method: string, path: string, body?: string, type = 'application/json') =>
    oauth.protectedResourceRequest(
      tokens.access_token,
      method,
      new URL(`https://skillproof.test/ims/ob/v3p0${path}`),
      new Headers(body ? { 'content-type': type } : {}),
      body ?? null,
      options,
    );

  // Upsert a credential this instance's issuer signed for the learner: 201, then 304 for the same one.
  const base = achievementCredential();
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.identifier = [hashedIdentity(learner.email)];
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    { ...base, credentialSubject: subject },
    { format: 'jwt' },
  );
  const jws = issued.verifiableCredential as string;
  const created = await api('POST', '/credentials', jws, 'text/plain');
  expect(created.status).toBe(201);
  expect(await created.text()).toBe(jws);
  expect((await api('POST', '/credentials', jws, 'text/plain')).status).toBe(304);

  const list = await api('GET', '/credentials?limit=10');
  expect(list.status).toBe(200);
  expect(list.headers.get('x-total-count')).toBe('1');
  const listed = (await list.json()) as { compactJwsString?: string[] };
  expect(validateList(listed), JSON.stringify(validateList.errors)).toBe(true);
  expect(listed.compactJwsString).toEqual([jws]);

  const profile = await api('GET', '/profile');
  expect(validateProfile(await profile.json())).toBe(true);
  const updated = await api('PUT', '/profile', JSON.stringify({ type: 'Profile', name: 'Ada I.' }));
  expect(updated.status).toBe(200);
  expect(((await updated.json()) as { name: string }).name).toBe('Ada I.');

  // Refresh (rotated), then revoke: the revoked token opens nothing, and the error is Imsx_StatusInfo.
  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, options),
  );
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client, auth, refreshed.access_token, options),
  );
  // oauth4webapi turns the 401's Bearer challenge (RFC 6750) into an error that carries it and the response.
  const revoked = await oauth
    .protectedResourceRequest(
      refreshed.access_token,
      'GET',
      new URL('https://skillproof.test/ims/ob/v3p0/profile'),
      new Headers(),
      null,
      options,
    )
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(revoked).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  const challenge = revoked as oauth.WWWAuthenticateChallengeError;
  expect(challenge.status).toBe(401);
  expect(challenge.cause[0]).toMatchObject({ scheme: 'bearer', parameters: { error: 'invalid_token' } });
  expect(validateStatus(await challenge.response.json())).toBe(true);
}, 120_000);
