import type { Catalog } from '../catalog/catalog.js';
import { validUntil } from '../catalog/definition.js';
import { awardCredential, type RubricResult } from './award.js';
import { DomainError } from '../platform/errors.js';
import type { IssuedCredential, Issuance } from './issuance.js';

export interface AwardingDeps {
  issuance: Issuance;
  catalog: Catalog;
  emailOf: (userId: string) => Promise<string>;
  /** The account behind an email, so a credential awarded by hand reaches its holder's wallet. */
  userIdOf: (email: string) => Promise<string | undefined>;
  /** A credential awarded to an email without an account: held for its recipient to claim. */
  onUnclaimed?: (award: { record: IssuedCredential['record']; email: string }) => Promise<void>;
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
      achievement: version.achievement,
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

  /**
   * An award by hand (an exam held elsewhere, a portfolio, a recognized prior achievement): the current
   * version of one of the organization's micro-credentials, to an email. A `key` makes retries safe;
   * without one, a second award of the same micro-credential to the same recipient (while the first is not
   * revoked) is refused with the existing credential, unless `allowDuplicate` says it is meant.
   */
  async function awardByHand(input: {
    orgId: string;
    achievementId: string;
    email: string;
    score?: number | undefined;
    narrative?: string | undefined;
    evidenceUrl?: string | undefined;
    key?: string | undefined;
    allowDuplicate?: boolean | undefined;
    issuedBy: string;
  }): Promise<IssuedCredential> {
    await deps.catalog.get(input.orgId, input.achievementId);
    const version = await deps.catalog.current(input.achievementId);
    const recipientUserId = (await deps.userIdOf(input.email)) ?? null;
    if (!input.key && !input.allowDuplicate) {
      const existing = await deps.issuance.liveAward(input.orgId, input.achievementId, {
        userId: recipientUserId,
        email: input.email,
      });
      if (existing) {
        throw new DomainError(
          'conflict',
          `${input.email} already holds this micro-credential (issued ${existing.issuedAt.toISOString().slice(0, 10)}). ` +
            'Send allowDuplicate: true to award it again, or a key to make retries safe.',
          {
            credential: {
              id: existing.id,
              credentialId: existing.credentialId,
              issuedAt: existing.issuedAt.toISOString(),
            },
          },
        );
      }
    }
    const awardedAt = now();
    const unsigned = awardCredential({
      achievement: version.achievement,
      recipient: { email: input.email },
      ...(input.score !== undefined ? { score: { percent: input.score, passMark: 0, total: 0, perSkill: [] } } : {}),
      evidence:
        input.narrative || input.evidenceUrl
          ? [
              {
                name: 'Awarded by the issuer',
                narrative: input.narrative ?? 'Awarded by the issuer.',
                ...(input.evidenceUrl ? { url: input.evidenceUrl } : {}),
              },
            ]
          : [],
      awardedAt,
      validUntil: validUntil(version.definition, awardedAt),
    });
    const issued = await deps.issuance.issue(
      { orgId: input.orgId, profile: await deps.catalog.issuerProfile(input.orgId) },
      unsigned,
      {
        recipientUserId,
        achievement: { id: input.achievementId, version: version.version },
        issuedBy: input.issuedBy,
        ...(input.key ? { sourceKey: `manual:${input.orgId}:${input.key}` } : {}),
      },
    );
    if (!issued.record.recipientUserId && !recipientUserId) {
      await deps.onUnclaimed?.({ record: issued.record, email: input.email.trim().toLowerCase() });
    }
    return issued;
  }

  /**
   * An accepted submission: the current version of the micro-credential, with the rubric score as the result
   * (one result per criterion) and the learner's narrative and links as evidence; once per submission.
   */
  async function awardForReview(
    submission: { id: string; userId: string; achievementId: string; narrative: string; links: string[] },
    rubric: Omit<RubricResult, 'achievementId'>,
    reviewerId: string,
  ): Promise<IssuedCredential> {
    const version = await deps.catalog.current(submission.achievementId);
    const awardedAt = now();
    const achievementId = (version.achievement as { id?: unknown }).id;
    const unsigned = awardCredential({
      achievement: version.achievement,
      recipient: { email: await deps.emailOf(submission.userId) },
      rubric: {
        ...rubric,
        achievementId: typeof achievementId === 'string' ? achievementId : submission.achievementId,
      },
      evidence: [
        { name: 'Submitted work', narrative: submission.narrative.trim() || 'Work submitted for review.' },
        ...submission.links.map((url) => ({ name: 'Link to the work', narrative: url, url })),
      ],
      awardedAt,
      validUntil: validUntil(version.definition, awardedAt),
    });
    return deps.issuance.issue(
      { orgId: version.orgId, profile: await deps.catalog.issuerProfile(version.orgId) },
      unsigned,
      {
        recipientUserId: submission.userId,
        achievement: { id: submission.achievementId, version: version.version },
        issuedBy: reviewerId,
        sourceKey: `review:${submission.id}`,
      },
    );
  }

  /**
   * A completed pathway: the current version of its destination, issued by the pathway's organization to the
   * learner, with the component credentials as evidence (id, issuer, name and the digest of each as held); once
   * per `sourceKey` (the pathway award), so a retried or crashed job returns the same credential.
   */
  async function awardForPathway(input: {
    orgId: string;
    achievementId: string;
    userId: string;
    pathwayName: string;
    components: {
      credentialId: string | null;
      issuer: { id: string | null; name: string | null };
      name: string;
      digest: string;
    }[];
    sourceKey: string;
  }): Promise<IssuedCredential> {
    const version = await deps.catalog.current(input.achievementId);
    if (version.orgId !== input.orgId)
      throw new DomainError('forbidden', 'A pathway awards its own organization’s micro-credential.');
    const awardedAt = now();
    const unsigned = awardCredential({
      achievement: version.achievement,
      recipient: { email: await deps.emailOf(input.userId) },
      evidence: input.components.map((c) => ({
        name: c.name,
        narrative:
          `Component of the pathway “${input.pathwayName}”: “${c.name}”, issued by ${c.issuer.name ?? c.issuer.id ?? 'an unnamed issuer'}` +
          `${c.issuer.id && c.issuer.name ? ` (${c.issuer.id})` : ''}.`,
        ...(c.credentialId && /^[a-z][a-z0-9+.-]*:\S+$/i.test(c.credentialId) ? { url: c.credentialId } : {}),
        description: c.digest,
        genre: 'Component credential',
      })),
      awardedAt,
      validUntil: validUntil(version.definition, awardedAt),
    });
    return deps.issuance.issue(
      { orgId: version.orgId, profile: await deps.catalog.issuerProfile(version.orgId) },
      unsigned,
      {
        recipientUserId: input.userId,
        achievement: { id: input.achievementId, version: version.version },
        sourceKey: input.sourceKey,
      },
    );
  }

  return { awardForTest, awardByHand, awardForReview, awardForPathway };
}

export type Awarding = ReturnType<typeof createAwarding>;
