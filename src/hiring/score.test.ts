import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  defaultParams,
  defaultWeights,
  rankCandidates,
  relationFrom,
  saturationFactor,
  scoreCandidate,
  trackRecordFactor,
  type CandidateEvidence,
  type CredentialEvidence,
  type EvidenceStatus,
  type JobSkill,
  type JobWeights,
  type ReferenceEvidence,
  type WorkEvidence,
} from './score.js';

// A small taxonomy: sql ⊂ data (sql and python are narrower than data), postgres ⊂ sql.
const broader: Record<string, string[]> = { sql: ['data'], python: ['data'], postgres: ['sql'] };
const relationOf = relationFrom((code) => broader[code] ?? []);

const skill = (code: string, weight = 3, extra: Partial<JobSkill> = {}): JobSkill => ({
  code,
  label: code.toUpperCase(),
  weight,
  minLevel: null,
  required: false,
  ...extra,
});
const job = (skills: JobSkill[], weights: JobWeights = defaultWeights) => ({ skills, weights });
const cred = (id: string, skills: string[], extra: Partial<CredentialEvidence> = {}): CredentialEvidence => ({
  credentialId: id,
  name: `Credential ${id}`,
  issuer: 'Fabrikam',
  trustedIssuer: true,
  status: 'active',
  assessment: 'tested',
  score: 80,
  skills: skills.map((code) => ({ code, score: null })),
  ...extra,
});
const work = (id: string, months: number, extra: Partial<WorkEvidence> = {}): WorkEvidence => ({
  credentialId: id,
  employer: 'Contoso',
  role: 'Analyst',
  months,
  ratings: { communication: 80, timeliness: 90, reliability: 70 },
  skills: [],
  status: 'active',
  ...extra,
});
const ref = (id: string, extra: Partial<ReferenceEvidence> = {}): ReferenceEvidence => ({
  credentialId: id,
  from: 'Contoso',
  status: 'active',
  ...extra,
});
const evidence = (over: Partial<CandidateEvidence> = {}): CandidateEvidence => ({
  credentials: [],
  work: [],
  references: [],
  ...over,
});
const sqlJob = job([skill('sql', 5), skill('python', 3)]);
const sum = (terms: { points: number }[]) => terms.reduce((s, t) => s + t.points, 0);

