import { Type, type Static } from 'typebox';
import type { DefinitionIssue } from '../catalog/definition.js';

/**
 * Skill-test items and tests, and the rules that keep tests meaningful over time. Skill tests on online
 * labour platforms were abandoned once answers leaked and tests went stale: so every item's exposure is
 * counted and capped, pools must be several times the test length, and answer keys never leave the server.
 */
export const ItemOptionSchema = Type.Object({ id: Type.String(), text: Type.String() });
export type ItemOption = Static<typeof ItemOptionSchema>;

export interface Item {
  id: string;
  stem: string;
  options: ItemOption[];
  /** Ids of the correct options: one for single-answer items, one or more for multiple-answer items. */
  correct: string[];
  multiple: boolean;
  /** Skill codes the item measures (for stratified draws and per-skill sub-scores). */
  skills: string[];
  /** 1 (easy) to 5 (hard), as the author judges it. */
  difficulty: number;
  /** How many times the item has been drawn. */
  draws: number;
  retired: boolean;
}

/** A skill test's policy: the shape stored (checked on read) and accepted (the domain checks the ranges). */
export const TestPolicySchema = Type.Object({
  /** Items per attempt. */
  length: Type.Integer(),
  /** Percentage needed to pass, 1 to 100. */
  passMark: Type.Integer(),
  timeLimitMinutes: Type.Integer(),
  maxAttempts: Type.Integer(),
  /** Hours between a failed attempt and the next one. */
  cooldownHours: Type.Integer(),
  stratifyBySkill: Type.Boolean(),
  /** An item retires after this many draws, before it is widely known. */
  maxExposure: Type.Integer(),
  /** The pool must hold at least this many times the test length in live items. */
  poolFactor: Type.Integer(),
});
export type TestPolicy = Static<typeof TestPolicySchema>;

/** Met by a small bank: 10 questions from 20 items (raise both as the bank grows). */
export const defaultPolicy: TestPolicy = {
  length: 10,
  passMark: 70,
  timeLimitMinutes: 30,
  maxAttempts: 3,
  cooldownHours: 24,
  stratifyBySkill: true,
  maxExposure: 500,
  poolFactor: 2,
};

/** What the browser may see of an item: never the key, never the author's difficulty or exposure. */
export interface PresentedItem {
  id: string;
  stem: string;
  multiple: boolean;
  options: ItemOption[];
}

export function checkItem(
  item: Pick<Item, 'stem' | 'options' | 'correct' | 'multiple' | 'skills' | 'difficulty'>,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (!item.stem.trim()) issues.push({ field: 'stem', message: 'The question is empty.' });
  if (item.options.length < 2 || item.options.length > 10)
    issues.push({ field: 'options', message: 'An item has 2 to 10 options.' });
  const ids = new Set(item.options.map((o) => o.id));
  if (ids.size !== item.options.length) issues.push({ field: 'options', message: 'Option ids must be unique.' });
  if (item.options.some((o) => !o.text.trim())) issues.push({ field: 'options', message: 'Every option needs text.' });
  if (new Set(item.options.map((o) => o.text.trim().toLowerCase())).size !== item.options.length) {
    issues.push({ field: 'options', message: 'Two options have the same text.' });
  }
  if (item.correct.length === 0 || !item.correct.every((c) => ids.has(c))) {
    issues.push({ field: 'correct', message: 'Mark the correct option(s) among the options.' });
  }
  if (!item.multiple && item.correct.length !== 1)
    issues.push({ field: 'correct', message: 'A single-answer item has exactly one correct option.' });
  if (item.multiple && item.correct.length === item.options.length) {
    issues.push({ field: 'correct', message: 'If every option is correct, the item measures nothing.' });
  }
  if (!Number.isInteger(item.difficulty) || item.difficulty < 1 || item.difficulty > 5) {
    issues.push({ field: 'difficulty', message: 'Difficulty is 1 (easy) to 5 (hard).' });
  }
  return issues;
}

export function checkPolicy(policy: TestPolicy): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const range = (field: keyof TestPolicy, min: number, max: number, what: string) => {
    const value = policy[field] as number;
    if (!Number.isInteger(value) || value < min || value > max)
      issues.push({ field, message: `${what} is a whole number from ${min} to ${max}.` });
  };
  range('length', 1, 200, 'The test length');
  range('passMark', 1, 100, 'The pass mark');
  range('timeLimitMinutes', 1, 600, 'The time limit in minutes');
  range('maxAttempts', 1, 50, 'The number of attempts');
  range('cooldownHours', 0, 24 * 90, 'The cooldown in hours');
  range('maxExposure', 10, 1_000_000, 'The exposure limit');
  range('poolFactor', 1, 20, 'The pool factor');
  return issues;
}

