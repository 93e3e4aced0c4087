import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatus, type StatusListEntry } from '../../src/vc/status-list.js';
import {
  createOrg,
  createTestApp,
  grantRole,
  signUp,
  type Client,
  type TestApp,
  request,
  type Method,
  publishAchievement,
} from '../helpers/app.js';
import { achievementCredential, issuerDid } from '../helpers/credentials.js';

let t: TestApp;
let issuer: Client;
let assessor: Client;
let learner: Client;
let otherIssuer: Client;
let orgId: string;
let otherOrgId: string;
let achievementId: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

interface Listed {
  id: string;
  name: string;
  status: string;
  revocationReason: string | null;
  recipientName: string | null;
  suspendable: boolean;
}
const list = async (query = '') => {
  const response = await send(issuer, 'GET', `/api/orgs/${orgId}/credentials${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { credentials: Listed[]; total: number };
};

async function awardTo(email: string): Promise<{ id: string; vc: Record<string, unknown> }> {
  const response = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email,
    // Several credentials of one micro-credential for the same learner, on purpose.
    allowDuplicate: true,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { id: response.json().credential.id, vc: response.json().verifiableCredential };
}

async function issue(credential: Record<string, unknown>, statusPurpose?: 'suspension') {
  const response = await send(issuer, 'POST', `/issuers/${orgId}/credentials/issue`, {
    credential: { issuer: issuerDid(orgId), ...credential },
    ...(statusPurpose ? { options: { statusPurpose } } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().verifiableCredential as Record<string, unknown> & { id: string };
}

const recordIdOf = async (credentialId: string) =>
  (await list(`?q=&limit=200`)).credentials.find(
    (c) => (c as unknown as { credentialId: string }).credentialId === credentialId,
  )!.id;

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind');
  assessor = await signUp(t.app, 'Assessor');
  await grantRole(t.app, issuer, orgId, assessor.email, 'assessor');
  learner = await signUp(t.app, 'Grace Hopper');
  otherIssuer = await signUp(t.app, 'Other Issuer');
  otherOrgId = await createOrg(t.app, otherIssuer, 'Elsewhere');
  achievementId = await publishAchievement(t.app, issuer, orgId);
});
afterAll(() => t.close());

describe('issued credentials', () => {
  it('are searched by recipient and name, filtered by achievement, status and date, and paged', async () => {
    await awardTo(learner.email);
    await awardTo('someone-without-account@example.org');
    await issue(achievementCredential({ name: 'Kubernetes Basics' }));
    await issue(
      achievementCredential({
        name: 'Expired Badge',
        validFrom: '2020-01-01T00:00:00Z',
        validUntil: '2021-01-01T00:00:00Z',
      }),
    );

    const all = await list();
    expect(all.total).toBe(4);
    const byName = await list('?q=grace');
    expect(byName.credentials.map((c) => c.recipientName)).toEqual(['Grace Hopper']);
    expect((await list(`?q=${encodeURIComponent(learner.email.toUpperCase())}`)).total).toBe(1);
    expect((await list('?q=kubernetes')).credentials.map((c) => c.name)).toEqual(['Kubernetes Basics']);
    expect((await list('?q=%25')).total).toBe(0);
    expect((await list(`?achievementId=${achievementId}`)).total).toBe(2);
    expect((await list('?status=expired')).credentials.map((c) => c.name)).toEqual(['Expired Badge']);
    expect((await list('?status=active')).total).toBe(3);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`?issuedFrom=${today}&issuedTo=${today}`)).total).toBe(4);
    expect((await list('?issuedTo=2020-01-01')).total).toBe(0);
    const page = await list('?limit=3&offset=3');
    expect(page.credentials).toHaveLength(1);
    expect(page.total).toBe(4);

    for (const bad of [
      '?status=gone',
      '?issuedFrom=yesterday',
      '?issuedFrom=2026-02-01&issuedTo=2026-01-01',
      '?limit=0',
    ]) {
      const response = await send(issuer, 'GET', `/api/orgs/${orgId}/credentials${bad}`);
      expect(response.statusCode, bad).toBe(400);
    }
  });

  it('are revoked by their issuer with a reason: the list flips, verification says revoked, the learner sees why', async () => {
    const { id, vc } = await awardTo(learner.email);
    const url = `/api/orgs/${orgId}/credentials/${id}/revoke`;
    expect((await send(issuer, 'POST', url, { reason: '  ' })).statusCode).toBe(400);
    expect((await send(issuer, 'POST', url, {})).statusCode).toBe(400);
    expect((await send(assessor, 'POST', url, { reason: 'no' })).statusCode).toBe(403);
    expect((await send(otherIssuer, 'POST', url, { reason: 'no' })).statusCode).toBe(403);
    expect(
      (await send(otherIssuer, 'POST', `/api/orgs/${otherOrgId}/credentials/${id}/revoke`, { reason: 'no' }))
        .statusCode,
    ).toBe(404);

    const revoked = await send(issuer, 'POST', url, { reason: 'Plagiarised <b>work</b>' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revocationReason: 'Plagiarised <b>work</b>' });
    expect((await send(issuer, 'POST', url, { reason: 'again' })).statusCode).toBe(409);

    const entry = vc.credentialStatus as StatusListEntry;
    const published = await t.app.inject({ method: 'GET', url: new URL(entry.statusListCredential).pathname });
    expect(published.statusCode).toBe(200);
    expect(readStatus(entry, published.json())).toBe(true);

    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(verified.json().verified).toBe(false);
    expect(verified.json().errors).toContainEqual({
      check: 'status',
      message: 'The issuer has revoked this credential.',
    });

    const mine = (await send(learner, 'GET', '/api/me/credentials')).json().credentials as (Listed & {
      validUntil: string | null;
    })[];
    const seen = mine.find((c) => c.id === id)!;
    expect(seen).toMatchObject({ status: 'revoked', revocationReason: 'Plagiarised <b>work</b>' });
    expect(seen.validUntil).toMatch(/^20\d\d-/);
    expect((await list('?status=revoked')).credentials.map((c) => c.id)).toEqual([id]);
  });

  it('are suspended and reinstated when they carry a suspension entry, and only revoked otherwise', async () => {
    const { id } = await awardTo(learner.email);
    const refused = await send(issuer, 'POST', `/api/orgs/${orgId}/credentials/${id}/suspend`);
    expect(refused.statusCode).toBe(409);

    const vc = await issue(achievementCredential({ name: 'Suspendable' }), 'suspension');
    const recordId = await recordIdOf(vc.id);
    const base = `/api/orgs/${orgId}/credentials/${recordId}`;
    const suspended = await send(issuer, 'POST', `${base}/suspend`);
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended', suspendable: true });
    expect((await list('?status=suspended')).credentials.map((c) => c.id)).toEqual([recordId]);
    expect((await send(issuer, 'POST', `${base}/suspend`)).statusCode).toBe(409);
    expect(
      (await send(otherIssuer, 'POST', `/api/orgs/${otherOrgId}/credentials/${recordId}/unsuspend`)).statusCode,
    ).toBe(404);
    const lifted = await send(issuer, 'POST', `${base}/unsuspend`);
    expect(lifted.json()).toMatchObject({ status: 'active' });
    // Revoking a suspension-only credential sets its suspension bit for good.
    const revoked = await send(issuer, 'POST', `${base}/revoke`, { reason: 'Issued in error' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await send(issuer, 'POST', `${base}/unsuspend`)).statusCode).toBe(409);
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: vc },
    });
    expect(verified.json().verified).toBe(false);
  });
});

describe('a status change shows in the next verification', () => {
  const verify = async (verifiableCredential: unknown) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential },
    });
    const status = (response.json().details as { id: string; message: string }[]).find((c) => c.id === 'status');
    return { code: response.statusCode, status: status?.message };
  };
  const setStatus = async (credentialId: string, status: string) => {
    const response = await send(issuer, 'POST', '/credentials/status', {
      credentialId,
      credentialStatus: [{ status }],
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const plainVc = () => ({
    // The OB context defines the issuer's Profile type; without OpenBadgeCredential it is a plain VC.
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential'],
    credentialSubject: { id: 'did:example:learner-1', name: 'Plain' },
  });

  // Every shape of status entry the issuer writes: an Open Badge carries one entry (revocation, or suspension
  // on request), any other VC both. Each is verified first, so the instance's status-list cache is warm.
  // A suspension-only credential is revoked by setting its suspension bit for good, so a verifier sees it suspended.
  const shapes: [string, () => Promise<Record<string, unknown> & { id: string }>, string][] = [
    [
      'an Open Badge with a revocation entry',
      () => issue(achievementCredential({ name: 'Revocation only' })),
      'The issuer has revoked this credential.',
    ],
    [
      'an Open Badge with a suspension entry',
      () => issue(achievementCredential({ name: 'Suspension only' }), 'suspension'),
      'The issuer has suspended this credential.',
    ],
    ['a VC with both entries', () => issue(plainVc()), 'The issuer has revoked this credential.'],
  ];
  for (const [shape, make, revoked] of shapes) {
    it(`revoking ${shape}`, async () => {
      const vc = await make();
      expect(await verify(vc)).toMatchObject({ code: 200 });
      await setStatus(vc.id, 'revoked');
      expect(await verify(vc)).toEqual({ code: 422, status: revoked });
    });
  }

  for (const [shape, make] of shapes.slice(1)) {
    it(`suspending and reinstating ${shape}`, async () => {
      const vc = await make();
      expect(await verify(vc)).toMatchObject({ code: 200 });
      await setStatus(vc.id, 'suspended');
      expect(await verify(vc)).toMatchObject({ code: 422, status: expect.stringMatching(/suspended/) });
      await setStatus(vc.id, 'unsuspended');
      expect(await verify(vc)).toMatchObject({ code: 200 });
    });
  }
});

describe('POST /credentials/status', () => {
  const status = (client: Client, credentialId: string, credentialStatus: object[]) =>
    send(client, 'POST', '/credentials/status', { credentialId, credentialStatus });
  const stateOf = async (credentialId: string) =>
    (await list('?limit=200')).credentials.find(
      (c) => (c as unknown as { credentialId: string }).credentialId === credentialId,
    )!.status;

  it('checks the role before looking the credential up: no issuer role, the same 403 whether it exists or not', async () => {
    const vc = await issue(achievementCredential({ name: 'Probed' }));
    const nobody = await signUp(t.app, 'Prober');
    for (const id of [vc.id, 'urn:uuid:00000000-0000-4000-8000-000000000000']) {
      const response = await status(nobody, id, [{ status: 'revoked' }]);
      expect(response.statusCode, id).toBe(403);
      expect(response.json()).toMatchObject({
        type: 'https://skillproof.dev/problems/forbidden',
        detail: 'You are not an issuer in any organization.',
      });
      // An assessor of the issuing organization issues nowhere either.
      expect((await status(assessor, id, [{ status: 'revoked' }])).statusCode, id).toBe(403);
    }
    // An issuer elsewhere: another organization's credential is as unknown as one that does not exist.
    const elsewhere = await status(otherIssuer, vc.id, [{ status: 'revoked' }]);
    const missing = await status(otherIssuer, 'urn:uuid:00000000-0000-4000-8000-000000000000', [{ status: 'revoked' }]);
    expect([elsewhere.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(elsewhere.json().detail).toBe(missing.json().detail);
    expect(await stateOf(vc.id)).toBe('active');
  });

  it('applies all of a request’s changes or none', async () => {
    const vc = await issue(achievementCredential({ name: 'All or none' }), 'suspension');
    // The second entry is malformed (a revocation cannot be lifted): the first must not be applied.
    const malformed = await status(issuer, vc.id, [
      { status: 'suspended' },
      { statusPurpose: 'revocation', status: 'active' },
    ]);
    expect(malformed.statusCode, malformed.body).toBe(400);
    expect(await stateOf(vc.id)).toBe('active');
    // The second entry conflicts with the state the first leaves: neither is applied.
    const conflicting = await status(issuer, vc.id, [{ status: 'suspended' }, { status: 'suspended' }]);
    expect(conflicting.statusCode, conflicting.body).toBe(409);
    expect(await stateOf(vc.id)).toBe('active');
    const published = async () => {
      const entry = vc.credentialStatus as StatusListEntry;
      return readStatus(
        entry,
        (await t.app.inject({ method: 'GET', url: new URL(entry.statusListCredential).pathname })).json(),
      );
    };
    expect(await published()).toBe(false);
    // Both valid: suspended, then revoked for good, in one request.
    const both = await status(issuer, vc.id, [{ status: 'suspended' }, { status: 'revoked', reason: 'Both' }]);
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json()).toMatchObject({ status: 'revoked', revocationReason: 'Both' });
    expect(await published()).toBe(true);
  });
});
