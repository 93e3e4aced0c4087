import { describe, expect, it } from 'vitest';
import { sqlDefinition } from '../../test/helpers/definitions.js';
import { toAchievement } from '../catalog/definition.js';
import { canonicalize } from '../vc/canonicalize.js';
import { identityMatches } from '../vc/identity.js';
import { validateSchema } from '../vc/schemas.js';
import type { IdentityObject } from '../vc/types.js';
import { awardCredential } from './award.js';

const achievement = toAchievement(sqlDefinition(), {
  id: 'https://skillproof.test/achievements/a/versions/1',
  version: 1,
});
const sql = sqlDefinition().skills[0]!.code;

describe('award credentials', () => {
  const credential = awardCredential({
    achievement,
    recipient: { email: 'Ada@Example.org' },
    score: {
      percent: 85,
      passMark: 70,
      total: 20,
      perSkill: [
        { skill: sql, percent: 90 },
        { skill: 'own:unknown', percent: 50 },
      ],
    },
    evidence: [{ name: 'Project', narrative: 'Built a dashboard.', url: 'https://example.org/p' }],
    awardedAt: new Date('2026-03-01T10:00:00.123Z'),
    validUntil: new Date('2028-03-01T10:00:00Z'),
  });
  const subject = credential.credentialSubject as {
    identifier: IdentityObject[];
    result: { value: string; alignment?: { targetName: string }[] }[];
  };

  it('names the recipient only by a salted hash of their email', () => {
    expect(JSON.stringify(credential)).not.toContain('Ada@Example.org');
    expect(identityMatches(subject.identifier[0]!, ['ada@example.org'])).toBe(true);
  });
  it('carries the score, per-skill results aligned to the skills, evidence and dates', () => {
    expect(subject.result[0]!.value).toBe('85');
    expect(subject.result[1]).toMatchObject({ value: '90', alignment: [{ targetName: 'SQL' }] });
    expect(credential.validFrom).toBe('2026-03-01T10:00:00Z');
    expect(credential.validUntil).toBe('2028-03-01T10:00:00Z');
    expect(JSON.stringify(credential.evidence)).toContain('pass mark 70%');
  });
  it('is a valid OB 3.0 credential once an issuer and id are added, and canonicalizes in safe mode', async () => {
    const complete = {
      ...credential,
      id: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      issuer: { id: 'did:web:skillproof.test:issuers:1', type: ['Profile'], name: 'N' },
    };
    expect(validateSchema('AchievementCredential', JSON.parse(JSON.stringify(complete)))).toEqual([]);
    expect(await canonicalize(JSON.parse(JSON.stringify(complete)))).toContain('AchievementSubject');
  });
  it('uses a DID when the learner gives one', () => {
    const withDid = awardCredential({ achievement, recipient: { did: 'did:key:z6Mkabc' }, awardedAt: new Date() });
    expect((withDid.credentialSubject as { id: string }).id).toBe('did:key:z6Mkabc');
    expect(withDid.evidence).toBeUndefined();
  });
  it('carries a rubric score: the total, one result per criterion, and the review as evidence', async () => {
    const reviewed = awardCredential({
      achievement,
      recipient: { email: 'ada@example.org' },
      rubric: {
        achievementId: 'https://skillproof.test/achievements/a',
        points: 8,
        maxPoints: 10,
        passPoints: 6,
        percent: 80,
        criteria: [
          { id: 'design', name: 'Schema design', level: 'Adequate', points: 2, maxPoints: 4 },
          { id: 'queries', name: 'Queries', level: 'Right', points: 6, maxPoints: 6 },
        ],
      },
      evidence: [{ name: 'Submitted work', narrative: 'My project' }],
      awardedAt: new Date('2026-03-01T10:00:00Z'),
    });
    const results = (reviewed.credentialSubject as { result: Record<string, unknown>[] }).result;
    expect(results.map((r) => r.value)).toEqual(['80', '2', '6']);
    expect(results[1]).toMatchObject({
      achievedLevel: 'https://skillproof.test/achievements/a#rubric-design-2',
      alignment: [
        {
          targetType: 'ext:RubricCriterion',
          targetName: 'Schema design',
          targetCode: 'design',
          targetDescription: 'Adequate: 2 of 4 points',
          targetUrl: 'https://skillproof.test/achievements/a#rubric-design',
        },
      ],
    });
    expect(JSON.stringify(reviewed.evidence)).toContain('Scored 8 of 10 points (pass 6)');
    const complete = {
      ...reviewed,
      id: 'urn:uuid:0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f1',
      issuer: { id: 'did:web:skillproof.test:issuers:1', type: ['Profile'], name: 'N' },
    };
    expect(validateSchema('AchievementCredential', JSON.parse(JSON.stringify(complete)))).toEqual([]);
    expect(await canonicalize(JSON.parse(JSON.stringify(complete)))).toContain('AchievementSubject');
  });
});
