import { euElement } from '../vc/eu-elements.js';
import { Type } from 'typebox';
import type { Achievement, Alignment } from '../vc/types.js';

/**
 * A micro-credential as the EU Council Recommendation on micro-credentials (2022/C 243/02, Annex I) asks an
 * issuer to describe it, plus what Skillproof needs to award it. Plain data: validated here, mapped to an
 * Open Badges 3.0 Achievement (and back, losslessly) below.
 */
export const assessmentTypes = ['skill-test', 'assessor-review', 'project', 'exam', 'portfolio', 'other'] as const;
export const participationForms = ['online', 'on-site', 'blended'] as const;
export const qualityAssuranceTypes = ['internal', 'external', 'accredited', 'none'] as const;

export type AssessmentType = (typeof assessmentTypes)[number];
export type ParticipationForm = (typeof participationForms)[number];
export type QualityAssuranceType = (typeof qualityAssuranceTypes)[number];

export interface SkillAlignment {
  /** Stable identifier: an ESCO concept URI, an O*NET-SOC or element code, or the issuer's own code. */
  code: string;
  name: string;
  framework: string;
  url: string;
}

export interface MicroCredentialDefinition {
  title: string;
  /**
   * A short human-readable code (OB 3.0 `humanCode`, e.g. SQL-101), unique in the organization in any case;
   * given one when none is chosen. Issuers type it in bulk CSVs.
   */
  humanCode?: string | undefined;
  description: string;
  learningOutcomes: string[];
  /** Notional workload in hours (at least 1, per the Australian National Microcredentials Framework). */
  workloadHours: number;
  ectsCredits?: number | undefined;
  /** European Qualifications Framework level, 1 to 8. */
  eqfLevel?: number | undefined;
  /** National Qualifications Framework level, as the country names it (e.g. "NQF 6"). */
  nqfLevel?: string | undefined;
  assessmentType: AssessmentType;
  participationForm: ParticipationForm;
  qualityAssurance: QualityAssuranceType;
  prerequisites: string[];
  criteria: string;
  /** How long a credential stays valid after it is issued (ISO 8601 duration, e.g. P2Y); none: never expires. */
  validity?: string | undefined;
  stackability?: string | undefined;
  image?: string | undefined;
  language: string;
  tags: string[];
  skills: SkillAlignment[];
}

/**
 * The stored shape of a definition (an achievement's draft and each published version's definition, JSONB):
 * types only, as sizes are rules of what is sent (the routes' DefinitionSchema), checked on read.
 */
export const StoredDefinitionSchema = Type.Object({
  title: Type.String(),
  description: Type.String(),
  learningOutcomes: Type.Array(Type.String()),
  workloadHours: Type.Number(),
  ectsCredits: Type.Optional(Type.Number()),
  eqfLevel: Type.Optional(Type.Integer()),
  nqfLevel: Type.Optional(Type.String()),
  assessmentType: Type.Enum(assessmentTypes),
  participationForm: Type.Enum(participationForms),
  qualityAssurance: Type.Enum(qualityAssuranceTypes),
  prerequisites: Type.Array(Type.String()),
  criteria: Type.String(),
  validity: Type.Optional(Type.String()),
  stackability: Type.Optional(Type.String()),
  image: Type.Optional(Type.String()),
  language: Type.String(),
  tags: Type.Array(Type.String()),
  skills: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), framework: Type.String(), url: Type.String() }),
  ),
});

export interface DefinitionIssue {
  field: string;
  message: string;
}

export interface DefinitionCheck {
  errors: DefinitionIssue[];
  warnings: DefinitionIssue[];
}

// Notional workload per ECTS credit under the ECTS Users' Guide: 25 to 30 hours.
export const hoursPerEcts = { min: 25, max: 30 };
// A full qualification starts around 60 ECTS (one academic year): micro-credentials stay below it.
export const fullQualificationEcts = 60;
/** A human code: letters, digits and dashes, 2 to 24, starting with a letter or digit (upper case once saved). */
export const humanCodePattern = /^[A-Z0-9][A-Z0-9-]{1,23}$/;
const duration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;

