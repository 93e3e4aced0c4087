import { createHash } from 'node:crypto';
import { contextUrls } from '../vc/contexts.js';
import { achievementOf, factsFromAchievement, issuerFactsOf, type AchievementFacts } from '../wallet/facts.js';
import { assessmentWords, periodInWords, qualityAssuranceWords } from '../vc/eu-elements.js';

/**
 * European Learning Model (ELM v3) export: a micro-credential definition as an ELM `Qualification`, and a learner's
 * credential (a stacked one with its components as `hasPart`) as an unsigned `EuropeanDigitalCredential`, laid out as
 * the European Commission's micro-credential sample (Sample-MC-Annex1) lays out the EU elements:
 *
 * | Skillproof (OB 3.0 achievement + EU alignments) | ELM v3                                                       |
 * | ----------------------------------------------- | ------------------------------------------------------------ |
 * | name, description, inLanguage                   | Qualification title, description, language                   |
 * | learning outcomes; skills (ESCO, O*NET …)       | learningOutcome (title; relatedESCOSkill / relatedSkill)     |
 * | workload (hours)                                | volumeOfLearning (PT25H)                                      |
 * | creditsAvailable (ECTS)                         | creditPoint (framework ECTS, point)                          |
 * | EQF level                                       | eqfLevel (…/snb/eqf/N); the NQF level (free text) as a note   |
 * | participation form                              | mode (EDC modes list: Online, Presential, Blended)           |
 * | assessment type                                 | provenBy LearningAssessmentSpecification (EDC assessment types) |
 * | quality assurance (+ the issuer's QA facts)     | accreditation (EDC accreditation types) with its agent       |
 * | prerequisites, validity, stackability           | entryRequirement, additional notes                           |
 * | issuer Profile (name, url, email, country)      | Organisation (legalName, homepage, contactPoint, location)   |
 * | credential (issued, valid from/until)           | EuropeanDigitalCredential issued, validFrom, validUntil      |
 *
 * Pure: plain JSON in, plain JSON-LD out (validation: elm-shacl.ts).
 */
type Json = Record<string, unknown>;

export const edcContextUrl = 'http://data.europa.eu/snb/model/context/edc-ap';
export const elmContext = [contextUrls.credentialsV1, edcContextUrl];
export const elmMediaType = 'application/ld+json';

const snb = 'http://data.europa.eu/snb';
const authority = 'http://publications.europa.eu/resource/authority';

/** A concept of an EU controlled list, as the sample writes it (id, scheme, label). */
function concept(id: string, scheme: string, label: string, notation?: string): Json {
  return {
    id,
    type: 'Concept',
    inScheme: { id: scheme, type: 'ConceptScheme' },
    ...(notation ? { notation } : {}),
    prefLabel: { en: label },
  };
}

const generic = concept(`${snb}/credential/e34929035b`, `${snb}/credential/25831c2`, 'Generic');
const ects = concept(
  `${snb}/education-credit/6fcec5c5af`,
  `${snb}/education-credit/25831c2`,
  'European Credit Transfer System',
);
const nonFormal = concept(
  `${snb}/learning-setting/e207a81fc7`,
  `${snb}/learning-setting/25831c2`,
  'non-formal learning',
);
const shortProgramme = concept(
  `${snb}/learning-opportunity/74a4a268e8`,
  `${snb}/learning-opportunity/25831c2`,
  'Short learning programme',
);
const eqfConcept = (level: number) => concept(`${snb}/eqf/${level}`, `${snb}/eqf/25831c2`, `Level ${level}`);

/** The EDC list of modes (the sample's `mode`), by participation form. */
const modes: Record<string, [string, string]> = {
  online: ['920fbb3cbe', 'Online'],
  'on-site': ['9191af2ed9', 'Presential'],
  blended: ['e92d221e4d', 'Blended'],
};
const modeConcept = (form: string) => {
  const found = modes[form];
  return found
    ? concept(`${snb}/learning-assessment/${found[0]}`, `${snb}/learning-assessment/25831c2`, found[1])
    : undefined;
};

