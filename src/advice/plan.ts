import { centi, greedyCover, solveCover, type CoverItem, type CoverProblem } from './cover.js';

/**
 * Reskilling advice, the pure part: from the skills a worker can prove and a target's skills, the gap; from
 * the published micro-credentials, the plan of least notional workload that closes the gap's essential
 * skills (exactly, by integer programming: see cover.ts), its alternatives, and what cannot be covered and why.
 * No I/O: the service passes the verified skills, the target, the offers and the skill hierarchy.
 *
 * Skill hierarchy (ESCO's broader/narrower relations): a narrower skill covers its broader skill, never the
 * other way round. Proving "Python" covers a target's "computer programming" when ESCO files Python under
 * it; proving "computer programming" does not cover "Python". The same rule holds for what a credential
 * teaches. Every such step is said in the answer.
 */

export interface Evidence {
  holdingId: string;
  credential: string;
  issuer: string | null;
  /** The credential's overall score, when it carries one. */
  score: string | null;
  /** When it was issued (or, for imports, valid from). */
  date: string | null;
}

/** A skill the worker can prove, with the credentials that prove it. */
export interface VerifiedSkill {
  code: string;
  label: string;
  evidence: Evidence[];
}

/**
 * One skill of a target, whatever the target is (an occupation, a list of skills, a job): required or not,
 * and how much the target values it. The planner knows nothing else of where a target comes from.
 */
export interface TargetSkill {
  code: string;
  label: string;
  /** Essential (required) skills must be covered; optional ones are reported when a plan covers them along the way. */
  essential: boolean;
  /** How much the target values the skill, when it says (a job's weight, 1–5); reported with the gap. */
  weight?: number | undefined;
}

export interface Target {
  kind: 'occupation' | 'skills' | 'job';
  /** The occupation's URI or the job's id; absent for a list of skills. */
  id: string | null;
  name: string;
  framework: string | null;
  skills: TargetSkill[];
}

/** A published micro-credential as the planner sees it. */
export interface Offer {
  achievementId: string;
  version: number;
  name: string;
  issuer: { id: string; name: string };
  hours: number;
  language: string;
  participationForm: string;
  skills: { code: string; label: string }[];
  /** Prerequisites as the catalog states them: addresses of achievements. */
  prerequisites: string[];
}

export interface PlanFilters {
  /** Most notional hours in the whole plan. */
  maxHours?: number | undefined;
  /** Only credentials taught in this language (BCP 47 tag or its primary subtag, e.g. "en"). */
  language?: string | undefined;
  onlineOnly?: boolean | undefined;
  /** Organizations (ids or names) whose credentials are left out. */
  avoidIssuers?: string[] | undefined;
  /** Most credentials in the plan. */
  maxCredentials?: number | undefined;
}

/** The skill hierarchy: the direct broader skills of a skill (empty when it has none or none is known). */
export type BroaderOf = (code: string) => readonly string[];

