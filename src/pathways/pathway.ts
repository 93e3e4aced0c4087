/**
 * Pathways, the pure part: how an issuer organization states that micro-credentials stack into a larger one,
 * and the checks that refuse a pathway nobody could complete. Plain data in, plain data out; the service
 * resolves what the components are (the catalog) and passes them in.
 *
 * A pathway leads to a destination (one of the organization's own micro-credential definitions) through a
 * requirement tree:
 *   component          one micro-credential of any issuer on this instance, or a foreign achievement by its `id`
 *   allOf              every child
 *   anyOf(n)           at least n of the children ("3 of these 5")
 *   credits(min, unit) a credit sum (ECTS or hours of workload) over the components below it
 * plus recognition rules (foreign credentials accepted for a component: by achievement id, or by alignment to
 * skills at an EQF level), prerequisite edges between components (order), and off-ramps (an intermediate award
 * when a subtree completes).
 */

export const creditUnits = ['ECTS', 'hours'] as const;
export type CreditUnit = (typeof creditUnits)[number];

/** A micro-credential published on this instance (by id), or a foreign achievement (by the `id` its credentials name). */
export type ComponentRef =
  | { achievementId: string }
  | {
      foreignId: string;
      name: string;
      /** What the foreign achievement is worth, as the pathway's author states it (used to check credit sums). */
      ectsCredits?: number | undefined;
      workloadHours?: number | undefined;
    };

export type RequirementNode =
  | { type: 'component'; key: string; component: ComponentRef }
  | { type: 'allOf'; key?: string | undefined; of: RequirementNode[] }
  | { type: 'anyOf'; key?: string | undefined; n: number; of: RequirementNode[] }
  | { type: 'credits'; key?: string | undefined; min: number; unit: CreditUnit; of: RequirementNode[] };

/**
 * A foreign credential accepted for a component, when its issuer is in the trust registry or on this instance:
 * by the achievement it names, or by alignment (it aligns to every listed skill, at this EQF level or above).
 */
export type RecognitionRule =
  | { component: string; by: 'achievement'; achievementId: string }
  | { component: string; by: 'alignment'; skills: string[]; minEqfLevel: number };

export interface PathwayDefinition {
  title: string;
  description: string;
  /** The organization's own micro-credential awarded when the pathway completes (its id on this instance). */
  destination: string;
  requirements: RequirementNode;
  recognition: RecognitionRule[];
  /** `before` must be earned first: a credential for `after` earned before it does not count. */
  prerequisites: { before: string; after: string }[];
  /** Intermediate awards: the organization's micro-credential `achievementId` when the node `node` completes. */
  offRamps: { node: string; achievementId: string }[];
}

/** What the catalog says of a micro-credential named by a pathway (destination, component, off-ramp). */
export interface AchievementFacts {
  achievementId: string;
  name: string;
  orgId: string;
  orgName: string;
  /** Published and not retired: it can be earned (and awarded) now. */
  published: boolean;
  ectsCredits: number | null;
  workloadHours: number | null;
  eqfLevel: number | null;
}

export interface CheckContext {
  /** The organization that owns the pathway. */
  orgId: string;
  /** The catalog's facts about an achievement id of this instance, or undefined when there is none. */
  achievement: (achievementId: string) => AchievementFacts | undefined;
  /** Other published pathways (destination and every component achievement): stacking them must not loop. */
  otherPathways?: readonly { title: string; destination: string; components: readonly string[] }[];
}

export type IssueCode =
  | 'required'
  | 'unknown-component'
  | 'not-published'
  | 'foreign-destination'
  | 'duplicate-key'
  | 'duplicate-component'
  | 'empty'
  | 'any-of-range'
  | 'credits-range'
  | 'credits-unreachable'
  | 'unit-mismatch'
  | 'cycle'
  | 'unknown-node'
  | 'rule'
  | 'too-large';

export interface PathwayIssue {
  code: IssueCode;
  /** Where: a path into the definition (e.g. `requirements.of[2].n`). */
  field: string;
  message: string;
}

export interface PathwayCheck {
  errors: PathwayIssue[];
  warnings: PathwayIssue[];
}

export const pathwayLimits = { maxNodes: 200, maxDepth: 12, maxRules: 200, maxSkillsPerRule: 50 };

/** A node as the checks and the evaluation see it: its key (given, or its place in the tree) and its children. */
export interface PlacedNode {
  node: RequirementNode;
  key: string;
  field: string;
  children: PlacedNode[];
  depth: number;
}

