import { randomUUID } from 'node:crypto';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { hashedIdentity } from '../../src/vc/identity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';
import {
  allObScopes,
  authorize,
  bearer,
  obScope,
  oauthTokens,
  redirectUri,
  registerClient,
  tokenRequest,
} from '../helpers/oauth.js';
import { standardsJson } from '../helpers/standards.js';
import { keyOf } from '../../src/oauth/store.js';

/**
 * The Open Badges 3.0 API behind our OAuth 2.0 server, called as another platform would, with the answers
 * checked against 1EdTech's JSON Schemas; and the security rules of the authorization server.
 */
let t: TestApp;
let orgId: string;
let learner: Client;
let other: Client;

const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateList = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_getopenbadgecredentialsresponse_schema.json'));
const validateStatus = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_imsx_statusinfo_schema.json'));
const validateProfile = ajv.compile(standardsJson('ob3/schemas/ob_v3p0_profile_schema.json'));

function expectStatusInfo(body: unknown, codeMinor: string) {
  expect(validateStatus(body), JSON.stringify(validateStatus.errors)).toBe(true);
  expect(body).toMatchObject({
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: codeMinor }] },
  });
}

/** A credential the walked org signs for `email` (not awarded here: it reaches a wallet only by import/upsert). */
async function credentialFor(email: string, format: 'ldp_vc' | 'jwt', overrides: Record<string, unknown> = {}) {
  const base = achievementCredential(overrides);
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.identifier = [hashedIdentity(email)];
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    { ...base, credentialSubject: subject },
    { format },
  );
  return issued.verifiableCredential as Record<string, unknown> | string;
}

/** A credential another platform's issuer (a did:key) signs for `email`, with a fixed id. */
const foreignKey = generateEd25519KeyPair();
async function foreignCredential(email: string, id: string, name: string) {
  const did = `did:key:${foreignKey.publicKeyMultibase}`;
  const base = achievementCredential({ id, name, issuer: { id: did, type: ['Profile'], name: 'Other Platform' } });
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.identifier = [hashedIdentity(email)];
  return signEddsaRdfc2022(
    { ...base, validFrom: new Date().toISOString(), credentialSubject: subject },
    foreignKey.privateKey!,
    { verificationMethod: `${did}#${foreignKey.publicKeyMultibase}`, proofPurpose: 'assertionMethod' },
  );
}

const ob = (path: string) => `/ims/ob/v3p0${path}`;

beforeAll(async () => {
  t = await createTestApp();
  const owner = await signUp(t.app, 'Issuer Owner');
  orgId = await createOrg(t.app, owner, 'Badge Org');
  learner = await signUp(t.app, 'Lena Learner');
  other = await signUp(t.app, 'Otto Other');
}, 180_000);
afterAll(() => t.close());