/** The EDC list of assessment types, by Skillproof's assessment type ("other": none of them). */
const assessments: Record<string, [string, string]> = {
  'skill-test': ['b1b68f6735', 'quiz'],
  'assessor-review': ['2939dae15f', 'marked assignment'],
  project: ['795dac4096', 'project work'],
  exam: ['6e6cb2cc78', 'written examination'],
  portfolio: ['4f03b91c0e', 'portfolio'],
};

/** The EDC list of accreditation types. */
const accreditationTypes = {
  institutional: concept(
    `${snb}/accreditation/bb4618238e`,
    `${snb}/accreditation/25831c2`,
    'Institutional Quality Assurance',
  ),
  programme: concept(`${snb}/accreditation/820101cba6`, `${snb}/accreditation/25831c2`, 'Program Quality Assurance'),
};

/** ISO 639-1 → the EU language authority table (ISO 639-2/3 codes): the EU's languages and a few more. */
const languages: Record<string, [string, string]> = {
  bg: ['BUL', 'Bulgarian'],
  cs: ['CES', 'Czech'],
  da: ['DAN', 'Danish'],
  de: ['DEU', 'German'],
  el: ['ELL', 'Greek'],
  en: ['ENG', 'English'],
  es: ['SPA', 'Spanish'],
  et: ['EST', 'Estonian'],
  fi: ['FIN', 'Finnish'],
  fr: ['FRA', 'French'],
  ga: ['GLE', 'Irish'],
  hr: ['HRV', 'Croatian'],
  hu: ['HUN', 'Hungarian'],
  it: ['ITA', 'Italian'],
  lt: ['LIT', 'Lithuanian'],
  lv: ['LAV', 'Latvian'],
  mt: ['MLT', 'Maltese'],
  nl: ['NLD', 'Dutch'],
  pl: ['POL', 'Polish'],
  pt: ['POR', 'Portuguese'],
  ro: ['RON', 'Romanian'],
  sk: ['SLK', 'Slovak'],
  sl: ['SLV', 'Slovenian'],
  sv: ['SWE', 'Swedish'],
  is: ['ISL', 'Icelandic'],
  no: ['NOR', 'Norwegian'],
  nb: ['NOB', 'Norwegian Bokmål'],
  tr: ['TUR', 'Turkish'],
  uk: ['UKR', 'Ukrainian'],
  ar: ['ARA', 'Arabic'],
  zh: ['ZHO', 'Chinese'],
  ja: ['JPN', 'Japanese'],
  hi: ['HIN', 'Hindi'],
};

/** The language tag the texts are written in (`pt-BR` → `pt`), and its EU concept when the table knows it. */
export function languageOf(tag: string | null | undefined): { tag: string; concept?: Json } {
  const primary = (tag ?? 'en').toLowerCase().split('-')[0] || 'en';
  const found = languages[primary];
  return {
    tag: primary,
    ...(found
      ? { concept: concept(`${authority}/language/${found[0]}`, `${authority}/language`, found[1], 'language') }
      : {}),
  };
}

