import { describe, expect, it } from 'vitest';
import { planAdvice, type Offer, type PlanInput, type Target, type VerifiedSkill } from './plan.js';

const skill = (code: string, essential = true) => ({ code, label: `skill ${code}`, essential });
const target = (essential: string[], optional: string[] = []): Target => ({
  kind: 'skills',
  id: null,
  name: 'Target role',
  framework: null,
  skills: [...essential.map((c) => skill(c)), ...optional.map((c) => skill(c, false))],
});
const offer = (id: string, hours: number, skills: string[], extra: Partial<Offer> = {}): Offer => ({
  achievementId: id,
  version: 1,
  name: `Course ${id}`,
  issuer: { id: 'org-1', name: 'Northwind' },
  hours,
  language: 'en',
  participationForm: 'online',
  skills: skills.map((c) => ({ code: c, label: `skill ${c}` })),
  prerequisites: [],
  ...extra,
});
const held = (...codes: string[]): VerifiedSkill[] =>
  codes.map((code) => ({
    code,
    label: `skill ${code}`,
    evidence: [{ holdingId: `h-${code}`, credential: `Credential ${code}`, issuer: 'Issuer', score: null, date: null }],
  }));

const base = (over: Partial<PlanInput>): PlanInput => ({
  target: target(['a', 'b', 'c']),
  held: [],
  heldAchievements: new Set(),
  offers: [],
  broaderOf: () => [],
  achievementIdOf: (address) => /\/achievements\/([^/]+)/.exec(address)?.[1],
  timeLimitSeconds: 5,
  ...over,
});

