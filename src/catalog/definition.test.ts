import { describe, expect, it } from 'vitest';
import { sqlDefinition } from '../../test/helpers/definitions.js';
import { canonicalize } from '../vc/canonicalize.js';
import { validateSchema } from '../vc/schemas.js';
import {
  checkDefinition,
  fromAchievement,
  toAchievement,
  validUntil,
  type MicroCredentialDefinition,
} from './definition.js';

const fields = (definition: MicroCredentialDefinition) => checkDefinition(definition).errors.map((e) => e.field);

describe('definition rules', () => {
  it('accepts a complete definition', () => {
    expect(checkDefinition(sqlDefinition())).toEqual({ errors: [], warnings: [] });
  });
  it('needs at least 1 hour of workload and at least one learning outcome', () => {
    expect(fields(sqlDefinition({ workloadHours: 0.5, ectsCredits: undefined }))).toContain('workloadHours');
    expect(fields(sqlDefinition({ learningOutcomes: [] }))).toContain('learningOutcomes');
    expect(fields(sqlDefinition({ learningOutcomes: ['  '] }))).toContain('learningOutcomes');
    expect(fields(sqlDefinition({ learningOutcomes: ['Same', 'same'] }))).toContain('learningOutcomes');
  });
  it('keeps ECTS consistent with hours (25–30 h per credit)', () => {
    expect(fields(sqlDefinition({ workloadHours: 50, ectsCredits: 2 }))).toEqual([]);
    expect(fields(sqlDefinition({ workloadHours: 60, ectsCredits: 2 }))).toEqual([]);
    const mismatch = checkDefinition(sqlDefinition({ workloadHours: 20, ectsCredits: 2 })).errors[0];
    expect(mismatch).toEqual({
      field: 'ectsCredits',
      message: '2 ECTS means 50–60 hours of workload (25–30 h per credit), not 20 h.',
    });
  });
  it('warns above 60 ECTS, the size of a full qualification', () => {
    const check = checkDefinition(sqlDefinition({ workloadHours: 1800, ectsCredits: 60 }));
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((w) => w.field)).toEqual(['ectsCredits']);
  });
  it('checks EQF range, codes, durations and addresses', () => {
    expect(fields(sqlDefinition({ eqfLevel: 9 }))).toContain('eqfLevel');
    expect(fields(sqlDefinition({ eqfLevel: 0 }))).toContain('eqfLevel');
    expect(checkDefinition(sqlDefinition({ eqfLevel: undefined, nqfLevel: undefined })).warnings[0]?.field).toBe(
      'eqfLevel',
    );
    expect(fields(sqlDefinition({ validity: '2 years' }))).toContain('validity');
    expect(fields(sqlDefinition({ language: 'English' }))).toContain('language');
    expect(fields(sqlDefinition({ prerequisites: ['not a url'] }))).toContain('prerequisites.0');
    expect(fields(sqlDefinition({ image: 'javascript:alert(1)' }))).toContain('image');
    expect(fields(sqlDefinition({ assessmentType: 'vibes' as never }))).toContain('assessmentType');
  });
});

describe('as an Open Badges 3.0 Achievement', () => {
  const id = 'https://skillproof.test/achievements/sql/versions/3';
  const achievement = toAchievement(sqlDefinition(), { id, version: 3 });

  it('is a MicroCredential carrying every EU element', () => {
    expect(achievement).toMatchObject({
      id,
      achievementType: 'MicroCredential',
      creditsAvailable: 2,
      version: '3',
      inLanguage: 'en',
    });
    const types = achievement.alignment!.map((a) => a.targetType);
    for (const type of [
      'ext:LearningOutcome',
      'ext:NotionalWorkload',
      'ext:EQFLevel',
      'ext:NQFLevel',
      'ext:AssessmentType',
      'ext:ParticipationForm',
      'ext:QualityAssurance',
      'ext:Prerequisite',
      'ext:ValidityPeriod',
      'ext:Stackability',
      'ext:Skill',
    ]) {
      expect(types, type).toContain(type);
    }
    expect(achievement.alignment!.find((a) => a.targetType === 'ext:EQFLevel')?.targetUrl).toBe(
      'http://data.europa.eu/snb/eqf/5',
    );
  });

  it('maps back to the same definition, losing nothing', () => {
    expect(fromAchievement(achievement)).toEqual(sqlDefinition());
    const minimal = sqlDefinition({
      ectsCredits: undefined,
      eqfLevel: undefined,
      nqfLevel: undefined,
      validity: undefined,
      stackability: undefined,
      image: undefined,
      prerequisites: [],
      tags: [],
      skills: [],
    });
    expect(fromAchievement(toAchievement(minimal, { id, version: 1 }))).toEqual(minimal);
  });

  it('passes the official schema inside a credential and canonicalizes in safe mode', async () => {
    const credential = {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: 'urn:uuid:3f4e5d6c-7b8a-4c9d-8e7f-6a5b4c3d2e1f',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: 'did:web:skillproof.test:issuers:1', type: ['Profile'], name: 'Northwind' },
      validFrom: '2026-01-01T00:00:00Z',
      name: 'Data Analysis with SQL',
      credentialSubject: { id: 'did:example:learner', type: ['AchievementSubject'], achievement },
    };
    expect(validateSchema('AchievementCredential', JSON.parse(JSON.stringify(credential)))).toEqual([]);
    expect(await canonicalize(JSON.parse(JSON.stringify(credential)))).toContain('ext:NotionalWorkload');
  });
});

describe('validity after issue', () => {
  it('adds the period to the issue date', () => {
    const issued = new Date('2026-01-31T10:00:00Z');
    expect(validUntil(sqlDefinition({ validity: 'P2Y' }), issued)?.toISOString()).toBe('2028-01-31T10:00:00.000Z');
    expect(validUntil(sqlDefinition({ validity: 'P1W3D' }), issued)?.toISOString()).toBe('2026-02-10T10:00:00.000Z');
    expect(validUntil(sqlDefinition({ validity: undefined }), issued)).toBeUndefined();
  });
});