/** The offers ready for many plans: sorted by id, by id, and by every skill each stands for (with broader ones). */
export interface OfferIndex {
  sorted: Offer[];
  byId: Map<string, Offer>;
  covering: Map<string, Offer[]>;
  /** The ancestry of every skill an offer teaches (the skill, then its broader skills, as `ancestry` lists them). */
  ancestry: Map<string, string[]>;
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function indexOffers(offers: readonly Offer[], broaderOf: BroaderOf): OfferIndex {
  const sorted = [...offers].sort((a, b) => byCode(a.achievementId, b.achievementId));
  const covering = new Map<string, Offer[]>();
  const ancestryOf = new Map<string, string[]>();
  for (const offer of sorted) {
    const codes = new Set<string>();
    for (const skill of offer.skills) {
      let up = ancestryOf.get(skill.code);
      if (!up) ancestryOf.set(skill.code, (up = ancestry(skill.code, broaderOf)));
      up.forEach((c) => codes.add(c));
    }
    for (const code of codes) {
      const list = covering.get(code);
      if (list) list.push(offer);
      else covering.set(code, [offer]);
    }
  }
  return { sorted, byId: new Map(sorted.map((o) => [o.achievementId, o])), covering, ancestry: ancestryOf };
}

export interface PlanInput {
  target: Target;
  held: VerifiedSkill[];
  /** Achievements the worker holds (ids here, and the achievement URLs of their credentials): prerequisites met. */
  heldAchievements: ReadonlySet<string>;
  offers: readonly Offer[];
  /** The offers indexed once with the same `broaderOf` (the service keeps one per catalog and taxonomy); built here when absent. */
  index?: OfferIndex | undefined;
  broaderOf: BroaderOf;
  /** Resolves a prerequisite's address to an achievement id on this instance, if it is one. */
  achievementIdOf: (address: string) => string | undefined;
  filters?: PlanFilters | undefined;
  timeLimitSeconds: number;
  /** How many next-best plans to look for (0–3). */
  alternatives?: number;
}

export interface PlannedCredential {
  achievementId: string;
  version: number;
  name: string;
  issuer: { id: string; name: string };
  hours: number;
  language: string;
  participationForm: string;
  /** The gap's essential skills this credential covers (of those the plan must close). */
  covers: string[];
  /** The gap's optional skills it covers along the way. */
  coversOptional: string[];
  /** Credentials of the plan that need this one first. */
  prerequisiteOf: string[];
  why: string;
}

export interface Plan {
  credentials: PlannedCredential[];
  /** Σ of the credentials' hours, summed in hundredths of an hour. */
  totalHours: number;
  /** Proven least total hours: no plan within the filters takes fewer hours than this. */
  optimal: boolean;
  /** A proven lower bound on any plan's hours; equal to totalHours when optimal. */
  lowerBound: number;
  /** totalHours − lowerBound: 0 for an optimal plan. */
  boundGap: number;
}

export interface HeldTargetSkill {
  skill: string;
  label: string;
  essential: boolean;
  /** The skill the worker proves: the same one, or a narrower one. */
  via: { skill: string; label: string; narrower: boolean };
  evidence: Evidence[];
}

export interface AdviceAnswer {
  target: { kind: Target['kind']; id: string | null; name: string; framework: string | null; skills: number };
  status: 'no-gap' | 'optimal' | 'best-found' | 'infeasible';
  held: HeldTargetSkill[];
  gap: { skill: string; label: string; essential: boolean; weight?: number }[];
  plan: Plan | null;
  /** Essential gap skills that no published micro-credential covers at all. */
  uncovered: string[];
  /** What the filters (or budgets) leave uncoverable, and why; null when the plan closes everything it can. */
  infeasible: { reason: string; skills: { skill: string; label: string; why: string }[] } | null;
  alternatives: Plan[];
  explanation: string[];
}

export const adviceLimits = { maxAlternatives: 3, maxTargetSkills: 500 };

/** Every skill a skill stands for: itself and, transitively, its broader skills. */
export function ancestry(code: string, broaderOf: BroaderOf): string[] {
  const seen = new Set([code]);
  const queue = [code];
  while (queue.length) {
    for (const up of broaderOf(queue.shift()!)) {
      if (!seen.has(up)) {
        seen.add(up);
        queue.push(up);
      }
    }
  }
  return [...seen];
}

const hoursText = (hours: number) => `${Number.isInteger(hours) ? hours : hours.toFixed(2).replace(/0$/, '')} h`;
const fold = (value: string) => value.normalize('NFKC').trim().toLowerCase();

/** Why an offer is left out by the filters, or undefined when it passes. */
export function filteredOut(offer: Offer, filters: PlanFilters): string | undefined {
  if (filters.language) {
    const want = fold(filters.language);
    const have = fold(offer.language);
    if (have !== want && have.split('-')[0] !== want.split('-')[0]) return `taught in ${offer.language}`;
  }
  if (filters.onlineOnly && offer.participationForm !== 'online') return `${offer.participationForm}, not online`;
  if (filters.avoidIssuers?.length) {
    const avoid = new Set(filters.avoidIssuers.map(fold));
    if (avoid.has(fold(offer.issuer.id)) || avoid.has(fold(offer.issuer.name))) return `issued by ${offer.issuer.name}`;
  }
  if (filters.maxHours !== undefined && offer.hours > filters.maxHours) {
    return `${hoursText(offer.hours)}, over the ${hoursText(filters.maxHours)} limit`;
  }
  return undefined;
}

export async function planAdvice(input: PlanInput): Promise<AdviceAnswer> {
  const { target, broaderOf } = input;
  const filters = input.filters ?? {};
  const labelOf = new Map(target.skills.map((s) => [s.code, s.label]));
  const explanation: string[] = [];

  // 1. What the worker proves of the target, directly or through a narrower skill.
  const targetCodes = new Set(target.skills.map((s) => s.code));
  const provenBy = new Map<string, { skill: VerifiedSkill; narrower: boolean }>();
  const heldSorted = [...input.held].sort((a, b) => byCode(a.code, b.code));
  for (const skill of heldSorted) {
    if (targetCodes.has(skill.code)) provenBy.set(skill.code, { skill, narrower: false });
  }
  for (const skill of heldSorted) {
    for (const up of ancestry(skill.code, broaderOf)) {
      if (up !== skill.code && targetCodes.has(up) && !provenBy.has(up)) provenBy.set(up, { skill, narrower: true });
    }
  }
  const held: HeldTargetSkill[] = [];
  const gap: AdviceAnswer['gap'] = [];
  for (const s of target.skills) {
    const proof = provenBy.get(s.code);
    if (!proof) {
      gap.push({
        skill: s.code,
        label: s.label,
        essential: s.essential,
        ...(s.weight !== undefined ? { weight: s.weight } : {}),
      });
      continue;
    }
    held.push({
      skill: s.code,
      label: s.label,
      essential: s.essential,
      via: { skill: proof.skill.code, label: proof.skill.label, narrower: proof.narrower },
      evidence: proof.skill.evidence,
    });
    if (proof.narrower) {
      explanation.push(
        `“${s.label}” is covered by your verified “${proof.skill.label}”, a narrower skill in the taxonomy ` +
          `(shown by ${proof.skill.evidence.map((e) => e.credential).join(', ') || 'your credentials'}).`,
      );
    }
  }
  const essentialGap = gap.filter((g) => g.essential).map((g) => g.skill);
  const optionalGap = new Set(gap.filter((g) => !g.essential).map((g) => g.skill));
  explanation.unshift(
    `${target.name}: you prove ${held.length} of its ${target.skills.length} skills; ` +
      `${essentialGap.length} essential and ${optionalGap.size} optional skills are missing.`,
  );

  const answer = (rest: Partial<AdviceAnswer> & Pick<AdviceAnswer, 'status'>): AdviceAnswer => ({
    target: {
      kind: target.kind,
      id: target.id,
      name: target.name,
      framework: target.framework,
      skills: target.skills.length,
    },
    held,
    gap,
    plan: null,
    uncovered: [],
    infeasible: null,
    alternatives: [],
    explanation,
    ...rest,
  });
  if (essentialGap.length === 0) {
    explanation.push('You already prove every essential skill of this target: no credential is needed.');
    return answer({ status: 'no-gap' });
  }

  // 2. What each offer covers of the gap (its skills, and the broader skills they stand for).
  const gapCodes = new Set(gap.map((g) => g.skill));
  const offerIndex = input.index ?? indexOffers(input.offers, broaderOf);
  // The index holds the ancestry of every skill its offers teach (computed once per catalog and taxonomy).
  const ancestryCache = offerIndex.ancestry;
  const covering = (offer: Offer) => {
    const covers = new Set<string>();
    const narrowerNotes: string[] = [];
    for (const skill of offer.skills) {
      const up = ancestryCache.get(skill.code) ?? ancestry(skill.code, broaderOf);
      for (const code of up) {
        if (!gapCodes.has(code) || covers.has(code)) continue;
        covers.add(code);
        if (code !== skill.code) narrowerNotes.push(`“${labelOf.get(code)}” through its narrower “${skill.label}”`);
      }
    }
    return { covers, narrowerNotes };
  };
  // Only offers that cover a gap skill matter, with everything they need first.
  const relevant = new Set<Offer>();
  for (const code of gapCodes) for (const o of offerIndex.covering.get(code) ?? []) relevant.add(o);
  const pending = [...relevant];
  while (pending.length) {
    for (const address of pending.pop()!.prerequisites) {
      const id = input.achievementIdOf(address);
      const needed = id ? offerIndex.byId.get(id) : undefined;
      if (needed && !relevant.has(needed)) {
        relevant.add(needed);
        pending.push(needed);
      }
    }
  }
  const offers = [...relevant].sort((a, b) => byCode(a.achievementId, b.achievementId));
  const coverOf = new Map(offers.map((o) => [o.achievementId, covering(o)]));
  const coveredAtAll = new Set<string>();
  for (const { covers } of coverOf.values()) covers.forEach((c) => coveredAtAll.add(c));
  const uncovered = essentialGap.filter((s) => !coveredAtAll.has(s));
  if (uncovered.length) {
    explanation.push(
      `No published micro-credential covers ${uncovered.length === 1 ? 'this essential skill' : `these ${uncovered.length} essential skills`}: ` +
        `${uncovered.map((s) => `“${labelOf.get(s)}”`).join(', ')}.`,
    );
  }

  // 3. Which offers may be part of a plan: the filters, then prerequisites (held, or earnable within the filters).
  const byId = new Map(offers.map((o) => [o.achievementId, o]));
  const excluded = new Map<string, string>();
  for (const offer of offers) {
    const why = filteredOut(offer, filters);
    if (why) excluded.set(offer.achievementId, why);
  }
  const needs = new Map<string, string[]>();
  for (const offer of offers) {
    const required: string[] = [];
    for (const address of offer.prerequisites) {
      if (input.heldAchievements.has(address)) continue;
      const id = input.achievementIdOf(address);
      if (id && input.heldAchievements.has(id)) continue;
      if (!id || !byId.has(id)) {
        if (!excluded.has(offer.achievementId)) {
          excluded.set(
            offer.achievementId,
            `needs ${address}, which you do not hold and no published micro-credential here gives`,
          );
        }
        continue;
      }
      required.push(id);
    }
    needs.set(offer.achievementId, required);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const offer of offers) {
      if (excluded.has(offer.achievementId)) continue;
      const blocked = needs.get(offer.achievementId)!.find((p) => excluded.has(p));
      if (blocked) {
        excluded.set(
          offer.achievementId,
          `needs “${byId.get(blocked)!.name}” first, which is ${excluded.get(blocked)}`,
        );
        changed = true;
      }
    }
  }

