import { afterAll, beforeAll, expect, it } from 'vitest';
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

// Issue 17, 5: skills are shown as skills, and the EU elements as labelled facts in plain words, on the public
// page, the wallet cards and the verify results.
let t: TestApp;
let issuer: Client;
let learner: Client;
let orgId: string;
let achievementId: string;

beforeAll(async () => {
  t = await createTestApp();
  issuer = await signUp(t.app, 'Iris Issuer');
  orgId = await createOrg(t.app, issuer, 'Northwind Academy');
  learner = await signUp(t.app, 'Grace Hopper');
  achievementId = await publishAchievement(
    t.app,
    issuer,
    orgId,
    sqlDefinition({ prerequisites: [], workloadHours: 25, ectsCredits: 1, eqfLevel: 4 }),
  );
});
afterAll(() => t.close());

const section = (html: string, id: string) => {
  const start = html.indexOf(`aria-labelledby="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
};

it('keeps the EU elements out of the skills and states them as labelled facts', async () => {
  const awarded = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
  });
  expect(awarded.statusCode, awarded.body).toBe(201);

  const wallet = await request(t.app, learner, 'GET', '/api/me/wallet');
  const [item] = wallet.json().items;
  expect(item.skills.map((s: { name: string }) => s.name)).toEqual(['SQL']);
  expect(item.facts).toEqual([
    { label: 'Workload', value: '25 hours · 1 ECTS credit' },
    { label: 'Level', value: 'EQF level 4 · national level NQF 5' },
    { label: 'Assessment', value: 'skill test, online' },
    { label: 'Quality assurance', value: 'accredited' },
    { label: 'Valid for', value: '2 years' },
    { label: 'Stacks into', value: 'Counts towards the Data Analyst pathway.' },
  ]);

  const detail = await request(t.app, learner, 'GET', `/api/me/wallet/${item.id}`);
  const credential = detail.json().document;
  const verified = await t.app.inject({
    method: 'POST',
    url: '/api/verify',
    payload: { text: JSON.stringify(credential) },
  });
  expect(verified.statusCode, verified.body).toBe(200);
  const summary = verified.json().summary;
  expect(summary.skills.map((s: { name: string }) => s.name)).toEqual(['SQL']);
  expect(summary.facts).toEqual(item.facts);
  expect(summary.learningOutcomes).toHaveLength(3);

  const shared = await request(t.app, learner, 'POST', `/api/me/wallet/${item.id}/share`);
  const page = await t.app.inject({ method: 'GET', url: new URL(shared.json().url).pathname });
  expect(page.statusCode).toBe(200);
  const skills = section(page.body, 'skills');
  expect(skills).toContain('<li>SQL</li>');
  for (const raw of ['hours', 'EQF', 'skill-test', 'online', 'P2Y', 'Write SELECT']) expect(skills).not.toContain(raw);
  const facts = section(page.body, 'eu-facts');
  expect(facts).toContain('Micro-credential facts');
  expect(facts).toContain('<dt>Workload</dt><dd>25 hours · 1 ECTS credit</dd>');
  expect(facts).toContain('<dt>Assessment</dt><dd>skill test, online</dd>');
  expect(facts).toContain('<dt>Valid for</dt><dd>2 years</dd>');
  expect(facts).toContain('<li>Write SELECT queries with joins and aggregates</li>');
});
