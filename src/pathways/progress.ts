import {
  componentsUnder,
  creditOf,
  placeNodes,
  refKey,
  unitName,
  type AchievementFacts,
  type ComponentRef,
  type CreditUnit,
  type PathwayDefinition,
  type PlacedNode,
  type RecognitionRule,
  type RequirementNode,
} from './pathway.js';

/**
 * Progress on a pathway, the pure part: from a learner's holdings (with the wallet's status for each: issued
 * here by our records, imported by a verification just now), which component each holding satisfies and how,
 * which nodes are complete, the credits counted, what remains, and which holdings match but do not count
 * (revoked, suspended, expired, unverifiable, an untrusted issuer, earned out of order) and why.
 */
export type HoldingStatus = 'active' | 'expired' | 'revoked' | 'suspended' | 'unverified';

export interface HeldCredential {
  holdingId: string;
  name: string;
  issuer: { id: string | null; name: string | null };
  status: HoldingStatus;
  /** This instance's achievement id (credentials issued here), else null. */
  achievementId: string | null;
  /** The achievement's own id as the credential names it (a URL). */
  achievementUrl: string | null;
  /** Codes (and URLs) of the skills the achievement aligns to. */
  skills: string[];
  eqfLevel: number | null;
  ectsCredits: number | null;
  workloadHours: number | null;
  /** When it was issued (or valid from), ISO 8601. */
  issuedAt: string | null;
  /** Its issuer is an organization of this instance or in the trust registry. */
  issuerAccepted: boolean;
}

type ComponentNode = Extract<RequirementNode, { type: 'component' }>;

export interface Satisfaction {
  holdingId: string;
  name: string;
  issuer: string | null;
  /** How it counts: it is the component itself, or a recognition rule accepts it. */
  via: 'component' | 'recognition';
  rule: RecognitionRule | null;
  /** What it brings to credit sums, by unit (null: the credential does not say). */
  credits: { ECTS: number | null; hours: number | null };
}

export interface NotCounted {
  holdingId: string;
  name: string;
  component: string;
  status: HoldingStatus;
  reason: string;
}

export interface NodeProgress {
  key: string;
  type: RequirementNode['type'];
  label: string;
  complete: boolean;
  /** anyOf: children complete and needed. */
  done?: { complete: number; needed: number } | undefined;
  /** credits: counted so far and needed. */
  credits?: { counted: number; min: number; unit: CreditUnit } | undefined;
  /** component: the holding that satisfies it (the best one), or null. */
  satisfiedBy?: Satisfaction | null | undefined;
  children: NodeProgress[];
}

export interface Progress {
  complete: boolean;
  tree: NodeProgress;
  /** Every component satisfied, by key. */
  satisfied: { component: string; holding: Satisfaction }[];
  notCounted: NotCounted[];
  /** In words, what is left to do (empty when complete). */
  remaining: string[];
  offRamps: { node: string; achievementId: string; complete: boolean }[];
  /** Components shared with the learner's holdings (counted or not): "on or near" the pathway. */
  touches: number;
}

const statusReason: Record<Exclude<HoldingStatus, 'active'>, string> = {
  revoked: 'it has been revoked',
  suspended: 'it is suspended',
  expired: 'it has expired',
  unverified: 'it does not verify now',
};

/** The recognition rules' test for one holding: which rule accepts it for the component, if any. */
export function recognizedBy(
  holding: HeldCredential,
  rules: readonly RecognitionRule[],
  componentKey: string,
): RecognitionRule | undefined {
  for (const rule of rules) {
    if (rule.component !== componentKey) continue;
    if (rule.by === 'achievement') {
      if (holding.achievementUrl === rule.achievementId || holding.achievementId === rule.achievementId) return rule;
    } else {
      const skills = new Set(holding.skills);
      if (
        holding.eqfLevel !== null &&
        holding.eqfLevel >= rule.minEqfLevel &&
        rule.skills.every((s) => skills.has(s.trim()))
      ) {
        return rule;
      }
    }
  }
  return undefined;
}

