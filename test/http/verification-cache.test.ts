import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetch } from '../../src/platform/safe-fetch.js';
import { createPlatformVerifier } from '../../src/verification/verifier.js';
import {
  createOrg,
  createTestApp,
  signUp,
  type Client,
  type TestApp,
  issueAchievementCredential,
} from '../helpers/app.js';

/**
 * The verifier caches this instance's DID documents and status lists (and remembers each list's own
 * check): a change made through this instance shows at once, one made elsewhere after at most the TTL.
 */
let t: TestApp;
let owner: Client;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Cache Owner');
  orgId = await createOrg(t.app, owner, 'Cache Institute');
});
afterAll(() => t.close());

const issue = () => issueAchievementCredential(t.app, owner, orgId);

async function verify(verifiableCredential: unknown) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/credentials/verify',
    payload: { verifiableCredential },
  });
  return { status: response.statusCode, body: response.json() };
}

async function revoke(credentialId: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/credentials/status',
    headers: owner.headers,
    payload: { credentialId, credentialStatus: [{ status: 'revoked' }] },
  });
  expect(response.statusCode, response.body).toBe(200);
}

const statusOf = (body: { details: { id: string; status: string; message: string }[] }) =>
  body.details.find((c) => c.id === 'status')!;

describe('verification caches', () => {
  it('shows a revocation made through this instance at once, while the list is cached', async () => {
    const [first, second] = [await issue(), await issue()];
    expect((await verify(first)).status).toBe(200);
    expect((await verify(second)).status).toBe(200); // the list is now cached
    await revoke(first.id as string);
    const after = await verify(first);
    expect(after.status).toBe(422);
    expect(statusOf(after.body).message).toMatch(/revoked/);
    expect((await verify(second)).status).toBe(200);
  });

  it('shows a change made by another process after at most the TTL', async () => {
    let clock = 1_000_000;
    const elsewhere = createPlatformVerifier({
      keys: t.platform.keys,
      issuance: t.platform.issuance,
      fetcher: createSafeFetch(),
      publicUrl: t.platform.config.publicUrl,
      organizationExists: async () => true,
      localTtlMs: 5_000,
      now: () => clock,
    });
    const credential = await issue();
    expect((await elsewhere.verify({ json: credential })).verified).toBe(true);
    await revoke(credential.id as string); // through the app: `elsewhere` is not told
    clock += 4_999;
    expect((await elsewhere.verify({ json: credential })).verified).toBe(true);
    clock += 1;
    const late = await elsewhere.verify({ json: credential });
    expect(late.verified).toBe(false);
    expect(late.checks.find((c) => c.id === 'status')!.message).toMatch(/revoked/);
  });

  it('sees a new key at once after a rotation, though the DID document was cached', async () => {
    expect((await verify(await issue())).status).toBe(200);
    await t.platform.keys.rotate(owner.userId, orgId, 'Ed25519');
    const signedWithNewKey = await issue();
    const result = await verify(signedWithNewKey);
    expect(result.status, JSON.stringify(result.body.errors)).toBe(200);
  });
});
