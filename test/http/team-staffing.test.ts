import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  grantRole,
  publishAchievement,
  request,
  signUp,
  type Client,
  type TestApp,
} from '../helpers/app.js';
import { sqlDefinition } from '../helpers/definitions.js';

let t: TestApp;
let issuer: Client;
let issuerOrg: string;
let employer: Client;
let orgId: string;
const workers: Record<string, Client> = {};
const candidate: Record<string, string> = {};
const skill: Record<string, string> = {};

const esco = async (name: string) => {
  const found = (
    await t.app.inject({ method: 'GET', url: `/api/skills?framework=ESCO&limit=5&q=${encodeURIComponent(name)}` })
  ).json();
  const exact = found.skills.find((s: { name: string }) => s.name === name);
  if (!exact) throw new Error(`no ESCO skill ${name}`);
  return exact.code as string;
};
const aligned = (...codes: [string, string][]) =>
  codes.map(([code, name]) => ({ code, name, framework: 'ESCO', url: code }));

type TeamAnswer = {
  status: string;
  optimal: boolean;
  statement: string;
  team: {
    size: number;
    totalDayRate: number;
    totalScore: number;
    members: { candidateId: string; displayName: string | null; covers: string[]; dayRate: number; score: number }[];
    coverage: { skill: string; needed: number; members: string[] }[];
  } | null;
  runnersUp: { size: number; totalDayRate: number; members: { candidateId: string }[] }[];
  infeasible: { uncovered: { skill: string; needed: number; holders: number }[]; limitedBy: string[] } | null;
  pool: { considered: number; skipped: Record<string, number>; candidates: { candidateId: string }[] };
};

