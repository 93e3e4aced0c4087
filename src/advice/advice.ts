import type { CatalogOffer } from '../catalog/catalog.js';
import { DomainError, invalid } from '../platform/errors.js';
import { heldAchievements, verifiedSkills, type HoldingFacts } from './evidence.js';
import { ancestry } from './plan.js';
import { buildSkillSpace, indexSkillSpace } from './relatedness.js';
import { rolesWithinReach, type Ranking } from './roles.js';
import {
  adviceLimits,
  indexOffers,
  planAdvice,
  type AdviceAnswer,
  type BroaderOf,
  type Offer,
  type PlanFilters,
  type Target,
  type VerifiedSkill,
} from './plan.js';

export type { AdviceAnswer, PlanFilters, VerifiedSkill } from './plan.js';
export type { HoldingFacts } from './evidence.js';

/** What advice asks of the rest of the platform: small ports, wired in the composition root. */
export interface AdviceDeps {
  /** Every holding of a worker with its status (the wallet's rules; imports verified just now). */
  holdings: (userId: string) => Promise<HoldingFacts[]>;
  skills: {
    occupationByCode: (code: string) => Promise<
      | {
          occupation: { code: string; name: string; framework: string };
          skills: { code: string; name: string; relation: 'essential' | 'optional' }[];
        }
      | undefined
    >;
    skillsByCode: (codes: string[]) => Promise<{ code: string; url: string; name: string }[]>;
    broaderPairs: () => Promise<{ skill: string; broader: string }[]>;
    occupationSkillLinks: () => Promise<
      {
        occupation: string;
        name: string;
        framework: string;
        group: string;
        skill: string;
        skillName: string;
        relation: 'essential' | 'optional';
      }[]
    >;
    taxonomyStamp: () => Promise<string>;
  };
  catalog: {
    offers: () => Promise<CatalogOffer[]>;
    offersStamp: () => Promise<string>;
    achievementIdOf: (address: string) => string | undefined;
  };
  /**
   * Jobs as targets: the hiring capability plugs in here (wired in the composition root once it exists). A job
   * is a set of skills, each required or not and weighted; undefined when no such job is open to the asker
   * (`viewer` is null for what-if questions without an account). Without this port, `{jobId}` targets are 404.
   */
  jobs?: {
    target: (jobId: string, viewer: { userId: string } | null) => Promise<JobTarget | undefined>;
  };
  /** How long the solver may search for the optimum before answering the best plan found. */
  timeLimitSeconds?: number;
}

/** A job as advice sees it: its title and skills (skill codes or URIs), each required or weighted. */
export interface JobTarget {
  id: string;
  title: string;
  skills: { skill: string; required: boolean; weight: number }[];
}

export type AdviceTargetInput = { occupation: string } | { jobId: string } | { skills: string[] };

/** What a what-if question states as held: skill codes or URIs, and ids of published micro-credentials. */
export interface WhatIf {
  held?: string[] | undefined;
  heldCredentials?: string[] | undefined;
}

export interface PlanRequest {
  target: AdviceTargetInput;
  filters?: PlanFilters | undefined;
  /** How many alternatives to look for (0–3; 3 by default). */
  alternatives?: number | undefined;
}

