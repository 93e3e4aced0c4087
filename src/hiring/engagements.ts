import { randomUUID } from 'node:crypto';
import { contextUrls } from '../vc/contexts.js';
import { hashedIdentity } from '../vc/identity.js';

/**
 * Verified work history and references: what an employer organization signs when it closes an engagement with a
 * worker. Pure builders of the unsigned Open Badges 3.0 credentials; the issuance path signs and stores them.
 *
 * (a) An AchievementCredential whose achievement is the engagement (`achievementType` `ext:WorkHistory`): the
 *     role and period on the subject (`role`, `activityStartDate`, `activityEndDate`), the skills used as ESCO /
 *     O*NET alignments, and the employer's ratings of communication, timeliness and reliability as `Result`s of
 *     the achievement's result descriptions (percent, 0–100).
 * (b) Optionally an EndorsementCredential (a reference): it endorses the work-history credential (its subject is
 *     that credential's id) with the employer's comment.
 */
export interface EngagementInput {
  /** The worker's (confirmed) email: the credential names them by its salted hash. */
  email: string;
  role: string;
  from: string;
  until: string | null;
  skills: { code: string; url: string; name: string; framework: string }[];
  ratings: { communication: number | null; timeliness: number | null; reliability: number | null };
  employerName: string;
  summary?: string | undefined;
}

const ratingNames = { communication: 'Communication', timeliness: 'Timeliness', reliability: 'Reliability' } as const;

const day = (date: string) => `${date}T00:00:00Z`;

export function workHistoryCredential(input: EngagementInput, now: Date): Record<string, unknown> {
  const achievementId = `urn:uuid:${randomUUID()}`;
  const descriptions = (Object.keys(ratingNames) as (keyof typeof ratingNames)[])
    .filter((k) => input.ratings[k] !== null)
    .map((k) => ({
      id: `${achievementId}#${k}`,
      type: ['ResultDescription'],
      name: ratingNames[k],
      resultType: 'Percent',
    }));
  const period = `${input.from} to ${input.until ?? 'now'}`;
  return {
    '@context': [contextUrls.credentialsV2, contextUrls.ob],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${input.role} at ${input.employerName}`,
    validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [hashedIdentity(input.email, 'emailAddress')],
      role: input.role,
      activityStartDate: day(input.from),
      ...(input.until ? { activityEndDate: day(input.until) } : {}),
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        achievementType: 'ext:WorkHistory',
        name: `${input.role} at ${input.employerName}`,
        description:
          input.summary?.trim() ||
          `Worked as ${input.role} for ${input.employerName}, ${period}, as the employer records it.`,
        criteria: { narrative: `An engagement with ${input.employerName}, closed and recorded by the employer.` },
        ...(input.skills.length
          ? {
              alignment: input.skills.map((s) => ({
                type: ['Alignment'],
                targetType: 'ext:Skill',
                targetName: s.name,
                targetCode: s.code,
                targetUrl: s.url,
                targetFramework: s.framework,
              })),
            }
          : {}),
        ...(descriptions.length ? { resultDescription: descriptions } : {}),
      },
      ...(descriptions.length
        ? {
            result: (Object.keys(ratingNames) as (keyof typeof ratingNames)[])
              .filter((k) => input.ratings[k] !== null)
              .map((k) => ({
                type: ['Result'],
                resultDescription: `${achievementId}#${k}`,
                value: String(input.ratings[k]),
              })),
          }
        : {}),
    },
  };
}

export function referenceCredential(
  input: { workHistoryId: string; comment: string; employerName: string; role: string },
  now: Date,
): Record<string, unknown> {
  return {
    '@context': [contextUrls.credentialsV2, contextUrls.ob],
    type: ['VerifiableCredential', 'EndorsementCredential'],
    name: `Reference from ${input.employerName}`,
    validFrom: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: input.workHistoryId,
      type: ['EndorsementSubject'],
      endorsementComment: input.comment,
    },
  };
}