/** Whether a holding is the component itself (a micro-credential issued here, or the foreign achievement named). */
export function isComponent(holding: HeldCredential, ref: ComponentRef, versionUrlPrefix?: string): boolean {
  if ('achievementId' in ref) {
    if (holding.achievementId === ref.achievementId) return true;
    // An import of a credential of this instance names the achievement by its address here.
    return (
      versionUrlPrefix !== undefined &&
      holding.achievementUrl !== null &&
      holding.issuerAccepted &&
      (holding.achievementUrl === `${versionUrlPrefix}${ref.achievementId}` ||
        holding.achievementUrl.startsWith(`${versionUrlPrefix}${ref.achievementId}/versions/`))
    );
  }
  return holding.achievementUrl === ref.foreignId;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export interface EvaluateInput {
  definition: PathwayDefinition;
  holdings: readonly HeldCredential[];
  achievement: (id: string) => AchievementFacts | undefined;
  /** `${publicUrl}/achievements/`: an imported credential of this instance names its achievement under it. */
  achievementUrlPrefix?: string | undefined;
}

export interface Evaluation {
  progress: Progress;
  /** The placed tree, for planning. */
  placed: { root: PlacedNode; all: PlacedNode[] };
  /** Components satisfied now, by key. */
  satisfiedKeys: Set<string>;
  /** Credits each satisfied component counts, by key. */
  countedCredits: Map<string, Satisfaction['credits']>;
}

function componentName(ref: ComponentRef, achievement: EvaluateInput['achievement']): string {
  return 'achievementId' in ref ? (achievement(ref.achievementId)?.name ?? ref.achievementId) : ref.name;
}

/**
 * What evaluating a definition needs beyond the holdings, once per definition (a re-evaluation runs the same
 * one for every learner): the placed tree, its components, the rules by component, the order edges, and indexes
 * from what a holding names (achievement ids and URLs) to the components it may be or be recognized for.
 * Cached by the definition object, which is never changed once read (a version is immutable).
 */
interface Prepared {
  placed: { root: PlacedNode; all: PlacedNode[] };
  components: PlacedNode[];
  rulesOf: Map<string, RecognitionRule[]>;
  before: Map<string, string[]>;
  byLocalId: Map<string, number[]>;
  byForeignId: Map<string, number[]>;
  byRuleAchievement: Map<string, number[]>;
  /** Components with an alignment rule: any holding with a level may be recognized for them. */
  byAlignment: number[];
}

const preparedOf = new WeakMap<PathwayDefinition, Prepared>();

function prepare(definition: PathwayDefinition): Prepared {
  const cached = preparedOf.get(definition);
  if (cached) return cached;
  const placed = placeNodes(definition.requirements);
  const components = placed.all.filter((p) => p.node.type === 'component');
  const rulesOf = new Map<string, RecognitionRule[]>();
  for (const rule of definition.recognition)
    rulesOf.set(rule.component, [...(rulesOf.get(rule.component) ?? []), rule]);
  const before = new Map<string, string[]>();
  for (const e of definition.prerequisites) before.set(e.after, [...(before.get(e.after) ?? []), e.before]);
  const add = (map: Map<string, number[]>, key: string, index: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [index]);
    else if (!list.includes(index)) list.push(index);
  };
  const prepared: Prepared = {
    placed,
    components,
    rulesOf,
    before,
    byLocalId: new Map(),
    byForeignId: new Map(),
    byRuleAchievement: new Map(),
    byAlignment: [],
  };
  components.forEach((p, index) => {
    const node = p.node as ComponentNode;
    if ('achievementId' in node.component) add(prepared.byLocalId, node.component.achievementId, index);
    else add(prepared.byForeignId, node.component.foreignId, index);
    for (const rule of rulesOf.get(node.key) ?? []) {
      if (rule.by === 'achievement') add(prepared.byRuleAchievement, rule.achievementId, index);
      else if (!prepared.byAlignment.includes(index)) prepared.byAlignment.push(index);
    }
  });
  preparedOf.set(definition, prepared);
  return prepared;
}

/**
 * For each component (by index), the holdings that may match it, in the holdings' order: a superset of those
 * `isComponent` or a recognition rule accepts, found through the indexes instead of testing every pair.
 */
function candidatesByComponent(
  prepared: Prepared,
  holdings: readonly HeldCredential[],
  versionUrlPrefix: string | undefined,
): HeldCredential[][] {
  const out: HeldCredential[][] = prepared.components.map(() => []);
  const last = new Int32Array(prepared.components.length).fill(-1);
  for (let h = 0; h < holdings.length; h++) {
    const holding = holdings[h]!;
    if (holding.achievementId !== null) {
      pushOnce(out, last, h, holding, prepared.byLocalId.get(holding.achievementId));
      pushOnce(out, last, h, holding, prepared.byRuleAchievement.get(holding.achievementId));
    }
    const url = holding.achievementUrl;
    if (url !== null) {
      pushOnce(out, last, h, holding, prepared.byForeignId.get(url));
      pushOnce(out, last, h, holding, prepared.byRuleAchievement.get(url));
      if (versionUrlPrefix !== undefined && holding.issuerAccepted && url.startsWith(versionUrlPrefix)) {
        // `${prefix}${id}` or `${prefix}${id}/versions/…`: every id the address can name.
        const rest = url.slice(versionUrlPrefix.length);
        pushOnce(out, last, h, holding, prepared.byLocalId.get(rest));
        for (let at = rest.indexOf('/versions/'); at >= 0; at = rest.indexOf('/versions/', at + 1)) {
          pushOnce(out, last, h, holding, prepared.byLocalId.get(rest.slice(0, at)));
        }
      }
    }
    if (holding.eqfLevel !== null) pushOnce(out, last, h, holding, prepared.byAlignment);
  }
  return out;
}

