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
import { randomUUID } from 'node:crypto';
import { hashedIdentity } from '../../src/vc/identity.js';
import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { generateEd25519KeyPair } from '../../src/vc/multikey.js';

let t: TestApp;
let issuer: Client;
let issuerOrg: string;
let employerOwner: Client;
let employer: Client;
let recruiterElsewhere: Client;
let orgId: string;
let otherOrg: string;
const workers: Record<string, Client> = {};
const credentials: Record<string, string> = {};
const skill: Record<string, string> = {};
let sqlCourse: string;
let bothCourse: string;

const esco = async (name: string) => {
  const found = (
    await t.app.inject({ method: 'GET', url: `/api/skills?framework=ESCO&limit=5&q=${encodeURIComponent(name)}` })
  ).json();
  const exact = found.skills.find((s: { name: string }) => s.name === name);
  if (!exact) throw new Error(`no ESCO skill ${name}`);
  return exact.code as string;
};
const award = async (achievementId: string, to: Client, score: number) => {
  const response = await request(t.app, issuer, 'POST', `/api/orgs/${issuerOrg}/achievements/${achievementId}/awards`, {
    email: to.email,
    score,
    allowDuplicate: true,
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
  return response.json().credential.id as string;
};
const talent = (client: Client, body: object) => request(t.app, client, 'PUT', '/api/me/talent', body);
const jobBody = (extra: object = {}) => ({
  title: 'Junior data analyst',
  kind: 'job',
  status: 'open',
  skills: [
    { skill: skill.sql, weight: 5, required: true },
    { skill: skill.python, weight: 3 },
  ],
  ...extra,
});
const candidatesOf = (client: Client, jobId: string, query = '') =>
  request(t.app, client, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/candidates${query}`);
const sum = (terms: { points: number }[]) => terms.reduce((s, x) => s + x.points, 0);
const identityLeaks = (body: string) =>
  Object.values(workers).filter((w) => body.includes(w.email) || body.includes(`Worker ${nameOf(w)}`));
const nameOf = (client: Client) => Object.entries(workers).find(([, w]) => w === client)![0];

let jobId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  skill.sql = await esco('SQL');
  skill.python = await esco('Python (computer programming)');
  issuer = await signUp(t.app, 'Hiring Issuer');
  issuerOrg = await createOrg(t.app, issuer, 'Fabrikam Academy');
  const aligned = (...codes: [string, string][]) =>
    codes.map(([code, name]) => ({ code, name, framework: 'ESCO', url: code }));
  sqlCourse = await publishAchievement(
    t.app,
    issuer,
    issuerOrg,
    sqlDefinition({ title: 'SQL for analysts', prerequisites: [], skills: aligned([skill.sql, 'SQL']) }),
  );
  bothCourse = await publishAchievement(
    t.app,
    issuer,
    issuerOrg,
    sqlDefinition({
      title: 'Python and SQL',
      prerequisites: [],
      skills: aligned([skill.sql, 'SQL'], [skill.python, 'Python (computer programming)']),
    }),
  );
  employerOwner = await signUp(t.app, 'Contoso Owner');
  orgId = await createOrg(t.app, employerOwner, 'Contoso Talent');
  employer = await signUp(t.app, 'Contoso Recruiter');
  await grantRole(t.app, employerOwner, orgId, employer.email, 'employer');
  recruiterElsewhere = await signUp(t.app, 'Other Recruiter');
  otherOrg = await createOrg(t.app, recruiterElsewhere, 'Other Employer');
  for (const name of ['alice', 'bob', 'carol', 'dave']) workers[name] = await signUp(t.app, `Worker ${name}`);
  credentials.alice = await award(sqlCourse, workers.alice!, 92);
  credentials.bob = await award(bothCourse, workers.bob!, 70);
  credentials.carol = await award(bothCourse, workers.carol!, 99);
  credentials.dave = await award(bothCourse, workers.dave!, 95);
  for (const name of ['alice', 'bob', 'dave']) {
    const response = await talent(workers[name]!, { discoverable: true, headline: `Analyst ${name.length}` });
    if (response.statusCode !== 200) throw new Error(response.body);
  }
  // Dave opts out again; Carol never opted in.
  await talent(workers.dave!, { discoverable: false });
  const created = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, jobBody());
  if (created.statusCode !== 201) throw new Error(created.body);
  jobId = created.json().job.id;
}, 180_000);
afterAll(() => t.close());

describe('talent profile', () => {
  it('saves consent and availability, and previews exactly what employers see', async () => {
    const saved = await talent(workers.bob!, {
      discoverable: true,
      headline: 'Data analyst, SQL and Python',
      availableFrom: '2027-01-04',
      daysPerWeek: 4,
      dayRate: 450,
      desiredRoles: ['Data analyst'],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ discoverable: true, availableFrom: '2027-01-04', daysPerWeek: 4 });
    expect((await request(t.app, workers.bob, 'GET', '/api/me/talent')).json()).toMatchObject({ dayRate: 450 });
    const preview = (await request(t.app, workers.bob, 'GET', '/api/me/talent/preview')).json();
    expect(preview.blind).toMatchObject({ displayName: null, headline: 'Data analyst, SQL and Python' });
    expect(preview.revealed).toEqual({ displayName: 'Worker bob', email: workers.bob!.email });
    expect(preview.holdings).toEqual([
      expect.objectContaining({ holdingId: credentials.bob, status: 'active', shown: true, counts: true }),
    ]);
  });

  it('refuses bad input with a problem, never a 500', async () => {
    for (const body of [
      { discoverable: true, availableFrom: '2027-13-45' },
      { discoverable: true, daysPerWeek: 9 },
      { discoverable: true, dayRate: -1 },
      { discoverable: 'yes' },
      { discoverable: true, holdingIds: ['00000000-0000-4000-8000-000000000000'] },
      { discoverable: true, gender: 'x' },
    ]) {
      const response = await talent(workers.bob!, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});

describe('jobs', () => {
  it('refuses unknown skills, weights out of range, 500 skills, empty jobs and bad weights with a 4xx problem', async () => {
    const bad = [
      jobBody({ skills: [{ skill: 'http://data.europa.eu/esco/skill/no-such-skill', weight: 3 }] }),
      jobBody({ skills: [{ skill: skill.sql, weight: 7 }] }),
      jobBody({ skills: [{ skill: skill.sql, weight: 0 }] }),
      jobBody({ skills: Array.from({ length: 500 }, () => ({ skill: skill.sql, weight: 3 })) }),
      jobBody({ skills: [] }),
      jobBody({ skills: [{ skill: skill.sql, weight: 3, minLevel: 140 }] }),
      jobBody({ weights: { credentials: 9, workHistory: 1, references: 1 } }),
      jobBody({ weights: { credentials: 0, workHistory: 0, references: 0 } }),
      jobBody({
        skills: [
          { skill: skill.sql, weight: 3 },
          { skill: skill.sql, weight: 2 },
        ],
      }),
      jobBody({ title: '' }),
      jobBody({ kind: 'gig' }),
    ];
    for (const body of bad) {
      const response = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(response.json().detail ?? response.json().title).toBeTruthy();
    }
    const unknown = await request(
      t.app,
      employer,
      'POST',
      `/api/orgs/${orgId}/jobs`,
      jobBody({ skills: [{ skill: 'http://data.europa.eu/esco/skill/no-such-skill', weight: 3 }] }),
    );
    expect(unknown.json().detail).toMatch(/does not know: http:\/\/data\.europa\.eu\/esco\/skill\/no-such-skill/);
  });

  it('lists, edits, closes and deletes jobs; new jobs are blind by default', async () => {
    const created = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/jobs`, jobBody({ status: undefined }));
    expect(created.statusCode).toBe(201);
    const job = created.json().job;
    expect(job).toMatchObject({ status: 'draft', blind: true, kind: 'job' });
    expect(job.skills).toEqual([
      { skill: skill.sql, label: 'SQL', weight: 5, minLevel: null, required: true, members: 1 },
      {
        skill: skill.python,
        label: 'Python (computer programming)',
        weight: 3,
        minLevel: null,
        required: false,
        members: 1,
      },
    ]);
    const url = `/api/orgs/${orgId}/jobs/${job.id}`;
    const edited = await request(t.app, employer, 'PUT', url, jobBody({ title: 'Cloud project', kind: 'project' }));
    expect(edited.json().job).toMatchObject({ title: 'Cloud project', kind: 'project', status: 'open' });
    const list = (await request(t.app, employer, 'GET', `/api/orgs/${orgId}/jobs`)).json().jobs;
    expect(list.map((j: { id: string }) => j.id)).toContain(job.id);
    expect((await request(t.app, employer, 'PUT', url, jobBody({ status: 'closed' }))).statusCode).toBe(200);
    expect((await request(t.app, employer, 'PUT', url, jobBody({ status: 'draft' }))).statusCode).toBe(409);
    expect((await request(t.app, employer, 'DELETE', url)).statusCode).toBe(204);
    expect((await request(t.app, employer, 'GET', url)).statusCode).toBe(404);
  });

  it('only the job’s organization’s employers (and owners) reach it; another org’s job id is not found', async () => {
    expect((await candidatesOf(employer, jobId)).statusCode).toBe(200);
    expect((await candidatesOf(employerOwner, jobId)).statusCode).toBe(200);
    // An employer of another organization: refused on this org, and this job is not theirs to find.
    expect((await candidatesOf(recruiterElsewhere, jobId)).statusCode).toBe(403);
    const across = await request(t.app, recruiterElsewhere, 'GET', `/api/orgs/${otherOrg}/jobs/${jobId}/candidates`);
    expect(across.statusCode).toBe(404);
    // A member of the organization without the employer role, and a worker.
    const issuerHere = await signUp(t.app, 'Contoso Issuer');
    await grantRole(t.app, employerOwner, orgId, issuerHere.email, 'issuer');
    expect((await candidatesOf(issuerHere, jobId)).statusCode).toBe(403);
    expect((await candidatesOf(workers.alice!, jobId)).statusCode).toBe(403);
    expect((await request(t.app, undefined, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/candidates`)).statusCode).toBe(
      401,
    );
  });
});

describe('ranking', () => {
  it('ranks discoverable candidates by verified evidence; each score is exactly its terms; deterministic', async () => {
    const response = await candidatesOf(employer, jobId, '?blind=false');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const names = body.candidates.map((c: { displayName: string }) => c.displayName);
    expect(names).toContain('Worker alice');
    expect(names).toContain('Worker bob');
    expect(names).not.toContain('Worker carol');
    expect(names).not.toContain('Worker dave');
    expect(body.total).toBe(2);
    for (const c of body.candidates) {
      expect(c.score).toBe(sum(c.terms));
      expect(c.terms.some((x: { kind: string }) => x.kind === 'credential')).toBe(true);
      expect(c.terms.some((x: { kind: string }) => x.kind === 'saturation')).toBe(true);
      expect(c.terms.some((x: { kind: string }) => x.kind === 'track-record')).toBe(true);
    }
    const scores = body.candidates.map((c: { score: number }) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const again = (await candidatesOf(employer, jobId, '?blind=false')).json();
    expect(again.candidates).toEqual(body.candidates);
    // Pagination.
    const second = (await candidatesOf(employer, jobId, '?blind=false&limit=1&offset=1')).json();
    expect(second.candidates).toEqual([body.candidates[1]]);
  });

  it('refuses a huge limit, a negative or non-numeric offset, unknown parameters and a job id that is not one', async () => {
    for (const query of ['?limit=1000000', '?limit=0', '?offset=-1', '?limit=ten', '?blind=maybe', '?sort=name']) {
      const response = await candidatesOf(employer, jobId, query);
      expect(response.statusCode, query).toBe(400);
    }
    expect((await candidatesOf(employer, 'not-a-job')).statusCode).toBe(404);
    expect((await candidatesOf(employer, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('blind mode hides identity in the list, the detail page and errors', async () => {
    const list = await candidatesOf(employer, jobId);
    expect(list.json().job.blind).toBe(true);
    expect(list.json().candidates.every((c: { displayName: null }) => c.displayName === null)).toBe(true);
    expect(identityLeaks(list.body)).toEqual([]);
    for (const c of list.json().candidates) {
      const detail = await request(
        t.app,
        employer,
        'GET',
        `/api/orgs/${orgId}/jobs/${jobId}/candidates/${c.candidateId}`,
      );
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({ displayName: null, email: null, revealed: false });
      expect(identityLeaks(detail.body)).toEqual([]);
      // The detail: every credential that counted, with its live verification verdict.
      expect(detail.json().score).toBe(sum(detail.json().terms));
      expect(detail.json().credentials.length).toBeGreaterThan(0);
      for (const credential of detail.json().credentials) expect(credential.verification.verified).toBe(true);
      // Errors about this candidate name nobody either.
      const wrongJob = await request(
        t.app,
        employer,
        'GET',
        `/api/orgs/${orgId}/jobs/00000000-0000-4000-8000-000000000000/candidates/${c.candidateId}`,
      );
      expect(wrongJob.statusCode).toBe(404);
      expect(identityLeaks(wrongJob.body)).toEqual([]);
      const badQuery = await request(
        t.app,
        employer,
        'GET',
        `/api/orgs/${orgId}/jobs/${jobId}/candidates/${c.candidateId}?blind=perhaps`,
      );
      expect(badQuery.statusCode).toBe(400);
      expect(identityLeaks(badQuery.body)).toEqual([]);
    }
  });

  it('a worker who never opted in, or opted out, is not found by id either', async () => {
    const dave = (await request(t.app, workers.dave, 'GET', '/api/me/talent/preview')).json().blind.candidateId;
    expect(dave).toBeTruthy();
    const response = await request(t.app, employer, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/candidates/${dave}`);
    expect(response.statusCode).toBe(404);
    expect(identityLeaks(response.body)).toEqual([]);
    const carol = (await request(t.app, workers.carol, 'GET', '/api/me/talent/preview')).json().blind.candidateId;
    expect(carol).toBeNull();
  });

  it('a reveal is recorded, shows the name for that job, and is shown to the candidate', async () => {
    const list = (await candidatesOf(employer, jobId)).json();
    const first = list.candidates[0];
    const revealed = await request(
      t.app,
      employer,
      'POST',
      `/api/orgs/${orgId}/jobs/${jobId}/candidates/${first.candidateId}/reveal`,
    );
    expect(revealed.statusCode).toBe(200);
    const who = revealed.json();
    expect(who.displayName).toMatch(/^Worker /);
    const after = (await candidatesOf(employer, jobId)).json();
    expect(after.candidates[0]).toMatchObject({
      candidateId: first.candidateId,
      displayName: who.displayName,
      revealed: true,
    });
    expect(after.candidates[1]).toMatchObject({ displayName: null, revealed: false });
    const worker = Object.values(workers).find((w) => w.email === who.email)!;
    const preview = (await request(t.app, worker, 'GET', '/api/me/talent/preview')).json();
    expect(preview.reveals).toEqual([
      expect.objectContaining({
        jobId,
        jobTitle: 'Junior data analyst',
        organization: 'Contoso Talent',
        revealedBy: 'Contoso Recruiter',
      }),
    ]);
    // The organization's owner finds the reveal in its audit log: who, which job, which candidate.
    const log = (
      await request(t.app, employerOwner, 'GET', `/api/orgs/${orgId}/audit?action=candidate.revealed`)
    ).json();
    expect(log.entries).toEqual([
      expect.objectContaining({
        action: 'candidate.revealed',
        target: `jobId=${jobId} candidateId=${first.candidateId}`,
        actor: expect.objectContaining({ email: employer.email }),
      }),
    ]);
  });

  it('recomputes when a credential is revoked or issued, and opting out removes a worker at once', async () => {
    const scoreOf = async (name: string) =>
      (await candidatesOf(employer, jobId, '?blind=false'))
        .json()
        .candidates.find((c: { displayName: string }) => c.displayName === `Worker ${name}`);
    const before = await scoreOf('alice');
    expect(before.score).toBeGreaterThan(0);
    const revoked = await request(
      t.app,
      issuer,
      'POST',
      `/api/orgs/${issuerOrg}/credentials/${credentials.alice}/revoke`,
      {
        reason: 'Issued in error',
      },
    );
    expect(revoked.statusCode).toBe(200);
    // Alice's only SQL credential no longer counts: SQL is required, so she leaves the ranking.
    expect(await scoreOf('alice')).toBeUndefined();
    // A new credential brings her back, counted next to the revoked one (0 points, and why).
    await award(bothCourse, workers.alice!, 88);
    const back = await scoreOf('alice');
    expect(back.score).toBe(sum(back.terms));
    const zero = back.terms.find((x: { credentialId: string }) => x.credentialId === credentials.alice);
    expect(zero).toMatchObject({ points: 0 });
    expect(zero.note).toMatch(/revoked.*Issued in error.*counts 0/);
    // Opting out removes her from the ranking before the answer comes back.
    expect((await talent(workers.alice!, { discoverable: false })).statusCode).toBe(200);
    expect(await scoreOf('alice')).toBeUndefined();
    expect((await talent(workers.alice!, { discoverable: true })).statusCode).toBe(200);
    expect((await scoreOf('alice')).score).toBe(back.score);
  });

  it('a worker may choose which holdings count', async () => {
    const bob = workers.bob!;
    const only = await award(sqlCourse, bob, 51);
    expect((await talent(bob, { discoverable: true, holdingIds: [only] })).statusCode).toBe(200);
    const shown = (await candidatesOf(employer, jobId, '?blind=false'))
      .json()
      .candidates.find((c: { displayName: string }) => c.displayName === 'Worker bob');
    expect(new Set(shown.terms.map((x: { credentialId?: string }) => x.credentialId).filter(Boolean))).toEqual(
      new Set([only]),
    );
    await talent(bob, { discoverable: true, holdingIds: null });
  });
});

