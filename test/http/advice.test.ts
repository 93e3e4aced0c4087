import { sql } from 'kysely';
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
let learner: Client;
let orgId: string;
const skill: Record<string, { code: string; name: string }> = {};
const course: Record<string, string> = {};

const esco = async (name: string) => {
  const found = (
    await t.app.inject({ method: 'GET', url: `/api/skills?framework=ESCO&limit=5&q=${encodeURIComponent(name)}` })
  ).json();
  const exact = found.skills.find((s: { name: string }) => s.name === name);
  if (!exact) throw new Error(`no ESCO skill ${name}`);
  return { code: exact.code as string, name: exact.name as string };
};
const aligned = (...names: string[]) =>
  names.map((n) => ({ code: skill[n]!.code, name: skill[n]!.name, framework: 'ESCO', url: skill[n]!.code }));
const definition = (title: string, hours: number, skills: string[], extra: object = {}) =>
  sqlDefinition({
    title,
    workloadHours: hours,
    ectsCredits: undefined,
    prerequisites: [],
    skills: aligned(...skills),
    ...extra,
  });
const award = async (achievementId: string, score?: number) => {
  const response = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
    email: learner.email,
    ...(score !== undefined ? { score } : {}),
  });
  if (response.statusCode !== 201) throw new Error(`award failed: ${response.body}`);
  return response.json().credential.id as string;
};
const plan = (client: Client | undefined, body: object, url = '/api/me/advice/plan') =>
  request(t.app, client, 'POST', url, body);

beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  for (const name of [
    'SQL',
    'Python (computer programming)',
    'Haskell',
    'computer programming',
    'JavaScript',
    'LDAP',
    'Ruby (computer programming)',
    'Scala',
  ]) {
    skill[name] = await esco(name);
  }
  issuer = await signUp(t.app, 'Advice Issuer');
  learner = await signUp(t.app, 'Advice Learner');
  orgId = await createOrg(t.app, issuer, 'Advice Academy');
  course.pySql = await publishAchievement(
    t.app,
    issuer,
    orgId,
    definition('Python and SQL', 10, ['Python (computer programming)', 'SQL']),
  );
  course.js = await publishAchievement(t.app, issuer, orgId, definition('JavaScript basics', 5, ['JavaScript']));
  course.all = await publishAchievement(
    t.app,
    issuer,
    orgId,
    definition('Everything at once', 30, ['Python (computer programming)', 'SQL', 'JavaScript']),
  );
  course.ldap = await publishAchievement(
    t.app,
    issuer,
    orgId,
    definition('Directory services', 4, ['LDAP'], {
      prerequisites: [`https://skillproof.test/achievements/${course.js}/versions/1`],
    }),
  );
  course.ldapDe = await publishAchievement(
    t.app,
    issuer,
    orgId,
    definition('Verzeichnisdienste', 2, ['LDAP'], { language: 'de', participationForm: 'on-site' }),
  );
  course.ruby = await publishAchievement(
    t.app,
    issuer,
    orgId,
    definition('Ruby (computer programming)', 6, ['Ruby (computer programming)']),
  );
  course.haskell = await publishAchievement(t.app, issuer, orgId, definition('Haskell', 8, ['Haskell']));
  course.scala = await publishAchievement(t.app, issuer, orgId, definition('Scala', 8, ['Scala']));
  await award(course.ruby, 88);
  const scala = await award(course.scala);
  const revoked = await request(t.app, issuer, 'POST', `/api/orgs/${orgId}/credentials/${scala}/revoke`, {
    reason: 'Issued in error',
  });
  if (revoked.statusCode !== 200) throw new Error(revoked.body);
}, 120_000);
afterAll(() => t.close());

const codes = (...names: string[]) => names.map((n) => skill[n]!.code);