export function placeNodes(root: RequirementNode): { root: PlacedNode; all: PlacedNode[] } {
  const all: PlacedNode[] = [];
  const place = (node: RequirementNode, field: string, depth: number): PlacedNode => {
    const placed: PlacedNode = { node, key: node.key?.trim() || field, field, children: [], depth };
    all.push(placed);
    if (node.type !== 'component' && depth < pathwayLimits.maxDepth) {
      placed.children = (node.of ?? []).map((child, i) => place(child, `${field}.of[${i}]`, depth + 1));
    }
    return placed;
  };
  return { root: place(root, 'requirements', 0), all };
}

/** The component leaves under a node (itself when it is one). */
export function componentsUnder(placed: PlacedNode): PlacedNode[] {
  if (placed.node.type === 'component') return [placed];
  return placed.children.flatMap(componentsUnder);
}

export const refKey = (ref: ComponentRef) => ('achievementId' in ref ? ref.achievementId : ref.foreignId);
export const unitName = (unit: CreditUnit) => (unit === 'ECTS' ? 'ECTS credits' : 'hours');

/** What one component is worth in a unit, as known before anyone holds it (catalog facts, or what the author states). */
export function creditOf(
  ref: ComponentRef,
  unit: CreditUnit,
  achievement: (id: string) => AchievementFacts | undefined,
): number | null {
  if ('achievementId' in ref) {
    const facts = achievement(ref.achievementId);
    if (!facts) return null;
    return unit === 'ECTS' ? facts.ectsCredits : facts.workloadHours;
  }
  return (unit === 'ECTS' ? ref.ectsCredits : ref.workloadHours) ?? null;
}

