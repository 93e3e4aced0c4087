import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toAchievement } from '../catalog/definition.js';
import { toProfile } from '../catalog/profile.js';
import { sqlDefinition } from '../../test/helpers/definitions.js';
import { elmCredential, elmQualification } from './elm.js';
import { validateElm } from './elm-shacl.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sample = JSON.parse(
  readFileSync(new URL('../../test/fixtures/standards/elm/Sample-MC-Annex1-unsigned.jsonld', import.meta.url), 'utf8'),
) as Json;

const profile = toProfile('did:web:skillproof.test:orgs:northwind', 'Northwind Academy', {
  url: 'https://northwind.test',
  email: 'office@northwind.test',
  country: 'PT',
  qualityAssurance: { accreditingBody: 'A3ES', accreditationId: 'ACC-2024-17', validUntil: '2030-06-30' },
});
const achievementOf = (title: string, n: number, over: Parameters<typeof sqlDefinition>[0] = {}) =>
  toAchievement(sqlDefinition({ title, ...over }), {
    id: `https://skillproof.test/achievements/0000000${n}-0000-4000-8000-000000000000/versions/1`,
    version: 1,
    creator: profile,
  }) as unknown as Json;
const credentialOf = (achievement: Json, id: string): Json => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: profile,
  validFrom: '2026-03-01T10:00:00Z',
  validUntil: '2028-03-01T10:00:00Z',
  name: achievement.name,
  credentialSubject: { type: ['AchievementSubject'], achievement },
});
const learner = { id: 'user-1', name: 'Ana Andromeda', email: 'ana@example.test' };

/** The sample's micro-credential claim, and ours, by the same paths. */
const claimOf = (edc: Json) => edc.credentialSubject.hasClaim as Json;

describe('ELM v3 export', () => {
  it('writes a definition as a Qualification with every EU element, on the paths the official sample uses', async () => {
    const qualification = elmQualification(achievementOf('Data Analysis with SQL', 1), profile) as Json;
    const sampleSpec = claimOf(sample).specifiedBy as Json;
    // The same type and the same properties for the EU elements as the Commission's micro-credential sample.
    expect(qualification.type).toBe(sampleSpec.type);
    for (const key of ['title', 'eqfLevel', 'creditPoint', 'learningOutcome', 'volumeOfLearning', 'mode', 'language']) {
      expect(qualification, key).toHaveProperty(key);
      expect(sampleSpec, key).toHaveProperty(key);
    }
    expect(qualification.title).toEqual({ en: 'Data Analysis with SQL' });
    expect(qualification.volumeOfLearning).toBe('PT50H');
    expect(qualification.creditPoint.framework.id).toBe(sampleSpec.creditPoint.framework.id);
    expect(qualification.creditPoint.point).toBe('2');
    expect(qualification.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/5');
    expect(qualification.eqfLevel.inScheme.id).toBe(sampleSpec.eqfLevel.inScheme.id);
    expect(qualification.mode.id).toBe('http://data.europa.eu/snb/learning-assessment/920fbb3cbe');
    expect(qualification.mode.inScheme.id).toBe(sampleSpec.mode.inScheme.id);
    expect(qualification.language.id).toBe(sampleSpec.language.id);
    expect(qualification.learningSetting.id).toBe(sampleSpec.learningSetting.id);
    const outcomes = (qualification.learningOutcome as Json[]).map((o) => o.title.en);
    expect(outcomes).toEqual([...sqlDefinition().learningOutcomes, 'SQL']);
    const escoOutcome = (qualification.learningOutcome as Json[]).find((o) => o.relatedESCOSkill);
    expect(escoOutcome?.relatedESCOSkill.inScheme.id).toBe(
      (sampleSpec.learningOutcome as Json[])[0]!.relatedESCOSkill[0].inScheme.id,
    );
    expect(qualification.provenBy.dcType.prefLabel.en).toBe('quiz');
    expect(qualification.accreditation.dcType.id).toBe('http://data.europa.eu/snb/accreditation/820101cba6');
    expect(qualification.accreditation.accreditingAgent.legalName).toEqual({ en: 'A3ES' });
    expect(qualification.entryRequirement.noteLiteral.en).toContain(sqlDefinition().prerequisites[0]);
    expect(qualification.awardingOpportunity.awardingBody.legalName).toEqual({ en: 'Northwind Academy' });
    expect(qualification.awardingOpportunity.awardingBody.location.address.countryCode.id).toBe(
      'http://publications.europa.eu/resource/authority/country/PRT',
    );

    const validation = await validateElm(qualification);
    expect(validation.violations).toEqual([]);
    expect(validation.warnings).toEqual([]);
    expect(validation.conforms).toBe(true);
  });

  it('writes a credential as a EuropeanDigitalCredential laid out as the sample, valid against the EDC shapes', async () => {
    const achievement = achievementOf('Data Analysis with SQL', 1);
    const edc = elmCredential({ credential: credentialOf(achievement, 'urn:uuid:c1'), learner, key: 'h1' }) as Json;
    expect(edc['@context']).toEqual(sample['@context']);
    expect(edc.type).toEqual(sample.type);
    expect(edc.credentialProfiles.id).toBe(sample.credentialProfiles.id);
    expect(edc.credentialSchema).toEqual(sample.credentialSchema);
    expect(edc.displayParameter.primaryLanguage.id).toBe(sample.displayParameter.primaryLanguage.id);
    expect(edc.credentialSubject.type).toBe(sample.credentialSubject.type);
    expect(edc.credentialSubject.fullName).toEqual({ en: 'Ana Andromeda' });
    const claim = claimOf(edc);
    expect(claim.type).toBe(claimOf(sample).type);
    expect(claim.awardedBy.type).toBe(claimOf(sample).awardedBy.type);
    expect(claim.awardedBy.awardingBody.id).toBe('did:web:skillproof.test:orgs:northwind');
    expect(claim.awardedBy.awardingDate).toBe('2026-03-01T10:00:00Z');
    expect(claim.specifiedBy.type).toBe('Qualification');
    expect(edc.issuer.legalName).toEqual({ en: 'Northwind Academy' });
    expect(edc.issued).toBe('2026-03-01T10:00:00Z');
    expect(edc.validUntil).toBe('2028-03-01T10:00:00Z');
    expect(edc.identifier.notation).toBe('urn:uuid:c1');
    // The same holding exports under the same ids.
    expect(elmCredential({ credential: credentialOf(achievement, 'urn:uuid:c1'), learner, key: 'h1' })).toEqual(edc);

    const validation = await validateElm(edc);
    expect(validation.violations).toEqual([]);
    expect(validation.warnings).toEqual([]);
  });

  it('writes a stacked credential with its components as parts of its achievement', async () => {
    const destination = credentialOf(
      achievementOf('Cloud Data Engineering', 1, { workloadHours: 300, ectsCredits: 12 }),
      'urn:uuid:d',
    );
    const parts = [
      credentialOf(achievementOf('SQL', 2), 'urn:uuid:p1'),
      credentialOf(achievementOf('Streams', 3, { workloadHours: 30, ectsCredits: 1 }), 'urn:uuid:p2'),
    ];
    const edc = elmCredential({ credential: destination, parts, learner, key: 'stack' }) as Json;
    const claim = claimOf(edc);
    expect((claim.hasPart as Json[]).map((p) => p.title.en)).toEqual(['SQL', 'Streams']);
    expect((claim.hasPart as Json[]).map((p) => p.specifiedBy.creditPoint.point)).toEqual(['2', '1']);
    expect(edc.displayParameter.description.en).toContain('stacked from 2 credentials');
    const validation = await validateElm(edc);
    expect(validation.violations).toEqual([]);
  });

  it('exports a foreign credential without the EU elements, and the Annex I shapes name what it lacks', async () => {
    const foreign: Json = {
      id: 'https://badges.example/c/9',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 'https://badges.example/issuer', type: ['Profile'], name: 'Example Badges' },
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: {
        achievement: { id: 'https://badges.example/a/1', type: ['Achievement'], name: 'Git basics', criteria: {} },
      },
    };
    const validation = await validateElm(elmCredential({ credential: foreign, learner, key: 'f' }));
    expect(validation.conforms).toBe(true);
    expect(validation.warnings.map((w) => w.message).sort()).toEqual([
      'Annex I: no learning outcome is stated.',
      'Annex I: the country of the issuer is missing.',
      'Annex I: the form of participation is missing.',
      'Annex I: the notional workload is missing.',
      'Annex I: the type of assessment is missing.',
      'Annex I: the type of quality assurance is missing.',
    ]);
  });
});

