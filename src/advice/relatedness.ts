/**
 * Roles within reach: how close a worker's verified skills bring them to each occupation, by skill relatedness
 * learned from the occupation–skill links themselves (SkillScape: Alabdulkareem, Frank, Sun, AlShebli, Hidalgo
 * and Rahwan, "Unpacking the polarization of workplace skills", Science Advances 4(7), 2018).
 *
 * The measure, as implemented here:
 *
 * 1. Use. e(j, s) is 1 when occupation j lists skill s as essential, ½ when optional. Occupation j *uses* s
 *    when its revealed comparative advantage exceeds 1:
 *        RCA(j, s) = (e(j, s) / Σ_s' e(j, s')) / (Σ_j' e(j', s) / Σ_j's' e(j', s'))
 *    so a skill every occupation lists (e.g. "use a computer") is used by few of them, and a rare skill by
 *    the occupations that list it.
 * 2. Relatedness. Two skills are related when the same occupations use both:
 *        θ(s, s') = |U(s) ∩ U(s')| / max(|U(s)|, |U(s')|)
 *    where U(s) are the occupations using s: the smaller of the two conditional probabilities P(s | s') and
 *    P(s' | s), as in the paper (and Hidalgo's product space). The issue text reads this as "normalized by
 *    the rarer one's use"; the paper's normalisation is by the more widely used skill's count, which keeps a
 *    ubiquitous skill from looking related to everything, and that is what is done here.
 * 3. Proximity of a worker to a skill: 1 when they hold it (or a narrower skill), otherwise the largest θ
 *    between it and a skill they hold.
 * 4. Closeness to an occupation, from both sides, averaged:
 *    - coverage: the weighted mean proximity over the occupation's listed skills (essential 1, optional ½):
 *      how much of the occupation the worker's skills reach;
 *    - reach: the mean over the worker's skills of their largest θ to a skill the occupation lists (1 when it
 *      lists the skill itself): how much of what the worker can do the occupation uses.
 *    Coverage alone ranks a small occupation whose few skills the worker nearly has above the worker's own
 *    occupation (94.5% self-rank on the bundled ESCO subset); with reach beside it, 100%.
 *
 * Plain overlap (Jaccard of held and listed skills) is kept beside it for comparison (`jaccard`).
 */
export interface OccupationLink {
  occupation: string;
  skill: string;
  relation: 'essential' | 'optional';
}

export interface OccupationInfo {
  code: string;
  name: string;
  framework: string;
  /** ISCO-08 unit group (ESCO) or O*NET-SOC group. */
  group: string;
}

export interface SkillSpace {
  occupations: Map<string, OccupationInfo & { skills: { code: string; essential: boolean }[] }>;
  /** Occupations that use a skill (RCA > 1). */
  usedBy: Map<string, string[]>;
  /** Skills an occupation uses (RCA > 1). */
  uses: Map<string, string[]>;
  /** Occupations that list a skill, with the skill's weight there (essential 1, optional ½). */
  listedBy: Map<string, { occupation: string; weight: number }[]>;
  /** Σ of an occupation's skill weights. */
  weightTotal: Map<string, number>;
}

const weight = (essential: boolean) => (essential ? 1 : 0.5);