describe('reskilling advice', () => {
  it('finds the least-hours plan, says what each credential covers, and adds up exactly', async () => {
    const answer = await planAdvice(
      base({
        held: held('a'),
        offers: [
          offer('big', 40, ['b', 'c']),
          offer('b1', 12.5, ['b']),
          offer('c1', 20.25, ['c', 'x']),
          offer('c2', 30, ['c']),
        ],
        target: target(['a', 'b', 'c'], ['x']),
      }),
    );
    expect(answer.status).toBe('optimal');
    expect(answer.gap.map((g) => g.skill)).toEqual(['b', 'c', 'x']);
    expect(answer.held).toMatchObject([{ skill: 'a', via: { skill: 'a', narrower: false } }]);
    expect(answer.plan!.credentials.map((c) => [c.achievementId, c.covers])).toEqual([
      ['b1', ['b']],
      ['c1', ['c']],
    ]);
    expect(answer.plan!.credentials[1]!.coversOptional).toEqual(['x']);
    expect(answer.plan!.totalHours).toBe(32.75);
    expect(answer.plan!.boundGap).toBe(0);
    expect(answer.plan!.credentials.reduce((s, c) => s + c.hours, 0)).toBe(answer.plan!.totalHours);
    // Alternatives: distinct, no better than the plan, none containing an earlier one.
    expect(answer.alternatives.map((p) => p.totalHours)).toEqual([40, 42.5]);
    expect(answer.explanation.join(' ')).toMatch(/32\.75 h in 2 credentials \(12\.5 h \+ 20\.25 h\)/);
  });

  it('a narrower skill held covers its broader one, and says so; a broader one does not cover a narrower one', async () => {
    const broader: Record<string, string[]> = { python: ['programming'], programming: ['ict'] };
    const answer = await planAdvice(
      base({
        target: target(['programming', 'ict', 'django']),
        held: held('python', 'web'),
        broaderOf: (code) => broader[code] ?? [],
      }),
    );
    expect(answer.held.map((h) => [h.skill, h.via.skill, h.via.narrower])).toEqual([
      ['programming', 'python', true],
      ['ict', 'python', true],
    ]);
    expect(answer.explanation.join(' ')).toMatch(/narrower skill/);

    const down = await planAdvice(
      base({ target: target(['python']), held: held('programming'), broaderOf: (code) => broader[code] ?? [] }),
    );
    expect(down.gap.map((g) => g.skill)).toEqual(['python']);
    // A credential teaching the narrower skill covers the broader gap skill too.
    const viaCourse = await planAdvice(
      base({
        target: target(['programming']),
        offers: [offer('py', 10, ['python'])],
        broaderOf: (code) => broader[code] ?? [],
      }),
    );
    expect(viaCourse.plan!.credentials[0]).toMatchObject({ achievementId: 'py', covers: ['programming'] });
    expect(viaCourse.plan!.credentials[0]!.why).toMatch(/through its narrower/);
  });

  it('brings a prerequisite the worker lacks into the plan, and not one they hold', async () => {
    const offers = [
      offer('adv', 5, ['a', 'b', 'c'], { prerequisites: ['https://x.test/achievements/intro/versions/1'] }),
      offer('intro', 3, []),
      offer('a1', 4, ['a']),
      offer('bc', 6, ['b', 'c']),
    ];
    const lacking = await planAdvice(base({ offers }));
    expect(lacking.plan!.credentials.map((c) => c.achievementId)).toEqual(['adv', 'intro']);
    expect(lacking.plan!.totalHours).toBe(8);
    expect(lacking.plan!.credentials[1]).toMatchObject({ prerequisiteOf: ['adv'], covers: [] });
    expect(lacking.plan!.credentials[1]!.why).toMatch(/prerequisite of “Course adv”/);

    const holding = await planAdvice(base({ offers, heldAchievements: new Set(['intro']) }));
    expect(holding.plan!.credentials.map((c) => c.achievementId)).toEqual(['adv']);
    expect(holding.plan!.totalHours).toBe(5);
  });

  it('leaves out a credential whose prerequisite cannot be earned here, and says why', async () => {
    const answer = await planAdvice(
      base({
        target: target(['a']),
        offers: [offer('x', 1, ['a'], { prerequisites: ['https://elsewhere.test/badges/42'] }), offer('y', 9, ['a'])],
      }),
    );
    expect(answer.plan!.credentials.map((c) => c.achievementId)).toEqual(['y']);
    const blocked = await planAdvice(
      base({
        target: target(['a']),
        offers: [offer('x', 1, ['a'], { prerequisites: ['https://elsewhere.test/badges/42'] })],
      }),
    );
    expect(blocked.status).toBe('infeasible');
    expect(blocked.infeasible!.skills[0]!.why).toMatch(/needs https:\/\/elsewhere.test\/badges\/42/);
  });

  it('honours the filters and answers infeasible with the skills they leave uncoverable', async () => {
    const offers = [
      offer('de', 2, ['a'], { language: 'de' }),
      offer('onsite', 3, ['b'], { participationForm: 'on-site' }),
      offer('avoid', 1, ['c'], { issuer: { id: 'org-2', name: 'Contoso' } }),
      offer('en', 10, ['a', 'c']),
    ];
    const free = await planAdvice(base({ offers }));
    expect(free.plan!.credentials.map((c) => c.achievementId)).toEqual(['avoid', 'de', 'onsite']);
    const filtered = await planAdvice(
      base({ offers, filters: { language: 'en-GB', onlineOnly: true, avoidIssuers: ['contoso'] } }),
    );
    expect(filtered.status).toBe('optimal');
    expect(filtered.plan!.credentials.map((c) => c.achievementId)).toEqual(['en']);
    expect(filtered.infeasible!.skills).toMatchObject([
      { skill: 'b', why: expect.stringMatching(/on-site, not online/) },
    ]);
    expect(filtered.uncovered).toEqual([]);
  });

  it('answers infeasible when the budgets are too small, with what the least plan needs', async () => {
    const offers = [offer('a1', 10, ['a']), offer('b1', 10, ['b']), offer('c1', 10, ['c'])];
    const hours = await planAdvice(base({ offers, filters: { maxHours: 25 } }));
    expect(hours.status).toBe('infeasible');
    expect(hours.plan).toBeNull();
    expect(hours.infeasible!.reason).toMatch(/at most 25 h: the least plan takes 30 h in 3 credentials/);
    const count = await planAdvice(base({ offers, filters: { maxCredentials: 2 } }));
    expect(count.infeasible!.reason).toMatch(/at most 2 credentials/);
    const enough = await planAdvice(base({ offers, filters: { maxHours: 30, maxCredentials: 3 } }));
    expect(enough.status).toBe('optimal');
  });

  it('lists essential skills no published credential covers, and still plans the rest', async () => {
    const answer = await planAdvice(base({ offers: [offer('a1', 3, ['a'])] }));
    expect(answer.uncovered).toEqual(['b', 'c']);
    expect(answer.plan!.credentials.map((c) => c.achievementId)).toEqual(['a1']);
    expect(answer.infeasible).toBeNull();
  });

  it('says when nothing is missing', async () => {
    const answer = await planAdvice(base({ target: target(['a'], ['b']), held: held('a') }));
    expect(answer.status).toBe('no-gap');
    expect(answer.plan).toBeNull();
    expect(answer.gap).toEqual([{ skill: 'b', label: 'skill b', essential: false }]);
  });

  it('breaks ties by fewer credentials, and gives the same plan every time', async () => {
    const offers = [offer('p', 5, ['a']), offer('q', 5, ['b']), offer('r', 10, ['a', 'b']), offer('s', 5, ['c'])];
    const first = await planAdvice(base({ offers }));
    expect(first.plan!.credentials.map((c) => c.achievementId)).toEqual(['r', 's']);
    for (let i = 0; i < 3; i++) {
      const again = await planAdvice(base({ offers: [...offers].reverse() }));
      expect(again.plan!.credentials.map((c) => c.achievementId)).toEqual(['r', 's']);
    }
  });

  it('past the time limit answers the best plan found with optimal: false and a proven lower bound', async () => {
    // A hard random set cover (300 credentials, 150 skills) with a one-millisecond limit.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const codes = Array.from({ length: 150 }, (_, i) => `s${i}`);
    const offers = Array.from({ length: 300 }, (_, i) =>
      offer(
        `o${String(i).padStart(3, '0')}`,
        20 + Math.floor(rand() * 10),
        Array.from({ length: 4 }, () => codes[Math.floor(rand() * 150)]!),
      ),
    );
    const answer = await planAdvice(base({ target: target(codes), offers, timeLimitSeconds: 0.001, alternatives: 0 }));
    expect(answer.status).toBe('best-found');
    expect(answer.plan!.optimal).toBe(false);
    expect(answer.plan!.lowerBound).toBeLessThanOrEqual(answer.plan!.totalHours);
    const covered = new Set(answer.plan!.credentials.flatMap((c) => c.covers));
    expect(codes.filter((c) => answer.uncovered.includes(c) || covered.has(c))).toHaveLength(150);
  });
});