const project = async (extra: object = {}) => {
  const created = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, {
    title: 'Cloud migration',
    kind: 'project',
    status: 'open',
    skills: [
      { skill: skill.sql, weight: 5, minLevel: 70, required: true },
      { skill: skill.python, weight: 3, required: true },
    ],
    ...extra,
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  return created.json().job as {
    id: string;
    maxTeamSize: number | null;
    budget: number | null;
    skills: { members: number }[];
  };
};
const staff = (jobId: string, body: object) =>
  request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs/${jobId}/team`, body);
const ids = (team: { members: { candidateId: string }[] }) => team.members.map((m) => m.candidateId).sort();
const of = (...names: string[]) => names.map((n) => candidate[n]!).sort();

beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  skill.sql = await esco('SQL');
  skill.python = await esco('Python (computer programming)');
  skill.java = await esco('Java (computer programming)');
  issuer = await signUp(t.app, 'Team Issuer');
  issuerOrg = await createOrg(t.app, issuer, 'Fabrikam Academy');
  const course = (title: string, skills: [string, string][]) =>
    publishAchievement(
      t.app,
      issuer,
      issuerOrg,
      sqlDefinition({ title, prerequisites: [], skills: aligned(...skills) }),
    );
  const sqlCourse = await course('SQL for analysts', [[skill.sql!, 'SQL']]);
  const pyCourse = await course('Python basics', [[skill.python!, 'Python (computer programming)']]);
  const bothCourse = await course('Python and SQL', [
    [skill.sql!, 'SQL'],
    [skill.python!, 'Python (computer programming)'],
  ]);
  const owner = await signUp(t.app, 'Contoso Owner');
  orgId = await createOrg(t.app, owner, 'Contoso Projects');
  employer = await signUp(t.app, 'Contoso Lead');
  await grantRole(t.app, owner, orgId, employer.email, 'employer');
  // alice: SQL 92, 400/day; bob: Python, 300/day; carol: both at 95, 900/day; dave: both but SQL 60 (below the
  // project's level 70) and busy until 2099; erin: both at 90 but states no day rate.
  const people: [string, string, number, object][] = [
    ['alice', sqlCourse, 92, { dayRate: 400 }],
    ['bob', pyCourse, 80, { dayRate: 300 }],
    ['carol', bothCourse, 95, { dayRate: 900 }],
    ['dave', bothCourse, 60, { dayRate: 200, availableFrom: '2099-01-01' }],
    ['erin', bothCourse, 90, {}],
  ];
  for (const [name, achievementId, score, profile] of people) {
    const worker = (workers[name] = await signUp(t.app, `Worker ${name}`));
    const awarded = await request(
      t.app,
      issuer,
      'POST',
      `/api/orgs/${issuerOrg}/achievements/${achievementId}/awards`,
      {
        email: worker.email,
        score,
        allowDuplicate: true,
      },
    );
    if (awarded.statusCode !== 201) throw new Error(awarded.body);
    const saved = await request(t.app, worker, 'PUT', '/api/me/talent', { discoverable: true, ...profile });
    if (saved.statusCode !== 200) throw new Error(saved.body);
    const preview = await request(t.app, worker, 'GET', '/api/me/talent/preview');
    candidate[name] = preview.json().blind.candidateId;
  }
}, 180_000);
afterAll(() => t.close());

describe('team staffing', () => {
  it('answers the optimal team, who covers what, the runners-up, and says it is optimal', async () => {
    const job = await project();
    expect(job.skills.map((s) => s.members)).toEqual([1, 1]);
    const response = await staff(job.id, { candidatePool: 'ranked' });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as TeamAnswer;
    expect(answer.status).toBe('optimal');
    expect(answer.optimal).toBe(true);
    expect(answer.statement).toMatch(/^Optimal/);
    // One member beats two cheaper ones: carol (dave is unavailable, erin has no day rate, both SQL levels count).
    expect(ids(answer.team!)).toEqual(of('carol'));
    expect(answer.team!.totalDayRate).toBe(900);
    expect(answer.team!.coverage.map((c) => [c.skill, c.members])).toEqual([
      [skill.sql, of('carol')],
      [skill.python, of('carol')],
    ]);
    // Blind by default: no names.
    expect(answer.team!.members[0]!.displayName).toBeNull();
    // The next team not containing carol: alice and bob.
    expect(answer.runnersUp.map(ids)).toEqual([of('alice', 'bob')]);
    expect(answer.runnersUp[0]!.totalDayRate).toBe(700);
    expect(answer.pool.considered).toBe(3);
    expect(answer.pool.skipped).toMatchObject({ unavailable: 1, noDayRate: 1, excluded: 0 });
    expect(JSON.stringify(answer)).not.toContain(workers.carol!.email);
  });

  it('excludes candidates, counts members per skill, and keeps the size and budget', async () => {
    const job = await project();
    const without = (await staff(job.id, { candidatePool: 'both', exclude: [candidate.carol] })).json() as TeamAnswer;
    expect(ids(without.team!)).toEqual(of('alice', 'bob'));
    expect(without.pool.skipped.excluded).toBe(1);

    const two = await project({
      skills: [
        { skill: skill.sql, weight: 5, minLevel: 70, required: true, members: 2 },
        { skill: skill.python, weight: 3, required: true },
      ],
    });
    expect(two.skills[0]!.members).toBe(2);
    const pair = (await staff(two.id, { candidatePool: 'ranked' })).json() as TeamAnswer;
    expect(ids(pair.team!)).toEqual(of('alice', 'carol'));
    expect(pair.team!.coverage[0]).toMatchObject({ needed: 2, members: of('alice', 'carol') });

    // The project's own limits apply unless the request gives others.
    const tight = await project({ maxTeamSize: 1, budget: 800 });
    expect([tight.maxTeamSize, tight.budget]).toEqual([1, 800]);
    const none = (await staff(tight.id, { candidatePool: 'ranked' })).json() as TeamAnswer;
    expect(none.status).toBe('infeasible');
    expect(none.team).toBeNull();
    expect(none.infeasible).toEqual({ uncovered: [], limitedBy: ['maxSize', 'budget'] });
    const wider = (await staff(tight.id, { candidatePool: 'ranked', maxSize: 2 })).json() as TeamAnswer;
    expect(ids(wider.team!)).toEqual(of('alice', 'bob'));
  });

  it('names the skills no available candidate covers', async () => {
    const job = await project({
      skills: [
        { skill: skill.sql, weight: 5, required: true },
        { skill: skill.java, weight: 2, required: true },
      ],
    });
    const answer = (await staff(job.id, { candidatePool: 'ranked' })).json() as TeamAnswer;
    expect(answer.status).toBe('infeasible');
    expect(answer.infeasible!.uncovered).toEqual([
      expect.objectContaining({ skill: skill.java, needed: 1, holders: 0 }),
    ]);
  });

  it('refuses bad requests with a problem, and jobs that are not projects', async () => {
    const job = await project();
    for (const body of [
      { candidatePool: 'ranked', budget: -1 },
      { candidatePool: 'ranked', budget: 1e12 },
      { candidatePool: 'ranked', maxSize: 0 },
      { candidatePool: 'everyone' },
      { candidatePool: 'ranked', start: 'soon' },
    ]) {
      const response = await staff(job.id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    // Nobody applied to this project: its applicant pool is empty.
    const applicants = await staff(job.id, { candidatePool: 'applicants' });
    expect(applicants.statusCode).toBe(400);
    expect(applicants.json().detail).toMatch(/pool has no candidate/);
    const aJob = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, {
      title: 'Analyst',
      kind: 'job',
      skills: [{ skill: skill.sql, weight: 3 }],
    });
    const refused = await staff(aJob.json().job.id, { candidatePool: 'ranked' });
    expect(refused.statusCode).toBe(409);
    expect((await staff('00000000-0000-4000-8000-000000000000', { candidatePool: 'ranked' })).statusCode).toBe(404);
    // A worker is no employer here.
    const asWorker = await request(t.app, workers.alice!, 'POST', `/api/orgs/${orgId}/jobs/${job.id}/team`, {
      candidatePool: 'ranked',
    });
    expect(asWorker.statusCode).toBe(403);
  });

  it('staffs from the applicants, counting only the holdings each one attached', async () => {
    const job = await project();
    const applyWith = async (name: 'alice' | 'bob', attach: boolean) => {
      const wallet = (await request(t.app, workers[name]!, 'GET', '/api/me/wallet')).json().items as { id: string }[];
      const body = { holdingIds: attach ? wallet.map((h) => h.id) : [] };
      const applied = await request(t.app, workers[name]!, 'POST', `/api/jobs/${job.id}/applications`, body);
      expect(applied.statusCode, applied.body).toBe(201);
    };
    await applyWith('alice', true);
    // Bob applies without attaching anything: nothing of his counts, so alice alone covers too little.
    await applyWith('bob', false);
    const short = (await staff(job.id, { candidatePool: 'applicants' })).json() as TeamAnswer;
    expect(short.status).toBe('infeasible');
    expect(short.team).toBeNull();

    // With the ranked pool beside them, carol covers both skills alone; without her, the applicant alice and the
    // discoverable bob.
    const both = (await staff(job.id, { candidatePool: 'both' })).json() as TeamAnswer;
    expect(ids(both.team!)).toEqual(of('carol'));
    const others = (await staff(job.id, { candidatePool: 'both', exclude: [candidate.carol] })).json() as TeamAnswer;
    expect(ids(others.team!)).toEqual(of('alice', 'bob'));
  });
});
