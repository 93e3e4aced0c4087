import { Type, type Static } from 'typebox';
import type { Item, TestPolicy } from './items.js';

/**
 * Scoring: an item is right when exactly its correct options are chosen (no partial credit, so guessing
 * every option of a multiple-answer item earns nothing). The score is the percentage right, with a
 * sub-score per skill, the evidence a credential's result and the hiring ranking build on.
 */
export interface Answer {
  itemId: string;
  chosen: string[];
  /** Seconds spent on the item, as the server measured between serving and answering. */
  seconds?: number;
}

export const SkillScoreSchema = Type.Object({
  skill: Type.String(),
  correct: Type.Integer(),
  total: Type.Integer(),
  percent: Type.Number(),
});
export type SkillScore = Static<typeof SkillScoreSchema>;

/** An attempt's score, as stored with the attempt (checked on read). */
export const ScoreSchema = Type.Object({
  correct: Type.Integer(),
  total: Type.Integer(),
  percent: Type.Number(),
  passed: Type.Boolean(),
  perSkill: Type.Array(SkillScoreSchema),
  /** Per item: right or wrong (kept for the audit trail and item statistics). */
  items: Type.Array(Type.Object({ itemId: Type.String(), right: Type.Boolean() })),
});
export type Score = Static<typeof ScoreSchema>;

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

export function isRight(item: Item, chosen: string[]): boolean {
  const picked = new Set(chosen);
  return picked.size === item.correct.length && item.correct.every((c) => picked.has(c));
}

export function scoreAttempt(drawn: Item[], answers: Answer[], policy: Pick<TestPolicy, 'passMark'>): Score {
  const byItem = new Map(answers.map((a) => [a.itemId, a]));
  const items = drawn.map((item) => ({ itemId: item.id, right: isRight(item, byItem.get(item.id)?.chosen ?? []) }));
  const skills = new Map<string, { correct: number; total: number }>();
  drawn.forEach((item, i) => {
    for (const skill of item.skills.length ? item.skills : ['']) {
      const tally = skills.get(skill) ?? { correct: 0, total: 0 };
      tally.total += 1;
      if (items[i]!.right) tally.correct += 1;
      skills.set(skill, tally);
    }
  });
  const correct = items.filter((i) => i.right).length;
  const score = percent(correct, drawn.length);
  return {
    correct,
    total: drawn.length,
    percent: score,
    passed: score >= policy.passMark,
    perSkill: [...skills.entries()]
      .filter(([skill]) => skill !== '')
      .map(([skill, t]) => ({ skill, correct: t.correct, total: t.total, percent: percent(t.correct, t.total) })),
    items,
  };
}