describe('work history and references', () => {
  const engagement = (extra: object = {}) => ({
    worker: workers.bob!.email,
    role: 'Data analyst',
    from: '2025-01-06',
    until: '2025-10-31',
    skills: [skill.sql],
    ratings: { communication: 90, timeliness: 80, reliability: 100 },
    reference: { comment: 'Careful with data, always on time.' },
    ...extra,
  });

  it('signs a work-history credential and a reference that land in the wallet, verify, count, and can be revoked', async () => {
    const closed = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/engagements`, engagement());
    expect(closed.statusCode, closed.body).toBe(201);
    const { workHistory, reference } = closed.json();
    const wallet = (await request(t.app, workers.bob, 'GET', '/api/me/wallet')).json();
    const items = wallet.items as { id: string; name: string }[];
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([workHistory.id, reference.id]));
    for (const id of [workHistory.id, reference.id]) {
      const holding = await t.platform.wallet.holding(workers.bob!.userId, id);
      const verdict = await t.platform.verifier.verify({ text: holding.document });
      expect(verdict.verified, JSON.stringify(verdict.checks.filter((c) => c.status === 'failed'))).toBe(true);
    }
    const reference_ = JSON.parse((await t.platform.wallet.holding(workers.bob!.userId, reference.id)).document);
    expect(reference_.type).toContain('EndorsementCredential');
    expect(reference_.credentialSubject).toMatchObject({
      id: workHistory.credentialId,
      endorsementComment: 'Careful with data, always on time.',
    });

    const bobOf = async () =>
      (await candidatesOf(employer, jobId, '?blind=false'))
        .json()
        .candidates.find((c: { displayName: string }) => c.displayName === 'Worker bob');
    const bob = await bobOf();
    expect(bob.score).toBe(sum(bob.terms));
    const work = bob.terms.find((x: { kind: string }) => x.kind === 'work-history');
    expect(work.points).toBeGreaterThan(0);
    expect(work.note).toMatch(
      /Verified work history “Data analyst” at Contoso Talent, 9\.\d months.*ratings averaging 90/,
    );
    expect(bob.terms.find((x: { kind: string }) => x.kind === 'reference')).toMatchObject({
      credentialId: reference.id,
    });
    expect(bob.terms.find((x: { kind: string }) => x.kind === 'track-record').note).toMatch(/9\.\d months/);
    const detail = (
      await request(t.app, employer, 'GET', `/api/orgs/${orgId}/jobs/${jobId}/candidates/${bob.candidateId}`)
    ).json();
    expect(detail.workHistory).toEqual([
      expect.objectContaining({
        role: 'Data analyst',
        ratings: { communication: 90, timeliness: 80, reliability: 100 },
      }),
    ]);
    expect(detail.workHistory[0].verification.verified).toBe(true);
    expect(detail.references).toEqual([
      expect.objectContaining({ comment: 'Careful with data, always on time.', status: 'active' }),
    ]);

    const revoked = await request(
      t.app,
      employerOwner,
      'POST',
      `/api/orgs/${orgId}/credentials/${workHistory.id}/revoke`,
      { reason: 'Recorded for the wrong worker' },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    const after = await bobOf();
    const zero = after.terms.find((x: { kind: string }) => x.kind === 'work-history');
    expect(zero).toMatchObject({ points: 0 });
    expect(zero.note).toMatch(/revoked.*counts 0/);
  });

  it('refuses bad engagements with a problem', async () => {
    for (const [body, status] of [
      [engagement({ until: '2024-01-01' }), 400],
      [engagement({ from: '2999-01-01', until: null }), 400],
      [engagement({ ratings: { communication: 101 } }), 400],
      [engagement({ skills: ['http://data.europa.eu/esco/skill/no-such-skill'] }), 400],
      [engagement({ reference: { comment: '' } }), 400],
      [engagement({ worker: 'nobody@example.org' }), 404],
    ] as const) {
      const response = await request(t.app, employer, 'POST', `/api/orgs/${orgId}/engagements`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
    }
    expect(
      (await request(t.app, recruiterElsewhere, 'POST', `/api/orgs/${orgId}/engagements`, engagement())).statusCode,
    ).toBe(403);
  });
});

describe('imports', () => {
  it('an imported credential that verifies and names the worker counts, and stops counting once removed', async () => {
    const erin = await signUp(t.app, 'Worker erin');
    workers.erin = erin;
    expect((await talent(erin, { discoverable: true })).statusCode).toBe(200);
    const issued = await t.platform.issuance.issue(
      { orgId: issuerOrg, profile: await t.platform.catalog.issuerProfile(issuerOrg) },
      {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: 'SQL elsewhere',
        credentialSubject: {
          type: ['AchievementSubject'],
          identifier: [hashedIdentity(erin.email)],
          achievement: {
            id: 'https://elsewhere.example/achievements/sql',
            type: ['Achievement'],
            name: 'SQL elsewhere',
            description: 'SQL, learned elsewhere.',
            criteria: { narrative: 'Pass.' },
            alignment: [
              {
                type: ['Alignment'],
                targetType: 'ext:Skill',
                targetName: 'SQL',
                targetCode: skill.sql,
                targetUrl: skill.sql,
              },
            ],
          },
          result: [{ type: ['Result'], value: '81' }],
        },
      },
    );
    const imported = await request(t.app, erin, 'POST', '/api/me/wallet/import', {
      text: JSON.stringify(issued.verifiableCredential),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const holdingId = imported.json().holding.id as string;
    const erinOf = async () =>
      (await candidatesOf(employer, jobId, '?blind=false'))
        .json()
        .candidates.find((c: { displayName: string }) => c.displayName === 'Worker erin');
    const ranked = await erinOf();
    expect(ranked.terms[0]).toMatchObject({ kind: 'credential', credentialId: holdingId, skill: skill.sql });
    expect(ranked.terms[0].note).toMatch(/“SQL elsewhere” proves “SQL”.*tested, result 81.*trusted issuer/);
    expect((await request(t.app, erin, 'DELETE', `/api/me/wallet/${holdingId}`)).statusCode).toBeLessThan(300);
    expect(await erinOf()).toBeUndefined();
  });
});

describe('trust registry changes', () => {
  it('recomputes rankings when a registry adds or drops a credential’s issuer', async () => {
    const admin = await signUp(t.app, 'Hiring Admin');
    await t.platform.accounts.grantInstanceAdmin(admin.email);
    const gina = await signUp(t.app, 'Worker gina');
    workers.gina = gina;
    expect((await talent(gina, { discoverable: true })).statusCode).toBe(200);
    // A credential from an issuer this instance does not know: a foreign did:key.
    const key = generateEd25519KeyPair();
    const did = `did:key:${key.publicKeyMultibase}`;
    const vc = await signEddsaRdfc2022(
      {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: 'SQL at Foreign College',
        issuer: { id: did, type: ['Profile'], name: 'Foreign College' },
        validFrom: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        credentialSubject: {
          type: ['AchievementSubject'],
          identifier: [hashedIdentity(gina.email)],
          achievement: {
            id: 'https://foreign.example/achievements/sql',
            type: ['Achievement'],
            name: 'SQL at Foreign College',
            description: 'SQL.',
            criteria: { narrative: 'Pass.' },
            alignment: [
              {
                type: ['Alignment'],
                targetType: 'ext:Skill',
                targetName: 'SQL',
                targetCode: skill.sql,
                targetUrl: skill.sql,
              },
            ],
          },
          result: [{ type: ['Result'], value: '80' }],
        },
      },
      key.privateKey!,
      { verificationMethod: `${did}#${key.publicKeyMultibase}` },
    );
    const imported = await request(t.app, gina, 'POST', '/api/me/wallet/import', { text: JSON.stringify(vc) });
    expect(imported.statusCode, imported.body).toBe(201);
    const ginaTerm = async () => {
      const ranked = (await candidatesOf(employer, jobId, '?blind=false&limit=100'))
        .json()
        .candidates.find((c: { displayName: string }) => c.displayName === 'Worker gina');
      return ranked.terms.find(
        (x: { kind: string; skill?: string }) => x.kind === 'credential' && x.skill === skill.sql,
      );
    };
    const before = await ginaTerm();
    expect(before.note).toMatch(/issuer not in the trust registry/);

    const registry = {
      meta: { created: '2026-01-01T00:00:00+0000', updated: '2026-11-01T00:00:00+0000' },
      registry: { [did]: { name: 'Foreign College' } },
    };
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/admin/trust-registries',
      headers: admin.headers,
      payload: { name: 'Hiring test registry', registry },
    });
    expect(added.statusCode, added.body).toBeLessThan(300);
    const trusted = await ginaTerm();
    expect(trusted.note).toMatch(/trusted issuer/);
    expect(trusted.points).toBeGreaterThan(before.points);

    const dropped = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/trust-registries/${encodeURIComponent('Hiring test registry')}`,
      headers: admin.headers,
    });
    expect(dropped.statusCode).toBeLessThan(300);
    const after = await ginaTerm();
    expect(after.note).toMatch(/issuer not in the trust registry/);
    expect(after.points).toBe(before.points);
  });
});
