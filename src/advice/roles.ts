import {
  ancestry,
  planAdvice,
  type AdviceAnswer,
  type BroaderOf,
  type Offer,
  type OfferIndex,
  type Target,
  type VerifiedSkill,
} from './plan.js';
import {
  closeness,
  closenessAll,
  closenessEvery,
  proximities,
  type Closeness,
  type IndexedSkillSpace,
  type SkillSpace,
} from './relatedness.js';

/**
 * Roles within reach, the pure part: the occupations a worker's skills bring closest (SkillScape closeness,
 * see relatedness.ts), each with its gap and the hours of its least plan (one exact integer program per role
 * shown: the ranking is by closeness, so only `limit` plans are solved).
 *
 * How closeness to every occupation is found (`ranking`):
 * - 'indexed' (what the service uses): one walk over the flat arrays of the indexed space (`closenessEvery`),
 *   bit for bit the numbers of 'per-occupation';
 * - 'per-occupation': the straightforward reading, `closeness` one occupation at a time (the reference the
 *   tests hold the others to);
 * - 'maps': the earlier walk over maps keyed by URIs (`closenessAll`), kept as the bench's baseline.
 */
export type Ranking = 'indexed' | 'per-occupation' | 'maps';

export interface RolesInput {
  space: SkillSpace;
  indexed: IndexedSkillSpace;
  /** Skill labels by code. */
  labels: ReadonlyMap<string, string>;
  held: VerifiedSkill[];
  heldAchievements: ReadonlySet<string>;
  limit: number;
  offers: readonly Offer[];
  index: OfferIndex;
  broaderOf: BroaderOf;
  achievementIdOf: (address: string) => string | undefined;
  timeLimitSeconds: number;
  ranking?: Ranking;
}

export interface Role {
  occupation: string;
  name: string;
  framework: string;
  group: string;
  closeness: number;
  coverage: number;
  reach: number;
  held: number;
  gap: { essential: number; optional: number };
  status: AdviceAnswer['status'];
  plan: { totalHours: number; credentials: number; optimal: boolean; boundGap: number } | null;
  uncovered: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Closeness to every occupation the worker is near anything of (score > 0). */
export function closenessByOccupation(
  space: SkillSpace,
  indexed: IndexedSkillSpace,
  expanded: ReadonlySet<string>,
  ranking: Ranking,
): Map<string, Closeness> {
  if (ranking === 'indexed') return closenessEvery(indexed, expanded);
  const near = proximities(space, expanded);
  if (ranking === 'maps') return closenessAll(space, near);
  const result = new Map<string, Closeness>();
  for (const code of space.occupations.keys()) {
    const c = closeness(space, near, code);
    if (c.score > 0) result.set(code, c);
  }
  return result;
}

/** The `limit` closest occupations (ties by code), each with its gap and least plan. */
export async function rolesWithinReach(input: RolesInput): Promise<Role[]> {
  const { space, labels, held } = input;
  // A narrower skill held stands for its broader skills here too.
  const expanded = new Set(held.flatMap((h) => ancestry(h.code, input.broaderOf)));
  const scored = [...closenessByOccupation(space, input.indexed, expanded, input.ranking ?? 'indexed')]
    .map(([code, c]) => ({ o: space.occupations.get(code)!, c }))
    .filter((x) => x.c.score > 0 && x.o.skills.length > 0)
    .sort((a, b) => b.c.score - a.c.score || (a.o.code < b.o.code ? -1 : 1))
    .slice(0, input.limit);
  const roles: Role[] = [];
  for (const { o, c } of scored) {
    const target: Target = {
      kind: 'occupation',
      id: o.code,
      name: o.name,
      framework: o.framework,
      skills: o.skills.map((s) => ({ code: s.code, label: labels.get(s.code) ?? s.code, essential: s.essential })),
    };
    const answer = await planAdvice({
      target,
      held,
      heldAchievements: input.heldAchievements,
      offers: input.offers,
      index: input.index,
      broaderOf: input.broaderOf,
      achievementIdOf: input.achievementIdOf,
      timeLimitSeconds: input.timeLimitSeconds,
      alternatives: 0,
    });
    roles.push({
      occupation: o.code,
      name: o.name,
      framework: o.framework,
      group: o.group,
      closeness: round(c.score),
      coverage: round(c.coverage),
      reach: round(c.reach),
      held: answer.held.length,
      gap: {
        essential: answer.gap.filter((g) => g.essential).length,
        optional: answer.gap.filter((g) => !g.essential).length,
      },
      status: answer.status,
      plan: answer.plan
        ? {
            totalHours: answer.plan.totalHours,
            credentials: answer.plan.credentials.length,
            optimal: answer.plan.optimal,
            boundGap: answer.plan.boundGap,
          }
        : null,
      uncovered: answer.uncovered.length,
    });
  }
  return roles;
}