/** ISO 3166-1 alpha-2 → the EU country authority table (alpha-3): the EU/EEA and a few more. */
const countries: Record<string, string> = {
  AT: 'AUT',
  BE: 'BEL',
  BG: 'BGR',
  HR: 'HRV',
  CY: 'CYP',
  CZ: 'CZE',
  DK: 'DNK',
  EE: 'EST',
  FI: 'FIN',
  FR: 'FRA',
  DE: 'DEU',
  GR: 'GRC',
  HU: 'HUN',
  IE: 'IRL',
  IT: 'ITA',
  LV: 'LVA',
  LT: 'LTU',
  LU: 'LUX',
  MT: 'MLT',
  NL: 'NLD',
  PL: 'POL',
  PT: 'PRT',
  RO: 'ROU',
  SK: 'SVK',
  SI: 'SVN',
  ES: 'ESP',
  SE: 'SWE',
  IS: 'ISL',
  LI: 'LIE',
  NO: 'NOR',
  CH: 'CHE',
  GB: 'GBR',
  UA: 'UKR',
  TR: 'TUR',
  US: 'USA',
  CA: 'CAN',
  AU: 'AUS',
  NZ: 'NZL',
  IN: 'IND',
  BR: 'BRA',
  JP: 'JPN',
  CN: 'CHN',
  ZA: 'ZAF',
  MX: 'MEX',
  AR: 'ARG',
  SG: 'SGP',
  KR: 'KOR',
  IL: 'ISR',
  RS: 'SRB',
  AL: 'ALB',
  BA: 'BIH',
  ME: 'MNE',
  MK: 'MKD',
  MD: 'MDA',
  GE: 'GEO',
  AM: 'ARM',
};
const regions = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryConcept(code: string | null | undefined): Json | undefined {
  const alpha3 = code ? countries[code.toUpperCase()] : undefined;
  if (!alpha3) return undefined;
  return concept(
    `${authority}/country/${alpha3}`,
    `${authority}/country`,
    regions.of(code!.toUpperCase()) ?? alpha3,
    'country',
  );
}

const isIri = (value: string | null | undefined): value is string =>
  !!value && /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i.test(value);

/**
 * Names the nodes that have no IRI of their own (`urn:epass:note:3`, as the sample does), unique in one document:
 * every id is the document's own key plus a counter, so two exports never share a node by accident.
 */
class Ids {
  private counts = new Map<string, number>();
  /** Nodes with an IRI of their own already written in full: written again as a reference only. */
  readonly written = new Set<string>();
  constructor(private readonly key: string) {}
  next(kind: string): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return `urn:epass:${kind}:${this.key}-${n}`;
  }
}

const keyOf = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 16);

/** Duration in hours as xsd:duration (`PT25H`, `PT1.5H`). */
const hoursDuration = (hours: number) => `PT${hours}H`;

export interface ElmIssuer {
  id: string | null;
  name: string | null;
  url: string | null;
  email: string | null;
  country: string | null;
  qualityAssurance: {
    accreditingBody: string;
    accreditationId?: string | undefined;
    framework?: string | undefined;
    validUntil?: string | undefined;
  } | null;
}

function note(ids: Ids, lang: string, textValue: string): Json {
  return { id: ids.next('note'), type: 'Note', noteLiteral: { [lang]: textValue } };
}

/** The awarding body (or issuer) as an ELM Organisation: its name, home page, contact and country. */
function organisation(ids: Ids, issuer: ElmIssuer, lang: string): Json {
  const country = countryConcept(issuer.country);
  return {
    id: isIri(issuer.id) ? issuer.id : ids.next('org'),
    type: 'Organisation',
    legalName: { [lang]: issuer.name ?? 'Unnamed issuer' },
    ...(country
      ? {
          location: {
            id: ids.next('location'),
            type: 'Location',
            address: { id: ids.next('address'), type: 'Address', countryCode: country },
          },
        }
      : {}),
    ...(issuer.url && isIri(issuer.url)
      ? { homepage: { id: ids.next('webResource'), type: 'WebResource', contentURL: issuer.url } }
      : {}),
    ...(issuer.email
      ? {
          contactPoint: {
            id: ids.next('contactPoint'),
            type: 'ContactPoint',
            emailAddress: { id: `mailto:${issuer.email}`, type: 'Mailbox' },
          },
        }
      : {}),
  };
}

/** The quality assurance behind a micro-credential as an ELM Accreditation ("none": none). */
function accreditation(ids: Ids, qa: string | null, issuer: ElmIssuer, issuerNode: Json, lang: string) {
  if (!qa || qa === 'none') return undefined;
  const facts = issuer.qualityAssurance;
  const external = qa === 'external' || qa === 'accredited';
  const agent =
    external && facts
      ? { id: ids.next('org'), type: 'Organisation', legalName: { [lang]: facts.accreditingBody } }
      : { id: issuerNode.id };
  const words = qualityAssuranceWords[qa] ?? qa;
  return {
    id: ids.next('accreditation'),
    type: 'Accreditation',
    dcType: external ? accreditationTypes.programme : accreditationTypes.institutional,
    title: { [lang]: words.charAt(0).toUpperCase() + words.slice(1) },
    accreditingAgent: agent,
    ...(facts?.accreditationId
      ? {
          identifier: {
            id: ids.next('identifier'),
            type: 'Identifier',
            schemeName: facts.framework ?? 'Accreditation',
            notation: facts.accreditationId,
          },
        }
      : {}),
    ...(facts?.validUntil && external ? { expiryDate: `${facts.validUntil}T23:59:59Z` } : {}),
  };
}

