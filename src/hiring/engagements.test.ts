import { describe, expect, it } from 'vitest';
import type { Holding } from '../wallet/wallet.js';
import { hiringFacts, monthsBetween, percent } from './evidence.js';
import { referenceCredential, workHistoryCredential } from './engagements.js';

const now = new Date('2026-06-01T00:00:00Z');
const holding = (credential: Record<string, unknown>, id = '11111111-1111-4111-8111-111111111111'): Holding => ({
  id,
  kind: 'imported',
  userId: 'u',
  format: 'ldp_vc',
  document: JSON.stringify({ ...credential, issuer: { id: 'did:web:contoso.example', name: 'Contoso' } }),
  name: null,
  addedAt: now,
  imported: {
    id,
    userId: 'u',
    format: 'ldp_vc',
    document: '',
    digest: '',
    source: 'json',
    sourceUrl: null,
    credentialId: null,
    issuerId: 'did:web:contoso.example',
    name: null,
    validFrom: now,
    validUntil: null,
    importedAt: now,
  } as unknown as Holding['imported'],
});
const verified = { checks: [] };

describe('work history and references as hiring reads them', () => {
  const work = workHistoryCredential(
    {
      email: 'bob@example.org',
      role: 'Data analyst',
      from: '2025-06-01',
      until: '2026-03-01',
      skills: [{ code: 'esco:sql', url: 'http://esco/sql', name: 'SQL', framework: 'ESCO' }],
      ratings: { communication: 80, timeliness: null, reliability: 95 },
      employerName: 'Contoso',
    },
    now,
  );

  it('reads an engagement: role, months, skills, ratings by their result descriptions', () => {
    const facts = hiringFacts(holding(work), verified, now);
    expect(facts.kind).toBe('work');
    expect(facts.skills).toEqual([{ code: 'esco:sql', label: 'SQL', score: null }]);
    expect(facts.work).toEqual({
      role: 'Data analyst',
      months: 9,
      from: '2025-06-01T00:00:00Z',
      until: '2026-03-01T00:00:00Z',
      ratings: { communication: 80, timeliness: null, reliability: 95 },
    });
    // The subject names the worker by a salted hash of the email, never the address.
    expect(JSON.stringify(work)).not.toContain('bob@example.org');
  });

  it('reads a reference (an EndorsementCredential) with its comment', () => {
    const ref = referenceCredential(
      { workHistoryId: 'urn:uuid:1', comment: 'Reliable.', employerName: 'Contoso', role: 'Analyst' },
      now,
    );
    const facts = hiringFacts(holding(ref), verified, now);
    expect(facts).toMatchObject({ kind: 'reference', reference: { comment: 'Reliable.' }, status: 'active' });
  });

  it('tells tested from attendance, and a failed verification from a valid one', () => {
    const course = (result?: unknown) => ({
      '@context': [],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: {
        type: ['AchievementSubject'],
        achievement: {
          id: 'urn:x',
          name: 'Course',
          alignment: [{ targetType: 'ext:Skill', targetName: 'SQL', targetCode: 'esco:sql' }],
        },
        ...(result ? { result } : {}),
      },
    });
    expect(hiringFacts(holding(course()), verified, now)).toMatchObject({ assessment: 'attendance', score: null });
    expect(hiringFacts(holding(course([{ type: ['Result'], value: '85' }])), verified, now)).toMatchObject({
      assessment: 'tested',
      score: 85,
    });
    const failed = hiringFacts(
      holding(course()),
      { checks: [{ id: 'signature', status: 'failed', message: 'The signature does not match.' }] } as never,
      now,
    );
    expect(failed).toMatchObject({ status: 'unverified', statusDetail: 'The signature does not match.' });
  });

  it('reads percentages and periods', () => {
    expect(percent('85%')).toBe(85);
    expect(percent('A')).toBeNull();
    expect(percent(140)).toBeNull();
    expect(monthsBetween('2025-01-01', null, now)).toBe(17);
    expect(monthsBetween('2025-01-01', '2099-01-01', now)).toBe(17);
    expect(monthsBetween(null, null, now)).toBe(0);
  });
});

describe('the index rows as a ranking reads them', () => {
  it('an active credential past its validity reads as expired, with the date, without any recompute', async () => {
    const { candidateEvidence } = await import('./hiring.js');
    const row = (validUntil: Date | null) => ({
      holdingId: 'h1',
      skill: 'esco:sql',
      kind: 'credential',
      status: 'active',
      validUntil,
      facts: { name: 'SQL', issuer: 'Northwind', trusted: true, assessment: 'tested', score: 80, skillLabel: 'SQL' },
    });
    const live = candidateEvidence([row(new Date('2027-01-01T00:00:00Z'))], [], now);
    expect(live.credentials[0]).toMatchObject({ status: 'active', score: 80, trustedIssuer: true });
    const lapsed = candidateEvidence([row(new Date('2026-05-01T00:00:00Z'))], [], now);
    expect(lapsed.credentials[0]).toMatchObject({ status: 'expired', statusDetail: 'on 2026-05-01' });
  });
});

describe('imported work history and references name the worker', () => {
  const worker = {
    dids: ['did:key:z6MkWorker'],
    emails: ['Bob@Example.org'],
    credentialIds: ['urn:uuid:held-credential'],
  };
  const endorsing = (subjectId: string) =>
    holding(
      referenceCredential(
        { workHistoryId: subjectId, comment: 'Reliable.', employerName: 'Contoso', role: 'Analyst' },
        now,
      ),
    );

  it('counts an endorsement of the worker: their DID, their email, or a credential they hold', () => {
    for (const subject of ['did:key:z6MkWorker', 'mailto:bob@example.org', 'urn:uuid:held-credential']) {
      expect(hiringFacts(endorsing(subject), verified, now, worker)).toMatchObject({
        kind: 'reference',
        status: 'active',
      });
    }
  });

  it('an endorsement of someone else is not the candidate’s, and says so without naming them', () => {
    for (const subject of ['did:key:z6MkSomeoneElse', 'mailto:eve@example.org', 'urn:uuid:not-held']) {
      const facts = hiringFacts(endorsing(subject), verified, now, worker);
      expect(facts).toMatchObject({ kind: 'reference', status: 'not-the-candidate' });
      expect(facts.statusDetail).not.toContain(subject);
    }
  });

  it('reads an imported work record’s hashed email identity; one for another email is not the candidate’s', () => {
    const record = (email: string) =>
      workHistoryCredential(
        {
          email,
          role: 'Data analyst',
          from: '2025-06-01',
          until: null,
          skills: [],
          ratings: { communication: null, timeliness: null, reliability: null },
          employerName: 'Contoso',
        },
        now,
      );
    expect(hiringFacts(holding(record('bob@example.org')), verified, now, worker).status).toBe('active');
    expect(hiringFacts(holding(record('eve@example.org')), verified, now, worker).status).toBe('not-the-candidate');
  });

  it('leaves credentials issued here, and ones already failing, as the wallet says', () => {
    const issuedHere = { ...endorsing('mailto:eve@example.org'), kind: 'issued' as const };
    expect(hiringFacts(issuedHere, verified, now, worker).status).toBe('active');
    const failing = { checks: [{ id: 'signature', status: 'failed', message: 'Bad signature.' }] } as never;
    expect(hiringFacts(endorsing('mailto:eve@example.org'), failing, now, worker).status).toBe('unverified');
  });
});