describe('the hiring score', () => {
  it('is exactly the sum of its terms, every term whole points with a note', () => {
    const s = scoreCandidate(
      evidence({
        credentials: [cred('a', ['sql']), cred('b', ['python'], { score: 55 }), cred('c', ['postgres'])],
        work: [work('w', 8, { skills: ['sql'] })],
        references: [ref('r1'), ref('r2')],
      }),
      sqlJob,
      relationOf,
    );
    expect(s.score).toBe(sum(s.terms));
    expect(s.score).toBeGreaterThan(0);
    for (const t of s.terms) {
      expect(Number.isInteger(t.points)).toBe(true);
      expect(t.note.length).toBeGreaterThan(10);
    }
    expect(s.terms.map((t) => t.kind)).toEqual([
      'credential',
      'credential',
      'credential',
      'saturation',
      'track-record',
      'work-history',
      'reference',
      'reference',
    ]);
  });

  it('the score equals its terms for any evidence (property)', () => {
    const status = fc.constantFrom<EvidenceStatus>('active', 'active', 'revoked', 'expired', 'not-the-candidate');
    const anyCred = fc.record({
      id: fc.uuid(),
      skills: fc.subarray(['sql', 'python', 'postgres', 'data', 'java']),
      status,
      assessment: fc.constantFrom('tested' as const, 'reviewed' as const, 'attendance' as const),
      score: fc.option(fc.integer({ min: 0, max: 100 })),
      trusted: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(anyCred, { maxLength: 30 }), fc.integer({ min: 0, max: 120 }), (creds, months) => {
        const s = scoreCandidate(
          evidence({
            credentials: creds.map((c) =>
              cred(c.id, c.skills, {
                status: c.status,
                assessment: c.assessment,
                score: c.score,
                trustedIssuer: c.trusted,
              }),
            ),
            work: months > 0 ? [work('w', months)] : [],
          }),
          sqlJob,
          relationOf,
        );
        expect(s.score).toBe(sum(s.terms));
      }),
    );
  });

  it('is monotone in evidence: adding a verifying relevant credential never lowers a score (property)', () => {
    const anyCred = fc.record({
      skills: fc.subarray(['sql', 'python', 'postgres', 'data'], { minLength: 1 }),
      assessment: fc.constantFrom('tested' as const, 'reviewed' as const, 'attendance' as const),
      score: fc.option(fc.integer({ min: 0, max: 100 })),
      trusted: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(anyCred, { maxLength: 25 }),
        anyCred,
        fc.integer({ min: 0, max: 100 }),
        (creds, extra, months) => {
          const make = (list: typeof creds) =>
            evidence({
              credentials: list.map((c, i) =>
                cred(`c${String(i).padStart(3, '0')}`, c.skills, {
                  assessment: c.assessment,
                  score: c.score,
                  trustedIssuer: c.trusted,
                }),
              ),
              work: months > 0 ? [work('w', months)] : [],
            });
          const before = scoreCandidate(make(creds), sqlJob, relationOf).score;
          const after = scoreCandidate(make([...creds, extra]), sqlJob, relationOf).score;
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
    );
  });

  it('the 12th credential adds less than the 2nd (concave, saturating near 11, no hard cap)', () => {
    const scoreOf = (n: number) =>
      scoreCandidate(
        evidence({ credentials: Array.from({ length: n }, (_, i) => cred(`c${String(i).padStart(2, '0')}`, ['sql'])) }),
        sqlJob,
        relationOf,
      ).score;
    const second = scoreOf(2) - scoreOf(1);
    const twelfth = scoreOf(12) - scoreOf(11);
    expect(second).toBeGreaterThan(0);
    expect(twelfth).toBeLessThan(second);
    expect(twelfth).toBeLessThan(second / 5);
    // Not a cap: more still adds a little.
    expect(scoreOf(12)).toBeGreaterThan(scoreOf(11));
    // The saturation point is a parameter.
    expect(saturationFactor(12, 11)).toBeCloseTo(Math.exp(-3), 10);
    const wider = { ...defaultParams, saturation: 30 };
    const widerScore = (n: number) =>
      scoreCandidate(
        evidence({ credentials: Array.from({ length: n }, (_, i) => cred(`c${String(i).padStart(2, '0')}`, ['sql'])) }),
        sqlJob,
        relationOf,
        wider,
      ).score;
    expect(widerScore(12) - widerScore(11)).toBeGreaterThan(twelfth);
  });

  it('the same credential adds more for a short track record than for a long one, and little with none', () => {
    const gain = (months: number) => {
      const w = months > 0 ? [work('w', months)] : [];
      const without = scoreCandidate(evidence({ work: w }), sqlJob, relationOf).score;
      const withIt = scoreCandidate(evidence({ credentials: [cred('a', ['sql'])], work: w }), sqlJob, relationOf).score;
      return withIt - without;
    };
    expect(gain(12)).toBeGreaterThan(gain(72));
    expect(gain(12)).toBeGreaterThan(gain(0));
    expect(gain(6)).toBeGreaterThan(gain(0));
    // The default shape: rising from none to a short record, then falling as it grows long.
    expect(trackRecordFactor(0)).toBe(0.5);
    expect(trackRecordFactor(6)).toBeCloseTo(0.75, 10);
    expect(trackRecordFactor(12)).toBe(1);
    expect(trackRecordFactor(36)).toBeCloseTo(0.75, 10);
    expect(trackRecordFactor(60)).toBe(0.5);
    expect(trackRecordFactor(240)).toBe(0.5);
  });

  it('a revoked, suspended, expired, unverifiable or not-the-candidate credential adds 0 and says why', () => {
    const base = scoreCandidate(evidence({ credentials: [cred('a', ['sql'])] }), sqlJob, relationOf);
    for (const status of ['revoked', 'suspended', 'expired', 'unverified', 'not-the-candidate'] as const) {
      const s = scoreCandidate(
        evidence({
          credentials: [
            cred('a', ['sql']),
            cred('z', ['sql'], { status, statusDetail: 'by the issuer on 2026-01-02' }),
          ],
        }),
        sqlJob,
        relationOf,
      );
      expect(s.score).toBe(base.score);
      const term = s.terms.find((t) => t.credentialId === 'z')!;
      expect(term.points).toBe(0);
      expect(term.note).toMatch(/counts 0/);
      expect(term.note).toContain('2026-01-02');
    }
    const revoked = scoreCandidate(
      evidence({ credentials: [cred('z', ['sql'], { status: 'revoked' })] }),
      sqlJob,
      relationOf,
    );
    expect(revoked.score).toBe(0);
    expect(revoked.terms[0]!.note).toMatch(/revoked/);
  });

  it('a tested credential counts more than attendance, a higher result and a trusted issuer more', () => {
    const one = (c: CredentialEvidence) => scoreCandidate(evidence({ credentials: [c] }), sqlJob, relationOf).score;
    expect(one(cred('a', ['sql']))).toBeGreaterThan(one(cred('a', ['sql'], { assessment: 'attendance' })));
    expect(one(cred('a', ['sql'], { score: 95 }))).toBeGreaterThan(one(cred('a', ['sql'], { score: 60 })));
    expect(one(cred('a', ['sql']))).toBeGreaterThan(one(cred('a', ['sql'], { trustedIssuer: false })));
    expect(scoreCandidate(evidence({ credentials: [cred('a', ['sql'])] }), sqlJob, relationOf).terms[0]!.note).toMatch(
      /tested, result 80.*trusted issuer/,
    );
  });

  it('a narrower or broader ESCO skill counts partly and the note says how', () => {
    const one = (skills: string[], j = sqlJob) =>
      scoreCandidate(evidence({ credentials: [cred('a', skills)] }), j, relationOf);
    const exact = one(['sql']).score;
    const narrower = one(['postgres']);
    const broaderOne = one(['data']);
    expect(narrower.score).toBeLessThan(exact);
    expect(narrower.score).toBeGreaterThan(0);
    expect(narrower.terms[0]!.note).toMatch(/narrower skill than “SQL”: counts 75%/);
    expect(broaderOne.terms.find((t) => t.skill === 'sql')!.note).toMatch(/broader skill than “SQL”: counts 50%/);
    expect(one(['data'], job([skill('sql', 5)])).score).toBeLessThan(one(['postgres'], job([skill('sql', 5)])).score);
    // Unrelated skills are not listed at all.
    expect(one(['java']).terms).toEqual([]);
  });

  it('weights of 0 remove a term', () => {
    const full = evidence({
      credentials: [cred('a', ['sql'])],
      work: [work('w', 10, { skills: ['sql'] })],
      references: [ref('r')],
    });
    const kinds = (weights: JobWeights) =>
      new Set(scoreCandidate(full, job(sqlJob.skills, weights), relationOf).terms.map((t) => t.kind));
    expect(kinds({ credentials: 0, workHistory: 1, references: 1 })).toEqual(new Set(['work-history', 'reference']));
    expect(kinds({ credentials: 1, workHistory: 0, references: 1 })).toEqual(
      new Set(['credential', 'saturation', 'track-record', 'reference']),
    );
    expect(kinds({ credentials: 1, workHistory: 1, references: 0 }).has('reference')).toBe(false);
    const noRefs = scoreCandidate(
      full,
      job(sqlJob.skills, { credentials: 1, workHistory: 1, references: 0 }),
      relationOf,
    );
    const withoutRefs = scoreCandidate({ ...full, references: [] }, sqlJob, relationOf);
    expect(noRefs.score).toBe(withoutRefs.score);
  });

  it('a minimum level keeps a lower result from counting, and required skills must be proven', () => {
    const j = job([skill('sql', 5, { minLevel: 70, required: true }), skill('python', 2)]);
    const low = scoreCandidate(evidence({ credentials: [cred('a', ['sql'], { score: 60 })] }), j, relationOf);
    expect(low.score).toBe(0);
    expect(low.terms[0]!.note).toMatch(/at least 70.*records 60: counts 0/);
    expect(low.requiredMet).toBe(false);
    expect(low.missingRequired).toEqual(['sql']);
    const high = scoreCandidate(evidence({ credentials: [cred('a', ['sql'], { score: 90 })] }), j, relationOf);
    expect(high.requiredMet).toBe(true);
  });

  it('work history and references are terms of their own: ratings, length, relevance; invalid ones count 0', () => {
    const w = (extra: Partial<WorkEvidence>) =>
      scoreCandidate(evidence({ work: [work('w', 12, { skills: ['sql'], ...extra })] }), sqlJob, relationOf).score;
    expect(w({})).toBeGreaterThan(w({ months: 3 }));
    expect(w({})).toBeGreaterThan(w({ skills: [] }));
    expect(w({})).toBeGreaterThan(w({ ratings: { communication: 20, timeliness: 30, reliability: 10 } }));
    expect(w({ status: 'revoked' })).toBe(0);
    const refs = (n: number) =>
      scoreCandidate(evidence({ references: Array.from({ length: n }, (_, i) => ref(`r${i}`)) }), sqlJob, relationOf)
        .score;
    expect(refs(2) - refs(1)).toBeLessThan(refs(1));
    expect(refs(2)).toBeGreaterThan(refs(1));
  });
});

describe('the ranking', () => {
  const alphabet = fc.string({ minLength: 1, maxLength: 20 });
  const identity = fc.record({
    displayName: alphabet,
    email: fc.emailAddress(),
    handle: fc.option(alphabet),
    country: fc.option(fc.constantFrom('DE', 'FR', 'NG', 'IN', 'BR', 'US', 'CN')),
  });
  const candidate = fc.record({
    identity,
    credentials: fc.array(
      fc.record({
        skills: fc.subarray(['sql', 'python', 'postgres', 'data', 'java'], { minLength: 1 }),
        assessment: fc.constantFrom('tested' as const, 'attendance' as const),
        score: fc.option(fc.integer({ min: 0, max: 100 })),
        status: fc.constantFrom<EvidenceStatus>('active', 'active', 'revoked', 'expired'),
      }),
      { maxLength: 6 },
    ),
    months: fc.integer({ min: 0, max: 80 }),
  });

  it('names, emails, handles and countries change no score and no rank (random renamings)', () => {
    fc.assert(
      fc.property(
        fc.array(candidate, { minLength: 1, maxLength: 25 }),
        fc.array(identity, { minLength: 25, maxLength: 25 }),
        (pool, renamed) => {
          const build = (names: (typeof pool)[number]['identity'][]) =>
            pool.map((c, i) => ({
              candidateId: `cand-${String(i).padStart(3, '0')}`,
              identity: names[i]!,
              evidence: evidence({
                credentials: c.credentials.map((x, j) =>
                  cred(`k${i}-${j}`, x.skills, { assessment: x.assessment, score: x.score, status: x.status }),
                ),
                work: c.months > 0 ? [work(`w${i}`, c.months)] : [],
              }),
            }));
          const options = { blind: false, limit: 100, offset: 0 };
          const a = rankCandidates(build(pool.map((c) => c.identity)), sqlJob, relationOf, options);
          const b = rankCandidates(build(renamed), sqlJob, relationOf, options);
          const strip = (r: typeof a) => r.candidates.map((c) => [c.candidateId, c.score, c.terms]);
          expect(strip(b)).toEqual(strip(a));
          expect(b.total).toBe(a.total);
        },
      ),
    );
  });

  it('ranks highest first, ties by candidate id, paginates, and hides names when blind', () => {
    const pool = [
      { candidateId: 'b', identity: { displayName: 'Bea', email: 'b@x', handle: null, country: null } },
      { candidateId: 'a', identity: { displayName: 'Ann', email: 'a@x', handle: null, country: null } },
      { candidateId: 'c', identity: { displayName: 'Cy', email: 'c@x', handle: null, country: null } },
      { candidateId: 'd', identity: { displayName: 'Di', email: 'd@x', handle: null, country: null } },
    ].map((c) => ({
      ...c,
      evidence: evidence({
        credentials:
          c.candidateId === 'c'
            ? [cred('c1', ['sql']), cred('c2', ['python'])]
            : c.candidateId === 'd'
              ? [cred('d1', ['java'])]
              : [cred(`${c.candidateId}1`, ['sql'])],
      }),
    }));
    const open = rankCandidates(pool, sqlJob, relationOf, { blind: false, limit: 10, offset: 0 });
    expect(open.total).toBe(3);
    expect(open.candidates.map((c) => [c.candidateId, c.displayName])).toEqual([
      ['c', 'Cy'],
      ['a', 'Ann'],
      ['b', 'Bea'],
    ]);
    const blind = rankCandidates(pool, sqlJob, relationOf, { blind: true, limit: 1, offset: 1 });
    expect(blind).toMatchObject({ total: 3, candidates: [{ candidateId: 'a', displayName: null }] });
    expect(JSON.stringify(blind)).not.toMatch(/Ann|a@x/);
  });
});

describe('scoring without notes', () => {
  it('gives the same points, so a ranking explains only the page it answers', () => {
    const e = evidence({
      credentials: [cred('a', ['sql']), cred('b', ['postgres'], { status: 'revoked' }), cred('c', ['data'])],
      work: [work('w', 14, { skills: ['sql'] })],
      references: [ref('r1'), ref('r2', { status: 'expired' })],
    });
    const explained = scoreCandidate(e, sqlJob, relationOf);
    const bare = scoreCandidate(e, sqlJob, relationOf, defaultParams, { explain: false });
    expect(bare.score).toBe(explained.score);
    expect(bare.terms.map((t) => [t.kind, t.points])).toEqual(explained.terms.map((t) => [t.kind, t.points]));
    expect(bare.terms.every((t) => t.note === '')).toBe(true);
    expect(explained.terms.every((t) => t.note.length > 10)).toBe(true);
  });
});
