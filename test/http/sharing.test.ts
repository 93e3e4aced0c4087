import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { sqlDefinition } from '../helpers/definitions.js';

let t: TestApp;
let issuer: Client;
let learner: Client;
let other: Client;
let orgId: string;
let achievementId: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);
const anonymous = (url: string, accept = 'text/html') => t.app.inject({ method: 'GET', url, headers: { accept } });

async function award(email = learner.email, achievement = achievementId): Promise<string> {
  const response = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievement}/awards`, {
    email,
    // Several credentials of one micro-credential for the same learner, on purpose.
    allowDuplicate: true,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().credential.id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind "Academy"');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');
  achievementId = await publishAchievement(t.app, issuer, orgId);
});
afterAll(() => t.close());

it('shares a credential at an unguessable URL that verifies on view, then revokes and withdraws', async () => {
  const holdingId = await award();
  // Private by default.
  expect((await send(learner, 'GET', `/api/me/wallet/${holdingId}/share`)).json().share).toBeNull();

  const shared = await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`, {
    displayName: '<script>alert(1)</script> "Grace"',
  });
  expect(shared.statusCode, shared.body).toBe(200);
  const share = shared.json();
  expect(share.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
  expect(share.url).toBe(`https://skillproof.test/c/${share.token}`);
  // Verifying the link to this instance's own page is answered from its own data, never fetched or refused.
  for (const url of [share.url, `${share.url}/credential`]) {
    const checked = await t.app.inject({ method: 'POST', url: '/api/verify', payload: { url } });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json().verified, checked.body).toBe(true);
  }
  // Sharing again returns the same live link.
  const repeat = await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`);
  expect(repeat.statusCode, repeat.body).toBe(200);
  expect((await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`)).json().token).toBe(share.token);
  // Nobody else can share it.
  expect((await send(other, 'POST', `/api/me/wallet/${holdingId}/share`)).statusCode).toBe(404);

  const linkedIn = new URL(share.links.linkedInProfile);
  expect(linkedIn.origin + linkedIn.pathname).toBe('https://www.linkedin.com/profile/add');
  expect(linkedIn.searchParams.get('startTask')).toBe('CERTIFICATION_NAME');
  expect(linkedIn.searchParams.get('organizationName')).toBe('Northwind "Academy"');
  expect(linkedIn.searchParams.get('certUrl')).toBe(share.url);
  expect(linkedIn.searchParams.get('issueYear')).toBe(String(new Date().getUTCFullYear()));
  expect(share.links.embed).toContain(`src="${share.url}/embed"`);
  expect(share.links.embed).not.toContain('"Academy"'); // quotes escaped inside the attribute and text

  const page = await anonymous(`/c/${share.token}`);
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toContain('text/html');
  expect(page.body).toContain('>Verified<');
  expect(page.body).not.toContain('<script>');
  expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;Grace&quot;');
  expect(page.body).toMatch(
    /<meta property="og:title" content="&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;Grace&quot;: /,
  );
  expect(page.body).toContain('property="og:description"');
  expect(page.body).toContain('name="twitter:card"');
  expect(page.body).toContain('Issued by');
  expect(page.body.length).toBeLessThan(100_000);
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");

  const json = await anonymous(`/c/${share.token}`, 'application/vc+ld+json');
  expect(json.statusCode).toBe(200);
  expect(json.headers['content-type']).toContain('application/vc+ld+json');
  expect(json.json().type).toContain('VerifiableCredential');
  expect((await anonymous(`/c/${share.token}`, 'application/vc+jwt')).statusCode).toBe(406);
  // What a verifier fetching the URL sends: it accepts either, and gets the credential as held.
  const either = await anonymous(
    `/c/${share.token}`,
    'application/vc+jwt, application/vc+ld+json;q=0.9, text/html;q=0.1',
  );
  expect(either.headers['content-type']).toContain('application/vc+ld+json');
  expect((await anonymous(`/c/${share.token}`, '*/*')).headers['content-type']).toContain('text/html');

  // Bad input to the share route is a problem, not a crash.
  const url = `/api/me/wallet/${holdingId}/share`;
  expect((await send(learner, 'POST', url, { displayName: 'x'.repeat(121) })).statusCode).toBe(400);
  expect((await send(learner, 'POST', url, { displayName: 42 })).statusCode).toBe(400);
  expect((await send(learner, 'POST', url, { other: true })).statusCode).toBe(400);
  expect((await send(learner, 'POST', '/api/me/wallet/not-a-uuid/share')).statusCode).toBe(404);

  const embed = await anonymous(`/c/${share.token}/embed`);
  expect(embed.statusCode).toBe(200);
  expect(embed.headers['x-frame-options']).toBeUndefined();
  expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');

  const revoked = await send(issuer, 'POST', `/api/orgs/${orgId}/credentials/${holdingId}/revoke`, {
    reason: 'Issued in error',
  });
  expect(revoked.statusCode, revoked.body).toBeLessThan(300);
  const afterRevoke = await anonymous(`/c/${share.token}`);
  expect(afterRevoke.body).toContain('>Revoked<');
  expect(afterRevoke.body).toContain('revoked');

  // Two more visitors: another address, and another browser at the same address.
  const visit = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'GET',
      url: `/c/${share.token}`,
      headers: { accept: 'text/html', ...headers },
      remoteAddress,
    });
  expect((await visit({ 'user-agent': 'Elsewhere' }, '203.0.113.7')).statusCode).toBe(200);
  expect((await visit({ 'user-agent': 'Another browser' })).statusCode).toBe(200);
  expect((await visit({ 'user-agent': 'Another browser' })).statusCode).toBe(200);

  const sharing = await send(learner, 'GET', '/api/me/sharing');
  expect(sharing.json().shares).toEqual([
    // One view per visitor per hour: the first visitor's three HTML views (the page, the */* request, after
    // revocation) count once, and each other visitor once; the credential fetches are no page views.
    expect.objectContaining({ holdingId, live: true, views: 3, url: share.url }),
  ]);

  expect((await send(learner, 'DELETE', `/api/me/wallet/${holdingId}/share`)).statusCode).toBe(204);
  expect((await anonymous(`/c/${share.token}`)).statusCode).toBe(410);
  expect((await anonymous(`/c/${share.token}`, 'application/vc+ld+json')).statusCode).toBe(410);
  expect((await anonymous(`/c/${share.token}/embed`)).statusCode).toBe(410);
  expect((await send(learner, 'DELETE', `/api/me/wallet/${holdingId}/share`)).statusCode).toBe(404);

  // Sharing again after a withdrawal makes a new token; the old one stays gone.
  const again = (await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`)).json();
  expect(again.token).not.toBe(share.token);
  expect((await anonymous(`/c/${share.token}`)).statusCode).toBe(410);
  expect((await anonymous(`/c/${again.token}`)).statusCode).toBe(200);
});

it('answers 404 for unknown or malformed tokens', async () => {
  expect((await anonymous(`/c/${'A'.repeat(43)}`)).statusCode).toBe(404);
  expect((await anonymous('/c/short')).statusCode).toBe(404);
  expect((await anonymous(`/c/${'A'.repeat(43)}`, 'application/vc+ld+json')).statusCode).toBe(404);
  expect((await anonymous('/u/nobody-here')).statusCode).toBe(404);
});

it('records share actions, and the issuer sees the share rate per achievement', async () => {
  // A micro-credential of its own, so the counts are this test's alone.
  const own = (
    await send(issuer, 'POST', `/api/orgs/${orgId}/achievements`, sqlDefinition({ prerequisites: [] }))
  ).json().id as string;
  await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${own}/publish`);
  const holdingId = await award(learner.email, own);
  await award(other.email, own); // issued, never shared
  const recorded = await send(learner, 'POST', `/api/me/wallet/${holdingId}/share-events`, {
    kind: 'linkedin-profile',
  });
  expect(recorded.statusCode).toBe(204);
  expect((await send(learner, 'POST', `/api/me/wallet/${holdingId}/share-events`, { kind: 'view' })).statusCode).toBe(
    400,
  );
  expect((await send(other, 'POST', `/api/me/wallet/${holdingId}/share-events`, { kind: 'copy' })).statusCode).toBe(
    404,
  );

  const token = (await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`)).json().token;
  await anonymous(`/c/${token}`);
  const counts = (await send(learner, 'GET', `/api/me/wallet/${holdingId}/share`)).json().counts;
  expect(counts).toEqual({ views: 1, actions: { 'linkedin-profile': 1 } });

  const stats = await send(issuer, 'GET', `/api/orgs/${orgId}/share-stats`);
  expect(stats.statusCode).toBe(200);
  const row = stats.json().achievements.find((a: { achievementId: string }) => a.achievementId === own);
  // Two issued, one of them shared and viewed once.
  expect(row).toMatchObject({ issued: 2, shared: 1, views: 1, shareRate: 0.5 });
  expect(row.name).toBeTruthy();
  expect((await send(learner, 'GET', `/api/orgs/${orgId}/share-stats`)).statusCode).toBe(403);
});

it('makes a printable PDF certificate of a shared credential; a GET never shares', async () => {
  const holdingId = await award();
  const refused = await send(learner, 'GET', `/api/me/wallet/${holdingId}/certificate.pdf`);
  expect(refused.statusCode, refused.body).toBe(409);
  expect(refused.json().detail).toMatch(/Make it public first/);
  // Nothing was shared, and nothing was recorded.
  const still = (await send(learner, 'GET', `/api/me/wallet/${holdingId}/share`)).json();
  expect(still.share).toBeNull();
  expect((await send(learner, 'GET', '/api/me/sharing')).json().shares).not.toContainEqual(
    expect.objectContaining({ holdingId }),
  );
  expect((await send(learner, 'POST', `/api/me/wallet/${holdingId}/share`, {})).statusCode).toBeLessThan(300);
  const pdf = await send(learner, 'GET', `/api/me/wallet/${holdingId}/certificate.pdf`);
  expect(pdf.statusCode, pdf.body).toBe(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  const share = (await send(learner, 'GET', `/api/me/wallet/${holdingId}/share`)).json();
  expect(share.share.url).toMatch(/\/c\//);
  expect(share.counts.actions).toEqual({ certificate: 1 });
});

it('publishes an opt-in profile of the chosen credentials', async () => {
  const holdingId = await award();
  const initial = (await send(learner, 'GET', '/api/me/profile')).json();
  expect(initial).toMatchObject({ enabled: false, displayName: 'Grace Hopper', url: null });

  expect(
    (
      await send(learner, 'PUT', '/api/me/profile', {
        handle: 'Bad Handle!',
        displayName: 'Grace',
        enabled: true,
        holdingIds: [],
      })
    ).statusCode,
  ).toBe(400);
  const saved = await send(learner, 'PUT', '/api/me/profile', {
    handle: 'grace-hopper',
    displayName: 'Grace <b>H</b>',
    enabled: false,
    holdingIds: [holdingId],
  });
  expect(saved.statusCode, saved.body).toBe(200);
  expect((await anonymous('/u/grace-hopper')).statusCode).toBe(404); // not enabled yet
  expect(
    (
      await send(other, 'PUT', '/api/me/profile', {
        handle: 'grace-hopper',
        displayName: 'X',
        enabled: true,
        holdingIds: [],
      })
    ).statusCode,
  ).toBe(409);
  expect(
    (
      await send(other, 'PUT', '/api/me/profile', {
        handle: 'other-one',
        displayName: 'X',
        enabled: true,
        holdingIds: [holdingId],
      })
    ).statusCode,
  ).toBe(404);

  await send(learner, 'PUT', '/api/me/profile', {
    handle: 'grace-hopper',
    displayName: 'Grace <b>H</b>',
    enabled: true,
    holdingIds: [holdingId],
  });
  const profile = await anonymous('/u/grace-hopper');
  expect(profile.statusCode).toBe(200);
  expect(profile.body).toContain('Grace &lt;b&gt;H&lt;/b&gt;');
  expect(profile.body).toContain('>Verified<');
  // Withdrawing the credential's share takes it off the profile.
  await send(learner, 'DELETE', `/api/me/wallet/${holdingId}/share`);
  expect((await anonymous('/u/grace-hopper')).body).toContain('No credentials are shared here yet.');
});

it('reminds a learner to share a credential three days after earning it, until shared or dismissed', async () => {
  const fresh = await signUp(t.app, 'Remi Reminded');
  const holdingId = await award(fresh.email);
  expect((await send(fresh, 'GET', '/api/me/reminders')).json().reminders).toEqual([]);
  // Earned four days ago (issued_at is written once by the database, so this goes around the typed builder).
  await sql`update credentials set issued_at = now() - interval '4 days' where id = ${holdingId}`.execute(
    t.platform.database.db,
  );
  const due = (await send(fresh, 'GET', '/api/me/reminders')).json().reminders;
  expect(due).toEqual([expect.objectContaining({ holdingId })]);
  expect((await send(fresh, 'POST', `/api/me/reminders/${holdingId}/dismiss`)).statusCode).toBe(204);
  expect((await send(fresh, 'GET', '/api/me/reminders')).json().reminders).toEqual([]);
  expect((await send(other, 'POST', `/api/me/reminders/${holdingId}/dismiss`)).statusCode).toBe(404);
});