describe('the Open Badges 3.0 API', () => {
  let tokens: Awaited<ReturnType<typeof oauthTokens>>;
  beforeAll(async () => {
    tokens = await oauthTokens(t.app, learner);
  }, 60_000);

  it('serves the Service Description Document with the OAuth 2.0 endpoints and the four scopes', async () => {
    const response = await t.app.inject({ method: 'GET', url: ob('/discovery') });
    expect(response.statusCode).toBe(200);
    const flow = response.json().components.securitySchemes.OAuth2ACG;
    expect(flow['x-imssf-registrationUrl']).toBe('https://skillproof.test/oauth/reg');
    expect(Object.keys(flow.flows.authorizationCode.scopes).sort()).toEqual([...allObScopes].sort());
  });

  it('upserts credentials: 201 new, 304 unchanged, 200 replaced; lists them with paging headers', async () => {
    const json = (await credentialFor(learner.email, 'ldp_vc')) as Record<string, unknown>;
    const jwt = (await credentialFor(learner.email, 'jwt')) as string;
    const auth = bearer(tokens.access_token);

    const created = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: json });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().id).toBe(json.id);
    const same = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: json });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    const posted = await t.app.inject({
      method: 'POST',
      url: ob('/credentials'),
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: jwt,
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.body).toBe(jwt);

    // Another platform puts its credential, then the same credential id signed again with other content.
    const id = `urn:uuid:${randomUUID()}`;
    const first = await foreignCredential(learner.email, id, 'SQL, first');
    const put = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: first });
    expect(put.statusCode, put.body).toBe(201);
    const renamed = await foreignCredential(learner.email, id, 'SQL, renamed');
    const replaced = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: renamed });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().name).toBe('SQL, renamed');

    const list = await t.app.inject({ method: 'GET', url: ob('/credentials'), headers: auth });
    expect(list.statusCode).toBe(200);
    expect(validateList(list.json()), JSON.stringify(validateList.errors)).toBe(true);
    expect(list.headers['x-total-count']).toBe('3');
    expect(list.json().compactJwsString).toEqual([jwt]);
    expect(
      list
        .json()
        .credential.map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual([json.name, 'SQL, renamed'].sort());

    const page = await t.app.inject({ method: 'GET', url: ob('/credentials?limit=1&offset=0'), headers: auth });
    expect(validateList(page.json())).toBe(true);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.headers.link).toContain('offset=1>; rel="next"');
    expect(page.headers.link).toContain('rel="last"');
    const later = await t.app.inject({
      method: 'GET',
      url: ob(`/credentials?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
      headers: auth,
    });
    expect(later.json()).toEqual({});
    expect(later.headers['x-total-count']).toBe('0');
  });

  it('refuses upserts that do not verify or name someone else, and bad queries, as Imsx_StatusInfo', async () => {
    const auth = bearer(tokens.access_token);
    const theirs = await credentialFor(other.email, 'ldp_vc');
    const notYours = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: theirs });
    expect(notYours.statusCode).toBe(400);
    expectStatusInfo(notYours.json(), 'invalid_data');

    const tampered = { ...((await credentialFor(learner.email, 'ldp_vc')) as object), name: 'Forged name' };
    const forged = await t.app.inject({ method: 'POST', url: ob('/credentials'), headers: auth, payload: tampered });
    expect(forged.statusCode).toBe(400);
    expectStatusInfo(forged.json(), 'invalid_data');

    const garbage = await t.app.inject({
      method: 'POST',
      url: ob('/credentials'),
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'not.a-jws',
    });
    expect(garbage.statusCode).toBe(400);
    expectStatusInfo(garbage.json(), 'invalid_data');

    for (const query of ['limit=0', 'limit=1000', 'limit=abc', 'since=yesterday', 'offset=-1']) {
      const bad = await t.app.inject({ method: 'GET', url: ob(`/credentials?${query}`), headers: auth });
      expect(bad.statusCode, query).toBe(400);
      expectStatusInfo(bad.json(), 'invalid_query_parameter');
    }
  });

  it('reads and updates the Profile; the email stays the account’s', async () => {
    const auth = bearer(tokens.access_token);
    const read = await t.app.inject({ method: 'GET', url: ob('/profile'), headers: auth });
    expect(read.statusCode).toBe(200);
    expect(validateProfile(read.json()), JSON.stringify(validateProfile.errors)).toBe(true);
    expect(read.json()).toMatchObject({ type: 'Profile', name: 'Lena Learner', email: learner.email });

    const put = await t.app.inject({
      method: 'PUT',
      url: ob('/profile'),
      headers: auth,
      payload: { id: 'urn:x', type: 'Profile', name: 'Lena L.', description: 'Data analyst' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(validateProfile(put.json())).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: ob('/profile'), headers: auth })).json()).toMatchObject({
      name: 'Lena L.',
      description: 'Data analyst',
      email: learner.email,
    });

    const email = await t.app.inject({
      method: 'PUT',
      url: ob('/profile'),
      headers: auth,
      payload: { type: 'Profile', email: 'someone@else.example' },
    });
    expect(email.statusCode).toBe(400);
    expectStatusInfo(email.json(), 'invalid_data');
    const notProfile = await t.app.inject({ method: 'PUT', url: ob('/profile'), headers: auth, payload: { name: 1 } });
    expect(notProfile.statusCode).toBe(400);
    expectStatusInfo(notProfile.json(), 'invalid_data');
  });

  it('answers 401 to no token, a session cookie, an API token or a made-up token; 403 to a token short of scope', async () => {
    const apiToken = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: learner.headers,
      payload: { name: 'mine', scopes: ['read', 'write'] },
    });
    expect(apiToken.statusCode).toBe(201);
    for (const headers of [
      {},
      learner.cookie,
      bearer(apiToken.json().token as string),
      bearer('made-up-token'),
      { authorization: 'Basic abc' },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: ob('/credentials'), headers });
      expect(response.statusCode).toBe(401);
      expectStatusInfo(response.json(), 'unauthorizedrequest');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    }

    const readOnly = await oauthTokens(t.app, learner, [obScope.credentialRead]);
    const credential = await credentialFor(learner.email, 'ldp_vc');
    const upsert = await t.app.inject({
      method: 'POST',
      url: ob('/credentials'),
      headers: bearer(readOnly.access_token),
      payload: credential,
    });
    expect(upsert.statusCode).toBe(403);
    expectStatusInfo(upsert.json(), 'forbidden');
    expect(upsert.headers['www-authenticate']).toContain('error="insufficient_scope"');
    for (const [method, url] of [
      ['GET', ob('/profile')],
      ['PUT', ob('/profile')],
    ] as const) {
      const response = await t.app.inject({
        method,
        url,
        headers: bearer(readOnly.access_token),
        payload: { type: 'Profile' },
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it("never shows a client one learner's credentials with another learner's token", async () => {
    const theirs = await oauthTokens(t.app, other, [obScope.credentialRead]);
    const list = await t.app.inject({ method: 'GET', url: ob('/credentials'), headers: bearer(theirs.access_token) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({});
    expect(list.headers['x-total-count']).toBe('0');
  });
});

describe('the authorization server', () => {
  it('adds iss to the authorization response (RFC 9207) and refuses a PKCE-less or plain-PKCE request', async () => {
    const client = await registerClient(t.app);
    const ok = await authorize(t.app, learner, client);
    expect(ok.callback?.searchParams.get('iss')).toBe('https://skillproof.test/oauth');
    expect(ok.callback?.searchParams.get('code')).toBeTruthy();

    for (const options of [{ challenge: '', method: '' }, { method: 'plain' }]) {
      const refused = await authorize(t.app, learner, client, options);
      expect(refused.callback?.searchParams.get('error'), JSON.stringify(options)).toBe('invalid_request');
      expect(refused.callback?.searchParams.get('code')).toBeNull();
    }
  });

  it('matches redirect URIs exactly, and never redirects to an unregistered one', async () => {
    const client = await registerClient(t.app);
    for (const redirect of [`${redirectUri}/`, `${redirectUri}?x=1`, 'https://evil.example/callback']) {
      const { stopped, callback } = await authorize(t.app, learner, client, { redirect });
      expect(callback, redirect).toBeUndefined();
      expect(stopped?.statusCode, redirect).toBe(400);
      expect(stopped?.json().error).toBe('invalid_redirect_uri');
    }
  });

  it('refuses a wrong PKCE verifier, a reused code, and revokes what the reused code gave', async () => {
    const client = await registerClient(t.app);
    const { callback, verifier } = await authorize(t.app, learner, client);
    const code = callback!.searchParams.get('code')!;
    const exchange = (codeVerifier: string) =>
      tokenRequest(t.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
        client_id: client.client_id,
      });
    const wrong = await exchange(`${verifier.slice(0, -2)}xx`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toBe('invalid_grant');

    const second = await authorize(t.app, learner, client);
    const secondCode = second.callback!.searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code: secondCode,
      redirect_uri: redirectUri,
      code_verifier: second.verifier,
      client_id: client.client_id,
    };
    const first = await tokenRequest(t.app, form);
    expect(first.statusCode).toBe(200);
    const reused = await tokenRequest(t.app, form);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toBe('invalid_grant');
    const afterReuse = await t.app.inject({
      method: 'GET',
      url: ob('/profile'),
      headers: bearer(first.json().access_token),
    });
    expect(afterReuse.statusCode).toBe(401);
  });

  it('rotates refresh tokens, revokes tokens (RFC 7009), and keeps only hashes at rest', async () => {
    const tokens = await oauthTokens(t.app, learner);
    const refreshed = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: tokens.client.client_id,
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const next = refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const replay = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: tokens.client.client_id,
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');

    // A confidential client's secret is kept sealed, and it still authenticates the client.
    const confidential = (await registerClient(t.app, { token_endpoint_auth_method: 'client_secret_post' })) as {
      client_id: string;
      client_secret: string;
    };
    expect(confidential.client_secret.length).toBeGreaterThan(20);
    const withSecret = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: 'not-a-token',
      client_id: confidential.client_id,
      client_secret: confidential.client_secret,
    });
    expect(withSecret.json().error, withSecret.body).toBe('invalid_grant');
    const wrongSecret = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: 'not-a-token',
      client_id: confidential.client_id,
      client_secret: `${confidential.client_secret}x`,
    });
    expect(wrongSecret.json().error, wrongSecret.body).toBe('invalid_client');

    const rows = await t.platform.database.db.selectFrom('oauth_records').select(['key', 'payload']).execute();
    const stored = JSON.stringify(rows);
    for (const secret of [
      tokens.access_token,
      tokens.refresh_token,
      next.access_token,
      next.refresh_token,
      confidential.client_secret,
    ]) {
      expect(stored).not.toContain(secret);
    }

    const revoked = await t.app.inject({
      method: 'POST',
      url: '/oauth/token/revocation',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: next.access_token, client_id: tokens.client.client_id }).toString(),
    });
    expect(revoked.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: ob('/profile'), headers: bearer(next.access_token) });
    expect(after.statusCode).toBe(401);
  });

  it('lets the learner deny, see and disconnect applications; a disconnected one loses its tokens', async () => {
    const client = await registerClient(t.app, { client_name: 'Denied LMS' });
    const denied = await authorize(t.app, learner, client, { allow: false });
    expect(denied.callback?.searchParams.get('error')).toBe('access_denied');

    const learnerTwo = await signUp(t.app, 'Connie Connected');
    const tokens = await oauthTokens(t.app, learnerTwo, [obScope.profileRead]);
    const listed = await t.app.inject({ method: 'GET', url: '/api/me/connected-apps', headers: learnerTwo.cookie });
    expect(listed.json().applications).toEqual([
      expect.objectContaining({
        clientId: tokens.client.client_id,
        name: 'Test LMS',
        scopes: [expect.objectContaining({ scope: obScope.profileRead })],
      }),
    ]);
    // Someone else cannot disconnect it.
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/connected-apps/${tokens.client.client_id}`,
      headers: other.headers,
    });
    expect(foreign.statusCode).toBe(404);
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/me/connected-apps/${tokens.client.client_id}`,
      headers: learnerTwo.headers,
    });
    expect(gone.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: ob('/profile'), headers: bearer(tokens.access_token) })).statusCode,
    ).toBe(401);
    const refresh = await tokenRequest(t.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: tokens.client.client_id,
    });
    expect(refresh.json().error).toBe('invalid_grant');
  });

  it('binds the consent page to the browser that started the request', async () => {
    const client = await registerClient(t.app);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: obScope.profileRead,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const start = await t.app.inject({ method: 'GET', url: `/oauth/auth?${query}` });
    const uid = String(start.headers.location).split('/').pop()!;
    // The learner's session alone (no interaction cookie: another browser) cannot answer it.
    const answer = await t.app.inject({
      method: 'POST',
      url: `/oauth/interaction/${uid}/decision`,
      headers: learner.headers,
      payload: { allow: true },
    });
    expect(answer.statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: `/oauth/interaction/${uid}/details` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses malformed registration metadata with the RFC 7591 errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ redirect_uris: ['not a url'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: 'https://client.example/cb' }, 'invalid_redirect_uri'],
      [{ redirect_uris: [] }, 'invalid_redirect_uri'],
      [{ response_types: ['token'] }, 'invalid_client_metadata'],
      [{ grant_types: ['client_credentials'] }, 'invalid_client_metadata'],
      [{ scope: 'https://example.com/other-scope' }, 'invalid_client_metadata'],
    ];
    for (const [metadata, error] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/oauth/reg',
        payload: { client_name: 'Bad', redirect_uris: [redirectUri], ...metadata },
      });
      expect(response.statusCode, JSON.stringify(metadata)).toBe(400);
      expect(response.json().error, JSON.stringify(metadata)).toBe(error);
    }
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/oauth/reg',
      headers: { 'content-type': 'application/json' },
      payload: '{"redirect_uris": [',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('limits registrations per IP', async () => {
    let limited = 0;
    for (let i = 0; i < 25 && limited === 0; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/oauth/reg',
        payload: { client_name: `Flood ${randomUUID()}`, redirect_uris: [redirectUri] },
      });
      if (response.statusCode === 429) limited = i + 1;
      else expect(response.statusCode).toBeLessThan(500);
    }
    expect(limited).toBeGreaterThan(0);
    // Nor does another spelling of the registration path get around the limit: it registers nothing.
    for (const url of ['/oauth/reg/', '/oauth//reg', '/oauth/REG?x=1']) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        payload: { client_name: `Around ${randomUUID()}`, redirect_uris: [redirectUri] },
      });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toContain('application/problem+json');
    }
  });

  it('sweeps expired records away in a worker process', async () => {
    const sessions = t.platform.oauthStore.adapter('Session');
    await sessions.upsert('expired-session-id', { uid: 'expired-uid' }, -60);
    await sessions.upsert('live-session-id', { uid: 'live-uid' }, 600);
    const count = async () =>
      Number(
        (
          await t.platform.database.db
            .selectFrom('oauth_records')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('model', '=', 'Session')
            .where('uid_key', 'in', [keyOf('expired-uid'), keyOf('live-uid')])
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(2);
    t.platform.oauth.startSweeping(60_000);
    await t.platform.oauth.stop();
    expect(await count()).toBe(1);
    expect(await sessions.find('live-session-id')).toBeDefined();
  });
});