/** Adds the holding (the `h`th) to each component's list once. */
function pushOnce(
  out: HeldCredential[][],
  last: Int32Array,
  h: number,
  holding: HeldCredential,
  indexes: number[] | undefined,
) {
  if (!indexes) return;
  for (const c of indexes) {
    if (last[c] === h) continue;
    last[c] = h;
    out[c]!.push(holding);
  }
}

export function evaluate(input: EvaluateInput): Evaluation {
  const { definition, achievement } = input;
  const prepared = prepare(definition);
  const { placed, components, rulesOf } = prepared;
  const notCounted: NotCounted[] = [];
  const candidates = new Map<string, { holding: HeldCredential; sat: Satisfaction }[]>();
  const touched = new Set<string>();
  const skillSets = new Map<HeldCredential, Set<string>>();
  const skillsOf = (holding: HeldCredential) => {
    let set = skillSets.get(holding);
    if (!set) skillSets.set(holding, (set = new Set(holding.skills)));
    return set;
  };
  const recognized = (holding: HeldCredential, key: string): RecognitionRule | undefined => {
    for (const rule of rulesOf.get(key) ?? []) {
      if (rule.by === 'achievement') {
        if (holding.achievementUrl === rule.achievementId || holding.achievementId === rule.achievementId) return rule;
      } else if (holding.eqfLevel !== null && holding.eqfLevel >= rule.minEqfLevel) {
        const skills = skillsOf(holding);
        if (rule.skills.every((s) => skills.has(s.trim()))) return rule;
      }
    }
    return undefined;
  };
  const mayMatch = candidatesByComponent(prepared, input.holdings, input.achievementUrlPrefix);

  for (const [index, p] of components.entries()) {
    const node = p.node as ComponentNode;
    const list: { holding: HeldCredential; sat: Satisfaction }[] = [];
    for (const holding of mayMatch[index]!) {
      const direct = isComponent(holding, node.component, input.achievementUrlPrefix);
      const rule = direct ? undefined : recognized(holding, node.key);
      if (!direct && !rule) continue;
      touched.add(node.key);
      const reject = (reason: string) =>
        notCounted.push({
          holdingId: holding.holdingId,
          name: holding.name,
          component: node.key,
          status: holding.status,
          reason,
        });
      if (holding.status !== 'active') {
        reject(
          `“${holding.name}” matches ${componentName(node.component, achievement)} but does not count: ${statusReason[holding.status]}.`,
        );
        continue;
      }
      // A foreign credential counts only from an issuer this instance knows (its own or the trust registry's).
      const local = holding.achievementId !== null;
      if (!local && !holding.issuerAccepted) {
        reject(
          `“${holding.name}” matches ${componentName(node.component, achievement)} but its issuer ` +
            `(${holding.issuer.name ?? holding.issuer.id ?? 'unknown'}) is neither on this instance nor in the trust registry.`,
        );
        continue;
      }
      const facts = 'achievementId' in node.component && direct ? achievement(node.component.achievementId) : undefined;
      list.push({
        holding,
        sat: {
          holdingId: holding.holdingId,
          name: holding.name,
          issuer: holding.issuer.name ?? holding.issuer.id,
          via: direct ? 'component' : 'recognition',
          rule: rule ?? null,
          credits: {
            ECTS:
              holding.ectsCredits ??
              facts?.ectsCredits ??
              (direct ? creditOf(node.component, 'ECTS', achievement) : null),
            hours:
              holding.workloadHours ??
              facts?.workloadHours ??
              (direct ? creditOf(node.component, 'hours', achievement) : null),
          },
        },
      });
    }
    // The best candidate: the most credits, then the earliest (order rules prefer what came first).
    list.sort(
      (a, b) =>
        (b.sat.credits.ECTS ?? 0) - (a.sat.credits.ECTS ?? 0) ||
        (b.sat.credits.hours ?? 0) - (a.sat.credits.hours ?? 0) ||
        (a.holding.issuedAt ?? '').localeCompare(b.holding.issuedAt ?? '') ||
        a.holding.holdingId.localeCompare(b.holding.holdingId),
    );
    candidates.set(node.key, list);
  }

  // Order: a component counts when each component before it is satisfied by a holding earned no later.
  const chosen = new Map<string, { holding: HeldCredential; sat: Satisfaction }>();
  const { before } = prepared;
  const resolving = new Set<string>();
  const resolve = (key: string): { holding: HeldCredential; sat: Satisfaction } | undefined => {
    if (chosen.has(key)) return chosen.get(key);
    if (resolving.has(key)) return undefined; // a loop (refused at publishing): nothing counts
    resolving.add(key);
    const needs = before.get(key) ?? [];
    const firsts = needs.map((k) => ({ key: k, pick: resolve(k) }));
    for (const candidate of candidates.get(key) ?? []) {
      const missing = firsts.find((f) => !f.pick);
      const late = firsts.find(
        (f) =>
          f.pick?.holding.issuedAt &&
          candidate.holding.issuedAt &&
          f.pick.holding.issuedAt > candidate.holding.issuedAt,
      );
      if (!missing && !late) {
        chosen.set(key, candidate);
        break;
      }
      const other = components.find((c) => c.key === (missing ?? late)!.key)!.node as ComponentNode;
      notCounted.push({
        holdingId: candidate.holding.holdingId,
        name: candidate.holding.name,
        component: key,
        status: candidate.holding.status,
        reason: missing
          ? `“${candidate.holding.name}” waits for ${componentName(other.component, achievement)}, which comes first in this pathway.`
          : `“${candidate.holding.name}” was earned before ${componentName(other.component, achievement)}, which this pathway asks for first.`,
      });
    }
    resolving.delete(key);
    return chosen.get(key);
  };
  for (const c of components) resolve(c.key);

  const satisfiedKeys = new Set(chosen.keys());
  const countedCredits = new Map([...chosen].map(([k, v]) => [k, v.sat.credits]));
  const remaining: string[] = [];

  const build = (p: PlacedNode): NodeProgress => {
    const node = p.node;
    if (node.type === 'component') {
      const pick = chosen.get(node.key);
      const name = componentName(node.component, achievement);
      return {
        key: p.key,
        type: 'component',
        label: name,
        complete: !!pick,
        satisfiedBy: pick?.sat ?? null,
        children: [],
      };
    }
    const children = p.children.map(build);
    const doneCount = children.filter((c) => c.complete).length;
    if (node.type === 'allOf') {
      return {
        key: p.key,
        type: 'allOf',
        label: `All of ${children.length}`,
        complete: doneCount === children.length,
        children,
      };
    }
    if (node.type === 'anyOf') {
      return {
        key: p.key,
        type: 'anyOf',
        label: `Any ${node.n} of ${children.length}`,
        complete: doneCount >= node.n,
        done: { complete: doneCount, needed: node.n },
        children,
      };
    }
    const counted = round2(
      componentsUnder(p)
        .filter((c) => satisfiedKeys.has(c.key))
        // A holding counts once in a sum, even when it satisfies two components.
        .reduce(
          (acc, c) => {
            const sat = chosen.get(c.key)!.sat;
            if (acc.seen.has(sat.holdingId)) return acc;
            acc.seen.add(sat.holdingId);
            acc.sum += sat.credits[node.unit] ?? 0;
            return acc;
          },
          { sum: 0, seen: new Set<string>() },
        ).sum,
    );
    return {
      key: p.key,
      type: 'credits',
      label: `At least ${node.min} ${unitName(node.unit)}`,
      complete: counted >= node.min,
      credits: { counted, min: node.min, unit: node.unit },
      children,
    };
  };
  const tree = build(placed.root);

  const explain = (n: NodeProgress) => {
    if (n.complete) return;
    if (n.type === 'component') remaining.push(`Earn “${n.label}”.`);
    else if (n.type === 'anyOf') {
      remaining.push(
        `${n.done!.needed - n.done!.complete} more of: ${n.children
          .filter((c) => !c.complete)
          .map((c) => c.label)
          .join('; ')}.`,
      );
    } else if (n.type === 'credits') {
      remaining.push(
        `${round2(n.credits!.min - n.credits!.counted)} more ${unitName(n.credits!.unit)} (${n.credits!.counted} of ${n.credits!.min} counted).`,
      );
    } else n.children.forEach(explain);
  };
  explain(tree);

  const byKey = new Map<string, NodeProgress>();
  const index = (n: NodeProgress) => {
    byKey.set(n.key, n);
    n.children.forEach(index);
  };
  index(tree);

  return {
    progress: {
      complete: tree.complete,
      tree,
      satisfied: [...chosen].map(([component, v]) => ({ component, holding: v.sat })),
      notCounted,
      remaining,
      offRamps: definition.offRamps.map((r) => ({
        node: r.node,
        achievementId: r.achievementId,
        complete: byKey.get(r.node)?.complete ?? false,
      })),
      touches: touched.size,
    },
    placed,
    satisfiedKeys,
    countedCredits,
  };
}

/** The components a learner could earn here, with their hours (the cost of the cheapest way to finish). */
export function obtainable(ref: ComponentRef, achievement: EvaluateInput['achievement']): AchievementFacts | undefined {
  if (!('achievementId' in ref)) return undefined;
  const facts = achievement(ref.achievementId);
  return facts?.published && facts.workloadHours !== null ? facts : undefined;
}

export { refKey };
