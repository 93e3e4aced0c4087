import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateElm } from '../../src/pathways/elm-shacl.js';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let issuer: Client;
let learner: Client;
let other: Client;
let orgId: string;
let pathwayId: string;
const id: Record<string, string> = {};

const award = async (achievementId: string, to: Client) => {
  const response = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: to.email,
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
};
const walletOf = async (client: Client) =>
  (await request(t.app, client, 'GET', '/api/me/wallet')).json().items as { id: string; name: string }[];

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Northwind Issuer');
  learner = await signUp(t.app, 'Ana Andromeda');
  other = await signUp(t.app, 'Other Learner');
  orgId = await createOrg(t.app, issuer, 'Northwind Academy');
  const profile = await request(t.app, issuer, 'PUT', `/api/orgs/${orgId}/profile`, {
    url: 'https://northwind.test',
    email: 'office@northwind.test',
    country: 'PT',
    qualityAssurance: { accreditingBody: 'A3ES', accreditationId: 'ACC-2024-17' },
  });
  expect(profile.statusCode).toBe(200);
  const course = (title: string, hours: number, ects: number) =>
    sqlDefinition({ title, workloadHours: hours, ectsCredits: ects, prerequisites: [] });
  id.dest = await publishAchievement(t.app, issuer, orgId, course('Cloud Data Engineering certificate', 300, 12));
  id.sql = await publishAchievement(t.app, issuer, orgId, course('SQL', 50, 2));
  id.streams = await publishAchievement(t.app, issuer, orgId, course('Streams', 30, 1));
  const created = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/pathways`, {
    title: 'Cloud Data Engineering',
    description: 'A certificate stacked from two micro-credentials.',
    destination: id.dest,
    requirements: {
      type: 'allOf',
      key: 'all',
      of: [
        { type: 'component', key: 'sql', component: { achievementId: id.sql } },
        { type: 'component', key: 'streams', component: { achievementId: id.streams } },
      ],
    },
  });
  expect(created.statusCode).toBe(201);
  pathwayId = created.json().id;
  expect((await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/pathways/${pathwayId}/publish`)).statusCode).toBe(
    201,
  );
  await award(id.sql!, learner);
  await award(id.streams!, learner);
  await award(id.sql!, other);
  const done = await t.platform.pathways.award({ pathwayId, version: 1, userId: learner.userId });
  expect(done.awarded).toBe(true);
}, 120_000);

afterAll(async () => {
  await t.close();
});

/** The export served, and the same document validated here again, independently of the route's own check. */
async function exported(client: Client | undefined, url: string) {
  const response = client ? await request(t.app, client, 'GET', url) : await t.app.inject({ method: 'GET', url });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
  expect(response.headers['x-elm-shapes']).toContain('EDC-generic-full.ttl');
  const document = response.json() as Json;
  const validation = await validateElm(document);
  expect(validation.violations).toEqual([]);
  expect(response.headers['x-elm-warnings']).toBe(String(validation.warnings.length));
  return { document, validation };
}

describe('European Learning Model export', () => {
  it('serves a published micro-credential as a valid ELM Qualification, to anyone', async () => {
    const { document, validation } = await exported(undefined, `/api/catalog/${id.sql}/elm`);
    expect(validation.warnings).toEqual([]);
    expect(document.type).toBe('Qualification');
    expect(document.title).toEqual({ en: 'SQL' });
    expect(document.volumeOfLearning).toBe('PT50H');
    expect(document.creditPoint.point).toBe('2');
    expect(document.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/5');
    expect(document.awardingOpportunity.awardingBody.legalName).toEqual({ en: 'Northwind Academy' });
    expect(document.awardingOpportunity.awardingBody.location.address.countryCode.id).toBe(
      'http://publications.europa.eu/resource/authority/country/PRT',
    );
    expect(document.accreditation.accreditingAgent.legalName).toEqual({ en: 'A3ES' });
  });

  it("serves a learner's own credential as a valid EuropeanDigitalCredential naming them and the issuer", async () => {
    const sql = (await walletOf(learner)).find((h) => h.name === 'SQL')!;
    const { document, validation } = await exported(learner, `/api/me/wallet/${sql.id}/elm`);
    expect(validation.warnings).toEqual([]);
    expect(document.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(document.credentialSubject.fullName).toEqual({ en: 'Ana Andromeda' });
    expect(document.credentialSubject.contactPoint.emailAddress.id).toBe(`mailto:${learner.email}`);
    const claim = document.credentialSubject.hasClaim;
    expect(claim.title).toEqual({ en: 'SQL' });
    expect(claim.awardedBy.awardingBody.legalName).toEqual({ en: 'Northwind Academy' });
    expect(claim.specifiedBy.learningOutcome.length).toBeGreaterThan(0);
    expect(claim.hasPart).toBeUndefined();
    expect(Date.parse(document.issued)).not.toBeNaN();
  });

  it('serves the awarded pathway as the stacked credential with its components as parts, also by its wallet entry', async () => {
    const { document } = await exported(learner, `/api/me/pathways/${pathwayId}/elm`);
    const claim = document.credentialSubject.hasClaim;
    expect(claim.title).toEqual({ en: 'Cloud Data Engineering certificate' });
    expect(claim.hasPart.map((p: Json) => p.title.en).sort()).toEqual(['SQL', 'Streams']);
    expect(claim.hasPart.map((p: Json) => p.specifiedBy.creditPoint.point).sort()).toEqual(['1', '2']);
    const stacked = (await walletOf(learner)).find((h) => h.name === 'Cloud Data Engineering certificate')!;
    const byHolding = await exported(learner, `/api/me/wallet/${stacked.id}/elm`);
    expect(byHolding.document).toEqual(document);
  });

  it('answers bad input, other learners and unknown ids with 4xx problems', async () => {
    const sql = (await walletOf(learner)).find((h) => h.name === 'SQL')!;
    const cases: [Client | undefined, string, number][] = [
      [other, `/api/me/wallet/${sql.id}/elm`, 404],
      [other, `/api/me/pathways/${pathwayId}/elm`, 409],
      [learner, '/api/me/pathways/not-a-uuid/elm', 404],
      [learner, '/api/me/wallet/not-a-uuid/elm', 404],
      [learner, `/api/me/wallet/${pathwayId}/elm`, 404],
      [undefined, '/api/catalog/not-a-uuid/elm', 404],
      [undefined, `/api/catalog/${pathwayId}/elm`, 404],
      [undefined, `/api/me/wallet/${sql.id}/elm`, 401],
    ];
    for (const [client, url, status] of cases) {
      const response = client ? await request(t.app, client, 'GET', url) : await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // A retired micro-credential is no longer in the catalog, so not exported from it.
    await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${id.streams}/retire`);
    const retired = await t.app.inject({ method: 'GET', url: `/api/catalog/${id.streams}/elm` });
    expect(retired.statusCode).toBe(409);
  });
});