const escoSkill = /^http:\/\/data\.europa\.eu\/esco\/skill\//;

/** An achievement (OB 3.0, with the EU alignments) as an ELM Qualification. */
function qualification(
  ids: Ids,
  achievement: Json | undefined,
  facts: AchievementFacts,
  issuer: ElmIssuer,
  issuerNode: Json,
  extra: { prerequisites?: string[]; validity?: string | null; stackability?: string | null } = {},
): Json {
  const lang = languageOf(typeof achievement?.inLanguage === 'string' ? achievement.inLanguage : null);
  const l = lang.tag;
  const id = typeof achievement?.id === 'string' && isIri(achievement.id) ? achievement.id : ids.next('qualification');
  if (ids.written.has(id)) return { id };
  ids.written.add(id);
  const outcomes: Json[] = facts.learningOutcomes.map((title) => ({
    id: ids.next('learningOutcome'),
    type: 'LearningOutcome',
    title: { [l]: title },
  }));
  for (const skill of facts.skills) {
    const url = skill.url && isIri(skill.url) ? skill.url : null;
    const esco = url && escoSkill.test(url);
    outcomes.push({
      id: ids.next('learningOutcome'),
      type: 'LearningOutcome',
      title: { [l]: skill.name },
      ...(url
        ? esco
          ? {
              relatedESCOSkill: concept(url, 'http://data.europa.eu/esco/concept-scheme/skills', skill.name, 'Skill'),
            }
          : {
              relatedSkill: {
                id: url,
                type: 'Concept',
                prefLabel: { [l]: skill.name },
                ...(skill.code ? { notation: skill.code } : {}),
              },
            }
        : {}),
    });
  }
  const mode = facts.participationForm ? modeConcept(facts.participationForm) : undefined;
  const assessment = facts.assessmentType;
  const assessmentType = assessment ? assessments[assessment] : undefined;
  const notes: Json[] = [];
  if (facts.nqfLevel) notes.push(note(ids, l, `National qualifications framework level: ${facts.nqfLevel}`));
  if (facts.workload && facts.workloadHours === null) notes.push(note(ids, l, `Notional workload: ${facts.workload}`));
  if (extra.validity) notes.push(note(ids, l, `Valid for ${periodInWords(extra.validity)} after it is issued.`));
  if (extra.stackability) notes.push(note(ids, l, `Stackability: ${extra.stackability}`));
  if (facts.participationForm && !mode) notes.push(note(ids, l, `Participation: ${facts.participationForm}`));
  if (facts.qualityAssurance) {
    notes.push(
      note(ids, l, `Quality assurance: ${qualityAssuranceWords[facts.qualityAssurance] ?? facts.qualityAssurance}`),
    );
  }
  const accredited = accreditation(ids, facts.qualityAssurance, issuer, issuerNode, l);
  const prerequisites = extra.prerequisites ?? [];
  return {
    id,
    type: 'Qualification',
    title: { [l]: facts.name ?? 'Untitled achievement' },
    ...(facts.description ? { description: { [l]: facts.description } } : {}),
    ...(facts.eqfLevel !== null ? { eqfLevel: eqfConcept(facts.eqfLevel) } : {}),
    ...(facts.ectsCredits !== null
      ? {
          creditPoint: {
            id: ids.next('creditPoint'),
            type: 'CreditPoint',
            framework: ects,
            point: String(facts.ectsCredits),
          },
        }
      : {}),
    ...(prerequisites.length ? { entryRequirement: note(ids, l, `Prerequisites: ${prerequisites.join(', ')}`) } : {}),
    ...(outcomes.length ? { learningOutcome: outcomes } : {}),
    learningSetting: nonFormal,
    ...(mode ? { mode } : {}),
    ...(facts.workloadHours !== null ? { volumeOfLearning: hoursDuration(facts.workloadHours) } : {}),
    ...(lang.concept ? { language: lang.concept } : {}),
    dcType: shortProgramme,
    ...(assessment
      ? {
          provenBy: {
            id: ids.next('learningAssessmentSpec'),
            type: 'LearningAssessmentSpecification',
            title: { [l]: assessmentWords[assessment] ?? assessment },
            ...(assessmentType
              ? {
                  dcType: concept(
                    `${snb}/assessment/${assessmentType[0]}`,
                    `${snb}/assessment/25831c2`,
                    assessmentType[1],
                  ),
                }
              : {}),
            ...(mode ? { mode } : {}),
            ...(lang.concept ? { language: lang.concept } : {}),
          },
        }
      : {}),
    ...(accredited ? { accreditation: accredited } : {}),
    ...(notes.length ? { additionalNote: notes } : {}),
    isPartialQualification: false,
  };
}

