import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      [{ target: { jobId: 'j-1' } }, 404, /Jobs are not posted/],
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
});

describe('GET /api/me/advice/skills', () => {
  it('lists the skills active credentials prove, not revoked ones', async () => {
    const { skills } = (await request(t.app, learner, 'GET', '/api/me/advice/skills')).json();
    const labels = skills.map((s: { label: string }) => s.label);
    expect(labels).toContain('Ruby (computer programming)');
    expect(labels).not.toContain('Scala');
  });
});
