import { Type, type Static } from 'typebox';

/**
 * Rubrics for assessor review: per achievement, criteria each with scored levels, and a pass threshold in
 * points. Pure: validation and scoring, no HTTP, no SQL.
 */
export const RubricLevelSchema = Type.Object({
  name: Type.String(),
  points: Type.Number(),
  description: Type.Optional(Type.String()),
});
export type RubricLevel = Static<typeof RubricLevelSchema>;

export const RubricCriterionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  levels: Type.Array(RubricLevelSchema),
});
export type RubricCriterion = Static<typeof RubricCriterionSchema>;

/** A rubric as stored (checked on read; `checkRubric` holds the rules of a sound one). */
export const RubricSchema = Type.Object({
  criteria: Type.Array(RubricCriterionSchema),
  /** Points needed, summed over every criterion, to accept. */
  passPoints: Type.Number(),
});
export type Rubric = Static<typeof RubricSchema>;

export interface RubricIssue {
  field: string;
  message: string;
}

export const rubricLimits = { criteria: 20, levels: 10, maxPoints: 1000 } as const;

const maxPointsOf = (criterion: RubricCriterion) => Math.max(...criterion.levels.map((l) => l.points));

export function maxPoints(rubric: Rubric): number {
  return rubric.criteria.reduce((sum, c) => sum + maxPointsOf(c), 0);
}

/** Everything wrong with a rubric, as field and message pairs (empty when it is sound). */
export function checkRubric(rubric: Rubric): RubricIssue[] {
  const issues: RubricIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  if (rubric.criteria.length === 0) issue('criteria', 'A rubric needs at least one criterion.');
  if (rubric.criteria.length > rubricLimits.criteria)
    issue('criteria', `A rubric has at most ${rubricLimits.criteria} criteria.`);
  const ids = new Set<string>();
  rubric.criteria.forEach((criterion, i) => {
    const at = `criteria.${i}`;
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(criterion.id))
      issue(`${at}.id`, 'A criterion id is 1 to 40 letters, digits, - or _.');
    if (ids.has(criterion.id)) issue(`${at}.id`, `The criterion id ${criterion.id} is used twice.`);
    ids.add(criterion.id);
    if (!criterion.name.trim()) issue(`${at}.name`, 'Every criterion needs a name.');
    if (criterion.levels.length < 2) issue(`${at}.levels`, 'Every criterion needs at least two levels.');
    if (criterion.levels.length > rubricLimits.levels)
      issue(`${at}.levels`, `A criterion has at most ${rubricLimits.levels} levels.`);
    const points = new Set<number>();
    criterion.levels.forEach((level, j) => {
      if (!level.name.trim()) issue(`${at}.levels.${j}.name`, 'Every level needs a name.');
      if (!Number.isInteger(level.points) || level.points < 0 || level.points > rubricLimits.maxPoints)
        issue(`${at}.levels.${j}.points`, `Points are whole numbers from 0 to ${rubricLimits.maxPoints}.`);
      if (points.has(level.points))
        issue(`${at}.levels.${j}.points`, 'Two levels of one criterion cannot give the same points.');
      points.add(level.points);
    });
  });
  if (issues.length === 0) {
    const max = maxPoints(rubric);
    if (!Number.isInteger(rubric.passPoints) || rubric.passPoints < 1 || rubric.passPoints > max)
      issue('passPoints', `The pass threshold is a whole number of points from 1 to ${max} (the most one can score).`);
  }
  return issues;
}

export interface CriterionScore {
  criterionId: string;
  /** The level's points, as the assessor chose it. */
  points: number;
}

/** An assessor's score of a submission, as stored with it (checked on read) and shown to the learner. */
export const RubricScoreSchema = Type.Object({
  points: Type.Integer(),
  maxPoints: Type.Integer(),
  percent: Type.Number(),
  passed: Type.Boolean(),
  criteria: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      level: Type.String(),
      points: Type.Integer(),
      maxPoints: Type.Integer(),
    }),
  ),
});
export type RubricScore = Static<typeof RubricScoreSchema>;

/**
 * Scores an assessor's choices: exactly one level of each criterion, named by its points. Returns the
 * reasons when the choices do not fit the rubric.
 */
export function scoreRubric(rubric: Rubric, scores: CriterionScore[]): RubricScore | RubricIssue[] {
  const issues: RubricIssue[] = [];
  const byId = new Map(scores.map((s) => [s.criterionId, s]));
  if (byId.size !== scores.length) issues.push({ field: 'scores', message: 'Score each criterion once.' });
  for (const score of scores) {
    if (!rubric.criteria.some((c) => c.id === score.criterionId))
      issues.push({ field: 'scores', message: `The rubric has no criterion ${score.criterionId}.` });
  }
  const criteria: RubricScore['criteria'] = [];
  for (const criterion of rubric.criteria) {
    const score = byId.get(criterion.id);
    if (!score) {
      issues.push({ field: 'scores', message: `Score the criterion “${criterion.name}”.` });
      continue;
    }
    const level = criterion.levels.find((l) => l.points === score.points);
    if (!level) {
      issues.push({
        field: 'scores',
        message: `“${criterion.name}” has no level worth ${score.points} points.`,
      });
      continue;
    }
    criteria.push({
      id: criterion.id,
      name: criterion.name,
      level: level.name,
      points: level.points,
      maxPoints: maxPointsOf(criterion),
    });
  }
  if (issues.length) return issues;
  const points = criteria.reduce((sum, c) => sum + c.points, 0);
  const max = maxPoints(rubric);
  return {
    points,
    maxPoints: max,
    percent: Math.round((points / max) * 1000) / 10,
    passed: points >= rubric.passPoints,
    criteria,
  };
}
