import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAssessment } from '../../src/assessment/assessment.js';
import { createAssessmentStore } from '../../src/assessment/store.js';
import { createAwarding } from '../../src/issuance/awarding.js';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { itemsCsv } from '../helpers/items.js';

/**
 * Renewal by retesting, on the real database and issuance, with the assessment's and awarding's clock
 * injected: two years on, the credential is about to expire and the learner may test again.
 */
let t: TestApp;
let issuer: Client;
let learner: Client;
let achievementId: string;
let clock = new Date();
const policy = {
  length: 5,
  passMark: 60,
  timeLimitMinutes: 10,
  maxAttempts: 1,
  cooldownHours: 24,
  stratifyBySkill: true,
  maxExposure: 1000,
  poolFactor: 3,
};

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Issuer');
  learner = await signUp(t.app, 'Renewing Learner');
  const orgId = await createOrg(t.app, issuer, 'Northwind');
  const send = (method: 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: issuer.headers, ...(payload ? { payload } : {}) });
  achievementId = (await send('POST', `/api/orgs/${orgId}/achievements`, sqlDefinition({ prerequisites: [] }))).json()
    .id;
  await send('POST', `/api/orgs/${orgId}/achievements/${achievementId}/publish`);
  await send('POST', `/api/orgs/${orgId}/achievements/${achievementId}/items/import`, {
    format: 'csv',
    content: itemsCsv(15),
  });
  await send('PUT', `/api/orgs/${orgId}/achievements/${achievementId}/test-policy`, policy);
});
afterAll(() => t.close());

it('lets a learner retest when the credential expires within 30 days (attempts used, cooldown kept) and issues a new one', async () => {
  const { platform } = t;
  const now = () => clock;
  const awarding = createAwarding({
    issuance: platform.issuance,
    catalog: platform.catalog,
    emailOf: async (userId) => (await platform.accounts.getUser(userId)).email,
    userIdOf: async (email) => (await platform.accounts.findUserByEmail(email))?.id,
    now,
  });
  const assessment = createAssessment({
    store: createAssessmentStore(platform.database.db),
    catalog: platform.catalog,
    isIssuer: (userId, orgId) => platform.accounts.hasRole(userId, orgId, ['issuer']),
    awards: { award: async (attempt, score) => (await awarding.awardForTest(attempt, score, 60)).record.id },
    credentialsHeld: async (userId, id) =>
      (await platform.issuance.ofRecipient(userId))
        .filter((c) => c.achievementId === id)
        .map((c) => ({ validUntil: c.validUntil, revoked: c.revokedAt !== null, suspended: c.suspendedAt !== null })),
    now,
  });
  // Answers by text (the bank's right option reads "Right N"), as the labels this attempt shows them.
  const takeTest = async (answer: 'right' | 'wrong') => {
    const attempt = await assessment.start(learner.userId, achievementId);
    for (const item of attempt.items) {
      const option = item.options.find((o) => o.text.startsWith('Right') === (answer === 'right'))!;
      await assessment.answer(learner.userId, attempt.id, item.id, [option.id]);
    }
    return assessment.submit(learner.userId, attempt.id);
  };
  const refusal = async () => {
    try {
      await assessment.start(learner.userId, achievementId);
      return 'allowed';
    } catch (error) {
      return (error as { details?: { reason?: string } }).details?.reason;
    }
  };
  const credentials = async () =>
    (await platform.issuance.ofRecipient(learner.userId)).filter((c) => c.achievementId === achievementId);

  const start = new Date();
  clock = start;
  const first = await takeTest('right');
  expect(first.score?.passed).toBe(true);
  const [original] = await credentials();
  expect(original!.validUntil!.getFullYear()).toBe(start.getFullYear() + 2);
  expect(await refusal()).toBe('passed');

  // 31 days before expiry: nothing to renew yet.
  clock = new Date(original!.validUntil!.getTime() - 31 * 86_400_000);
  expect(await refusal()).toBe('passed');

  // 10 days before expiry: a retest is allowed although the only attempt is used.
  clock = new Date(original!.validUntil!.getTime() - 10 * 86_400_000);
  const failed = await takeTest('wrong');
  expect(failed.score?.passed).toBe(false);
  expect(await refusal()).toBe('cooldown');

  clock = new Date(clock.getTime() + 25 * 3600_000);
  const renewed = await takeTest('right');
  expect(renewed.score?.passed).toBe(true);
  const all = await credentials();
  expect(all).toHaveLength(2);
  const newest = all.find((c) => c.id === renewed.credentialId)!;
  expect(newest.validUntil!.getTime()).toBeGreaterThan(original!.validUntil!.getTime() + 600 * 86_400_000);
  expect(await refusal()).toBe('passed');

  // Once the renewed credential has expired too, it can be renewed again.
  clock = new Date(newest.validUntil!.getTime() + 86_400_000);
  expect(await refusal()).toBe('allowed');
});

it('does not let a learner without an expiring credential past the attempt limit by asking to renew', async () => {
  const other = await signUp(t.app, 'Other Learner');
  const start = (renew: boolean) =>
    t.app.inject({
      method: 'POST',
      url: `/api/achievements/${achievementId}/attempts${renew ? '?renew=true' : ''}`,
      headers: other.headers,
    });
  const first = await start(false);
  expect(first.statusCode, first.body).toBe(201);
  await t.app.inject({ method: 'POST', url: `/api/attempts/${first.json().id}/submit`, headers: other.headers });
  const again = await start(true);
  expect(again.statusCode).toBe(409);
  expect(again.json().reason).toBe('max-attempts');
});
