import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/assessment/items.js';
import { createAssessmentStore } from '../../src/assessment/store.js';
import { createCatalogStore } from '../../src/catalog/store.js';
import { StoredDataError } from '../../src/platform/db/json-column.js';
import { createReviewStore } from '../../src/review/store.js';
import { createTrustStore } from '../../src/trust/store.js';
import {
  createOrg,
  createTestApp,
  grantRole,
  publishAchievement,
  request,
  signUp,
  type Client,
  type Method,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { sampleRubric } from '../helpers/rubrics.js';

/**
 * The JSONB columns of assessment, review, the catalog and trust are checked against their stored shapes on read: a row that holds
 * something else (written by hand, by an older version, by a bug) fails by name, and over HTTP as a 500 that
 * does not show the text, instead of travelling on under a type it does not have.
 */
let t: TestApp;
let owner: Client;
let learner: Client;
let orgId: string;
// A test of one question from a bank of one.
const policy = { ...defaultPolicy, length: 1, poolFactor: 1 };

const send = (client: Client, method: Method, url: string, payload?: object) =>
  request(t.app, client, method, url, payload);
const db = () => t.platform.database.db;
const published = (assessmentType: 'skill-test' | 'portfolio') =>
  publishAchievement(t.app, owner, orgId, sqlDefinition({ prerequisites: [], assessmentType }));

beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Olive Owner');
  orgId = await createOrg(t.app, owner, 'Northwind');
  await grantRole(t.app, owner, orgId, owner.email, 'assessor');
  learner = await signUp(t.app, 'Lee Learner');
});
afterAll(() => t.close());

async function expectRefusedOverHttp(client: Client, url: string) {
  const response = await send(client, 'GET', url);
  expect(response.statusCode).toBe(500);
  expect(response.body).not.toMatch(/stored|must be/);
}

describe('assessment', () => {
  let achievementId: string;
  let bank: string;
  let attemptId: string;

  beforeAll(async () => {
    achievementId = await published('skill-test');
    bank = `/api/orgs/${orgId}/achievements/${achievementId}`;
    expect((await send(owner, 'PUT', `${bank}/test-policy`, policy)).statusCode).toBe(200);
    const item = { stem: 'Which adds?', options: ['SUM', 'COUNT'], correct: [0], skills: [], difficulty: 1 };
    expect((await send(owner, 'POST', `${bank}/items`, { items: [item] })).statusCode).toBe(201);
    const started = await send(learner, 'POST', `/api/achievements/${achievementId}/attempts`);
    expect(started.statusCode, started.body).toBe(201);
    attemptId = started.json().id;
    const view = started.json();
    const answered = await send(learner, 'PUT', `/api/attempts/${attemptId}/answers/${view.items[0].id}`, {
      chosen: [view.items[0].options[0].id],
    });
    expect(answered.statusCode, answered.body).toBeLessThan(300);
    expect((await send(learner, 'POST', `/api/attempts/${attemptId}/submit`)).statusCode).toBe(200);
  });

  it('reads sound rows as they were written', async () => {
    const store = createAssessmentStore(db());
    expect(await store.policy(achievementId)).toEqual(policy);
    const attempt = (await store.attempt(attemptId))!;
    expect(attempt.policy).toEqual(policy);
    expect(attempt.score).toMatchObject({ total: 1, perSkill: expect.any(Array), items: expect.any(Array) });
    expect(attempt.integrity).toEqual([]);
    expect((await store.items(achievementId))[0]!.options.map((o) => o.text)).toEqual(['SUM', 'COUNT']);
  });

  it('refuses a test policy, an attempt policy, score or integrity signals, or item options of another shape', async () => {
    const store = createAssessmentStore(db());
    await sql`update test_policies set policy = policy || '{"length": "ten"}'::jsonb
      where achievement_id = ${achievementId}`.execute(db());
    await expect(store.policy(achievementId)).rejects.toThrow(
      new StoredDataError(
        `The stored test policy of achievement ${achievementId} is not valid: /length must be integer.`,
      ),
    );
    await expectRefusedOverHttp(owner, `${bank}/items`);

    await sql`update attempts set score = score - 'perSkill' where id = ${attemptId}`.execute(db());
    await expect(store.attempt(attemptId)).rejects.toThrow(
      new StoredDataError(
        `The stored score of attempt ${attemptId} is not valid: the value must have required properties perSkill.`,
      ),
    );
    await sql`update attempts set score = null, integrity = '[{"type": "paste"}]'::jsonb where id = ${attemptId}`.execute(
      db(),
    );
    await expect(store.attempt(attemptId)).rejects.toThrow(
      /^The stored integrity signals of attempt .* \/0 must have required properties at\.$/,
    );
    await sql`update attempts set integrity = '[]'::jsonb, policy = '[]'::jsonb where id = ${attemptId}`.execute(db());
    await expect(store.attempt(attemptId)).rejects.toThrow(
      `The stored test policy of attempt ${attemptId} is not valid`,
    );
    await expectRefusedOverHttp(learner, `/api/attempts/${attemptId}`);

    await sql`update items set options = '[{"id": "a"}]'::jsonb where achievement_id = ${achievementId}`.execute(db());
    await expect(store.items(achievementId)).rejects.toThrow(
      /^The stored options of item .* \/0 must have required properties text\.$/,
    );
  });
});