const alignmentCode = (achievement: Json | undefined, type: string): string | null => {
  const found = [achievement?.alignment]
    .flat()
    .find((a) => a && typeof a === 'object' && (a as Json).targetType === type) as Json | undefined;
  return typeof found?.targetCode === 'string' ? found.targetCode : null;
};
const alignmentUrls = (achievement: Json | undefined, type: string): string[] =>
  [achievement?.alignment]
    .flat()
    .filter((a): a is Json => !!a && typeof a === 'object' && (a as Json).targetType === type)
    .map((a) => (typeof a.targetUrl === 'string' ? a.targetUrl : ''))
    .filter(Boolean);

/**
 * A micro-credential (its published OB 3.0 Achievement and its issuer's Profile) as an ELM v3 Qualification: what
 * the EDC sample puts under `specifiedBy`, standing alone as a JSON-LD document.
 */
export function elmQualification(achievement: Json, issuerProfile: unknown): Json {
  const issuer = issuerFactsOf(issuerProfile);
  const ids = new Ids(keyOf(`qualification:${String(achievement.id)}`));
  const lang = languageOf(typeof achievement.inLanguage === 'string' ? achievement.inLanguage : null).tag;
  const issuerNode = organisation(ids, issuer, lang);
  const facts = factsFromAchievement(achievement);
  const node = qualification(ids, achievement, facts, issuer, issuerNode, {
    prerequisites: alignmentUrls(achievement, 'ext:Prerequisite'),
    validity: alignmentCode(achievement, 'ext:ValidityPeriod'),
    stackability: facts.name ? stackabilityOf(achievement) : null,
  });
  return {
    '@context': elmContext,
    ...node,
    awardingOpportunity: { id: ids.next('awardingOpportunity'), type: 'AwardingOpportunity', awardingBody: issuerNode },
  };
}

function stackabilityOf(achievement: Json): string | null {
  const found = [achievement.alignment]
    .flat()
    .find((a) => a && typeof a === 'object' && (a as Json).targetType === 'ext:Stackability') as Json | undefined;
  return typeof found?.targetName === 'string' ? found.targetName : null;
}

export interface ElmLearner {
  /** A stable id for the learner in this export (their account id). */
  id: string;
  name: string;
  email?: string | undefined;
}

const dateTime = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.000Z$/, 'Z');
};

