import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { achievementCredential, issuerDid } from '../helpers/credentials.js';
import { sqlDefinition } from '../helpers/definitions.js';
import { itemsCsv } from '../helpers/items.js';

let t: TestApp;
let owner: Client;
let orgId: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = await signUp(t.app, 'Catalog Owner');
  orgId = await createOrg(t.app, owner, 'Northwind Institute');
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: method === 'GET' ? owner.cookie : owner.headers,
    ...(payload ? { payload } : {}),
  });

describe('micro-credential lifecycle', () => {
  it('drafts, publishes immutable versions, edits into a new version, and retires', async () => {
    const incomplete = await call(
      'POST',
      `/api/orgs/${orgId}/achievements`,
      sqlDefinition({ learningOutcomes: [], workloadHours: 0 }),
    );
    expect(incomplete.statusCode).toBe(201);
    const draft = incomplete.json();
    expect(draft.status).toBe('draft');
    expect(draft.check.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['learningOutcomes', 'workloadHours']),
    );

    const refused = await call('POST', `/api/orgs/${orgId}/achievements/${draft.id}/publish`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('Fix these before publishing');

    await call('PUT', `/api/orgs/${orgId}/achievements/${draft.id}`, sqlDefinition());
    const v1 = await call('POST', `/api/orgs/${orgId}/achievements/${draft.id}/publish`);
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({
      version: 1,
      status: 'published',
      url: `https://skillproof.test/achievements/${draft.id}/versions/1`,
    });
    expect(v1.json().achievement).toMatchObject({
      achievementType: 'MicroCredential',
      creditsAvailable: 2,
      version: '1',
    });

    await call(
      'PUT',
      `/api/orgs/${orgId}/achievements/${draft.id}`,
      sqlDefinition({ title: 'Data Analysis with SQL (2027)' }),
    );
    const v2 = await call('POST', `/api/orgs/${orgId}/achievements/${draft.id}/publish`);
    expect(v2.json().version).toBe(2);
    const first = await t.app.inject({ method: 'GET', url: `/achievements/${draft.id}/versions/1` });
    expect(first.json().name).toBe('Data Analysis with SQL');
    const second = await t.app.inject({ method: 'GET', url: `/achievements/${draft.id}/versions/2` });
    expect(second.json().name).toBe('Data Analysis with SQL (2027)');

    const detail = (await call('GET', `/api/orgs/${orgId}/achievements/${draft.id}`)).json();
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const retired = await call('POST', `/api/orgs/${orgId}/achievements/${draft.id}/retire`);
    expect(retired.json().status).toBe('retired');
    expect((await call('POST', `/api/orgs/${orgId}/achievements/${draft.id}/publish`)).statusCode).toBe(409);
    expect((await call('PUT', `/api/orgs/${orgId}/achievements/${draft.id}`, sqlDefinition())).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: `/achievements/${draft.id}/versions/1` })).statusCode).toBe(200);
  });

  it('refuses malformed definitions with field errors, and HTML stays text', async () => {
    const wrongType = await call('POST', `/api/orgs/${orgId}/achievements`, {
      ...sqlDefinition(),
      workloadHours: 'ten',
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('workloadHours');
    const extra = await call('POST', `/api/orgs/${orgId}/achievements`, { ...sqlDefinition(), secret: true });
    expect(extra.statusCode).toBe(400);
    const html = await call(
      'POST',
      `/api/orgs/${orgId}/achievements`,
      sqlDefinition({ title: '<script>alert(1)</script>' }),
    );
    expect(html.json().draft.title).toBe('<script>alert(1)</script>');
  });
});