  // 4. Essential skills some offer covers, but none the filters allow: they cannot be covered.
  const usable = offers.filter((o) => !excluded.has(o.achievementId));
  const coverableNow = new Set<string>();
  for (const o of usable) coverOf.get(o.achievementId)!.covers.forEach((c) => coverableNow.add(c));
  const blockedSkills = essentialGap
    .filter((s) => coveredAtAll.has(s) && !coverableNow.has(s))
    .map((s) => {
      const reasons = offers
        .filter((o) => coverOf.get(o.achievementId)!.covers.has(s))
        .slice(0, 3)
        .map((o) => `“${o.name}” is ${excluded.get(o.achievementId)}`);
      return { skill: s, label: labelOf.get(s)!, why: `${reasons.join('; ')}.` };
    });
  const elements = essentialGap.filter((s) => coverableNow.has(s));
  let infeasible: AdviceAnswer['infeasible'] = blockedSkills.length
    ? { reason: 'Your filters leave no micro-credential that covers these skills.', skills: blockedSkills }
    : null;
  if (elements.length === 0) {
    explanation.push('No plan can cover any missing essential skill within your filters.');
    return answer({ status: infeasible ? 'infeasible' : 'best-found', uncovered, infeasible });
  }

  // 5. The candidates: usable offers that cover a skill to close, and everything they need first.
  const elementIndex = new Map(elements.map((s, i) => [s, i]));
  const chosenIds = new Set<string>();
  const addWithPrerequisites = (id: string) => {
    if (chosenIds.has(id)) return;
    chosenIds.add(id);
    for (const p of needs.get(id) ?? []) addWithPrerequisites(p);
  };
  for (const o of usable) {
    if ([...coverOf.get(o.achievementId)!.covers].some((c) => elementIndex.has(c)))
      addWithPrerequisites(o.achievementId);
  }
  const candidates = offers.filter((o) => chosenIds.has(o.achievementId));
  const index = new Map(candidates.map((o, i) => [o.achievementId, i]));
  const items: CoverItem[] = candidates.map((o) => ({
    cost: o.hours,
    covers: [...coverOf.get(o.achievementId)!.covers]
      .filter((c) => elementIndex.has(c))
      .map((c) => elementIndex.get(c)!),
    requires: needs.get(o.achievementId)!.map((p) => index.get(p)!),
  }));
  const problem: CoverProblem = {
    items,
    elements: elements.length,
    maxCost: filters.maxHours,
    maxItems: filters.maxCredentials,
    timeLimitSeconds: input.timeLimitSeconds,
  };