describe('POST /api/me/advice/plan', () => {
  it('plans from verified skills only: the gap, the least-hours plan with a prerequisite, evidence and alternatives', async () => {
    const response = await plan(learner, {
      filters: { language: 'en' },
      target: {
        skills: codes(
          'Python (computer programming)',
          'SQL',
          'JavaScript',
          'LDAP',
          'Ruby (computer programming)',
          'Scala',
        ),
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.verifiedSkills).toBe(1);
    // Ruby is proven (score 88); Scala's credential was revoked, so it is in the gap.
    expect(answer.held).toMatchObject([
      {
        skill: skill['Ruby (computer programming)']!.code,
        via: { narrower: false },
        evidence: [{ credential: 'Ruby (computer programming)', score: '88' }],
      },
    ]);
    expect(answer.gap.map((g: { label: string }) => g.label).sort()).toEqual([
      'JavaScript',
      'LDAP',
      'Python (computer programming)',
      'SQL',
      'Scala',
    ]);
    expect(answer.status).toBe('optimal');
    // Python+SQL (10 h) + JavaScript (5 h, the prerequisite of Directory services) + Directory services (4 h) + Scala (8 h).
    const chosen = answer.plan.credentials.map((c: { name: string }) => c.name);
    expect(chosen.sort()).toEqual(['Directory services', 'JavaScript basics', 'Python and SQL', 'Scala']);
    expect(answer.plan.totalHours).toBe(27);
    expect(answer.plan.optimal).toBe(true);
    expect(answer.plan.boundGap).toBe(0);
    const js = answer.plan.credentials.find((c: { name: string }) => c.name === 'JavaScript basics');
    expect(js.prerequisiteOf).toEqual([course.ldap]);
    expect(answer.plan.credentials.reduce((s: number, c: { hours: number }) => s + c.hours, 0)).toBe(27);
    expect(answer.alternatives[0].totalHours).toBeGreaterThanOrEqual(27);
    expect(answer.alternatives[0].credentials.map((c: { name: string }) => c.name)).toContain('Everything at once');
    expect(answer.uncovered).toEqual([]);
  });

  it('brings a prerequisite the worker lacks into the plan, and says why it is there', async () => {
    const answer = (await plan(learner, { target: { skills: codes('LDAP') }, filters: { language: 'en' } })).json();
    expect(answer.plan.credentials.map((c: { name: string }) => c.name)).toEqual(
      [course.js, course.ldap].sort().map((id) => (id === course.js ? 'JavaScript basics' : 'Directory services')),
    );
    const js = answer.plan.credentials.find((c: { name: string }) => c.name === 'JavaScript basics');
    expect(js).toMatchObject({ covers: [], prerequisiteOf: [course.ldap] });
    expect(js.why).toMatch(/prerequisite of “Directory services”/);
    expect(answer.plan.totalHours).toBe(9);
  });

  it('counts a narrower verified skill for its broader one, and says so', async () => {
    await award(course.haskell!, 75);
    const answer = (await plan(learner, { target: { skills: codes('computer programming') } })).json();
    expect(answer.status).toBe('no-gap');
    expect(answer.held[0]).toMatchObject({ label: 'computer programming', via: { label: 'Haskell', narrower: true } });
    expect(answer.explanation.join(' ')).toMatch(/narrower skill/);
  });

  it('plans for an ESCO occupation, essential and optional skills apart', async () => {
    const occupations = (await t.app.inject({ method: 'GET', url: '/api/occupations?q=software%20developer' })).json();
    const developer = occupations.occupations.find((o: { framework: string }) => o.framework === 'ESCO');
    const answer = (await plan(learner, { target: { occupation: developer.url } })).json();
    expect(answer.target).toMatchObject({ kind: 'occupation', name: developer.name, framework: 'ESCO' });
    expect(answer.gap.some((g: { essential: boolean }) => g.essential)).toBe(true);
    expect(answer.gap.some((g: { essential: boolean }) => !g.essential)).toBe(true);
    // Most of a real occupation's skills have no micro-credential in this small catalog: listed, not hidden.
    expect(answer.uncovered.length).toBeGreaterThan(0);
    expect(['optimal', 'best-found', 'no-gap']).toContain(answer.status);
  });

  it("plans toward an open job's skills (required planned, weighted in the gap); a draft job is nobody's target", async () => {
    const employer = await signUp(t.app, 'Advice Employer');
    const employerOrg = await createOrg(t.app, employer, 'Advice Employer Ltd');
    await grantRole(t.app, employer, employerOrg, employer.email, 'employer');
    const job = async (status: string) => {
      const created = await request(t.app, employer, 'POST', `/api/orgs/${employerOrg}/jobs`, {
        title: `Junior developer (${status})`,
        kind: 'job',
        status,
        skills: [
          { skill: skill['JavaScript']!.code, weight: 5, required: true },
          { skill: skill['SQL']!.code, weight: 2, required: false },
        ],
      });
      expect(created.statusCode, created.body).toBe(201);
      return created.json().job.id as string;
    };
    const open = await job('open');
    const answer = await plan(learner, { target: { jobId: open } });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().target).toMatchObject({ kind: 'job', id: open, name: 'Junior developer (open)' });
    expect(answer.json().plan.credentials.map((c: { name: string }) => c.name)).toContain('JavaScript basics');
    // Anyone may ask what it takes for an open job, without an account.
    expect((await plan(undefined, { target: { jobId: open } }, '/api/advice/plan')).statusCode).toBe(200);
    const draft = await job('draft');
    const hidden = await plan(learner, { target: { jobId: draft } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().detail).toMatch(/No open job/);
  });

  it('honours filters, and answers infeasible with the skills they leave uncoverable', async () => {
    const german = (await plan(learner, { target: { skills: codes('LDAP') }, filters: { language: 'de' } })).json();
    expect(german.plan.credentials.map((c: { name: string }) => c.name)).toEqual(['Verzeichnisdienste']);
    const online = (
      await plan(learner, { target: { skills: codes('LDAP') }, filters: { language: 'de', onlineOnly: true } })
    ).json();
    expect(online.status).toBe('infeasible');
    expect(online.infeasible.skills[0]).toMatchObject({
      label: 'LDAP',
      why: expect.stringMatching(/on-site, not online|taught in en/),
    });
    const avoid = (
      await plan(learner, { target: { skills: codes('SQL') }, filters: { avoidIssuers: ['Advice Academy'] } })
    ).json();
    expect(avoid.status).toBe('infeasible');
    const budget = (
      await plan(learner, {
        target: { skills: codes('Python (computer programming)', 'JavaScript') },
        filters: { maxHours: 12 },
      })
    ).json();
    expect(budget.status).toBe('infeasible');
    expect(budget.infeasible.reason).toMatch(/the least plan takes 15 h in 2 credentials/);
    const count = (
      await plan(learner, {
        target: { skills: codes('Python (computer programming)', 'JavaScript') },
        filters: { maxCredentials: 1 },
      })
    ).json();
    expect(count.plan.credentials.map((c: { name: string }) => c.name)).toEqual(['Everything at once']);
  });

  it('refuses bad input with problem details, never a 500', async () => {
    const cases: [object, number, RegExp][] = [
      [{ target: { occupation: 'http://data.europa.eu/esco/occupation/nope' } }, 404, /No occupation/],
      [{ target: { skills: ['http://data.europa.eu/esco/skill/nope'] } }, 400, /does not know/],
      [{ target: { skills: [] } }, 400, /no skills/],
      [{ target: { jobId: 'j-1' } }, 404, /No open job j-1/],
      [{ target: {} }, 400, /./],
      [{}, 400, /./],
      [{ target: { skills: codes('SQL') }, filters: { maxHours: -1 } }, 400, /./],
      [{ target: { skills: codes('SQL') }, filters: { maxCredentials: 0 } }, 400, /./],
      [{ target: { skills: codes('SQL') }, filters: { maxHours: 1e12 } }, 400, /./],
      [{ target: { skills: codes('SQL') }, alternatives: 99 }, 400, /./],
      [{ target: { skills: codes('SQL') }, surprise: true }, 400, /./],
      [{ target: { skills: Array.from({ length: 501 }, (_, i) => `s${i}`) } }, 400, /./],
    ];
    for (const [body, status, detail] of cases) {
      const response = await plan(learner, body);
      expect(response.statusCode, `${JSON.stringify(body).slice(0, 80)} → ${response.body}`).toBe(status);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().detail).toMatch(detail);
    }
    expect((await plan(undefined, { target: { skills: codes('SQL') } })).statusCode).toBe(401);
  });
});

describe('POST /api/advice/plan (what-if, no account)', () => {
  it('takes the listed skills as held and says nothing was verified', async () => {
    const response = await plan(
      undefined,
      { target: { skills: codes('Python (computer programming)', 'SQL') }, held: codes('SQL') },
      '/api/advice/plan',
    );
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.held.map((h: { label: string }) => h.label)).toEqual(['SQL']);
    expect(answer.plan.credentials.map((c: { name: string }) => c.name)).toEqual(['Python and SQL']);
    expect(answer.explanation.at(-1)).toMatch(/What-if/);
    const unknown = await plan(undefined, { target: { skills: codes('SQL') }, held: ['nope'] }, '/api/advice/plan');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/held names a skill/);
  });

  it('takes listed micro-credentials as held: their skills count and they meet prerequisites', async () => {
    const body = { target: { skills: codes('LDAP', 'SQL') }, filters: { language: 'en' } };
    const without = (await plan(undefined, body, '/api/advice/plan')).json();
    // Directory services needs JavaScript basics first: without it, the plan brings it.
    expect(without.plan.credentials.map((c: { name: string }) => c.name).sort()).toEqual([
      'Directory services',
      'JavaScript basics',
      'Python and SQL',
    ]);
    const withJs = await plan(undefined, { ...body, heldCredentials: [course.js] }, '/api/advice/plan');
    expect(withJs.statusCode, withJs.body).toBe(200);
    const answer = withJs.json();
    expect(answer.plan.credentials.map((c: { name: string }) => c.name).sort()).toEqual([
      'Directory services',
      'Python and SQL',
    ]);
    expect(answer.plan.totalHours).toBe(14);
    expect(answer.explanation.join(' ')).toMatch(/you said you hold “JavaScript basics”/);
    // What a listed credential teaches is held: Python and SQL leave no gap.
    const noGap = (
      await plan(
        undefined,
        { target: { skills: codes('Python (computer programming)', 'SQL') }, heldCredentials: [course.pySql] },
        '/api/advice/plan',
      )
    ).json();
    expect(noGap.status).toBe('no-gap');
    expect(noGap.held.map((h: { label: string }) => h.label).sort()).toEqual(['Python (computer programming)', 'SQL']);
    const unknown = await plan(
      undefined,
      { target: { skills: codes('SQL') }, heldCredentials: ['00000000-0000-4000-8000-000000000000'] },
      '/api/advice/plan',
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/heldCredentials names a micro-credential not published here/);
    const roles = await request(t.app, undefined, 'POST', '/api/advice/occupations', {
      heldCredentials: [course.pySql],
      limit: 2,
    });
    expect(roles.statusCode, roles.body).toBe(200);
    expect(roles.json().roles).toHaveLength(2);
  });

  it('stores nothing: every table holds the same rows after what-if questions', async () => {
    const db = t.platform.database.db;
    const tables = (
      await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
    ).rows.map((r) => r.name);
    expect(tables).toContain('credentials');
    const snapshot = async () => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        counts[table] = Number(rows[0]!.n);
      }
      return counts;
    };
    const before = await snapshot();
    const asked = [
      await plan(
        undefined,
        { target: { skills: codes('LDAP') }, held: codes('SQL'), heldCredentials: [course.js] },
        '/api/advice/plan',
      ),
      await request(t.app, undefined, 'POST', '/api/advice/occupations', { held: codes('SQL'), limit: 1 }),
    ];
    for (const response of asked) expect(response.statusCode, response.body).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it('is rate-limited per client: 30 questions a minute, then 429 with a problem', async () => {
    const ask = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/advice/plan',
        remoteAddress,
        payload: { target: { skills: codes('SQL') }, held: codes('SQL') },
      });
    for (let i = 0; i < 30; i++) expect((await ask('198.51.100.7')).statusCode).toBe(200);
    const refused = await ask('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    // Another client is not held back.
    expect((await ask('198.51.100.8')).statusCode).toBe(200);
  });
});

