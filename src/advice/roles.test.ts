import { describe, expect, it } from 'vitest';
import { indexOffers, type Offer, type VerifiedSkill } from './plan.js';
import { buildSkillSpace, closeness, closenessEvery, indexSkillSpace, proximities } from './relatedness.js';
import { rolesWithinReach, type RolesInput } from './roles.js';
import { seededRandom } from '../platform/seeded-random.js';

const random = seededRandom;

/**
 * A random small taxonomy (occupations listing essential and optional skills, some occupations listing the
 * very same skills so closeness ties, a broader/narrower hierarchy), a random catalog (equal hours are common,
 * so plans tie too; prerequisites on some) and a worker holding a few skills, some no occupation lists.
 */
function instance(rand: () => number): Omit<RolesInput, 'ranking'> {
  const int = (n: number) => Math.floor(rand() * n);
  const skills = 3 + int(30);
  const code = (i: number) => `s${i}`;
  const occupations = Array.from({ length: 2 + int(25) }, (_, i) => ({
    code: `o${String(i).padStart(2, '0')}`,
    name: `Occupation ${i}`,
    framework: 'ESCO',
    group: `g${int(4)}`,
  }));
  const links: { occupation: string; skill: string; relation: 'essential' | 'optional' }[] = [];
  const listing = new Map<string, { skill: string; relation: 'essential' | 'optional' }[]>();
  for (const o of occupations) {
    const twin = rand() < 0.15 ? listing.get(occupations[int(occupations.length)]!.code) : undefined;
    const list = twin
      ? twin.map((l) => ({ ...l }))
      : Array.from({ length: 1 + int(9) }, () => ({
          skill: code(int(skills)),
          relation: rand() < 0.6 ? ('essential' as const) : ('optional' as const),
        }));
    listing.set(o.code, list);
    for (const l of list) links.push({ occupation: o.code, ...l });
  }
  const up = new Map<string, string[]>();
  for (let i = 1; i < skills; i++) if (rand() < 0.25) up.set(code(i), [code(int(i))]);
  const broaderOf = (c: string) => up.get(c) ?? [];
  const offers: Offer[] = [];
  for (let i = 0, n = int(25); i < n; i++) {
    const id = `a${String(i).padStart(3, '0')}`;
    offers.push({
      achievementId: id,
      version: 1,
      name: `Course ${i}`,
      issuer: { id: 'org', name: 'Org' },
      hours: 1 + int(6) * (rand() < 0.2 ? 0.5 : 1),
      language: 'en',
      participationForm: 'online',
      skills: Array.from({ length: 1 + int(4) }, () => code(int(skills))).map((c) => ({ code: c, label: c })),
      prerequisites: i > 0 && rand() < 0.15 ? [`https://x.test/achievements/a${String(int(i)).padStart(3, '0')}`] : [],
    });
  }
  const held: VerifiedSkill[] = [
    ...new Set(Array.from({ length: int(7) }, () => (rand() < 0.15 ? `x${int(3)}` : code(int(skills))))),
  ].map((c) => ({ code: c, label: c, evidence: [] }));
  const space = buildSkillSpace(links, occupations);
  return {
    space,
    indexed: indexSkillSpace(space),
    labels: new Map(Array.from({ length: skills }, (_, i) => [code(i), `skill ${i}`])),
    held,
    heldAchievements: new Set(rand() < 0.3 && offers.length ? [offers[0]!.achievementId] : []),
    limit: 1 + int(12),
    offers,
    index: indexOffers(offers, broaderOf),
    broaderOf,
    achievementIdOf: (address) => /\/achievements\/([^/]+)/.exec(address)?.[1],
    timeLimitSeconds: 10,
  };
}

describe('roles within reach', () => {
  it('closeness over the indexed space equals closeness one occupation at a time, bit for bit', () => {
    const rand = random(20261207);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const { space, indexed, held } = instance(rand);
      const codes = held.map((h) => h.code);
      const near = proximities(space, codes);
      const fast = closenessEvery(indexed, codes);
      for (const code of space.occupations.keys()) {
        const one = closeness(space, near, code);
        // Occupations the worker is near nothing of are left out (score 0).
        if (one.score === 0) expect(fast.has(code), `round ${round}, ${code}`).toBe(false);
        else expect(fast.get(code), `round ${round}, ${code}`).toEqual(one);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('the indexed ranking gives exactly the roles and plans of the straightforward one, on random instances', async () => {
    const rand = random(7);
    let roles = 0;
    let planned = 0;
    let tied = 0;
    for (let round = 0; round < 150; round++) {
      const input = instance(rand);
      const fast = await rolesWithinReach({ ...input, ranking: 'indexed' });
      const straightforward = await rolesWithinReach({ ...input, ranking: 'per-occupation' });
      expect(fast, `round ${round}`).toEqual(straightforward);
      roles += fast.length;
      planned += fast.filter((r) => r.plan).length;
      for (let i = 1; i < fast.length; i++) if (fast[i]!.closeness === fast[i - 1]!.closeness) tied++;
    }
    // The instances exercise what could differ: many roles, real plans, and ties in closeness.
    expect(roles).toBeGreaterThan(300);
    expect(planned).toBeGreaterThan(100);
    expect(tied).toBeGreaterThan(20);
  });
});