/** Cycles in a directed graph given as edges: each cycle found once, as its nodes in order. */
export function findCycle(edges: readonly (readonly [string, string])[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of next.get(n) ?? []) {
      if (state.get(m) === 'open') return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const found = visit(m);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...next.keys()].sort()) {
    if (!state.has(n)) {
      const found = visit(n);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The most a node can count towards a credit sum in `unit` (every component under it held), and whether it can
 * be completed at all with every component held: the reachability the checks below rely on.
 */
function reach(
  placed: PlacedNode,
  unit: CreditUnit,
  achievement: CheckContext['achievement'],
  seen: Set<string>,
): number {
  let total = 0;
  for (const c of componentsUnder(placed)) {
    const node = c.node as Extract<RequirementNode, { type: 'component' }>;
    const id = refKey(node.component);
    if (seen.has(id)) continue;
    seen.add(id);
    total += creditOf(node.component, unit, achievement) ?? 0;
  }
  return total;
}

const isPositive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * Checks a pathway; errors block publishing (and say why nobody could complete it), warnings are shown to the
 * issuer. Deterministic: the same definition and catalog give the same answer, in the same order.
 */
export function checkPathway(definition: PathwayDefinition, context: CheckContext): PathwayCheck {
  const errors: PathwayIssue[] = [];
  const warnings: PathwayIssue[] = [];
  const error = (code: IssueCode, field: string, message: string) => errors.push({ code, field, message });
  const d = definition;

  if (!d.title?.trim()) error('required', 'title', 'A pathway needs a title.');
  if (!d.description?.trim())
    warnings.push({ code: 'required', field: 'description', message: 'Describe the pathway.' });

  // The destination: one of the organization's own micro-credentials.
  const destination = d.destination ? context.achievement(d.destination) : undefined;
  if (!d.destination?.trim()) error('required', 'destination', 'Choose the micro-credential this pathway awards.');
  else if (!destination) error('unknown-component', 'destination', `No micro-credential ${d.destination} exists here.`);
  else if (destination.orgId !== context.orgId) {
    error(
      'foreign-destination',
      'destination',
      `“${destination.name}” belongs to ${destination.orgName}: a pathway awards one of its own organization's micro-credentials.`,
    );
  } else if (!destination.published) {
    warnings.push({
      code: 'not-published',
      field: 'destination',
      message: `“${destination.name}” is not published: publish it before the pathway, or nobody can be awarded it.`,
    });
  }

  const { root, all } = placeNodes(d.requirements);
  if (all.length > pathwayLimits.maxNodes) {
    error('too-large', 'requirements', `A pathway has at most ${pathwayLimits.maxNodes} nodes, not ${all.length}.`);
    return { errors, warnings };
  }
  const tooDeep = all.find((p) => p.depth >= pathwayLimits.maxDepth && p.node.type !== 'component');
  if (tooDeep) error('too-large', tooDeep.field, `The requirement tree nests at most ${pathwayLimits.maxDepth} deep.`);

  // Keys: unique; components need one (rules, order and off-ramps name them).
  const byKey = new Map<string, PlacedNode>();
  for (const p of all) {
    if (byKey.has(p.key)) error('duplicate-key', `${p.field}.key`, `Two nodes share the key “${p.key}”.`);
    else byKey.set(p.key, p);
  }
  const components = all.filter((p) => p.node.type === 'component');
  const componentIds = new Map<string, PlacedNode>();
  for (const p of components) {
    const node = p.node as Extract<RequirementNode, { type: 'component' }>;
    if (!node.key?.trim()) error('required', `${p.field}.key`, 'Every component needs a key.');
    const ref = node.component;
    if (!ref || (!('achievementId' in ref) && !('foreignId' in ref))) {
      error(
        'required',
        `${p.field}.component`,
        'A component names a micro-credential here or a foreign achievement id.',
      );
      continue;
    }
    const id = refKey(ref);
    if (componentIds.has(id)) {
      error('duplicate-component', `${p.field}.component`, `“${id}” appears twice in the requirement tree.`);
    }
    componentIds.set(id, p);
    if ('achievementId' in ref) {
      const facts = context.achievement(ref.achievementId);
      if (!facts) {
        error('unknown-component', `${p.field}.component`, `No micro-credential ${ref.achievementId} exists here.`);
      } else if (!facts.published) {
        error(
          'not-published',
          `${p.field}.component`,
          `“${facts.name}” (${facts.orgName}) is not published (or retired): nobody can earn it.`,
        );
      }
      if (d.destination && ref.achievementId === d.destination) {
        error('cycle', `${p.field}.component`, 'The destination cannot be one of its own components.');
      }
    } else {
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(ref.foreignId ?? '')) {
        error(
          'unknown-component',
          `${p.field}.component.foreignId`,
          'A foreign achievement is named by its id (a URI).',
        );
      }
      if (!ref.name?.trim()) error('required', `${p.field}.component.name`, 'Name the foreign achievement.');
      for (const field of ['ectsCredits', 'workloadHours'] as const) {
        if (ref[field] !== undefined && !isPositive(ref[field])) {
          error('credits-range', `${p.field}.component.${field}`, `${field} is a positive number.`);
        }
      }
    }
  }

  // Inner nodes: children, n within range, credit sums reachable in matching units.
  for (const p of all) {
    const node = p.node;
    if (node.type === 'component') continue;
    const count = (node.of ?? []).length;
    if (count === 0) {
      error(
        'empty',
        `${p.field}.of`,
        `${node.type === 'allOf' ? 'All of' : node.type === 'anyOf' ? 'Any of' : 'A credit sum over'} nothing cannot be completed: add its parts.`,
      );
      continue;
    }
    if (node.type === 'anyOf') {
      if (!Number.isInteger(node.n) || node.n < 1) {
        error('any-of-range', `${p.field}.n`, `“Any ${node.n} of” needs a whole number of at least 1.`);
      } else if (node.n > count) {
        error(
          'any-of-range',
          `${p.field}.n`,
          `“Any ${node.n} of” is over ${count} ${count === 1 ? 'part' : 'parts'}: it can never be completed.`,
        );
      }
    }
    if (node.type === 'credits') {
      if (!(creditUnits as readonly string[]).includes(node.unit)) {
        error('unit-mismatch', `${p.field}.unit`, `A credit sum counts ${creditUnits.join(' or ')}.`);
        continue;
      }
      if (!isPositive(node.min)) {
        error('credits-range', `${p.field}.min`, 'A credit sum needs a positive minimum.');
        continue;
      }
      const missing = componentsUnder(p).filter((c) => {
        const ref = (c.node as Extract<RequirementNode, { type: 'component' }>).component;
        return (
          ref &&
          creditOf(ref, node.unit, context.achievement) === null &&
          (!('achievementId' in ref) || context.achievement(ref.achievementId))
        );
      });
      for (const c of missing) {
        const ref = (c.node as Extract<RequirementNode, { type: 'component' }>).component;
        const name =
          'achievementId' in ref ? (context.achievement(ref.achievementId)?.name ?? ref.achievementId) : ref.name;
        error(
          'unit-mismatch',
          `${c.field}.component`,
          `“${name}” states no ${unitName(node.unit)}, so it cannot count towards the sum of ${node.min} ${unitName(node.unit)} at ${p.field}.`,
        );
      }
      const most = reach(p, node.unit, context.achievement, new Set());
      if (most < node.min) {
        error(
          'credits-unreachable',
          `${p.field}.min`,
          `At least ${node.min} ${unitName(node.unit)} are asked, but all its components together give ${Math.round(most * 100) / 100}.`,
        );
      }
    }
  }

  // Recognition rules: each names a component and is specific enough to mean something.
  if (d.recognition.length > pathwayLimits.maxRules) {
    error('too-large', 'recognition', `A pathway has at most ${pathwayLimits.maxRules} recognition rules.`);
  }
  d.recognition.forEach((rule, i) => {
    const field = `recognition[${i}]`;
    const target = byKey.get(rule.component);
    if (!target || target.node.type !== 'component') {
      error('unknown-node', `${field}.component`, `No component has the key “${rule.component}”.`);
    }
    if (rule.by === 'achievement') {
      if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(rule.achievementId ?? '')) {
        error('rule', `${field}.achievementId`, 'Recognition by achievement names the achievement by its id (a URI).');
      }
    } else if (rule.by === 'alignment') {
      const skills = (rule.skills ?? []).filter((s) => s.trim());
      if (skills.length === 0) error('rule', `${field}.skills`, 'Recognition by alignment lists at least one skill.');
      if (skills.length > pathwayLimits.maxSkillsPerRule) {
        error('too-large', `${field}.skills`, `A rule lists at most ${pathwayLimits.maxSkillsPerRule} skills.`);
      }
      if (!Number.isInteger(rule.minEqfLevel) || rule.minEqfLevel < 1 || rule.minEqfLevel > 8) {
        error('rule', `${field}.minEqfLevel`, 'The EQF level is a whole number from 1 to 8.');
      }
    } else {
      error('rule', `${field}.by`, 'A rule recognizes by "achievement" or by "alignment".');
    }
  });

  // Order: edges between components, without a cycle (nobody could earn the first of a loop).
  const edges: [string, string][] = [];
  d.prerequisites.forEach((edge, i) => {
    for (const side of ['before', 'after'] as const) {
      const target = byKey.get(edge[side]);
      if (!target || target.node.type !== 'component') {
        error('unknown-node', `prerequisites[${i}].${side}`, `No component has the key “${edge[side]}”.`);
      }
    }
    if (edge.before === edge.after)
      error('cycle', `prerequisites[${i}]`, `“${edge.before}” cannot come before itself.`);
    else edges.push([edge.before, edge.after]);
  });
  const orderCycle = findCycle(edges);
  if (orderCycle) {
    error(
      'cycle',
      'prerequisites',
      `The order loops (${orderCycle.join(' → ')}): none of these could ever be earned first.`,
    );
  }

  // Off-ramps: a node of the tree (not the whole tree) and one of the organization's own micro-credentials.
  d.offRamps.forEach((ramp, i) => {
    const field = `offRamps[${i}]`;
    const target = byKey.get(ramp.node);
    if (!target) error('unknown-node', `${field}.node`, `No node has the key “${ramp.node}”.`);
    else if (target === root) {
      error(
        'unknown-node',
        `${field}.node`,
        'An off-ramp is for part of the pathway; the whole of it leads to the destination.',
      );
    }
    const facts = context.achievement(ramp.achievementId);
    if (!facts)
      error('unknown-component', `${field}.achievementId`, `No micro-credential ${ramp.achievementId} exists here.`);
    else if (facts.orgId !== context.orgId) {
      error(
        'foreign-destination',
        `${field}.achievementId`,
        `“${facts.name}” belongs to ${facts.orgName}, not to this organization.`,
      );
    } else if (ramp.achievementId === d.destination) {
      error('cycle', `${field}.achievementId`, 'An off-ramp awards something other than the destination.');
    } else if (componentIds.has(ramp.achievementId)) {
      error(
        'cycle',
        `${field}.achievementId`,
        `“${facts.name}” is a component of this pathway: it cannot also be awarded by it.`,
      );
    }
  });

  // Stacking across pathways must not loop: A's destination is a component of B, whose destination is one of A's.
  if (d.destination && context.otherPathways?.length) {
    const stackEdges: [string, string][] = [];
    const mine = [...componentIds.keys()];
    for (const c of mine) stackEdges.push([c, d.destination]);
    for (const other of context.otherPathways) {
      for (const c of other.components) stackEdges.push([c, other.destination]);
    }
    const loop = findCycle(stackEdges);
    if (loop && loop.includes(d.destination)) {
      const names = loop.map((id) => context.achievement(id)?.name ?? id);
      error('cycle', 'destination', `Stacked with the other published pathways this loops: ${names.join(' → ')}.`);
    }
  }

  return { errors, warnings };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a requirement tree sent by a client (JSON of any shape) into the model, or the first thing wrong with its
 * shape and where. The rules (completability, units, keys) are checkPathway's; this is only the shape.
 */
export function readRequirements(value: unknown, field = 'requirements'): RequirementNode | PathwayIssue {
  let count = 0;
  const fail = (at: string, message: string): PathwayIssue => ({ code: 'required', field: at, message });
  const read = (v: unknown, at: string, depth: number): RequirementNode | PathwayIssue => {
    if (++count > pathwayLimits.maxNodes) {
      return { code: 'too-large', field: at, message: `A pathway has at most ${pathwayLimits.maxNodes} nodes.` };
    }
    if (depth > pathwayLimits.maxDepth) {
      return {
        code: 'too-large',
        field: at,
        message: `The requirement tree nests at most ${pathwayLimits.maxDepth} deep.`,
      };
    }
    if (!isObj(v)) return fail(at, 'A requirement is an object with a type: component, allOf, anyOf or credits.');
    const key = v.key === undefined ? undefined : typeof v.key === 'string' && v.key.length <= 100 ? v.key : null;
    if (key === null) return fail(`${at}.key`, 'A key is a text of at most 100 characters.');
    if (v.type === 'component') {
      const c = v.component;
      if (typeof key !== 'string') return fail(`${at}.key`, 'Every component needs a key.');
      if (!isObj(c)) return fail(`${at}.component`, 'A component names { achievementId } or { foreignId, name }.');
      if (typeof c.achievementId === 'string' && c.foreignId === undefined) {
        return { type: 'component', key, component: { achievementId: c.achievementId.slice(0, 2000) } };
      }
      if (typeof c.foreignId === 'string' && typeof c.name === 'string' && c.achievementId === undefined) {
        for (const f of ['ectsCredits', 'workloadHours'] as const) {
          if (c[f] !== undefined && typeof c[f] !== 'number') return fail(`${at}.component.${f}`, `${f} is a number.`);
        }
        return {
          type: 'component',
          key,
          component: {
            foreignId: c.foreignId.slice(0, 2000),
            name: c.name.slice(0, 300),
            ...(c.ectsCredits !== undefined ? { ectsCredits: c.ectsCredits as number } : {}),
            ...(c.workloadHours !== undefined ? { workloadHours: c.workloadHours as number } : {}),
          },
        };
      }
      return fail(`${at}.component`, 'A component names { achievementId } or { foreignId, name }.');
    }
    if (v.type !== 'allOf' && v.type !== 'anyOf' && v.type !== 'credits') {
      return fail(`${at}.type`, 'The type is one of: component, allOf, anyOf, credits.');
    }
    if (!Array.isArray(v.of)) return fail(`${at}.of`, `${v.type} lists its parts in "of".`);
    const of: RequirementNode[] = [];
    for (let i = 0; i < v.of.length; i++) {
      const child = read(v.of[i], `${at}.of[${i}]`, depth + 1);
      if ('code' in child) return child;
      of.push(child);
    }
    const keyed = key !== undefined ? { key } : {};
    if (v.type === 'allOf') return { type: 'allOf', ...keyed, of };
    if (v.type === 'anyOf') {
      if (typeof v.n !== 'number') return fail(`${at}.n`, 'anyOf says how many parts it needs in "n".');
      return { type: 'anyOf', ...keyed, n: v.n, of };
    }
    if (typeof v.min !== 'number') return fail(`${at}.min`, 'A credit sum says its minimum in "min".');
    if (typeof v.unit !== 'string')
      return fail(`${at}.unit`, `A credit sum counts ${creditUnits.join(' or ')} ("unit").`);
    return { type: 'credits', ...keyed, min: v.min, unit: v.unit as CreditUnit, of };
  };
  return read(value, field, 0);
}