describe('ELM SHACL validation', () => {
  it("passes the Commission's own micro-credential sample, and says which imported shapes it could not check", async () => {
    const validation = await validateElm(sample);
    expect(validation.violations).toEqual([]);
    expect(validation.shapes).toContain('EDC-generic-full.ttl');
    expect(validation.notChecked).toEqual(['http://data.europa.eu/snb/model/ap/edc-generic-no-cv']);
  });

  it('finds the violations the EDC shapes define', async () => {
    const edc = elmCredential({
      credential: credentialOf(achievementOf('Data Analysis with SQL', 1), 'urn:uuid:c1'),
      learner,
      key: 'h1',
    }) as Json;
    const broken = structuredClone(edc);
    // An EQF level from another scheme, no credential profile, no primary language, an address without a country.
    broken.credentialSubject.hasClaim.specifiedBy.eqfLevel.inScheme.id = 'http://data.europa.eu/snb/isced-f/25831c2';
    delete broken.credentialProfiles;
    delete broken.displayParameter.primaryLanguage;
    delete broken.issuer.location.address.countryCode;
    const validation = await validateElm(broken);
    expect(validation.conforms).toBe(false);
    const paths = validation.violations.map((v) => v.path).sort();
    expect(paths).toEqual([
      'http://data.europa.eu/snb/model/elm/EQFLevel',
      'http://data.europa.eu/snb/model/elm/countryCode',
      'http://data.europa.eu/snb/model/elm/credentialProfiles',
      'http://data.europa.eu/snb/model/elm/primaryLanguage',
    ]);
  });

  it('refuses a document whose terms the contexts do not define, instead of dropping them', async () => {
    const edc = elmCredential({
      credential: credentialOf(achievementOf('Data Analysis with SQL', 1), 'urn:uuid:c1'),
      learner,
      key: 'h1',
    }) as Json;
    await expect(validateElm({ ...edc, notAnElmTerm: 'x' })).rejects.toThrow();
  });
});