/** One value per stamp: recomputed only when what it derives from changed (any process may have changed it). */
function stamped<T>(stamp: () => Promise<string>, load: () => Promise<T>) {
  let cached: { stamp: string; value: Promise<T> } | undefined;
  return async (): Promise<T> => {
    const current = await stamp();
    if (cached?.stamp !== current) {
      const value = load();
      cached = { stamp: current, value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

const measure =
  'SkillScape closeness (Alabdulkareem et al. 2018): skills are related when the same occupations use them ' +
  '(revealed comparative advantage > 1), θ = co-use / the more widely used skill’s use; closeness = ½ coverage ' +
  '(how much of the occupation your skills reach) + ½ reach (how much of your skills it uses).';

export function createAdvice(deps: AdviceDeps) {
  const timeLimitSeconds = deps.timeLimitSeconds ?? 2;

  const offers = stamped(deps.catalog.offersStamp, async () =>
    (await deps.catalog.offers()).map((o): Offer => ({
      achievementId: o.achievementId,
      version: o.version,
      name: o.title,
      issuer: { id: o.orgId, name: o.orgName },
      hours: o.workloadHours,
      language: o.language,
      participationForm: o.participationForm,
      skills: o.skills.map((s) => ({ code: s.code, label: s.name })),
      prerequisites: o.prerequisites,
    })),
  );

  const hierarchy = stamped(deps.skills.taxonomyStamp, async (): Promise<BroaderOf> => {
    const up = new Map<string, string[]>();
    for (const { skill, broader } of await deps.skills.broaderPairs()) {
      const list = up.get(skill) ?? [];
      list.push(broader);
      up.set(skill, list);
    }
    return (code) => up.get(code) ?? [];
  });

  const skillSpace = stamped(deps.skills.taxonomyStamp, async () => {
    const links = await deps.skills.occupationSkillLinks();
    const occupations = new Map<string, { code: string; name: string; framework: string; group: string }>();
    const labels = new Map<string, string>();
    for (const l of links) {
      if (!occupations.has(l.occupation)) {
        occupations.set(l.occupation, { code: l.occupation, name: l.name, framework: l.framework, group: l.group });
      }
      labels.set(l.skill, l.skillName);
    }
    const space = buildSkillSpace(links, [...occupations.values()]);
    return { space, indexed: indexSkillSpace(space), labels };
  });

  /** The occupations a worker's skills bring closest (SkillScape), each with its gap and the plan's hours. */
  async function rolesWithin(held: VerifiedSkill[], achievements: Set<string>, limit: number, ranking?: Ranking) {
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 50)) throw invalid('limit is a whole number from 1 to 50.');
    const [{ space, indexed, labels }, { offers: catalog, broaderOf, index }] = await Promise.all([
      skillSpace(),
      offerIndex(),
    ]);
    const roles = await rolesWithinReach({
      space,
      indexed,
      labels,
      held,
      heldAchievements: achievements,
      limit,
      offers: catalog,
      index,
      broaderOf,
      achievementIdOf: deps.catalog.achievementIdOf,
      timeLimitSeconds,
      ranking,
    });
    return { roles, verifiedSkills: held.length, measure };
  }

  // The offers indexed by skill (with the hierarchy): rebuilt when the catalog or the taxonomy changes.
  let indexed: { offers: Offer[]; broaderOf: BroaderOf; index: ReturnType<typeof indexOffers> } | undefined;
  async function offerIndex() {
    const [catalog, broaderOf] = await Promise.all([offers(), hierarchy()]);
    if (indexed?.offers !== catalog || indexed.broaderOf !== broaderOf) {
      indexed = { offers: catalog, broaderOf, index: indexOffers(catalog, broaderOf) };
    }
    return indexed;
  }

  /** Skill codes (or addresses) → the known skills, refusing any unknown one by name. */
  async function knownSkills(codes: string[], what: string): Promise<{ code: string; label: string }[]> {
    const unique = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
    const found = await deps.skills.skillsByCode(unique);
    const byKey = new Map<string, { code: string; label: string }>();
    for (const s of found) {
      byKey.set(s.code, { code: s.code, label: s.name });
      byKey.set(s.url, { code: s.code, label: s.name });
    }
    const unknown = unique.filter((c) => !byKey.has(c));
    if (unknown.length) {
      throw invalid(
        `${what} ${unknown.length === 1 ? 'names a skill' : `names ${unknown.length} skills`} this instance does not know: ` +
          `${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}. Use skill codes or URIs from the skills search.`,
        { field: what, unknown: unknown.slice(0, 50) },
      );
    }
    const seen = new Set<string>();
    return unique.map((c) => byKey.get(c)!).filter((s) => !seen.has(s.code) && !!seen.add(s.code));
  }

  async function resolveTarget(input: AdviceTargetInput, viewer: { userId: string } | null): Promise<Target> {
    if ('occupation' in input) {
      const found = await deps.skills.occupationByCode(input.occupation.trim());
      if (!found) {
        throw new DomainError(
          'not-found',
          `No occupation ${input.occupation} is known here. Search occupations for a URI (ESCO) or an O*NET-SOC code.`,
          { field: 'target.occupation' },
        );
      }
      if (found.skills.length === 0)
        throw invalid(`The occupation “${found.occupation.name}” lists no skills to plan for.`);
      return {
        kind: 'occupation',
        id: found.occupation.code,
        name: found.occupation.name,
        framework: found.occupation.framework,
        skills: found.skills.map((s) => ({ code: s.code, label: s.name, essential: s.relation === 'essential' })),
      };
    }
    if ('jobId' in input) {
      const job = deps.jobs ? await deps.jobs.target(input.jobId.trim(), viewer) : undefined;
      if (!job) {
        throw new DomainError(
          'not-found',
          deps.jobs
            ? `No open job ${input.jobId} is visible to you here.`
            : 'Jobs are not posted on this instance yet: choose an occupation or a list of skills as the target.',
          { field: 'target.jobId' },
        );
      }
      if (job.skills.length === 0) throw invalid(`The job “${job.title}” lists no skills to plan for.`);
      // Labels from the taxonomy where it knows the skill (a job may also name skills of its own framework).
      const known = new Map<string, { code: string; name: string }>();
      for (const s of await deps.skills.skillsByCode(job.skills.map((s) => s.skill))) {
        known.set(s.code, s);
        known.set(s.url, s);
      }
      return {
        kind: 'job',
        id: job.id,
        name: job.title,
        framework: null,
        skills: job.skills.map((s) => ({
          code: known.get(s.skill)?.code ?? s.skill,
          label: known.get(s.skill)?.name ?? s.skill,
          essential: s.required,
          weight: s.weight,
        })),
      };
    }
    if (input.skills.length === 0)
      throw invalid('The target lists no skills: give at least one.', { field: 'target.skills' });
    if (input.skills.length > adviceLimits.maxTargetSkills) {
      throw invalid(`A target lists at most ${adviceLimits.maxTargetSkills} skills.`, { field: 'target.skills' });
    }
    const skills = await knownSkills(input.skills, 'target.skills');
    return {
      kind: 'skills',
      id: null,
      name: skills.length === 1 ? `The skill “${skills[0]!.label}”` : `A list of ${skills.length} skills`,
      framework: null,
      skills: skills.map((s) => ({ ...s, essential: true })),
    };
  }

  function checkFilters(filters: PlanFilters | undefined): void {
    if (!filters) return;
    if (filters.maxHours !== undefined && !(filters.maxHours > 0 && Number.isFinite(filters.maxHours))) {
      throw invalid('filters.maxHours is a positive number of hours.', { field: 'filters.maxHours' });
    }
    if (
      filters.maxCredentials !== undefined &&
      !(Number.isInteger(filters.maxCredentials) && filters.maxCredentials >= 1)
    ) {
      throw invalid('filters.maxCredentials is a whole number, at least 1.', { field: 'filters.maxCredentials' });
    }
  }

  async function plan(
    request: PlanRequest,
    held: VerifiedSkill[],
    achievements: Set<string>,
    viewer: { userId: string } | null,
  ): Promise<AdviceAnswer> {
    checkFilters(request.filters);
    const [target, { offers: catalog, broaderOf, index }] = await Promise.all([
      resolveTarget(request.target, viewer),
      offerIndex(),
    ]);
    return planAdvice({
      target,
      held,
      heldAchievements: achievements,
      offers: catalog,
      index,
      broaderOf,
      achievementIdOf: deps.catalog.achievementIdOf,
      filters: request.filters,
      timeLimitSeconds,
      alternatives: request.alternatives ?? adviceLimits.maxAlternatives,
    });
  }

  /** What a what-if question takes as held: listed skills, and what listed published micro-credentials teach. */
  async function statedHoldings({ held = [], heldCredentials = [] }: WhatIf) {
    const skills = await knownSkills(held, 'held');
    const { index } = await offerIndex();
    const ids = [...new Set(heldCredentials.map((id) => id.trim()).filter(Boolean))];
    const unknown = ids.filter((id) => !index.byId.has(id));
    if (unknown.length) {
      throw invalid(
        `heldCredentials ${unknown.length === 1 ? 'names a micro-credential' : `names ${unknown.length} micro-credentials`} ` +
          `not published here: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}. Use ids from the catalog.`,
        { field: 'heldCredentials', unknown: unknown.slice(0, 50) },
      );
    }
    const credentials = ids.map((id) => index.byId.get(id)!);
    const byCode = new Map<string, VerifiedSkill>(skills.map((s) => [s.code, { ...s, evidence: [] }]));
    for (const offer of credentials) {
      for (const skill of offer.skills) {
        if (!byCode.has(skill.code)) byCode.set(skill.code, { code: skill.code, label: skill.label, evidence: [] });
      }
    }
    const explanation = ['What-if: the skills you listed are taken as held; nothing was verified.'];
    if (credentials.length) {
      const names = credentials.map((c) => `“${c.name}”`).join(', ');
      explanation.push(
        `What-if: you said you hold ${names}; the skills ${credentials.length === 1 ? 'it teaches' : 'they teach'} ` +
          `are taken as held, and ${credentials.length === 1 ? 'it meets' : 'they meet'} the prerequisites naming ${credentials.length === 1 ? 'it' : 'them'}.`,
      );
    }
    return {
      skills: [...byCode.values()],
      achievements: new Set(ids),
      explanation,
    };
  }

  async function verified(userId: string) {
    const holdings = await deps.holdings(userId);
    return { skills: verifiedSkills(holdings), achievements: heldAchievements(holdings) };
  }

  return {
    /** The skills a worker can prove, each with its evidence. */
    verifiedSkills: async (userId: string) => (await verified(userId)).skills,

    /** The plan for a signed-in worker, from what their wallet proves. */
    async planFor(userId: string, request: PlanRequest): Promise<AdviceAnswer & { verifiedSkills: number }> {
      const mine = await verified(userId);
      return {
        ...(await plan(request, mine.skills, mine.achievements, { userId })),
        verifiedSkills: mine.skills.length,
      };
    },

    /**
     * What-if exploration for anyone, signed in or not: the skills listed, and the skills the listed published
     * micro-credentials teach, are taken as held (those credentials also meet prerequisites); nothing is
     * verified and nothing is stored. The answer says so.
     */
    async planWhatIf(request: PlanRequest & WhatIf): Promise<AdviceAnswer> {
      const stated = await statedHoldings(request);
      const answer = await plan(request, stated.skills, stated.achievements, null);
      answer.explanation.push(...stated.explanation);
      return answer;
    },

    /** The occupations whose essential skills a published micro-credential teaches ("closes N skills for these roles"). */
    async rolesClosedBy(achievementId: string, limit: number) {
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 50))
        throw invalid('limit is a whole number from 1 to 50.');
      const [{ space, labels }, { index, broaderOf }] = await Promise.all([skillSpace(), offerIndex()]);
      const offer = index.byId.get(achievementId);
      if (!offer) throw new DomainError('not-found', 'That micro-credential was not found among the published ones.');
      // What it teaches, and the broader skills those stand for.
      const teaches = new Set(offer.skills.flatMap((s) => ancestry(s.code, broaderOf)));
      const closes = new Map<string, string[]>();
      for (const code of teaches) {
        for (const { occupation, weight } of space.listedBy.get(code) ?? []) {
          if (weight !== 1) continue;
          const list = closes.get(occupation) ?? [];
          list.push(code);
          closes.set(occupation, list);
        }
      }
      const roles = [...closes]
        .map(([code, skills]) => {
          const o = space.occupations.get(code)!;
          return {
            occupation: code,
            name: o.name,
            framework: o.framework,
            closes: skills.length,
            essential: o.skills.filter((s) => s.essential).length,
            skills: skills.map((s) => labels.get(s) ?? s).sort(),
          };
        })
        .sort(
          (a, b) =>
            b.closes - a.closes || b.closes / b.essential - a.closes / a.essential || (a.name < b.name ? -1 : 1),
        );
      return { achievementId, total: roles.length, roles: roles.slice(0, limit) };
    },

    /** Roles within reach of a signed-in worker's verified skills. */
    async rolesFor(userId: string, limit: number) {
      const mine = await verified(userId);
      return rolesWithin(mine.skills, mine.achievements, limit);
    },

    /**
     * Roles within reach of skills taken as held (what-if). `ranking` picks how closeness is computed (see
     * roles.ts): the bench and the tests compare the ways; the routes use the default.
     */
    async rolesWhatIf(held: WhatIf, limit: number, ranking?: Ranking) {
      const stated = await statedHoldings(held);
      if (stated.skills.length === 0) {
        throw invalid('List at least one skill or micro-credential you hold.', { field: 'held' });
      }
      return rolesWithin(stated.skills, stated.achievements, limit, ranking);
    },

    offers,
    hierarchy,
    skillSpace,
  };
}

export type Advice = ReturnType<typeof createAdvice>;
