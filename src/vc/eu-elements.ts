/**
 * The elements the EU Council Recommendation on micro-credentials (2022/C 243/02, Annex I) asks for that
 * Open Badges 3.0 has no property of its own for. Skillproof writes each as an alignment with its own
 * targetType (catalog/definition.ts); any reader tells them apart from the skills an achievement aligns to,
 * and says them in plain words (`euFactsOf`).
 */
export const euElement = {
  outcome: 'ext:LearningOutcome',
  workload: 'ext:NotionalWorkload',
  eqf: 'ext:EQFLevel',
  nqf: 'ext:NQFLevel',
  assessment: 'ext:AssessmentType',
  participation: 'ext:ParticipationForm',
  qa: 'ext:QualityAssurance',
  prerequisite: 'ext:Prerequisite',
  validity: 'ext:ValidityPeriod',
  stackability: 'ext:Stackability',
  skill: 'ext:Skill',
} as const;

const euTypes = new Set<string>(Object.values(euElement).filter((type) => type !== euElement.skill));

/** Whether an alignment's targetType names one of the EU elements (not a skill). */
export function isEuElement(targetType: unknown): boolean {
  return typeof targetType === 'string' && euTypes.has(targetType);
}

/** One EU element, labelled, in plain words: "Workload" / "25 hours". */
export interface EuFact {
  label: string;
  value: string;
}

export const assessmentWords: Record<string, string> = {
  'skill-test': 'skill test',
  'assessor-review': 'review of your work by an assessor',
  project: 'project',
  exam: 'exam',
  portfolio: 'portfolio',
  other: 'other',
};
export const participationWords: Record<string, string> = {
  online: 'online',
  'on-site': 'on site',
  blended: 'blended (online and on site)',
};
export const qualityAssuranceWords: Record<string, string> = {
  internal: 'internal quality assurance',
  external: 'external quality assurance',
  accredited: 'accredited',
  none: 'none stated',
};

const units = { Y: 'year', M: 'month', W: 'week', D: 'day' } as const;

/** An ISO 8601 period in words: P2Y6M → "2 years 6 months"; anything else is returned as written. */
export function periodInWords(iso: string): string {
  if (!/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/.test(iso)) return iso;
  return [...iso.matchAll(/(\d+)([YMWD])/g)]
    .map(([, n, unit]) => `${Number(n)} ${units[unit as keyof typeof units]}${Number(n) === 1 ? '' : 's'}`)
    .join(' ');
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const first = [value]
    .flat()
    .map(obj)
    .find((v) => typeof v?.['@value'] === 'string');
  return first ? (first['@value'] as string) : undefined;
};
const hours = (n: number) => `${n} hour${n === 1 ? '' : 's'}`;

/**
 * The EU elements an achievement states, as labelled facts in plain words ("Workload: 25 hours · 1 ECTS
 * credit", "Assessment: skill test, online", "Valid for: 2 years"), and its learning outcomes.
 */
export function euFactsOf(achievement: unknown): { facts: EuFact[]; learningOutcomes: string[] } {
  const a = obj(achievement);
  const alignments = [a?.alignment]
    .flat()
    .map(obj)
    .filter((v): v is Obj => !!v);
  const of = (type: string) => alignments.filter((al) => al.targetType === type);
  const code = (type: string) => text(of(type)[0]?.targetCode);
  const name = (type: string) => text(of(type)[0]?.targetName);
  const facts: EuFact[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) facts.push({ label, value });
  };

  const workloadCode = code(euElement.workload)?.match(/^PT(\d+(?:\.\d+)?)H$/);
  const credits = typeof a?.creditsAvailable === 'number' ? a.creditsAvailable : undefined;
  const workload = workloadCode ? hours(Number(workloadCode[1])) : name(euElement.workload);
  const ects = credits !== undefined ? `${credits} ECTS credit${credits === 1 ? '' : 's'}` : undefined;
  add('Workload', [workload, ects].filter(Boolean).join(' · '));

  const eqf = Number(code(euElement.eqf));
  const eqfText = Number.isInteger(eqf) && eqf >= 1 && eqf <= 8 ? `EQF level ${eqf}` : undefined;
  const nqf = name(euElement.nqf);
  add('Level', [eqfText, nqf && `national level ${nqf}`].filter(Boolean).join(' · '));

  const assessment = code(euElement.assessment);
  const participation = code(euElement.participation);
  add(
    'Assessment',
    [
      assessment && (assessmentWords[assessment] ?? assessment),
      participation && (participationWords[participation] ?? participation),
    ]
      .filter(Boolean)
      .join(', '),
  );
  const qa = code(euElement.qa);
  add('Quality assurance', qa && (qualityAssuranceWords[qa] ?? qa));
  const validity = code(euElement.validity);
  add('Valid for', validity && periodInWords(validity));
  add('Stacks into', name(euElement.stackability));
  const prerequisites = of(euElement.prerequisite)
    .map((p) => text(p.targetUrl) ?? text(p.targetCode))
    .filter((p): p is string => !!p);
  add('Prerequisites', prerequisites.join(', '));

  return {
    facts,
    learningOutcomes: of(euElement.outcome)
      .map((o) => text(o.targetName))
      .filter((o): o is string => !!o),
  };
}
