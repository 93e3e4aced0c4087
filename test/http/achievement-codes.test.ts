import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrg, createTestApp, request, signUp, type Client, type TestApp } from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';

// Issue 17, 4: a human-readable code for each micro-credential (OB 3.0 humanCode), unique in its organization,
// given one when the issuer chooses none, in the signed achievement, searchable, and accepted in bulk CSVs.
let t: TestApp;
let issuer: Client;
let orgId: string;
let otherOrg: string;

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind Academy');
  otherOrg = await createOrg(t.app, issuer, 'Other Academy');
});
afterAll(() => t.close());

const create = (org: string, overrides: object = {}) =>
  request(t.app, issuer, 'POST', `/api/orgs/${org}/achievements`, sqlDefinition({ prerequisites: [], ...overrides }));

it('gives each micro-credential a code, unique in its organization in any case', async () => {
  const first = await create(orgId);
  expect(first.statusCode, first.body).toBe(201);
  expect(first.json().code).toBe('DAS-001');
  expect(first.json().draft.humanCode).toBe('DAS-001');
  expect((await create(orgId)).json().code).toBe('DAS-002');

  // Assessed by a project: a skill test with no item bank stays out of the catalog.
  const chosen = await create(orgId, {
    title: 'Relational modelling',
    humanCode: ' sql-101 ',
    assessmentType: 'project',
  });
  expect(chosen.statusCode, chosen.body).toBe(201);
  expect(chosen.json().code).toBe('SQL-101');
  const taken = await create(orgId, { humanCode: 'Sql-101' });
  expect(taken.statusCode).toBe(409);
  expect(taken.json().errors).toEqual([expect.objectContaining({ field: 'humanCode' })]);
  expect(taken.json().detail).toContain('SQL-101');
  // Another organization may use the same code.
  expect((await create(otherOrg, { humanCode: 'SQL-101' })).json().code).toBe('SQL-101');
  for (const bad of ['x', 'has space', 'ÄÖ-1', '-LEADING', 'A'.repeat(25)]) {
    const refused = await create(orgId, { humanCode: bad });
    expect(refused.statusCode, bad).toBe(400);
  }

  // Editing keeps the code unless another is chosen; taking a sibling's is refused.
  const id = chosen.json().id as string;
  const url = `/api/orgs/${orgId}/achievements/${id}`;
  const { humanCode: _omitted, ...withoutCode } = chosen.json().draft;
  const kept = await request(t.app, issuer, 'PUT', url, withoutCode);
  expect(kept.json().code).toBe('SQL-101');
  expect((await request(t.app, issuer, 'PUT', url, { ...withoutCode, humanCode: 'das-001' })).statusCode).toBe(409);
  const renamed = await request(t.app, issuer, 'PUT', url, { ...withoutCode, humanCode: 'SQL-102' });
  expect(renamed.json().code).toBe('SQL-102');

  // Published: the signed achievement carries it, the catalog shows it and finds it.
  const published = await request(t.app, issuer, 'POST', `${url}/publish`);
  expect(published.statusCode, published.body).toBe(201);
  expect(published.json().achievement.humanCode).toBe('SQL-102');
  expect(published.json().code).toBe('SQL-102');
  const served = await t.app.inject({ method: 'GET', url: new URL(published.json().url).pathname });
  expect(served.json().humanCode).toBe('SQL-102');
  const found = (await t.app.inject({ method: 'GET', url: '/api/catalog?q=sql-102' })).json().achievements;
  expect(found.map((a: { achievementId: string }) => a.achievementId)).toEqual([id]);

  // A bulk CSV may name it by its code, in any case.
  const csv = 'email,name,achievement,score,date,narrative,evidence_url\nada@example.org,Ada,Sql-102,,,,\n';
  const preview = await t.app.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/bulk-issuance/preview`,
    headers: { ...issuer.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(preview.statusCode, preview.body).toBe(200);
  expect(preview.json().rows[0]).toMatchObject({ status: 'ok', achievementId: id });
});
