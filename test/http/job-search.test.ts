import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCountJob } from '../helpers/sample-count.js';
import { createOrg, createTestApp, grantRole, request, signUp, type Client, type TestApp } from '../helpers/app.js';

let t: TestApp;
let employer: Client;
let orgId: string;
const skill: Record<string, { code: string; url: string }> = {};
const ids: Record<string, string> = {};

const esco = async (name: string) => {
  const found = (
    await t.app.inject({ method: 'GET', url: `/api/skills?framework=ESCO&limit=5&q=${encodeURIComponent(name)}` })
  ).json();
  const exact = found.skills.find((s: { name: string }) => s.name === name);
  if (!exact) throw new Error(`no ESCO skill ${name}`);
  return { code: exact.code as string, url: (exact.url ?? exact.code) as string };
};
const search = (query: string) => t.app.inject({ method: 'GET', url: `/api/jobs${query}` });
const post = async (title: string, status: string, skills: string[], extra: object = {}) => {
  const created = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, {
    title,
    kind: 'job',
    status,
    skills: skills.map((name, i) => ({ skill: skill[name]!.code, weight: 5 - i, required: i === 0 })),
    ...extra,
  });
  if (created.statusCode !== 201) throw new Error(`job failed: ${created.body}`);
  return created.json().job.id as string;
};
const titles = (body: { jobs: { title: string }[] }) => body.jobs.map((j) => j.title).sort();