/** An http(s) address (what catalog fields that people open in a browser must be). */
export function isWebUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Checks a definition; errors block publishing, warnings are shown to the issuer. */
export function checkDefinition(definition: MicroCredentialDefinition): DefinitionCheck {
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  const error = (field: string, message: string) => errors.push({ field, message });
  const d = definition;

  if (!d.title.trim()) error('title', 'A micro-credential needs a title.');
  if (d.humanCode !== undefined && !humanCodePattern.test(d.humanCode.toUpperCase())) {
    error('humanCode', 'The code has 2 to 24 letters, digits and dashes, such as SQL-101.');
  }
  if (!d.description.trim()) error('description', 'Describe what the micro-credential certifies.');
  const outcomes = d.learningOutcomes.map((o) => o.trim()).filter(Boolean);
  if (outcomes.length === 0) error('learningOutcomes', 'List at least one learning outcome.');
  if (new Set(outcomes.map((o) => o.toLowerCase())).size !== outcomes.length) {
    error('learningOutcomes', 'The learning outcomes repeat each other.');
  }
  if (!Number.isFinite(d.workloadHours) || d.workloadHours < 1) {
    error('workloadHours', 'The notional workload must be at least 1 hour.');
  }
  if (d.ectsCredits !== undefined) {
    if (!Number.isFinite(d.ectsCredits) || d.ectsCredits <= 0)
      error('ectsCredits', 'ECTS credits must be a positive number.');
    else {
      const [low, high] = [d.ectsCredits * hoursPerEcts.min, d.ectsCredits * hoursPerEcts.max];
      if (d.workloadHours < low || d.workloadHours > high) {
        error(
          'ectsCredits',
          `${d.ectsCredits} ECTS means ${low}–${high} hours of workload (25–30 h per credit), not ${d.workloadHours} h.`,
        );
      }
      if (d.ectsCredits >= fullQualificationEcts) {
        warnings.push({
          field: 'ectsCredits',
          message: `${d.ectsCredits} ECTS is the size of a full qualification; a micro-credential is usually much smaller.`,
        });
      }
    }
  } else if (d.workloadHours >= fullQualificationEcts * hoursPerEcts.min) {
    warnings.push({ field: 'workloadHours', message: 'This workload is the size of a full qualification.' });
  }
  if (d.eqfLevel !== undefined && (!Number.isInteger(d.eqfLevel) || d.eqfLevel < 1 || d.eqfLevel > 8)) {
    error('eqfLevel', 'The EQF level is a whole number from 1 to 8.');
  }
  if (d.eqfLevel === undefined && !d.nqfLevel?.trim()) {
    warnings.push({ field: 'eqfLevel', message: 'Give an EQF or NQF level so employers can compare it.' });
  }
  if (!assessmentTypes.includes(d.assessmentType))
    error('assessmentType', `Choose one of: ${assessmentTypes.join(', ')}.`);
  if (!participationForms.includes(d.participationForm)) {
    error('participationForm', `Choose one of: ${participationForms.join(', ')}.`);
  }
  if (!qualityAssuranceTypes.includes(d.qualityAssurance)) {
    error('qualityAssurance', `Choose one of: ${qualityAssuranceTypes.join(', ')}.`);
  }
  if (!d.criteria.trim()) error('criteria', 'Say what a learner must do to earn it.');
  if (d.validity !== undefined && !duration.test(d.validity)) {
    error('validity', 'The validity is an ISO 8601 duration such as P2Y (two years) or P6M.');
  }
  if (d.image !== undefined && !isWebUrl(d.image)) error('image', 'The image must be a web address.');
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(d.language))
    error('language', 'The language is a code such as en or pt-BR.');
  d.prerequisites.forEach((p, i) => {
    if (!isWebUrl(p)) error(`prerequisites.${i}`, 'A prerequisite is the address of another achievement.');
  });
  d.skills.forEach((s, i) => {
    if (!s.code.trim() || !s.name.trim() || !s.framework.trim())
      error(`skills.${i}`, 'A skill needs a code, a name and a framework.');
    if (!isWebUrl(s.url)) error(`skills.${i}.url`, 'A skill needs the web address of its definition.');
  });
  return { errors, warnings };
}

// --- Open Badges 3.0 ------------------------------------------------------------------------------------

export const euFramework = 'EU Council Recommendation on micro-credentials (2022/C 243/02)';
export const euFrameworkUrl = 'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022H0627(02)';
const eqfUrl = (level: number) => `http://data.europa.eu/snb/eqf/${level}`;

/**
 * Alignment types for the EU elements that Open Badges has no property of its own for: written into
 * achievements here, read back from any credential by the wallet (wallet/facts.ts) and the verifier's summary.
 */
export const element = euElement;

function euAlignment(
  achievementId: string,
  kind: keyof typeof element,
  name: string,
  code: string,
  index = 0,
): Alignment {
  return {
    type: ['Alignment'],
    targetType: element[kind],
    targetName: name,
    targetCode: code,
    targetFramework: euFramework,
    targetUrl: `${euFrameworkUrl}#${element[kind].slice(4)}`,
    targetDescription: `${element[kind].slice(4)} of ${achievementId}${index ? ` (${index})` : ''}`,
  };
}

/**
 * The OB 3.0 Achievement for a definition: ECTS as creditsAvailable, and each EU element as an alignment
 * with its own targetType, so any OB 3.0 consumer sees them and `fromAchievement` restores them exactly.
 */