  const toPlan = (chosen: number[], optimal: boolean, lowerBound: number): Plan => {
    const picked = chosen.map((i) => candidates[i]!);
    const ids = new Set(picked.map((o) => o.achievementId));
    const credentials = picked.map((o): PlannedCredential => {
      const { covers, narrowerNotes } = coverOf.get(o.achievementId)!;
      const essential = elements.filter((s) => covers.has(s));
      const optional = [...covers].filter((s) => optionalGap.has(s)).sort();
      const prerequisiteOf = picked
        .filter((p) => needs.get(p.achievementId)!.includes(o.achievementId))
        .map((p) => p.achievementId);
      const parts: string[] = [];
      if (essential.length) parts.push(`covers ${essential.map((s) => `“${labelOf.get(s)}”`).join(', ')}`);
      if (prerequisiteOf.length) {
        parts.push(`is a prerequisite of ${prerequisiteOf.map((p) => `“${byId.get(p)!.name}”`).join(', ')}`);
      }
      if (optional.length)
        parts.push(`also covers the optional ${optional.map((s) => `“${labelOf.get(s)}”`).join(', ')}`);
      if (narrowerNotes.length) parts.push(`(${narrowerNotes.join('; ')})`);
      return {
        achievementId: o.achievementId,
        version: o.version,
        name: o.name,
        issuer: o.issuer,
        hours: o.hours,
        language: o.language,
        participationForm: o.participationForm,
        covers: essential,
        coversOptional: optional,
        prerequisiteOf: prerequisiteOf.filter((p) => ids.has(p)),
        why: `${hoursText(o.hours)}: ${parts.join('; ')}.`,
      };
    });
    const totalHours = chosen.reduce((sum, i) => sum + centi(candidates[i]!.hours), 0) / 100;
    const bound = Math.min(totalHours, lowerBound);
    return { credentials, totalHours, optimal, lowerBound: bound, boundGap: (centi(totalHours) - centi(bound)) / 100 };
  };

