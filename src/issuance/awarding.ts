import type { Catalog } from '../catalog/catalog.js';
import { validUntil } from '../catalog/definition.js';
import { awardCredential } from './award.js';
import type { IssuedCredential, Issuance } from './issuance.js';

export interface AwardingDeps {
  issuance: Issuance;
  catalog: Catalog;
  emailOf: (userId: string) => Promise<string>;
  now?: () => Date;
}

/** Turns a passed skill test into a signed credential for the version the learner was tested on, once. */
export function createAwarding(deps: AwardingDeps) {
  const now = deps.now ?? (() => new Date());

  async function awardForTest(
    attempt: { id: string; userId: string; achievementId: string; version: number },
    score: { percent: number; total: number; perSkill: { skill: string; percent: number }[] },
    passMark: number,
  ): Promise<IssuedCredential> {
    const version = await deps.catalog.version(attempt.achievementId, attempt.version);
    const awardedAt = now();
    const unsigned = awardCredential({
      achievement: version.achievement as never,
      recipient: { email: await deps.emailOf(attempt.userId) },
      score: { percent: score.percent, passMark, total: score.total, perSkill: score.perSkill },
      awardedAt,
      validUntil: validUntil(version.definition, awardedAt),
    });
    return deps.issuance.issue(
      { orgId: version.orgId, profile: await deps.catalog.issuerProfile(version.orgId) },
      unsigned,
      {
        recipientUserId: attempt.userId,
        achievement: { id: attempt.achievementId, version: attempt.version },
        sourceKey: `attempt:${attempt.id}`,
      },
    );
  }

  return { awardForTest };
}

export type Awarding = ReturnType<typeof createAwarding>;