describe('review', () => {
  let achievementId: string;
  let submissionId: string;

  beforeAll(async () => {
    achievementId = await published('portfolio');
    const rubricUrl = `/api/orgs/${orgId}/achievements/${achievementId}/rubric`;
    expect((await send(owner, 'PUT', rubricUrl, sampleRubric)).statusCode).toBe(200);
    const submitted = await send(learner, 'POST', `/api/achievements/${achievementId}/submissions`, {
      narrative: 'My schema.',
      links: [],
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    submissionId = submitted.json().id;
    const returned = await send(owner, 'POST', `/api/orgs/${orgId}/submissions/${submissionId}/return`, {
      feedback: 'Add the queries.',
      scores: [
        { criterionId: 'design', points: 4 },
        { criterionId: 'queries', points: 0 },
      ],
    });
    expect(returned.statusCode, returned.body).toBe(200);
  });

  it('reads sound rows as they were written', async () => {
    const store = createReviewStore(db());
    expect(await store.rubric(achievementId)).toEqual(sampleRubric);
    expect((await store.submission(submissionId))!.score).toMatchObject({ points: 4, passed: false });
  });

  it('refuses a rubric or a submission score of another shape', async () => {
    const store = createReviewStore(db());
    await sql`update submissions set score = jsonb_set(score, '{points}', '"four"') where id = ${submissionId}`.execute(
      db(),
    );
    await expect(store.submission(submissionId)).rejects.toThrow(
      new StoredDataError(`The stored score of submission ${submissionId} is not valid: /points must be integer.`),
    );
    await expectRefusedOverHttp(learner, `/api/me/submissions`);

    await sql`update rubrics set rubric = '{"criteria": {}, "passPoints": 6}'::jsonb
      where achievement_id = ${achievementId}`.execute(db());
    await expect(store.rubric(achievementId)).rejects.toThrow(
      new StoredDataError(`The stored rubric of achievement ${achievementId} is not valid: /criteria must be array.`),
    );
    await expectRefusedOverHttp(learner, `/api/achievements/${achievementId}/rubric`);
  });
});

describe('trust', () => {
  const name = 'Stored Shape Registry';
  const meta = { created: '2024-01-01', updated: '2024-06-01' };

  it('reads a registry meta as it was written, and refuses one of another shape', async () => {
    const store = createTrustStore(db());
    const did = 'did:web:stored-shape.example';
    await store.saveRegistry({
      name,
      meta,
      entries: [{ did, name: 'Stored', entry: { name: 'Stored' } }],
      importedBy: null,
    });
    expect((await store.listRegistries()).find((r) => r.name === name)!.meta).toEqual(meta);

    await sql`update trust_registries set meta = '["created"]'::jsonb where name = ${name}`.execute(db());
    await expect(store.listRegistries()).rejects.toThrow(
      new StoredDataError(`The stored meta of registry ${name} is not valid: the value must be object.`),
    );
    const admin = await signUp(t.app, 'Ada Admin');
    await t.platform.accounts.grantInstanceAdmin(admin.email);
    await expectRefusedOverHttp(admin, '/api/admin/trust-registries');
    // The registry is taken out again, so nothing after this reads the broken row.
    expect(await store.deleteRegistry(name)).toBe(true);
  });
});

// Last: a broken published definition would break the catalog-wide reads of anything after it.
describe('catalog', () => {
  it('reads a draft and a published definition as they were written', async () => {
    const achievementId = await published('portfolio');
    const store = createCatalogStore(db());
    const definition = sqlDefinition({ prerequisites: [], assessmentType: 'portfolio' });
    expect((await store.find(orgId, achievementId))!.draft).toMatchObject({
      title: definition.title,
      skills: definition.skills,
    });
    expect((await store.version(achievementId, 1))!.definition).toEqual(
      (await store.find(orgId, achievementId))!.draft,
    );
  });

  it('refuses a draft or a published definition of another shape', async () => {
    const store = createCatalogStore(db());
    const drafted = await published('portfolio');
    await sql`update achievements set draft = jsonb_set(draft, '{workloadHours}', '"ten"')
      where id = ${drafted}`.execute(db());
    await expect(store.find(orgId, drafted)).rejects.toThrow(
      new StoredDataError(
        `The stored definition of achievement ${drafted} is not valid: /workloadHours must be number.`,
      ),
    );
    await expectRefusedOverHttp(owner, `/api/orgs/${orgId}/achievements/${drafted}`);

    const versioned = await published('portfolio');
    await sql`update achievement_versions set definition = definition - 'title'
      where achievement_id = ${versioned}`.execute(db());
    await expect(store.version(versioned, 1)).rejects.toThrow(
      new StoredDataError(
        `The stored definition of version 1 of ${versioned} is not valid: the value must have required properties title.`,
      ),
    );
    await expectRefusedOverHttp(owner, `/api/orgs/${orgId}/achievements/${versioned}`);
  });
});
