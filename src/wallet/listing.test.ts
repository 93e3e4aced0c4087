import { describe, expect, it } from 'vitest';
import type { Check } from '../vc/verify.js';
import { factsFromAchievement } from './facts.js';
import { statusFromChecks, walletListing } from './listing.js';
import type { Holding } from './wallet.js';

const now = new Date('2026-01-01T00:00:00Z');

function imported(id: string, name: string, issuer: string, skills: string[], validUntil?: string): Holding {
  const document = JSON.stringify({
    id: `urn:uuid:${id}`,
    issuer: { id: `did:web:${issuer.toLowerCase()}.example`, name: issuer },
    credentialSubject: {
      achievement: {
        name,
        alignment: skills.map((skill) => ({ type: ['Alignment'], targetName: skill, targetCode: skill.toLowerCase() })),
      },
    },
    ...(validUntil ? { validUntil } : {}),
  });
  return {
    id,
    kind: 'imported',
    userId: 'u1',
    format: 'ldp_vc',
    document,
    name,
    addedAt: now,
    imported: {
      id,
      userId: 'u1',
      format: 'ldp_vc',
      document,
      digest: id,
      source: 'json',
      sourceUrl: null,
      credentialId: `urn:uuid:${id}`,
      issuerId: `did:web:${issuer.toLowerCase()}.example`,
      name,
      validFrom: null,
      validUntil: validUntil ? new Date(validUntil) : null,
      importedAt: now,
    },
  };
}

const ok: Check[] = [{ id: 'proof', status: 'passed', message: 'ok' }];
const holdings = [
  imported('a', 'Data Analysis with SQL', 'Northwind', ['SQL', 'Statistics'], '2026-01-20T00:00:00Z'),
  imported('b', 'Python Basics', 'Contoso', ['Python']),
  imported('c', 'Old Badge', 'Contoso', ['SQL'], '2025-06-01T00:00:00Z'),
  imported('d', 'Unchecked', 'Fabrikam', []),
];
const verdicts = new Map([
  ['a', { checks: ok }],
  [
    'b',
    { checks: [{ id: 'status', status: 'failed', message: 'The issuer has revoked this credential.' }] as Check[] },
  ],
  ['c', { checks: [{ id: 'valid-until', status: 'failed', message: 'The credential expired.' }] as Check[] }],
]);
const ids = (filter: Parameters<typeof walletListing>[2]) =>
  walletListing(holdings, verdicts, filter, now).items.map((i) => i.id);

describe('the wallet list', () => {
  it('reads each status from the live verdict; without one an import is unverified', () => {
    const items = walletListing(holdings, verdicts, {}, now).items;
    expect(Object.fromEntries(items.map((i) => [i.id, i.status]))).toEqual({
      a: 'active',
      b: 'revoked',
      c: 'expired',
      d: 'unverified',
    });
    expect(statusFromChecks([{ id: 'status', status: 'failed', message: 'The issuer has suspended it.' }])).toBe(
      'suspended',
    );
    expect(statusFromChecks([{ id: 'proof', status: 'failed', message: 'Bad signature.' }])).toBe('unverified');
  });

  it('filters by words, issuer, skill, status and expiry, and offers the facets', () => {
    expect(ids({ q: 'sql northwind' })).toEqual(['a']);
    expect(ids({ issuer: 'contoso' })).toEqual(['b', 'c']);
    expect(ids({ issuer: 'did:web:fabrikam.example' })).toEqual(['d']);
    expect(ids({ skill: 'sql' })).toEqual(['a', 'c']);
    expect(ids({ status: 'revoked' })).toEqual(['b']);
    expect(ids({ expiringWithinDays: 30 })).toEqual(['a']);
    expect(ids({ expiringWithinDays: 10 })).toEqual([]);
    const { facets, total } = walletListing(holdings, verdicts, { status: 'active' }, now);
    expect(total).toBe(4);
    expect(facets.issuers.map((i) => i.name)).toEqual(['Contoso', 'Fabrikam', 'Northwind']);
    expect(facets.skills).toEqual(['Python', 'SQL', 'Statistics']);
  });
});

describe('achievement facts from a credential', () => {
  it('reads the EU elements the catalog writes, and tells skills from other alignments', () => {
    const facts = factsFromAchievement({
      name: 'SQL',
      creditsAvailable: 2,
      alignment: [
        { targetType: 'ext:LearningOutcome', targetName: 'Write joins' },
        { targetType: 'ext:NotionalWorkload', targetName: '50 hours', targetCode: 'PT50H' },
        { targetType: 'ext:EQFLevel', targetName: 'EQF level 5', targetCode: '5' },
        { targetType: 'ext:QualityAssurance', targetCode: 'accredited' },
        { targetType: 'ext:Skill', targetName: 'SQL', targetCode: 'esco:sql', targetFramework: 'ESCO' },
        { targetName: 'Untyped skill' },
        { targetType: 'CFItem', targetName: 'A standard', targetUrl: 'https://standards.example/1' },
      ],
    });
    expect(facts).toMatchObject({
      learningOutcomes: ['Write joins'],
      workloadHours: 50,
      eqfLevel: 5,
      ectsCredits: 2,
      qualityAssurance: 'accredited',
    });
    expect(facts.skills.map((s) => s.name)).toEqual(['SQL', 'Untyped skill']);
    expect(facts.alignments.map((a) => a.name)).toEqual(['A standard']);
  });
});
