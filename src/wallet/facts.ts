import { element, type MicroCredentialDefinition } from '../catalog/definition.js';
import { isEuElement } from '../vc/eu-elements.js';
import { qualityAssuranceOf, type QualityAssuranceFacts } from '../catalog/profile.js';

/**
 * The facts a holding's detail page shows: what the achievement is (outcomes, workload, level, skills), how
 * its issuer is quality-assured, and what the holder achieved (results, evidence). Credentials issued here
 * read them from the catalog; imported ones from the credential itself, by the same Open Badges 3.0 fields
 * and alignment types the catalog writes (others that follow the EU convention read the same way).
 */
export interface AchievementFacts {
  name: string | null;
  description: string | null;
  criteria: string | null;
  achievementType: string | null;
  learningOutcomes: string[];
  workloadHours: number | null;
  /** The workload as written when it is not in hours (e.g. "2 weeks"). */
  workload: string | null;
  ectsCredits: number | null;
  eqfLevel: number | null;
  nqfLevel: string | null;
  assessmentType: string | null;
  participationForm: string | null;
  qualityAssurance: string | null;
  skills: { name: string; code: string | null; framework: string | null; url: string | null }[];
  /** Other alignments (competency frameworks, standards) the achievement names. */
  alignments: { name: string; type: string | null; framework: string | null; url: string | null }[];
}

export interface HeldResult {
  /** What the result is about: the overall result, a skill, a rubric criterion. */
  label: string;
  value: string | null;
  status: string | null;
  detail: string | null;
}

export interface HeldEvidence {
  name: string | null;
  narrative: string | null;
  url: string | null;
}

export interface IssuerFacts {
  id: string | null;
  name: string | null;
  url: string | null;
  email: string | null;
  country: string | null;
  qualityAssurance: QualityAssuranceFacts | null;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const list = (value: unknown): Obj[] =>
  [value]
    .flat()
    .map(obj)
    .filter((v): v is Obj => !!v);
const text = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // JSON-LD language maps and value objects: the first plain value.
  const first = [value]
    .flat()
    .map(obj)
    .find((v) => typeof v?.['@value'] === 'string');
  return first ? (first['@value'] as string) : null;
};

const skillTypes = new Set<string>([element.skill, 'ext:ESCOSkill', 'ext:ONETSkill', 'ext:Competency']);

export function factsFromDefinition(definition: MicroCredentialDefinition): AchievementFacts {
  return {
    name: definition.title,
    description: definition.description,
    criteria: definition.criteria,
    achievementType: 'MicroCredential',
    learningOutcomes: definition.learningOutcomes,
    workloadHours: definition.workloadHours,
    workload: null,
    ectsCredits: definition.ectsCredits ?? null,
    eqfLevel: definition.eqfLevel ?? null,
    nqfLevel: definition.nqfLevel ?? null,
    assessmentType: definition.assessmentType,
    participationForm: definition.participationForm,
    qualityAssurance: definition.qualityAssurance,
    skills: definition.skills.map((s) => ({ name: s.name, code: s.code, framework: s.framework, url: s.url })),
    alignments: [],
  };
}

export function factsFromAchievement(achievement: Obj | undefined): AchievementFacts {
  const alignments = list(achievement?.alignment);
  const of = (type: string) => alignments.filter((a) => a.targetType === type);
  const first = (type: string) => of(type)[0];
  const workloadCode = text(first(element.workload)?.targetCode);
  const hours = workloadCode?.match(/^PT(\d+(?:\.\d+)?)H$/);
  const eqf = Number(text(first(element.eqf)?.targetCode));
  const credits = achievement?.creditsAvailable;
  return {
    name: text(achievement?.name),
    description: text(achievement?.description),
    criteria: text(obj(achievement?.criteria)?.narrative) ?? text(achievement?.criteria),
    achievementType: text(achievement?.achievementType),
    learningOutcomes: of(element.outcome)
      .map((a) => text(a.targetName))
      .filter((o): o is string => !!o),
    workloadHours: hours ? Number(hours[1]) : null,
    workload: hours ? null : text(first(element.workload)?.targetName),
    ectsCredits: typeof credits === 'number' ? credits : null,
    eqfLevel: Number.isInteger(eqf) && eqf >= 1 && eqf <= 8 ? eqf : null,
    nqfLevel: text(first(element.nqf)?.targetName),
    assessmentType: text(first(element.assessment)?.targetCode),
    participationForm: text(first(element.participation)?.targetCode),
    qualityAssurance: text(first(element.qa)?.targetCode),
    // An alignment with no type, or a skill type, is a skill; the EU elements above are not.
    skills: alignments
      .filter((a) => a.targetType === undefined || skillTypes.has(String(a.targetType)))
      .map((a) => ({
        name: text(a.targetName) ?? text(a.targetCode) ?? 'Skill',
        code: text(a.targetCode),
        framework: text(a.targetFramework),
        url: text(a.targetUrl),
      })),
    alignments: alignments
      .filter((a) => a.targetType !== undefined && !skillTypes.has(String(a.targetType)) && !isEuElement(a.targetType))
      .map((a) => ({
        name: text(a.targetName) ?? text(a.targetCode) ?? 'Alignment',
        type: text(a.targetType),
        framework: text(a.targetFramework),
        url: text(a.targetUrl),
      })),
  };
}

/** The subject's results: the overall one first, then per skill or criterion (named by their alignment). */
export function resultsOf(credential: Obj): HeldResult[] {
  const subject = list(credential.credentialSubject)[0];
  return list(subject?.result).map((result, i) => {
    const alignment = list(result.alignment)[0];
    return {
      label: text(alignment?.targetName) ?? (i === 0 ? 'Overall result' : `Result ${i + 1}`),
      value: text(result.value),
      status: text(result.status),
      detail: text(alignment?.targetDescription),
    };
  });
}

export function evidenceOf(credential: Obj): HeldEvidence[] {
  return list(credential.evidence).map((e) => ({
    name: text(e.name),
    narrative: text(e.narrative) ?? text(e.description),
    url: text(e.id),
  }));
}

/** The issuer as the credential presents it, with its QA facts (the catalog's convention for our issuers). */
export function issuerFactsOf(issuer: unknown): IssuerFacts {
  const profile = obj(issuer);
  return {
    id: typeof issuer === 'string' ? issuer : text(profile?.id),
    name: text(profile?.name),
    url: text(profile?.url),
    email: text(profile?.email),
    country: text(obj(profile?.address)?.addressCountryCode),
    qualityAssurance: profile ? (qualityAssuranceOf(profile) ?? null) : null,
  };
}

/** The achievement object a credential (OB 3.0) carries. */
export function achievementOf(credential: Obj): Obj | undefined {
  return obj(list(credential.credentialSubject)[0]?.achievement);
}