export function buildSkillSpace(links: readonly OccupationLink[], occupations: readonly OccupationInfo[]): SkillSpace {
  const space: SkillSpace = {
    occupations: new Map(),
    usedBy: new Map(),
    uses: new Map(),
    listedBy: new Map(),
    weightTotal: new Map(),
  };
  for (const o of occupations) space.occupations.set(o.code, { ...o, skills: [] });
  const occupationTotal = new Map<string, number>();
  const skillTotal = new Map<string, number>();
  let total = 0;
  const seen = new Set<string>();
  for (const link of links) {
    const occupation = space.occupations.get(link.occupation);
    if (!occupation) continue;
    const key = `${link.occupation}\u0000${link.skill}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const essential = link.relation === 'essential';
    occupation.skills.push({ code: link.skill, essential });
    const e = weight(essential);
    const listed = space.listedBy.get(link.skill);
    if (listed) listed.push({ occupation: link.occupation, weight: e });
    else space.listedBy.set(link.skill, [{ occupation: link.occupation, weight: e }]);
    occupationTotal.set(link.occupation, (occupationTotal.get(link.occupation) ?? 0) + e);
    skillTotal.set(link.skill, (skillTotal.get(link.skill) ?? 0) + e);
    total += e;
  }
  for (const [code, total] of occupationTotal) space.weightTotal.set(code, total);
  for (const [code, occupation] of space.occupations) {
    const uses: string[] = [];
    for (const { code: skill, essential } of occupation.skills) {
      const rca = weight(essential) / occupationTotal.get(code)! / (skillTotal.get(skill)! / total);
      if (rca > 1) {
        uses.push(skill);
        const list = space.usedBy.get(skill) ?? [];
        list.push(code);
        space.usedBy.set(skill, list);
      }
    }
    space.uses.set(code, uses);
  }
  return space;
}

/** The worker's proximity to every skill related to one they hold (held skills: 1). */
export function proximity(space: SkillSpace, held: Iterable<string>): Map<string, number> {
  const result = new Map<string, number>();
  for (const h of held) {
    result.set(h, 1);
    const users = space.usedBy.get(h);
    if (!users) continue;
    // Co-use counts of h with every skill used by an occupation that uses h.
    const together = new Map<string, number>();
    for (const j of users) for (const s of space.uses.get(j)!) together.set(s, (together.get(s) ?? 0) + 1);
    for (const [s, count] of together) {
      if (s === h) continue;
      const theta = count / Math.max(users.length, space.usedBy.get(s)!.length);
      if (theta > (result.get(s) ?? 0)) result.set(s, theta);
    }
  }
  return result;
}

/** What closeness is computed from: the proximity to every skill, overall and per held skill. */
export interface Proximities {
  held: string[];
  all: Map<string, number>;
  each: Map<string, number>[];
}

export function proximities(space: SkillSpace, held: Iterable<string>): Proximities {
  const list = [...new Set(held)];
  return { held: list, all: proximity(space, list), each: list.map((h) => proximity(space, [h])) };
}

export interface Closeness {
  /** ½ coverage + ½ reach. */
  score: number;
  coverage: number;
  reach: number;
}

/** SkillScape closeness of a worker (their proximities) to an occupation: see the module's comment. */
export function closeness(space: SkillSpace, near: Proximities, occupation: string): Closeness {
  const skills = space.occupations.get(occupation)?.skills ?? [];
  let sum = 0;
  let weights = 0;
  for (const s of skills) {
    sum += weight(s.essential) * (near.all.get(s.code) ?? 0);
    weights += weight(s.essential);
  }
  const coverage = weights ? sum / weights : 0;
  let reached = 0;
  for (const each of near.each) {
    let best = 0;
    for (const s of skills) {
      const v = each.get(s.code) ?? 0;
      if (v > best && (best = v) === 1) break;
    }
    reached += best;
  }
  const reach = near.held.length ? reached / near.held.length : 0;
  return { score: (coverage + reach) / 2, coverage, reach };
}

/**
 * Closeness to every occupation at once, walking only the skills the worker is near (the same numbers as
 * `closeness`, which reads one occupation's skills): occupations the worker is near nothing of are left out.
 */
export function closenessAll(space: SkillSpace, near: Proximities): Map<string, Closeness> {
  const covered = new Map<string, number>();
  for (const [skill, p] of near.all) {
    for (const { occupation, weight: w } of space.listedBy.get(skill) ?? []) {
      covered.set(occupation, (covered.get(occupation) ?? 0) + w * p);
    }
  }
  const reached = new Map<string, number>();
  for (const each of near.each) {
    const best = new Map<string, number>();
    for (const [skill, p] of each) {
      for (const { occupation } of space.listedBy.get(skill) ?? []) {
        if (p > (best.get(occupation) ?? 0)) best.set(occupation, p);
      }
    }
    for (const [occupation, p] of best) reached.set(occupation, (reached.get(occupation) ?? 0) + p);
  }
  const result = new Map<string, Closeness>();
  for (const [occupation, sum] of covered) {
    const weights = space.weightTotal.get(occupation) ?? 0;
    const coverage = weights ? sum / weights : 0;
    const reach = near.held.length ? (reached.get(occupation) ?? 0) / near.held.length : 0;
    result.set(occupation, { score: (coverage + reach) / 2, coverage, reach });
  }
  return result;
}

/**
 * The skill space as flat integer-indexed arrays (compressed rows), built once per taxonomy: closeness to every
 * occupation at once then walks typed arrays instead of maps keyed by URIs. The numbers are bit for bit those
 * of `closeness` (same terms, added in the same order): see `closenessEvery`.
 */
export interface IndexedSkillSpace {
  skillIndex: Map<string, number>;
  occupationCodes: string[];
  /** Occupation o lists skills occSkill[occStart[o] … occStart[o + 1]) with weights occWeight (listing order). */
  occStart: Int32Array;
  occSkill: Int32Array;
  occWeight: Float64Array;
  /** Skill s is listed by occupations listOcc[listStart[s] … listStart[s + 1]). */
  listStart: Int32Array;
  listOcc: Int32Array;
  /** Skill s is used (RCA > 1) by occupations usedOcc[usedStart[s] … usedStart[s + 1]). */
  usedStart: Int32Array;
  usedOcc: Int32Array;
  /** Occupation o uses (RCA > 1) skills usesSkill[usesStart[o] … usesStart[o + 1]). */
  usesStart: Int32Array;
  usesSkill: Int32Array;
}

/** Compressed rows from a list of lists. */
function rows(lists: readonly (readonly number[])[]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => (start[i + 1] = start[i]! + list.length));
  const items = new Int32Array(start[lists.length]!);
  lists.forEach((list, i) => items.set(list, start[i]!));
  return { start, items };
}

export function indexSkillSpace(space: SkillSpace): IndexedSkillSpace {
  const skillIndex = new Map<string, number>();
  const idOf = (code: string) => {
    let id = skillIndex.get(code);
    if (id === undefined) skillIndex.set(code, (id = skillIndex.size));
    return id;
  };
  const occupationCodes = [...space.occupations.keys()];
  const occupationIndex = new Map(occupationCodes.map((code, i) => [code, i]));
  const listed: number[][] = [];
  const weights: number[] = [];
  for (const o of space.occupations.values()) {
    listed.push(o.skills.map((s) => idOf(s.code)));
    for (const s of o.skills) weights.push(weight(s.essential));
  }
  const byOccupation = rows(listed);
  const listLists: number[][] = Array.from({ length: skillIndex.size }, () => []);
  const usedLists: number[][] = Array.from({ length: skillIndex.size }, () => []);
  for (const [code, list] of space.listedBy) {
    const s = skillIndex.get(code);
    if (s !== undefined) for (const { occupation } of list) listLists[s]!.push(occupationIndex.get(occupation)!);
  }
  for (const [code, list] of space.usedBy) {
    const s = skillIndex.get(code);
    if (s !== undefined) for (const occupation of list) usedLists[s]!.push(occupationIndex.get(occupation)!);
  }
  const listedBy = rows(listLists);
  const usedBy = rows(usedLists);
  const uses = rows(occupationCodes.map((code) => (space.uses.get(code) ?? []).map((s) => skillIndex.get(s)!)));
  return {
    skillIndex,
    occupationCodes,
    occStart: byOccupation.start,
    occSkill: byOccupation.items,
    occWeight: Float64Array.from(weights),
    listStart: listedBy.start,
    listOcc: listedBy.items,
    usedStart: usedBy.start,
    usedOcc: usedBy.items,
    usesStart: uses.start,
    usesSkill: uses.items,
  };
}

/**
 * SkillScape closeness of a worker to every occupation they are near anything of (score > 0), from the indexed
 * space: the same numbers as `closeness(space, proximities(space, held), occupation)`, exactly. Coverage adds
 * each occupation's terms in its listing order, as `closeness` does; each held skill's proximity row is a
 * maximum (order-free); reach adds the rows' best values in the order of the held skills, as `closeness` does
 * (skipping zeros, which add nothing).
 */
export function closenessEvery(indexed: IndexedSkillSpace, held: Iterable<string>): Map<string, Closeness> {
  const { skillIndex, occStart, occSkill, occWeight, listStart, listOcc, usedStart, usedOcc, usesStart, usesSkill } =
    indexed;
  const skills = skillIndex.size;
  const occupations = indexed.occupationCodes.length;
  const unique = [...new Set(held)];
  const all = new Float64Array(skills);
  const row = new Float64Array(skills);
  const counts = new Int32Array(skills);
  const best = new Float64Array(occupations);
  const reached = new Float64Array(occupations);
  const touched: number[] = [];
  const reachedTouched: number[] = [];
  const rowSkills: number[] = [];
  for (const code of unique) {
    const h = skillIndex.get(code);
    if (h === undefined) continue; // listed by no occupation: proximity 1 to itself only, which no occupation lists
    // This held skill's proximity row: θ(h, s) over the skills co-used with it, and 1 for itself.
    rowSkills.length = 0;
    const usersOfH = usedStart[h + 1]! - usedStart[h]!;
    for (let u = usedStart[h]!; u < usedStart[h + 1]!; u++) {
      const j = usedOcc[u]!;
      for (let k = usesStart[j]!; k < usesStart[j + 1]!; k++) {
        const s = usesSkill[k]!;
        if (counts[s] === 0) rowSkills.push(s);
        counts[s] = counts[s]! + 1;
      }
    }
    for (const s of rowSkills) {
      if (s !== h) row[s] = counts[s]! / Math.max(usersOfH, usedStart[s + 1]! - usedStart[s]!);
      counts[s] = 0;
    }
    // h is among them when an occupation uses it (it then uses h too); otherwise it stands alone.
    if (usersOfH === 0) rowSkills.push(h);
    row[h] = 1;
    // Its best value over each occupation's listed skills (a maximum: any order gives the same number).
    for (const s of rowSkills) {
      const p = row[s]!;
      if (p > all[s]!) all[s] = p;
      for (let l = listStart[s]!; l < listStart[s + 1]!; l++) {
        const o = listOcc[l]!;
        if (best[o] === 0) touched.push(o);
        if (p > best[o]!) best[o] = p;
      }
      row[s] = 0;
    }
    for (const o of touched) {
      if (reached[o] === 0) reachedTouched.push(o);
      reached[o] = reached[o]! + best[o]!;
      best[o] = 0;
    }
    touched.length = 0;
  }
  const result = new Map<string, Closeness>();
  for (const o of reachedTouched) {
    let sum = 0;
    let weights = 0;
    for (let k = occStart[o]!; k < occStart[o + 1]!; k++) {
      sum += occWeight[k]! * all[occSkill[k]!]!;
      weights += occWeight[k]!;
    }
    const coverage = weights ? sum / weights : 0;
    const reach = unique.length ? reached[o]! / unique.length : 0;
    result.set(indexed.occupationCodes[o]!, { score: (coverage + reach) / 2, coverage, reach });
  }
  return result;
}

/** Plain overlap: |held ∩ listed| / |held ∪ listed|. */
export function jaccard(space: SkillSpace, held: Set<string>, occupation: string): number {
  const skills = space.occupations.get(occupation)?.skills ?? [];
  let both = 0;
  for (const s of skills) if (held.has(s.code)) both++;
  const union = held.size + skills.length - both;
  return union ? both / union : 0;
}

export interface RankedOccupation {
  code: string;
  score: number;
}

/** Occupations by closeness (or Jaccard), best first; ties by code. */
export function rankOccupations(
  space: SkillSpace,
  held: Iterable<string>,
  measure: 'skillscape' | 'jaccard' = 'skillscape',
  only?: (info: OccupationInfo) => boolean,
): RankedOccupation[] {
  const heldSet = new Set(held);
  const near = measure === 'skillscape' ? proximities(space, heldSet) : undefined;
  const ranked: RankedOccupation[] = [];
  for (const [code, info] of space.occupations) {
    if (only && !only(info)) continue;
    if (info.skills.length === 0) continue;
    ranked.push({ code, score: near ? closeness(space, near, code).score : jaccard(space, heldSet, code) });
  }
  return ranked.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * The checks the issue asks for, on one framework's occupations:
 * - selfRank: the share of occupations that rank first when the worker holds exactly their essential skills;
 * - sameGroupAbove: over every occupation j (holding its essential skills) and every pair (k same ISCO unit
 *   group as j, l of another group), the share of pairs where k scores above l (ties count half), for the
 *   given measure.
 */
export function evaluate(space: SkillSpace, framework: string, measure: 'skillscape' | 'jaccard') {
  const inFramework = (info: OccupationInfo) => info.framework === framework;
  const occupations = [...space.occupations.values()].filter((o) => inFramework(o) && o.skills.length > 0);
  let first = 0;
  let above = 0;
  let pairs = 0;
  for (const j of occupations) {
    const held = j.skills.filter((s) => s.essential).map((s) => s.code);
    if (held.length === 0) continue;
    const ranked = rankOccupations(space, held, measure, inFramework);
    const top = ranked[0];
    if (top && top.code === j.code) first++;
    const score = new Map(ranked.map((r) => [r.code, r.score]));
    const same = occupations.filter((k) => k.code !== j.code && k.group === j.group).map((k) => score.get(k.code)!);
    const other = occupations.filter((k) => k.group !== j.group).map((k) => score.get(k.code)!);
    for (const a of same) {
      for (const b of other) {
        pairs++;
        if (a > b) above++;
        else if (a === b) above += 0.5;
      }
    }
  }
  return {
    occupations: occupations.length,
    selfRank: first / occupations.length,
    sameGroupAbove: pairs ? above / pairs : 0,
    pairs,
  };
}
