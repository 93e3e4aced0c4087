import { euFactsOf, isEuElement, type EuFact } from './eu-elements.js';

/** What a person wants to see of a credential: who issued what to whom, and which skills it vouches for. */
export interface CredentialSummary {
  types: string[];
  issuer: { id?: string; name?: string; url?: string; image?: string };
  achievement?: { id?: string; name?: string; description?: string; type?: string; criteria?: string; image?: string };
  subject?: { id?: string; name?: string; identifier?: string };
  /** What the achievement aligns to as skills (the EU elements below are not skills). */
  skills: { name: string; code?: string; framework?: string; url?: string }[];
  /** The EU micro-credential elements it states, labelled, in plain words. */
  facts: EuFact[];
  learningOutcomes: string[];
  validFrom?: string;
  validUntil?: string;
  name?: string;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  const first = [value].flat().find((v) => obj(v) && typeof (v as Obj)['@value'] === 'string') as Obj | undefined;
  return first ? (first['@value'] as string) : undefined;
};
const imageOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : text(obj(value)?.id));

export function summarize(credential: Obj): CredentialSummary {
  const issuer = obj(credential.issuer);
  const subject = obj([credential.credentialSubject].flat()[0]);
  const achievement = obj(subject?.achievement);
  const identifier = obj([subject?.identifier].flat()[0]);
  const alignments = [achievement?.alignment].flat().filter(Boolean).map(obj).filter(Boolean) as Obj[];
  return {
    types: [credential.type].flat().filter((t): t is string => typeof t === 'string'),
    issuer: {
      id: typeof credential.issuer === 'string' ? credential.issuer : text(issuer?.id),
      name: text(issuer?.name),
      url: text(issuer?.url),
      image: imageOf(issuer?.image),
    },
    ...(achievement
      ? {
          achievement: {
            id: text(achievement.id),
            name: text(achievement.name),
            description: text(achievement.description),
            type: text(achievement.achievementType),
            criteria: text(obj(achievement.criteria)?.narrative),
            image: imageOf(achievement.image),
          },
        }
      : {}),
    ...(subject
      ? {
          subject: {
            id: text(subject.id),
            name: text(subject.name),
            identifier: identifier?.hashed === true ? 'a hashed identity' : text(identifier?.identityHash),
          },
        }
      : {}),
    skills: alignments
      .filter((a) => !isEuElement(a.targetType))
      .map((a) => ({
        name: text(a.targetName) ?? text(a.targetCode) ?? 'skill',
        code: text(a.targetCode),
        framework: text(a.targetFramework),
        url: text(a.targetUrl),
      })),
    ...euFactsOf(achievement),
    validFrom: text(credential.validFrom ?? credential.issuanceDate),
    validUntil: text(credential.validUntil ?? credential.expirationDate),
    name: text(credential.name),
  };
}
