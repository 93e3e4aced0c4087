import { randomUUID } from 'node:crypto';
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

let t: TestApp;
let issuer: Client;
let learner: Client;
let other: Client;
let orgId: string;
let achievementId: string;

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind');
  learner = await signUp(t.app, 'Grace Hopper');
  other = await signUp(t.app, 'Someone Else');
  achievementId = await publishAchievement(t.app, issuer, orgId);
});
afterAll(() => t.close());

it('holds issued and imported credentials under one id space, each visible to its holder only', async () => {
  const award = await send(issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  expect(award.statusCode, award.body).toBe(201);
  const issuedId = award.json().credential.id as string;

  const { wallet } = t.platform;
  const importedId = randomUUID();
  const document = JSON.stringify({ id: 'urn:uuid:imported', name: 'Imported Badge' });
  const imported = {
    id: importedId,
    userId: learner.userId,
    format: 'ldp_vc' as const,
    document,
    digest: 'digest-1',
    source: 'json' as const,
    sourceUrl: null,
    credentialId: 'urn:uuid:imported',
    issuerId: 'did:web:elsewhere.example',
    name: 'Imported Badge',
    validFrom: null,
    validUntil: null,
  };
  expect(await wallet.storeImported(imported)).toBe('stored');
  // The same document again is refused, and the first import is kept as it was.
  expect(await wallet.storeImported({ ...imported, id: randomUUID(), name: 'Replacement' })).toBe('duplicate');

  const holdings = await wallet.holdings(learner.userId);
  expect(holdings.map((h) => [h.kind, h.id]).sort()).toEqual(
    [
      ['imported', importedId],
      ['issued', issuedId],
    ].sort(),
  );
  expect((await wallet.holding(learner.userId, importedId)).name).toBe('Imported Badge');
  expect((await wallet.holding(learner.userId, issuedId)).issued?.achievementId).toBe(achievementId);
  expect((await wallet.find(issuedId))?.userId).toBe(learner.userId);
  expect(await wallet.find('not-a-uuid')).toBeUndefined();
  expect(await wallet.find(randomUUID())).toBeUndefined();

  // Someone else's holding reads exactly like a missing one.
  await expect(wallet.holding(other.userId, issuedId)).rejects.toMatchObject({ code: 'not-found' });
  await expect(wallet.holding(other.userId, importedId)).rejects.toMatchObject({ code: 'not-found' });
  expect(await wallet.holdings(other.userId)).toEqual([]);
});