  const first = await solveCover(problem);
  if (first.status === 'infeasible') {
    // Only the budgets can make it so (every element has a usable coverer): say what the least plan needs.
    const unlimited = await solveCover({ ...problem, maxCost: undefined, maxItems: undefined });
    const least =
      unlimited.status === 'optimal' || unlimited.status === 'time-limit'
        ? toPlan(unlimited.chosen, unlimited.status === 'optimal', unlimited.lowerBound)
        : null;
    const limits = [
      filters.maxHours !== undefined ? `at most ${hoursText(filters.maxHours)}` : null,
      filters.maxCredentials !== undefined
        ? `at most ${filters.maxCredentials} credential${filters.maxCredentials === 1 ? '' : 's'}`
        : null,
    ].filter(Boolean);
    const reason = least
      ? `No plan closes these skills with ${limits.join(' and ')}: the least plan takes ${hoursText(least.totalHours)} in ${least.credentials.length} credential${least.credentials.length === 1 ? '' : 's'}.`
      : `No plan closes these skills with ${limits.join(' and ')}.`;
    infeasible = {
      reason: infeasible ? `${infeasible.reason} ${reason}` : reason,
      skills: [
        ...(infeasible?.skills ?? []),
        ...elements.map((s) => ({ skill: s, label: labelOf.get(s)!, why: reason })),
      ],
    };
    explanation.push(reason);
    return answer({ status: 'infeasible', uncovered, infeasible });
  }

  let plan: Plan;
  if (first.status === 'no-solution') {
    const greedy = greedyCover(problem);
    if (!greedy) {
      explanation.push(
        'The solver ran out of time before finding a plan within your limits; try again with fewer limits.',
      );
      return answer({ status: 'best-found', uncovered, infeasible });
    }
    plan = toPlan(greedy, false, first.lowerBound);
  } else {
    plan = toPlan(first.chosen, first.status === 'optimal', first.lowerBound);
  }
  explanation.push(
    plan.optimal
      ? `The plan takes ${hoursText(plan.totalHours)} in ${plan.credentials.length} credential${plan.credentials.length === 1 ? '' : 's'} (${plan.credentials.map((c) => hoursText(c.hours)).join(' + ')}); no plan within your filters takes fewer hours.`
      : `The plan takes ${hoursText(plan.totalHours)}; the solver stopped at its time limit, and no plan takes fewer than ${hoursText(plan.lowerBound)}.`,
  );

  // 6. Next-best plans: forbid each plan found so far (and any plan containing it), solve again.
  const alternatives: Plan[] = [];
  const wanted = Math.max(
    0,
    Math.min(adviceLimits.maxAlternatives, input.alternatives ?? adviceLimits.maxAlternatives),
  );
  const exclude: number[][] = [plan.credentials.map((c) => index.get(c.achievementId)!)];
  while (alternatives.length < wanted) {
    const next = await solveCover({ ...problem, exclude });
    if (next.status !== 'optimal' && next.status !== 'time-limit') break;
    const alternative = toPlan(next.chosen, next.status === 'optimal' && plan.optimal, next.lowerBound);
    alternatives.push(alternative);
    exclude.push(next.chosen);
  }
  return answer({ status: plan.optimal ? 'optimal' : 'best-found', plan, uncovered, infeasible, alternatives });
}