/** One held OB 3.0 credential as an ELM LearningAchievement: what, by whom, when; parts nested as `hasPart`. */
function learningAchievement(ids: Ids, credential: Json, parts: Json[]): { node: Json; issuer: Json; lang: string } {
  const achievement = achievementOf(credential);
  const facts = factsFromAchievement(achievement);
  const issuer = issuerFactsOf(credential.issuer);
  const lang = languageOf(typeof achievement?.inLanguage === 'string' ? achievement.inLanguage : null).tag;
  const issuerNode = organisation(ids, issuer, lang);
  const awarded = dateTime(credential.validFrom) ?? dateTime(credential.issuanceDate);
  const node: Json = {
    id: ids.next('learningAchievement'),
    type: 'LearningAchievement',
    title: { [lang]: facts.name ?? (typeof credential.name === 'string' ? credential.name : 'Achievement') },
    ...(facts.description ? { description: { [lang]: facts.description } } : {}),
    awardedBy: {
      id: ids.next('awardingProcess'),
      type: 'AwardingProcess',
      awardingBody: issuerNode,
      ...(awarded ? { awardingDate: awarded } : {}),
    },
    specifiedBy: qualification(ids, achievement, facts, issuer, issuerNode, {
      prerequisites: alignmentUrls(achievement, 'ext:Prerequisite'),
      validity: alignmentCode(achievement, 'ext:ValidityPeriod'),
      stackability: achievement ? stackabilityOf(achievement) : null,
    }),
    ...(parts.length ? { hasPart: parts.map((p) => learningAchievement(ids, p, []).node) } : {}),
  };
  return { node, issuer: issuerNode, lang };
}

export interface ElmCredentialInput {
  /** The credential as held (OB 3.0 JSON). */
  credential: Json;
  /** Component credentials (a stacked credential's), each exported as a part of its achievement. */
  parts?: Json[];
  learner: ElmLearner;
  /** The export's own id seed (the holding's id): the same holding exports under the same ids. */
  key: string;
}

/**
 * A learner's credential as an unsigned ELM v3 EuropeanDigitalCredential, the micro-credential sample's layout:
 * the learner (Person) `hasClaim` a LearningAchievement `awardedBy` the issuer and `specifiedBy` its Qualification;
 * a stacked credential's components are its achievement's `hasPart`.
 */
export function elmCredential(input: ElmCredentialInput): Json {
  const ids = new Ids(keyOf(`credential:${input.key}`));
  const { credential, learner } = input;
  const claim = learningAchievement(ids, credential, input.parts ?? []);
  const lang = languageOf(claim.lang);
  const issued = dateTime(credential.validFrom) ?? dateTime(credential.issuanceDate);
  const until = dateTime(credential.validUntil) ?? dateTime(credential.expirationDate);
  const title = (claim.node.title as Record<string, string>)[lang.tag]!;
  return {
    '@context': elmContext,
    id: `urn:uuid:${uuidFrom(`elm:${input.key}`)}`,
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialProfiles: generic,
    ...(typeof credential.id === 'string'
      ? {
          identifier: {
            id: ids.next('identifier'),
            type: 'Identifier',
            schemeName: 'Open Badges 3.0 credential id',
            notation: credential.id,
          },
        }
      : {}),
    credentialSchema: { id: `${snb}/model/ap/edc-generic-full`, type: 'ShaclValidator2017' },
    displayParameter: {
      id: ids.next('displayParameter'),
      type: 'DisplayParameter',
      ...(lang.concept ? { primaryLanguage: lang.concept, language: lang.concept } : {}),
      title: { [lang.tag]: title },
      description: {
        [lang.tag]: input.parts?.length
          ? `has completed ${title}, stacked from ${input.parts.length} credential${input.parts.length === 1 ? '' : 's'}`
          : `has successfully completed ${title}`,
      },
    },
    credentialSubject: {
      id: `urn:uuid:${uuidFrom(`learner:${learner.id}`)}`,
      type: 'Person',
      fullName: { [lang.tag]: learner.name },
      ...(learner.email
        ? {
            contactPoint: {
              id: ids.next('contactPoint'),
              type: 'ContactPoint',
              emailAddress: { id: `mailto:${learner.email}`, type: 'Mailbox' },
            },
          }
        : {}),
      hasClaim: claim.node,
    },
    issuer: claim.issuer,
    ...(issued ? { issued, validFrom: issued } : {}),
    ...(until ? { validUntil: until } : {}),
  };
}

/** A UUID (v4 layout) derived from a seed: the same seed, the same id. */
function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