export function toAchievement(
  definition: MicroCredentialDefinition,
  meta: { id: string; version: number; creator?: Achievement['creator'] },
): Achievement {
  const d = definition;
  const id = meta.id;
  const alignment: Alignment[] = [
    ...d.learningOutcomes.map((outcome, i) => ({ ...euAlignment(id, 'outcome', outcome, `outcome-${i + 1}`, i + 1) })),
    euAlignment(id, 'workload', `${d.workloadHours} hours`, `PT${d.workloadHours}H`),
    ...(d.eqfLevel !== undefined
      ? [
          {
            type: ['Alignment'],
            targetType: element.eqf,
            targetName: `EQF level ${d.eqfLevel}`,
            targetCode: String(d.eqfLevel),
            targetFramework: 'European Qualifications Framework',
            targetUrl: eqfUrl(d.eqfLevel),
          } satisfies Alignment,
        ]
      : []),
    ...(d.nqfLevel ? [euAlignment(id, 'nqf', d.nqfLevel, d.nqfLevel)] : []),
    euAlignment(id, 'assessment', d.assessmentType, d.assessmentType),
    euAlignment(id, 'participation', d.participationForm, d.participationForm),
    euAlignment(id, 'qa', d.qualityAssurance, d.qualityAssurance),
    ...d.prerequisites.map(
      (url, i) =>
        ({
          type: ['Alignment'],
          targetType: element.prerequisite,
          targetName: `Prerequisite ${i + 1}`,
          targetCode: url,
          targetUrl: url,
          targetFramework: euFramework,
        }) satisfies Alignment,
    ),
    ...(d.validity ? [euAlignment(id, 'validity', d.validity, d.validity)] : []),
    ...(d.stackability ? [euAlignment(id, 'stackability', d.stackability, 'stackability')] : []),
    ...d.skills.map(
      (skill) =>
        ({
          type: ['Alignment'],
          targetType: element.skill,
          targetName: skill.name,
          targetCode: skill.code,
          targetFramework: skill.framework,
          targetUrl: skill.url,
        }) satisfies Alignment,
    ),
  ];
  return {
    id,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: d.title,
    ...(d.humanCode ? { humanCode: d.humanCode } : {}),
    description: d.description,
    criteria: { narrative: d.criteria },
    ...(d.ectsCredits !== undefined ? { creditsAvailable: d.ectsCredits } : {}),
    ...(d.image ? { image: { id: d.image, type: 'Image' as const } } : {}),
    inLanguage: d.language,
    ...(d.tags.length ? { tag: d.tags } : {}),
    version: String(meta.version),
    ...(meta.creator ? { creator: meta.creator } : {}),
    alignment,
  };
}

/** Reads a definition back from an Achievement made by `toAchievement`. */
export function fromAchievement(achievement: Achievement): MicroCredentialDefinition {
  const alignments = achievement.alignment ?? [];
  const of = (type: string) => alignments.filter((a) => a.targetType === type);
  const first = (type: string) => of(type)[0];
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const workload = first(element.workload)?.targetCode?.match(/^PT(\d+(?:\.\d+)?)H$/);
  const eqf = first(element.eqf)?.targetCode;
  return {
    title: text(achievement.name),
    ...(typeof achievement.humanCode === 'string' ? { humanCode: achievement.humanCode } : {}),
    description: text(achievement.description),
    learningOutcomes: of(element.outcome).map((a) => a.targetName),
    workloadHours: workload ? Number(workload[1]) : 0,
    ectsCredits: achievement.creditsAvailable,
    eqfLevel: eqf ? Number(eqf) : undefined,
    nqfLevel: first(element.nqf)?.targetName,
    assessmentType: (first(element.assessment)?.targetCode ?? 'other') as AssessmentType,
    participationForm: (first(element.participation)?.targetCode ?? 'online') as ParticipationForm,
    qualityAssurance: (first(element.qa)?.targetCode ?? 'none') as QualityAssuranceType,
    prerequisites: of(element.prerequisite).map((a) => a.targetUrl),
    criteria: achievement.criteria.narrative ?? '',
    validity: first(element.validity)?.targetCode,
    stackability: first(element.stackability)?.targetName,
    image: achievement.image?.id,
    language: achievement.inLanguage ?? 'en',
    tags: achievement.tag ?? [],
    skills: of(element.skill).map((a) => ({
      code: a.targetCode ?? '',
      name: a.targetName,
      framework: a.targetFramework ?? '',
      url: a.targetUrl,
    })),
  };
}

/** When a credential issued at `issued` stops being valid, from the definition's validity period. */
export function validUntil(definition: MicroCredentialDefinition, issued: Date): Date | undefined {
  const match = definition.validity ? duration.exec(definition.validity) : null;
  if (!match) return undefined;
  const [, years, months, weeks, days] = match.map((part) => (part ? Number.parseInt(part, 10) : 0));
  const until = new Date(issued);
  until.setUTCFullYear(until.getUTCFullYear() + (years ?? 0));
  until.setUTCMonth(until.getUTCMonth() + (months ?? 0));
  until.setUTCDate(until.getUTCDate() + (weeks ?? 0) * 7 + (days ?? 0));
  return until;
}