beforeAll(async () => {
  t = await createTestApp();
  t.platform.queue.define(sampleCountJob(t.platform.database.db));
  await t.platform.skills.loadBundled();
  for (const name of ['SQL', 'JavaScript', 'Haskell']) skill[name] = await esco(name);
  employer = await signUp(t.app, 'Search Employer');
  orgId = await createOrg(t.app, employer, 'Search Employer Ltd');
  await grantRole(t.app, employer, orgId, employer.email, 'employer');
  ids.frontend = await post('Frontend developer', 'open', ['JavaScript', 'SQL'], {
    description: 'Build our web shop',
    location: 'Lyon',
    remote: true,
  });
  ids.analyst = await post('Data analyst', 'open', ['SQL'], { description: 'Reports on the WEB traffic' });
  ids.draft = await post('Secret web draft', 'draft', ['JavaScript']);
  ids.closed = await post('Closed web role', 'open', ['JavaScript']);
  const closed = await request(t.app, employer, 'PUT', `/api/orgs/${orgId}/jobs/${ids.closed}`, {
    title: 'Closed web role',
    kind: 'job',
    status: 'closed',
    skills: [{ skill: skill['JavaScript']!.code, weight: 3 }],
  });
  expect(closed.statusCode, closed.body).toBe(200);
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/jobs: the public search of open jobs', () => {
  it('lists open jobs only, for anyone, with their organization and weighted skills', async () => {
    const all = await search('');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBe(2);
    expect(titles(all.json())).toEqual(['Data analyst', 'Frontend developer']);
    const frontend = all.json().jobs.find((j: { id: string }) => j.id === ids.frontend);
    expect(frontend).toEqual({
      id: ids.frontend,
      title: 'Frontend developer',
      orgName: 'Search Employer Ltd',
      kind: 'job',
      location: 'Lyon',
      remote: true,
      skills: [
        { skill: skill['JavaScript']!.code, label: 'JavaScript', required: true, weight: 5 },
        { skill: skill['SQL']!.code, label: 'SQL', required: false, weight: 4 },
      ],
    });
    const ids_ = all.json().jobs.map((j: { id: string }) => j.id);
    expect(ids_).not.toContain(ids.draft);
    expect(ids_).not.toContain(ids.closed);
  });

  it('matches q in the title or description, whatever the case; drafts and closed jobs never match', async () => {
    const web = (await search('?q=WeB')).json();
    expect(titles(web)).toEqual(['Data analyst', 'Frontend developer']);
    expect(titles((await search('?q=analyst')).json())).toEqual(['Data analyst']);
    expect(titles((await search('?q=secret')).json())).toEqual([]);
    expect((await search('?q=closed')).json().total).toBe(0);
    // LIKE wildcards are text, not patterns.
    expect((await search('?q=%25')).json().total).toBe(0);
  });

  it('filters by a skill code or URI', async () => {
    expect(titles((await search(`?skill=${encodeURIComponent(skill['SQL']!.code)}`)).json())).toEqual([
      'Data analyst',
      'Frontend developer',
    ]);
    expect(titles((await search(`?skill=${encodeURIComponent(skill['JavaScript']!.url)}`)).json())).toEqual([
      'Frontend developer',
    ]);
    const none = (await search(`?skill=${encodeURIComponent(skill['Haskell']!.code)}&q=web`)).json();
    expect(none).toEqual({ total: 0, jobs: [] });
    const both = (await search(`?skill=${encodeURIComponent(skill['SQL']!.code)}&q=shop`)).json();
    expect(titles(both)).toEqual(['Frontend developer']);
  });

  it('pages newest first, the total counting every match', async () => {
    const first = (await search('?limit=1')).json();
    const second = (await search('?limit=1&offset=1')).json();
    const third = (await search('?limit=1&offset=2')).json();
    expect(first.total).toBe(2);
    expect(second.total).toBe(2);
    expect(first.jobs.map((j: { id: string }) => j.id)).toEqual([ids.analyst]);
    expect(second.jobs.map((j: { id: string }) => j.id)).toEqual([ids.frontend]);
    expect(third).toEqual({ total: 2, jobs: [] });
  });

  it('answers bad input with 400 problems, never a 500', async () => {
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?offset=-1',
      '?offset=100001',
      `?q=${'x'.repeat(201)}`,
      '?skill=http%3A%2F%2Fno.such%2Fskill',
      '?nope=1',
    ]) {
      const answer = await search(query);
      expect(answer.statusCode, `${query}: ${answer.body}`).toBe(400);
      expect(answer.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('GET /api/jobs/:jobId/posting: an open job for anyone, with its description and weighted skills', async () => {
    const answer = await t.app.inject({ method: 'GET', url: `/api/jobs/${ids.frontend}/posting` });
    expect(answer.statusCode, answer.body).toBe(200);
    const { createdAt, ...job } = answer.json().job;
    expect(Number.isNaN(Date.parse(createdAt))).toBe(false);
    expect(job).toEqual({
      id: ids.frontend,
      title: 'Frontend developer',
      orgName: 'Search Employer Ltd',
      kind: 'job',
      description: 'Build our web shop',
      location: 'Lyon',
      remote: true,
      skills: [
        { skill: skill['JavaScript']!.code, label: 'JavaScript', weight: 5, minLevel: null, required: true },
        { skill: skill['SQL']!.code, label: 'SQL', weight: 4, minLevel: null, required: false },
      ],
    });
  });

  it('GET /api/jobs/:jobId/posting: drafts, closed jobs and unknown ids are 404 problems, never a 500', async () => {
    for (const id of [ids.draft, ids.closed, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const answer = await t.app.inject({ method: 'GET', url: `/api/jobs/${id}/posting` });
      expect(answer.statusCode, `${id}: ${answer.body}`).toBe(404);
      expect(answer.headers['content-type']).toMatch(/problem\+json/);
    }
    const long = await t.app.inject({ method: 'GET', url: `/api/jobs/${'x'.repeat(101)}/posting` });
    expect(long.statusCode).toBe(400);
  });

  it('leaves the background job progress route alone', async () => {
    const learner = await signUp(t.app, 'Search Learner');
    const { run } = await t.platform.queue.enqueue(
      'sample.count',
      { count: 1 },
      { key: 'search', userId: learner.userId },
    );
    const progress = await request(t.app, learner, 'GET', `/api/jobs/${run.id}`);
    expect(progress.statusCode, progress.body).toBe(200);
    expect(progress.json().id).toBe(run.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/jobs/${run.id}` })).statusCode).toBe(401);
  });
});