/** Items that may still be drawn: not retired by hand, not over-exposed. */
export function liveItems(pool: Item[], policy: TestPolicy): Item[] {
  return pool.filter((item) => !item.retired && item.draws < policy.maxExposure);
}

/** Whether the pool is deep enough to publish or keep running the test. */
export function poolProblem(pool: Item[], policy: TestPolicy): string | undefined {
  const live = liveItems(pool, policy).length;
  const needed = policy.length * policy.poolFactor;
  if (live < needed) {
    return `The item bank has ${live} usable items; a test of ${policy.length} needs at least ${needed} (${policy.poolFactor}× its length) so that attempts differ and answers do not leak.`;
  }
  return undefined;
}

export type Random = () => number;

function shuffle<T>(items: T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export interface DrawnItem {
  itemId: string;
  /** Option ids in the order this attempt shows them. */
  optionOrder: string[];
}

/**
 * Draws a test: `length` live items at random, spread evenly over the skills when stratified (round-robin
 * over skills, each skill's items shuffled), with each item's options in a random order. Items least drawn
 * are preferred among equals, so exposure stays even across the pool.
 */
export function drawTest(pool: Item[], policy: TestPolicy, random: Random): DrawnItem[] {
  const problem = poolProblem(pool, policy);
  if (problem) throw new Error(problem);
  const live = liveItems(pool, policy);
  // Random order, then the less-exposed first: ties broken by the shuffle.
  const order = (items: Item[]) => shuffle(items, random).sort((a, b) => a.draws - b.draws);
  let chosen: Item[];
  if (policy.stratifyBySkill) {
    const bySkill = new Map<string, Item[]>();
    for (const item of live) {
      const skill = item.skills[0] ?? '';
      bySkill.set(skill, [...(bySkill.get(skill) ?? []), item]);
    }
    const queues = shuffle([...bySkill.values()], random).map(order);
    chosen = [];
    const taken = new Set<string>();
    while (chosen.length < policy.length) {
      let progressed = false;
      for (const queue of queues) {
        const next = queue.shift();
        if (next && !taken.has(next.id)) {
          chosen.push(next);
          taken.add(next.id);
          progressed = true;
          if (chosen.length === policy.length) break;
        }
      }
      if (!progressed) break;
    }
  } else {
    chosen = order(live).slice(0, policy.length);
  }
  return shuffle(chosen, random).map((item) => ({
    itemId: item.id,
    optionOrder: shuffle(item.options, random).map((o) => o.id),
  }));
}

/** The label of the option shown in place `index` (a, b, c…; an item has at most 10 options). */
const labelAt = (index: number) => String.fromCharCode(0x61 + index);

/**
 * The item as this attempt shows it: options in the drawn order, relabelled a, b, c… in that order, no key.
 * The author's own ids would give the author's order away (a correct answer written first, say); the mapping from
 * labels back to options stays on the server, in the attempt's drawn order.
 */
export function present(item: Item, drawn: DrawnItem): PresentedItem {
  const byId = new Map(item.options.map((o) => [o.id, o]));
  return {
    id: item.id,
    stem: item.stem,
    multiple: item.multiple,
    options: drawn.optionOrder.map((id, index) => ({ id: labelAt(index), text: byId.get(id)!.text })),
  };
}

/** The options a learner chose, given as the labels shown, as the item's own option ids; undefined if one is not shown. */
export function shownAnswer(drawn: Pick<DrawnItem, 'optionOrder'>, labels: string[]): string[] | undefined {
  const ids = labels.map((label) => {
    const index = label.length === 1 ? label.charCodeAt(0) - 0x61 : -1;
    return index >= 0 && index < drawn.optionOrder.length ? drawn.optionOrder[index] : undefined;
  });
  return ids.every((id) => id !== undefined) ? (ids as string[]) : undefined;
}

/** Option ids of the item as the labels this attempt shows for them. */
export function labelsOf(drawn: Pick<DrawnItem, 'optionOrder'>, ids: string[]): string[] {
  return ids
    .map((id) => drawn.optionOrder.indexOf(id))
    .filter((index) => index >= 0)
    .map(labelAt);
}
