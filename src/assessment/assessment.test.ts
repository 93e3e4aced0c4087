import { describe, expect, it } from 'vitest';
import { canStart, deadline, isOverdue } from './attempts.js';
import {
  checkItem,
  checkPolicy,
  defaultPolicy,
  drawTest,
  labelsOf,
  liveItems,
  poolProblem,
  present,
  shownAnswer,
  type Item,
  type TestPolicy,
} from './items.js';
import { scoreAttempt } from './scoring.js';
import { itemStatistics, pointBiserial, type Response } from './statistics.js';

/** A deterministic random source (mulberry32), so a failing draw can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bank(count: number, skills = ['sql', 'python', 'stats']): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `item-${i}`,
    stem: `Question ${i}?`,
    options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `Option ${id} of ${i}` })),
    correct: i % 5 === 0 ? ['a', 'c'] : ['b'],
    multiple: i % 5 === 0,
    skills: [skills[i % skills.length]!],
    difficulty: 1 + (i % 5),
    draws: 0,
    retired: false,
  }));
}

const policy: TestPolicy = { ...defaultPolicy, length: 6, poolFactor: 3, maxExposure: 100 };

describe('items and policies', () => {
  it('checks items', () => {
    expect(checkItem(bank(1)[0]!)).toEqual([]);
    const item = bank(2)[1]!;
    expect(checkItem({ ...item, correct: ['z'] }).map((i) => i.field)).toContain('correct');
    expect(checkItem({ ...item, correct: ['a', 'b'] }).map((i) => i.field)).toContain('correct');
    expect(checkItem({ ...item, options: [item.options[0]!] }).map((i) => i.field)).toContain('options');
    expect(checkItem({ ...item, options: [...item.options, { id: 'a', text: 'dup' }] }).map((i) => i.field)).toContain(
      'options',
    );
    expect(checkItem({ ...item, multiple: true, correct: ['a', 'b', 'c', 'd'] }).map((i) => i.field)).toContain(
      'correct',
    );
    expect(checkItem({ ...item, difficulty: 7 }).map((i) => i.field)).toContain('difficulty');
  });
  it('checks policies', () => {
    expect(checkPolicy(defaultPolicy)).toEqual([]);
    expect(checkPolicy({ ...defaultPolicy, passMark: 0, length: 0 }).map((i) => i.field)).toEqual([
      'length',
      'passMark',
    ]);
  });
  it('needs a pool several times the test length, counting only live items', () => {
    expect(poolProblem(bank(17), policy)).toMatch(/17 usable items; a test of 6 needs at least 18/);
    expect(poolProblem(bank(18), policy)).toBeUndefined();
    const exposed = bank(18).map((item, i) => (i < 3 ? { ...item, draws: 100 } : item));
    expect(liveItems(exposed, policy)).toHaveLength(15);
    expect(poolProblem(exposed, policy)).toBeDefined();
  });
});

describe('draws', () => {
  it('draws the test length, no repeats, stratified over skills, options shuffled, reproducibly', () => {
    const items = bank(30);
    const drawn = drawTest(items, policy, seeded(42));
    expect(drawn).toHaveLength(6);
    expect(new Set(drawn.map((d) => d.itemId)).size).toBe(6);
    const skills = drawn.map((d) => items.find((i) => i.id === d.itemId)!.skills[0]);
    for (const skill of ['sql', 'python', 'stats']) expect(skills.filter((s) => s === skill)).toHaveLength(2);
    expect(drawTest(items, policy, seeded(42))).toEqual(drawn);
    expect(drawTest(items, policy, seeded(43))).not.toEqual(drawn);
    const shuffled = drawn.some((d) => d.optionOrder.join('') !== 'abcd');
    expect(shuffled).toBe(true);
  });
  it('prefers the least-drawn items, evening out exposure', () => {
    const items = bank(18).map((item, i) => ({ ...item, draws: i < 9 ? 50 : 0 }));
    const drawn = drawTest(items, { ...policy, stratifyBySkill: false }, seeded(1));
    expect(drawn.every((d) => Number(d.itemId.split('-')[1]) >= 9)).toBe(true);
  });
  it('refuses to draw from a shallow pool', () => {
    expect(() => drawTest(bank(10), policy, seeded(1))).toThrow(/usable items/);
  });
  it('presents items without their answer key', () => {
    const item = bank(1)[0]!;
    const shown = present(item, { itemId: item.id, optionOrder: ['d', 'c', 'b', 'a'] });
    // Relabelled in the order shown: the author's letters (and so the author's order) do not leak.
    expect(shown.options.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(shown.options.map((o) => o.text)).toEqual(['d', 'c', 'b', 'a'].map((id) => `Option ${id} of 0`));
    expect(JSON.stringify(shown)).not.toContain('correct');
    expect(Object.keys(shown).sort()).toEqual(['id', 'multiple', 'options', 'stem']);
  });
  it('maps the labels shown back to the options they stand for, only on the server', () => {
    const drawn = { itemId: 'item-0', optionOrder: ['c', 'a', 'd', 'b'] };
    expect(shownAnswer(drawn, ['a', 'd'])).toEqual(['c', 'b']);
    expect(labelsOf(drawn, ['c', 'b'])).toEqual(['a', 'd']);
    expect(shownAnswer(drawn, ['e'])).toBeUndefined();
    expect(shownAnswer(drawn, ['constructor'])).toBeUndefined();
  });
});

describe('scoring', () => {
  it('scores exact answers, gives no partial credit, and computes per-skill sub-scores', () => {
    const items = bank(6);
    const score = scoreAttempt(
      items,
      [
        { itemId: 'item-0', chosen: ['a', 'c'] },
        { itemId: 'item-1', chosen: ['b'] },
        { itemId: 'item-2', chosen: ['a'] },
        { itemId: 'item-3', chosen: ['b'] },
        { itemId: 'item-5', chosen: ['a', 'b', 'c', 'd'] },
      ],
      { passMark: 50 },
    );
    expect(score).toMatchObject({ correct: 3, total: 6, percent: 50, passed: true });
    expect(score.perSkill).toEqual([
      { skill: 'sql', correct: 2, total: 2, percent: 100 },
      { skill: 'python', correct: 1, total: 2, percent: 50 },
      { skill: 'stats', correct: 0, total: 2, percent: 0 },
    ]);
    expect(scoreAttempt(items, [], { passMark: 1 }).passed).toBe(false);
  });
});

describe('attempt rules', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const rules = { maxAttempts: 3, cooldownHours: 24, timeLimitMinutes: 30 };
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000);

  it('enforces resume, cooldown, maximum attempts and time limits on the server clock', () => {
    expect(canStart([], rules, now)).toEqual({ allowed: true });
    expect(canStart([{ startedAt: at(0.1), finishedAt: null, passed: null }], rules, now)).toMatchObject({
      allowed: false,
      reason: 'in-progress',
    });
    const cooling = canStart([{ startedAt: at(2), finishedAt: at(1.5), passed: false }], rules, now);
    expect(cooling).toMatchObject({ allowed: false, reason: 'cooldown' });
    expect(cooling.allowed === false && cooling.retryAt?.toISOString()).toBe('2026-06-02T10:30:00.000Z');
    expect(canStart([{ startedAt: at(30), finishedAt: at(29.5), passed: false }], rules, now)).toEqual({
      allowed: true,
    });
    const three = [48, 72, 96].map((h) => ({ startedAt: at(h), finishedAt: at(h - 0.5), passed: false }));
    expect(canStart(three, rules, now)).toMatchObject({ allowed: false, reason: 'max-attempts' });
    expect(canStart([{ startedAt: at(48), finishedAt: at(47), passed: true }], rules, now)).toMatchObject({
      reason: 'passed',
    });
    expect(canStart([{ startedAt: at(48), finishedAt: at(47), passed: true }], rules, now, { renewing: true })).toEqual(
      { allowed: true },
    );
    // An abandoned attempt past its deadline does not block, but its cooldown counts from the deadline.
    expect(canStart([{ startedAt: at(1), finishedAt: null, passed: false }], rules, now)).toMatchObject({
      reason: 'cooldown',
    });
    expect(deadline(at(1), rules).toISOString()).toBe('2026-06-01T11:30:00.000Z');
    expect(isOverdue(at(0.5), rules, now)).toBe(false);
    expect(isOverdue(at(0.51), rules, now)).toBe(true);
  });
});

describe('item statistics', () => {
  const responses = (n: number, make: (i: number) => Partial<Response>): Response[] =>
    Array.from({ length: n }, (_, i) => ({
      attemptId: `a${i}`,
      itemId: 'x',
      right: false,
      chosen: ['b'],
      seconds: 40,
      attemptScore: 0.5,
      attemptItems: 20,
      at: new Date(Date.UTC(2026, 0, 1) + i * 3600_000),
      ...make(i),
    }));

  it('computes facility, discrimination and option shares', () => {
    const good = responses(40, (i) => ({
      right: i % 2 === 0,
      attemptScore: i % 2 === 0 ? 0.8 : 0.4,
      chosen: i % 2 === 0 ? ['b'] : ['c'],
    }));
    const stats = itemStatistics('x', good, 40);
    expect(stats).toMatchObject({ responses: 40, facility: 0.5, optionShares: { b: 0.5, c: 0.5 }, flags: [] });
    expect(stats.discrimination).toBeGreaterThan(0.9);
  });
  it('flags broken items (negative discrimination)', () => {
    const broken = responses(40, (i) => ({ right: i % 2 === 0, attemptScore: i % 2 === 0 ? 0.3 : 0.9 }));
    expect(itemStatistics('x', broken, 40).flags).toContain('negative-discrimination');
  });
  it('flags items that look leaked: facility jumping, answers far faster than the norm', () => {
    const leaked = responses(40, (i) => ({
      right: i >= 20 || i % 3 === 0,
      seconds: i >= 20 ? 5 : 40,
      attemptScore: 0.6,
    }));
    const flags = itemStatistics('x', leaked, 40).flags;
    expect(flags).toEqual(expect.arrayContaining(['facility-jump', 'fast-answers']));
  });
  it('waits for enough responses before judging', () => {
    expect(
      itemStatistics(
        'x',
        responses(5, () => ({})),
        40,
      ).flags,
    ).toEqual(['too-few-responses']);
    expect(pointBiserial([{ right: true, attemptScore: 1, attemptItems: 10 }])).toBeNull();
  });
});