describe('roles within reach', () => {
  it('ranks occupations by SkillScape closeness to the verified skills, with gap and plan hours', async () => {
    const response = await request(t.app, learner, 'GET', '/api/me/advice/occupations?limit=5');
    expect(response.statusCode, response.body).toBe(200);
    const { roles, verifiedSkills, measure } = response.json();
    expect(verifiedSkills).toBeGreaterThan(0);
    expect(measure).toMatch(/SkillScape/);
    expect(roles).toHaveLength(5);
    const scores = roles.map((r: { closeness: number }) => r.closeness);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const role of roles) {
      expect(role.closeness).toBeGreaterThan(0);
      expect(role.gap.essential + role.gap.optional).toBeGreaterThan(0);
      if (role.plan) expect(role.plan.optimal).toBe(true);
    }
    for (const limit of ['0', '51', '999999', 'ten']) {
      const bad = await request(t.app, learner, 'GET', `/api/me/advice/occupations?limit=${limit}`);
      expect(bad.statusCode, limit).toBe(400);
    }
  });

  it('what-if: the roles closest to listed skills; a programming language brings developer roles', async () => {
    const response = await request(t.app, undefined, 'POST', '/api/advice/occupations', {
      held: codes('Python (computer programming)', 'JavaScript', 'SQL', 'Scala', 'Haskell'),
      limit: 3,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { roles } = response.json();
    expect(roles).toHaveLength(3);
    expect(roles[0].name).toMatch(/develop|programm|engineer/i);
    expect((await request(t.app, undefined, 'POST', '/api/advice/occupations', { held: [] })).statusCode).toBe(400);
    expect((await request(t.app, undefined, 'POST', '/api/advice/occupations', { held: ['nope'] })).statusCode).toBe(
      400,
    );
  });
});

describe('GET /api/advice/achievements/:id/roles', () => {
  it('says which roles a micro-credential closes essential skills for', async () => {
    const response = await request(t.app, undefined, 'GET', `/api/advice/achievements/${course.pySql}/roles?limit=3`);
    expect(response.statusCode, response.body).toBe(200);
    const { roles, total } = response.json();
    expect(total).toBeGreaterThan(0);
    expect(roles.length).toBeLessThanOrEqual(3);
    expect(roles[0].closes).toBeGreaterThanOrEqual(roles.at(-1).closes);
    expect(roles[0].skills.some((s: string) => /SQL|Python/.test(s))).toBe(true);
    const missing = await request(t.app, undefined, 'GET', '/api/advice/achievements/nope/roles');
    expect(missing.statusCode).toBe(404);
    expect(
      (await request(t.app, undefined, 'GET', `/api/advice/achievements/${course.pySql}/roles?limit=0`)).statusCode,
    ).toBe(400);
  });
});

describe('GET /api/me/advice/skills', () => {
  it('lists the skills active credentials prove, not revoked ones', async () => {
    const { skills } = (await request(t.app, learner, 'GET', '/api/me/advice/skills')).json();
    const labels = skills.map((s: { label: string }) => s.label);
    expect(labels).toContain('Ruby (computer programming)');
    expect(labels).not.toContain('Scala');
  });
});