describe('public catalog', () => {
  it('finds the newest published version by text, skill, EQF level, workload and issuer', async () => {
    const other = await signUp(t.app, 'Other Issuer');
    const otherOrg = await createOrg(t.app, other, 'Contoso Academy');
    const publish = async (client: Client, org: string, overrides: Parameters<typeof sqlDefinition>[0]) => {
      const created = await t.app.inject({
        method: 'POST',
        url: `/api/orgs/${org}/achievements`,
        headers: client.headers,
        payload: sqlDefinition(overrides),
      });
      await t.app.inject({
        method: 'POST',
        url: `/api/orgs/${org}/achievements/${created.json().id}/publish`,
        headers: client.headers,
      });
      return created.json().id as string;
    };
    // Assessed outside Skillproof: listed once published (a skill test waits for its bank; see below).
    await publish(owner, orgId, {
      title: 'Python for Data',
      assessmentType: 'exam',
      eqfLevel: 4,
      workloadHours: 25,
      ectsCredits: 1,
      skills: [
        { code: 'esco:python', name: 'Python', framework: 'ESCO', url: 'http://data.europa.eu/esco/skill/python' },
      ],
    });
    await publish(other, otherOrg, {
      title: 'Cloud Basics',
      assessmentType: 'project',
      eqfLevel: 6,
      workloadHours: 120,
      ectsCredits: 4,
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgId}/achievements`,
      headers: owner.headers,
      payload: sqlDefinition({ title: 'Unpublished Draft' }),
    });

    const search = async (query: string) =>
      (
        (await t.app.inject({ method: 'GET', url: `/api/catalog?${query}` })).json().achievements as {
          definition: { title: string };
        }[]
      ).map((a) => a.definition.title);
    expect(await search('q=python')).toEqual(['Python for Data']);
    expect(await search('skill=esco:python')).toEqual(['Python for Data']);
    expect(await search('eqf=6')).toEqual(['Cloud Basics']);
    expect(await search('maxHours=30')).toEqual(['Python for Data']);
    expect(await search(`issuer=${otherOrg}`)).toEqual(['Cloud Basics']);
    expect(await search('q=contoso')).toEqual(['Cloud Basics']);
    expect(await search('q=Unpublished')).toEqual([]);
    expect(await search('q=%25')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/catalog?eqf=9' })).statusCode).toBe(400);
  });

  it('lists a skill-test micro-credential only once its bank can serve a test under its policy', async () => {
    const id = (await call('POST', `/api/orgs/${orgId}/achievements`, sqlDefinition({ title: 'Bank Depth' }))).json()
      .id as string;
    expect((await call('POST', `/api/orgs/${orgId}/achievements/${id}/publish`)).statusCode).toBe(201);
    const listed = async () =>
      ((await t.app.inject({ method: 'GET', url: '/api/catalog?q=bank%20depth' })).json().achievements as unknown[])
        .length;
    expect(await listed()).toBe(0);
    // Its own page still answers (a shared link says the test is not open yet).
    expect((await t.app.inject({ method: 'GET', url: `/api/catalog/${id}` })).statusCode).toBe(200);
    const bank = `/api/orgs/${orgId}/achievements/${id}/items`;
    // The default policy (10 questions from 20 items) is met by a small bank.
    expect((await call('POST', `${bank}/import`, { format: 'csv', content: itemsCsv(19) })).statusCode).toBe(201);
    expect(await listed()).toBe(0);
    expect((await call('POST', `${bank}/import`, { format: 'csv', content: itemsCsv(1) })).statusCode).toBe(201);
    expect(await listed()).toBe(1);
    // A stricter policy hides it again until the bank grows.
    const policy = (await call('GET', bank)).json().policy;
    expect(
      (await call('PUT', `/api/orgs/${orgId}/achievements/${id}/test-policy`, { ...policy, length: 10, poolFactor: 3 }))
        .statusCode,
    ).toBe(200);
    expect(await listed()).toBe(0);
  });
});

describe('issuer profile', () => {
  it('carries country and quality assurance into every issued credential', async () => {
    const saved = await call('PUT', `/api/orgs/${orgId}/profile`, {
      url: 'https://northwind.example',
      country: 'PT',
      qualityAssurance: { accreditingBody: 'A3ES', accreditationId: 'ACEF/1920/123', validUntil: '2029-07-31' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await call('PUT', `/api/orgs/${orgId}/profile`, { country: 'XX' })).statusCode).toBe(400);

    const issued = await call('POST', `/issuers/${orgId}/credentials/issue`, {
      credential: achievementCredential({ issuer: issuerDid(orgId) }),
    });
    const issuer = issued.json().verifiableCredential.issuer;
    expect(issuer).toMatchObject({
      name: 'Northwind Institute',
      url: 'https://northwind.example',
      address: { addressCountryCode: 'PT' },
    });
    expect(issuer.otherIdentifier).toContainEqual({
      type: 'IdentifierEntry',
      identifierType: 'ext:AccreditingBody',
      identifier: 'A3ES',
    });
    const verified = await t.app.inject({
      method: 'POST',
      url: '/credentials/verify',
      payload: { verifiableCredential: issued.json().verifiableCredential },
    });
    expect(verified.statusCode).toBe(200);
  });
});
