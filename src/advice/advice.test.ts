import { describe, expect, it } from 'vitest';
import type { CatalogOffer } from '../catalog/catalog.js';
import { DomainError } from '../platform/errors.js';
import { createAdvice, type AdviceDeps, type JobTarget } from './advice.js';

/** The advice service with its ports answered from memory: three skills, three offers, and (maybe) jobs. */
function service(jobs?: AdviceDeps['jobs']) {
  const names = new Map([
    ['s:sql', 'SQL'],
    ['s:python', 'Python'],
    ['s:git', 'Git'],
  ]);
  const offer = (id: string, hours: number, skills: string[]): CatalogOffer => ({
    achievementId: id,
    version: 1,
    title: `Course ${id}`,
    workloadHours: hours,
    orgId: 'org',
    orgName: 'Org',
    language: 'en',
    participationForm: 'online',
    skills: skills.map((code) => ({ code, name: names.get(code)! })),
    prerequisites: [],
  });
  const offers = [offer('a1', 10, ['s:sql']), offer('a2', 6, ['s:python']), offer('a3', 4, ['s:git'])];
  return createAdvice({
    holdings: async () => [],
    skills: {
      occupationByCode: async () => undefined,
      // By code or by URI, as the skills store answers.
      skillsByCode: async (codes) =>
        [...names]
          .map(([code, name]) => ({ code, url: `https://skills.test/${code}`, name }))
          .filter((s) => codes.includes(s.code) || codes.includes(s.url)),
      broaderPairs: async () => [],
      occupationSkillLinks: async () => [],
      taxonomyStamp: async () => '1',
    },
    catalog: { offers: async () => offers, offersStamp: async () => '1', achievementIdOf: () => undefined },
    jobs,
  });
}

describe('a job as the target (the port the hiring capability plugs into)', () => {
  const job: JobTarget = {
    id: 'job-1',
    title: 'Data analyst',
    skills: [
      { skill: 'https://skills.test/s:sql', required: true, weight: 5 },
      { skill: 's:python', required: true, weight: 3 },
      { skill: 's:git', required: false, weight: 1 },
    ],
  };

  it('plans for the required skills, reports the weighted ones with their weights, and tells who asks', async () => {
    const asked: unknown[] = [];
    const advice = service({
      target: async (id, viewer) => {
        asked.push([id, viewer]);
        return id === job.id ? job : undefined;
      },
    });
    const answer = await advice.planWhatIf({ target: { jobId: 'job-1' }, held: ['s:python'] });
    expect(answer.target).toEqual({ kind: 'job', id: 'job-1', name: 'Data analyst', framework: null, skills: 3 });
    expect(answer.gap).toEqual([
      { skill: 's:sql', label: 'SQL', essential: true, weight: 5 },
      { skill: 's:git', label: 'Git', essential: false, weight: 1 },
    ]);
    // Only the required skill is planned for; the optional Git is not worth 4 more hours on its own.
    expect(answer.plan!.credentials.map((c) => c.achievementId)).toEqual(['a1']);
    expect(answer.plan!.optimal).toBe(true);
    expect(asked).toEqual([['job-1', null]]);
    await advice.planFor('user-7', { target: { jobId: 'job-1' } });
    expect(asked.at(-1)).toEqual(['job-1', { userId: 'user-7' }]);
  });

  it('answers 404 for a job the port does not know (or without the port), 400 for a job without skills', async () => {
    const withPort = service({ target: async (id) => (id === 'empty' ? { ...job, skills: [] } : undefined) });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const missing = await failure(withPort.planWhatIf({ target: { jobId: 'nope' } }));
    expect(missing).toBeInstanceOf(DomainError);
    expect(missing).toMatchObject({ code: 'not-found', message: expect.stringMatching(/No open job nope/) });
    expect(await failure(withPort.planWhatIf({ target: { jobId: 'empty' } }))).toMatchObject({
      code: 'invalid-input',
    });
    expect(await failure(service().planWhatIf({ target: { jobId: 'job-1' } }))).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/not posted on this instance yet/),
    });
  });
});
