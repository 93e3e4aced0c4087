import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashedIdentity } from '../../src/vc/identity.js';
import { createOrg, createTestApp, request, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential } from '../helpers/credentials.js';

/**
 * An infrastructure failure while verifying (the database does not answer when a status list or a DID
 * document of this instance is read) is no verdict: callers get 503 "try again", not 422 "not verified",
 * a wallet import is not refused for it, and the failure's own text never reaches the response.
 */
let t: TestApp;
let learner: Client;
let owner: Client;

const secret = 'connection to 10.0.0.7:5432 terminated; password=hunter2';

beforeAll(async () => {
  t = await createTestApp();
  learner = await signUp(t.app, 'Grace Hopper');
  owner = await signUp(t.app, 'Blip Owner');
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

/** A credential for the learner from a new organization, so no list or DID document of it is cached yet. */
async function freshCredential(): Promise<Record<string, unknown>> {
  const orgId = await createOrg(t.app, owner, `Blip ${Math.random()}`);
  const base = achievementCredential();
  const subject = { ...(base.credentialSubject as Record<string, unknown>) };
  delete subject.id;
  subject.identifier = [hashedIdentity(learner.email)];
  const issued = await t.platform.issuance.issue(
    { orgId, profile: await t.platform.catalog.issuerProfile(orgId) },
    { ...base, credentialSubject: subject },
  );
  return issued.verifiableCredential as Record<string, unknown>;
}

const verifyVcApi = (verifiableCredential: unknown) =>
  t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential } });

function expectUnavailable(response: { statusCode: number; body: string; json(): unknown }) {
  expect(response.statusCode, response.body).toBe(503);
  expect(response.json()).toMatchObject({
    type: 'https://skillproof.dev/problems/unavailable',
    detail: 'The credential could not be checked just now. Try again in a moment.',
  });
  expect(response.body).not.toContain('hunter2');
}

describe('a database failure during verification', () => {
  it('reading a status list: 503 from every verify route and the wallet import, then 200 once it answers', async () => {
    const vc = await freshCredential();
    vi.spyOn(t.platform.issuance, 'publishedList').mockRejectedValue(new Error(secret));

    expectUnavailable(await verifyVcApi(vc));
    expectUnavailable(
      await t.app.inject({ method: 'POST', url: '/api/verify', payload: { text: JSON.stringify(vc) } }),
    );
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/verify/batch',
      payload: { items: [{ text: JSON.stringify(vc) }] },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json().results[0]).toMatchObject({
      verdict: 'error',
      headline: 'Could not be checked: The credential could not be checked just now. Try again in a moment.',
    });
    expect(batch.body).not.toContain('hunter2');
    const imported = await request(t.app, learner, 'POST', '/api/me/wallet/import', { text: JSON.stringify(vc) });
    expectUnavailable(imported);
    expect((await request(t.app, learner, 'GET', '/api/me/wallet')).json().total).toBe(0);

    vi.restoreAllMocks();
    expect((await verifyVcApi(vc)).statusCode).toBe(200);
    const retried = await request(t.app, learner, 'POST', '/api/me/wallet/import', { text: JSON.stringify(vc) });
    expect(retried.statusCode, retried.body).toBe(201);
  });

  it("reading the issuer's DID document: 503, not a signature failure", async () => {
    const vc = await freshCredential();
    vi.spyOn(t.platform.keys, 'didDocument').mockRejectedValue(new Error(secret));
    expectUnavailable(await verifyVcApi(vc));
    vi.restoreAllMocks();
    expect((await verifyVcApi(vc)).statusCode).toBe(200);
  });

  it('a credential that fails a check is still "not verified" (422) though another check could not be made', async () => {
    const vc = { ...(await freshCredential()), name: 'Changed after signing' };
    vi.spyOn(t.platform.issuance, 'publishedList').mockRejectedValue(new Error(secret));
    const response = await verifyVcApi(vc);
    expect(response.statusCode).toBe(422);
    const details = response.json().details as { id: string; status: string; message: string }[];
    expect(details.find((c) => c.id === 'proof')?.status).toBe('failed');
    expect(details.find((c) => c.id === 'status')).toEqual({
      id: 'status',
      status: 'unknown',
      message: 'The revocation status could not be checked just now. Try again later.',
    });
    expect(response.body).not.toContain('hunter2');
  });
});
