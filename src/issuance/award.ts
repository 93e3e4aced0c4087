import { contextUrls } from '../vc/contexts.js';
import { toSeconds } from '../vc/data-integrity.js';
import { hashedIdentity } from '../vc/identity.js';
import type { Achievement, Alignment, Evidence, Result } from '../vc/types.js';

/**
 * The unsigned OpenBadgeCredential for an award: the published achievement version as it is, the recipient
 * as a salted hash of their email (or their DID), the result (overall score, then one result per skill,
 * aligned to that skill) and the evidence of how it was earned. Pure: the caller signs and stores it.
 */
export interface AwardInput {
  achievement: Achievement;
  recipient: { email: string; salt?: string } | { did: string };
  /** Percent score and per-skill scores, when earned by a skill test. */
  score?: { percent: number; passMark: number; total: number; perSkill: { skill: string; percent: number }[] };
  /** Rubric points, when earned by assessor review: the overall result, then one result per criterion. */
  rubric?: RubricResult;
  evidence?: { name: string; narrative: string; url?: string; description?: string; genre?: string }[];
  awardedAt: Date;
  validUntil?: Date | undefined;
}

export interface RubricResult {
  /** Where the rubric's criteria are named: the achievement's id, to which each criterion's id is a fragment. */
  achievementId: string;
  points: number;
  maxPoints: number;
  passPoints: number;
  percent: number;
  criteria: { id: string; name: string; level: string; points: number; maxPoints: number }[];
}

function rubricResults(rubric: RubricResult): Result[] {
  return [
    { type: ['Result'], status: 'Completed', value: String(rubric.percent) },
    ...rubric.criteria.map((criterion): Result => ({
      type: ['Result'],
      achievedLevel: `${rubric.achievementId}#rubric-${encodeURIComponent(criterion.id)}-${criterion.points}`,
      value: String(criterion.points),
      alignment: [
        {
          type: ['Alignment'],
          targetType: 'ext:RubricCriterion',
          targetName: criterion.name,
          targetCode: criterion.id,
          targetDescription: `${criterion.level}: ${criterion.points} of ${criterion.maxPoints} points`,
          targetUrl: `${rubric.achievementId}#rubric-${encodeURIComponent(criterion.id)}`,
        },
      ],
    })),
  ];
}

export function awardCredential(input: AwardInput): Record<string, unknown> {
  const { achievement } = input;
  const skills = new Map(
    (achievement.alignment ?? [])
      .filter((a) => a.targetType === 'ext:Skill')
      .map((a) => [a.targetCode ?? a.targetUrl, a] as const),
  );
  const results: Result[] = [];
  if (input.score) {
    results.push({ type: ['Result'], status: 'Completed', value: String(input.score.percent) });
    for (const skill of input.score.perSkill) {
      const aligned = skills.get(skill.skill);
      const alignment: Alignment = aligned
        ? {
            type: ['Alignment'],
            targetType: 'ext:Skill',
            targetName: aligned.targetName,
            targetCode: aligned.targetCode ?? skill.skill,
            targetUrl: aligned.targetUrl,
            ...(aligned.targetFramework ? { targetFramework: aligned.targetFramework } : {}),
          }
        : {
            type: ['Alignment'],
            targetType: 'ext:Skill',
            targetName: skill.skill,
            targetCode: skill.skill,
            targetUrl: `urn:skill:${encodeURIComponent(skill.skill)}`,
          };
      results.push({ type: ['Result'], value: String(skill.percent), alignment: [alignment] });
    }
  }
  if (input.rubric) results.push(...rubricResults(input.rubric));
  const tested = input.score !== undefined && input.score.total > 0;
  const evidence: Evidence[] = [
    ...(tested && input.score
      ? [
          {
            type: ['Evidence'],
            name: 'Skill test',
            narrative: `Scored ${input.score.percent}% (pass mark ${input.score.passMark}%) on an automatically scored skill test of ${input.score.total} items drawn at random from the issuer's item bank.`,
          },
        ]
      : []),
    ...(input.rubric
      ? [
          {
            type: ['Evidence'],
            name: 'Assessor review',
            narrative: `Scored ${input.rubric.points} of ${input.rubric.maxPoints} points (pass ${input.rubric.passPoints}) on the issuer's rubric, reviewed by an assessor of the issuer.`,
          },
        ]
      : []),
    ...(input.evidence ?? []).map((e) => ({
      type: ['Evidence'],
      name: e.name,
      narrative: e.narrative,
      ...(e.url ? { id: e.url } : {}),
      ...(e.description ? { description: e.description } : {}),
      ...(e.genre ? { genre: e.genre } : {}),
    })),
  ];
  const subject =
    'did' in input.recipient
      ? { id: input.recipient.did }
      : { identifier: [hashedIdentity(input.recipient.email, 'emailAddress', input.recipient.salt)] };
  return {
    '@context': [contextUrls.credentialsV2, contextUrls.ob],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: typeof achievement.name === 'string' ? achievement.name : 'Micro-credential',
    validFrom: toSeconds(input.awardedAt),
    ...(input.validUntil ? { validUntil: toSeconds(input.validUntil) } : {}),
    awardedDate: toSeconds(input.awardedAt),
    credentialSubject: {
      ...subject,
      type: ['AchievementSubject'],
      achievement,
      ...(results.length ? { result: results } : {}),
    },
    ...(evidence.length ? { evidence } : {}),
  };
}
