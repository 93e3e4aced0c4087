/**
 * The hiring score: how strongly a candidate's verified evidence answers a job's weighted skills, with a term for
 * every point. Pure: the caller passes the evidence (with each credential's status as verified now), the job, the
 * skill hierarchy and the parameters.
 *
 * The shape follows the research the issue cites:
 * - only credentials that verify now count; a revoked, suspended, expired, unverifiable or not-the-candidate's
 *   credential is listed with 0 points and the reason;
 * - a tested credential (an automatically scored test, a reviewed submission) counts more than attendance, a
 *   higher score and a trusted issuer count more;
 * - diminishing returns: the credentials are ranked by what they prove and the k-th counts
 *   exp(−(k−1)·3/saturation) of its points, so past about `saturation` (11) credentials more add almost nothing
 *   (Kässi & Lehdonvirta), concave in the count, never a hard cap;
 * - the weight of credential evidence follows the verified track record (months of verified work history):
 *   rising from `none` with no record to 1 at `peakMonths`, then falling to `long` at `longMonths` and after;
 * - verified work history and references are terms of their own;
 * - nothing about who the candidate is (name, email, handle, country) is an input.
 *
 * Points are whole numbers so that the score is exactly the sum of its terms' points. Each credential's points are
 * shown as proven; the saturation and track-record terms carry the (negative or positive) adjustments, rounded so
 * the credential part of the score is the rounded value of the exact formula (which keeps the score monotone).
 */

export type EvidenceStatus = 'active' | 'revoked' | 'suspended' | 'expired' | 'unverified' | 'not-the-candidate';
/** How a credential was earned: an automatically scored test, an assessor's review, or attendance alone. */
export type Assessment = 'tested' | 'reviewed' | 'attendance';
/** How a held skill relates to an asked one (ESCO's broader/narrower relations). */
export type Relation = 'exact' | 'narrower' | 'broader';

export interface CredentialEvidence {
  credentialId: string;
  name: string;
  issuer: string | null;
  /** The issuer is in this instance's registry of trusted issuers (or issues here). */
  trustedIssuer: boolean;
  status: EvidenceStatus;
  /** Why it does not verify, for the note (a revocation reason, an expiry date, a failed check). */
  statusDetail?: string | null | undefined;
  assessment: Assessment;
  /** The overall result, 0–100, when the credential records one. */
  score: number | null;
  /** The skills the credential aligns to, each with its own result when it records one. */
  skills: { code: string; label?: string | undefined; score: number | null }[];
}

export interface WorkEvidence {
  credentialId: string;
  employer: string | null;
  role: string;
  months: number;
  /** The employer's ratings, 0–100, when given. */
  ratings: { communication: number | null; timeliness: number | null; reliability: number | null };
  skills: string[];
  status: EvidenceStatus;
  statusDetail?: string | null | undefined;
}

export interface ReferenceEvidence {
  credentialId: string;
  from: string | null;
  status: EvidenceStatus;
  statusDetail?: string | null | undefined;
}

export interface CandidateEvidence {
  credentials: CredentialEvidence[];
  work: WorkEvidence[];
  references: ReferenceEvidence[];
}

export interface JobSkill {
  code: string;
  label: string;
  /** 1–5. */
  weight: number;
  /** 0–100: a credential must record at least this result for the skill to count. */
  minLevel: number | null;
  required: boolean;
}

/** How much each kind of evidence counts, 0–5 (0 removes its terms). */
export interface JobWeights {
  credentials: number;
  workHistory: number;
  references: number;
}

export const defaultWeights: JobWeights = { credentials: 1, workHistory: 1, references: 1 };

export interface ScoreParams {
  /** About how many credentials it takes before more add almost nothing (the k-th counts exp(−3(k−1)/saturation)). */
  saturation: number;
  /** The credential factor by verified months of work: none → 1 at peakMonths → long at longMonths and after. */
  trackRecord: { none: number; peakMonths: number; longMonths: number; long: number };
  /** What a credential aligned to a related skill counts, against the exact skill. */
  partial: { narrower: number; broader: number };
  /** Multipliers of a credential's points. */
  quality: {
    assessment: Record<Assessment, number>;
    /** With a result s (0–100): floor + (1 − floor)·s/100; without one: `unscored`. */
    scoreFloor: number;
    unscored: number;
    untrustedIssuer: number;
  };
  /** Points of a full-weight (5), exact, best-quality credential; scales the other terms too. */
  credentialPoints: number;
  workPoints: number;
  referencePoints: number;
}

export const defaultParams: ScoreParams = {
  saturation: 11,
  trackRecord: { none: 0.5, peakMonths: 12, longMonths: 60, long: 0.5 },
  partial: { narrower: 0.75, broader: 0.5 },
  quality: {
    assessment: { tested: 1, reviewed: 1, attendance: 0.4 },
    scoreFloor: 0.6,
    unscored: 0.8,
    untrustedIssuer: 0.6,
  },
  credentialPoints: 100,
  workPoints: 60,
  referencePoints: 30,
};

export type TermKind = 'credential' | 'saturation' | 'track-record' | 'work-history' | 'reference';

export interface Term {
  kind: TermKind;
  skill?: string;
  credentialId?: string;
  points: number;
  note: string;
}

export interface CandidateScore {
  score: number;
  terms: Term[];
  /** Every required skill has counting credential evidence (or work history naming it). */
  requiredMet: boolean;
  /** The required skills nothing verified proves. */
  missingRequired: string[];
}

/** Whether a held skill relates to an asked one; undefined when it does not. */
export type RelationOf = (held: string, asked: string) => Relation | undefined;

/** Relations from the taxonomy's direct broader links: narrower at any depth, broader one level up. */
export function relationFrom(broaderOf: (code: string) => readonly string[]): RelationOf {
  const ancestors = new Map<string, Set<string>>();
  const up = (code: string) => {
    let found = ancestors.get(code);
    if (!found) {
      found = new Set();
      const queue = [...broaderOf(code)];
      while (queue.length) {
        const next = queue.shift()!;
        if (found.has(next) || next === code) continue;
        found.add(next);
        queue.push(...broaderOf(next));
      }
      ancestors.set(code, found);
    }
    return found;
  };
  return (held, asked) => {
    if (held === asked) return 'exact';
    if (up(held).has(asked)) return 'narrower';
    if (broaderOf(asked).includes(held)) return 'broader';
    return undefined;
  };
}

/** The credential factor of a verified track record of `months` (the default shape: 0.5 → 1 at 12 → 0.5 at 60). */
export function trackRecordFactor(months: number, shape: ScoreParams['trackRecord'] = defaultParams.trackRecord) {
  const m = Math.max(0, months);
  if (m <= shape.peakMonths) return shape.none + ((1 - shape.none) * m) / shape.peakMonths;
  if (m >= shape.longMonths) return shape.long;
  return 1 - ((1 - shape.long) * (m - shape.peakMonths)) / (shape.longMonths - shape.peakMonths);
}

/** What the k-th credential (1-based, strongest first) counts of its points. */
export function saturationFactor(k: number, saturation = defaultParams.saturation): number {
  return Math.exp((-3 * (k - 1)) / saturation);
}

const statusWords: Record<Exclude<EvidenceStatus, 'active'>, string> = {
  revoked: 'revoked by its issuer',
  suspended: 'suspended by its issuer',
  expired: 'expired',
  unverified: 'does not verify',
  'not-the-candidate': 'does not name this candidate',
};

function notCounting(status: EvidenceStatus, detail: string | null | undefined) {
  return `${status === 'active' ? 'verifies' : statusWords[status]}${detail ? ` (${detail})` : ''}: counts 0`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const fmt = (x: number) => (Math.round(x * 100) / 100).toString();
const quote = (s: string) => `“${s}”`;

interface SkillMatch {
  skill: JobSkill;
  relation: Relation;
  via: { code: string; label?: string | undefined; score: number | null };
}

/** The asked skills a credential's skills prove, each through its best relation. */
function matches(skills: CredentialEvidence['skills'], job: readonly JobSkill[], relationOf: RelationOf): SkillMatch[] {
  const rank: Record<Relation, number> = { exact: 0, narrower: 1, broader: 2 };
  const found: SkillMatch[] = [];
  for (const asked of job) {
    let best: SkillMatch | undefined;
    for (const held of skills) {
      const relation = relationOf(held.code, asked.code);
      if (relation && (!best || rank[relation] < rank[best.relation])) best = { skill: asked, relation, via: held };
    }
    if (best) found.push(best);
  }
  return found;
}

/** Largest-remainder-free rounding that keeps the running total exact: whole points. */
const whole = (x: number) => Math.round(x);

export function scoreCandidate(
  evidence: CandidateEvidence,
  job: { skills: readonly JobSkill[]; weights: JobWeights },
  relationOf: RelationOf,
  params: ScoreParams = defaultParams,
  /** Without notes (the points are the same): a ranking writes them only for the page it answers. */
  options: { explain?: boolean } = {},
): CandidateScore {
  const explain = options.explain ?? true;
  const say = (text: () => string) => (explain ? text() : '');
  const terms: Term[] = [];
  const weights = job.weights;
  const proven = new Set<string>();

  // Track record: months of verified work history (active engagements only).
  const months = evidence.work.filter((w) => w.status === 'active').reduce((sum, w) => sum + Math.max(0, w.months), 0);

  // 1. Credentials: each (credential, asked skill) pair it proves, at its points as proven.
  if (weights.credentials > 0) {
    const perCredential: { c: CredentialEvidence; raw: number; parts: { term: Term; exact: number }[] }[] = [];
    const sorted = [...evidence.credentials].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
    for (const c of sorted) {
      const found = matches(c.skills, job.skills, relationOf);
      if (found.length === 0) continue;
      if (c.status !== 'active') {
        for (const m of found) {
          terms.push({
            kind: 'credential',
            skill: m.skill.code,
            credentialId: c.credentialId,
            points: 0,
            note: say(() => `${quote(c.name)} ${notCounting(c.status, c.statusDetail)}.`),
          });
        }
        continue;
      }
      const assessment = params.quality.assessment[c.assessment];
      const trust = c.trustedIssuer ? 1 : params.quality.untrustedIssuer;
      const parts: { term: Term; exact: number }[] = [];
      for (const m of found) {
        const level = m.via.score ?? c.score;
        const relationFactor =
          m.relation === 'exact' ? 1 : m.relation === 'narrower' ? params.partial.narrower : params.partial.broader;
        const how = !explain
          ? ''
          : m.relation === 'exact'
            ? `proves ${quote(m.skill.label)}`
            : m.relation === 'narrower'
              ? `proves ${quote(m.via.label ?? m.via.code)}, a narrower skill than ${quote(m.skill.label)}: counts ${pct(relationFactor)}`
              : `proves ${quote(m.via.label ?? m.via.code)}, a broader skill than ${quote(m.skill.label)}: counts ${pct(relationFactor)}`;
        if (m.skill.minLevel !== null && (level === null || level < m.skill.minLevel)) {
          parts.push({
            term: {
              kind: 'credential',
              skill: m.skill.code,
              credentialId: c.credentialId,
              points: 0,
              note: say(
                () =>
                  `${quote(c.name)} ${how}, but the job asks a result of at least ${m.skill.minLevel} and it ` +
                  `${level === null ? 'records none' : `records ${level}`}: counts 0.`,
              ),
            },
            exact: 0,
          });
          continue;
        }
        const scoreFactor =
          level === null
            ? params.quality.unscored
            : params.quality.scoreFloor + ((1 - params.quality.scoreFloor) * level) / 100;
        const exact =
          (params.credentialPoints / 5) *
          m.skill.weight *
          relationFactor *
          assessment *
          scoreFactor *
          trust *
          weights.credentials;
        proven.add(m.skill.code);
        const quality = !explain
          ? ''
          : [
              c.assessment === 'attendance' ? `attendance only ×${fmt(assessment)}` : c.assessment,
              level === null ? `no recorded result ×${fmt(scoreFactor)}` : `result ${level} ×${fmt(scoreFactor)}`,
              c.trustedIssuer ? 'trusted issuer' : `issuer not in the trust registry ×${fmt(trust)}`,
            ].join(', ');
        parts.push({
          term: {
            kind: 'credential',
            skill: m.skill.code,
            credentialId: c.credentialId,
            points: 0,
            note: say(
              () =>
                `${quote(c.name)} ${how} (weight ${m.skill.weight}; ${quality}` +
                `${weights.credentials !== 1 ? `; credentials weigh ×${fmt(weights.credentials)}` : ''}).`,
            ),
          },
          exact,
        });
      }
      perCredential.push({ c, raw: parts.reduce((s, p) => s + p.exact, 0), parts });
    }

    // Strongest first (ties by id): the k-th counts saturationFactor(k).
    const counting = perCredential
      .filter((p) => p.raw > 0)
      .sort((a, b) => b.raw - a.raw || (a.c.credentialId < b.c.credentialId ? -1 : 1));
    let shown = 0;
    let saturated = 0;
    counting.forEach((p, i) => (saturated += p.raw * saturationFactor(i + 1, params.saturation)));
    for (const p of perCredential) {
      for (const part of p.parts) {
        part.term.points = whole(part.exact);
        shown += part.term.points;
        terms.push(part.term);
      }
    }
    if (counting.length > 0) {
      const factor = trackRecordFactor(months, params.trackRecord);
      const afterSaturation = whole(saturated);
      const final = whole(saturated * factor);
      terms.push({
        kind: 'saturation',
        points: afterSaturation - shown,
        note: say(
          () =>
            `Diminishing returns: ${counting.length} credential${counting.length === 1 ? ' counts' : 's count'}; the strongest counts in full ` +
            `and each further one less (the 2nd ×${fmt(saturationFactor(2, params.saturation))}` +
            `${counting.length >= 12 ? `, the 12th ×${fmt(saturationFactor(12, params.saturation))}` : ''}), ` +
            `so past about ${params.saturation} more add almost nothing.`,
        ),
      });
      terms.push({
        kind: 'track-record',
        points: final - afterSaturation,
        note: say(
          () =>
            `Verified track record of ${fmt(months)} month${months === 1 ? '' : 's'}: credential evidence counts ×${fmt(factor)} ` +
            `(×${fmt(params.trackRecord.none)} with no record, most at ${params.trackRecord.peakMonths} months, ` +
            `×${fmt(params.trackRecord.long)} from ${params.trackRecord.longMonths} months, when the record speaks for itself).`,
        ),
      });
    }
  }

  // 2. Work history: each verified engagement, by its length, relevance to the job and the employer's ratings.
  if (weights.workHistory > 0) {
    const totalWeight = job.skills.reduce((s, k) => s + k.weight, 0) || 1;
    const sorted = [...evidence.work].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
    const scored: { w: WorkEvidence; exact: number; note: string }[] = [];
    for (const w of sorted) {
      const who = `${quote(w.role)}${w.employer ? ` at ${w.employer}` : ''}`;
      if (w.status !== 'active') {
        terms.push({
          kind: 'work-history',
          credentialId: w.credentialId,
          points: 0,
          note: say(() => `Work history ${who} ${notCounting(w.status, w.statusDetail)}.`),
        });
        continue;
      }
      const found = matches(
        w.skills.map((code) => ({ code, score: null })),
        job.skills,
        relationOf,
      );
      for (const m of found) if (m.relation !== 'broader') proven.add(m.skill.code);
      const covered = found.reduce(
        (s, m) =>
          s +
          m.skill.weight *
            (m.relation === 'exact' ? 1 : m.relation === 'narrower' ? params.partial.narrower : params.partial.broader),
        0,
      );
      const relevance = 0.5 + (0.5 * covered) / totalWeight;
      const duration = Math.min(1, Math.max(0, w.months) / 12);
      const given = [w.ratings.communication, w.ratings.timeliness, w.ratings.reliability].filter(
        (r): r is number => r !== null,
      );
      const mean = given.length ? given.reduce((s, r) => s + r, 0) / given.length : null;
      const rating = mean === null ? 0.75 : 0.5 + (0.5 * mean) / 100;
      const exact = params.workPoints * duration * relevance * rating * weights.workHistory;
      scored.push({
        w,
        exact,
        note: say(
          () =>
            `Verified work history ${who}, ${fmt(w.months)} month${w.months === 1 ? '' : 's'} (×${fmt(duration)}; full from 12), ` +
            `uses ${found.length} of the job's ${job.skills.length} skills (×${fmt(relevance)}), ` +
            `${mean === null ? 'no ratings (×0.75)' : `ratings averaging ${fmt(mean)} of 100 (×${fmt(rating)})`}` +
            `${weights.workHistory !== 1 ? `; work history weighs ×${fmt(weights.workHistory)}` : ''}.`,
        ),
      });
    }
    scored.sort((a, b) => b.exact - a.exact || (a.w.credentialId < b.w.credentialId ? -1 : 1));
    scored.forEach((s, i) => {
      const factor = Math.pow(0.7, i);
      terms.push({
        kind: 'work-history',
        credentialId: s.w.credentialId,
        points: whole(s.exact * factor),
        note: i === 0 || !explain ? s.note : `${s.note.slice(0, -1)}; engagement ${i + 1} counts ×${fmt(factor)}.`,
      });
    });
  }

  // 3. References: each verified endorsement, each further one counting less.
  if (weights.references > 0) {
    const sorted = [...evidence.references].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
    let k = 0;
    for (const r of sorted) {
      const from = r.from ? ` from ${r.from}` : '';
      if (r.status !== 'active') {
        terms.push({
          kind: 'reference',
          credentialId: r.credentialId,
          points: 0,
          note: say(() => `Reference${from} ${notCounting(r.status, r.statusDetail)}.`),
        });
        continue;
      }
      const factor = Math.pow(0.6, k++);
      terms.push({
        kind: 'reference',
        credentialId: r.credentialId,
        points: whole(params.referencePoints * factor * weights.references),
        note: say(
          () =>
            `Verified reference${from}${k > 1 ? ` (reference ${k} counts ×${fmt(factor)})` : ''}` +
            `${weights.references !== 1 ? `; references weigh ×${fmt(weights.references)}` : ''}.`,
        ),
      });
    }
  }

  const missingRequired = job.skills.filter((s) => s.required && !proven.has(s.code)).map((s) => s.code);
  return {
    score: terms.reduce((s, t) => s + t.points, 0),
    terms,
    requiredMet: missingRequired.length === 0,
    missingRequired,
  };
}

/** Who a candidate is: shown when not blind, never an input of the score. */
export interface CandidateIdentity {
  displayName: string;
  email: string;
  handle: string | null;
  country: string | null;
}

export interface RankedCandidate {
  candidateId: string;
  displayName: string | null;
  score: number;
  terms: Term[];
}

/**
 * Candidates ranked for a job: those whose verified evidence proves every required skill, highest score first,
 * ties by candidate id (the same data gives the same order). Identity is carried for display only.
 */
export function rankCandidates(
  candidates: readonly { candidateId: string; identity: CandidateIdentity; evidence: CandidateEvidence }[],
  job: { skills: readonly JobSkill[]; weights: JobWeights },
  relationOf: RelationOf,
  options: { blind: boolean; limit: number; offset: number; params?: ScoreParams },
): { total: number; candidates: RankedCandidate[] } {
  // Every candidate scored without notes (the same points), then the page explained.
  const scored = candidates
    .map((c) => ({ c, s: scoreCandidate(c.evidence, job, relationOf, options.params, { explain: false }) }))
    .filter(({ s }) => s.requiredMet && s.terms.length > 0)
    .sort(
      (a, b) =>
        b.s.score - a.s.score || (a.c.candidateId < b.c.candidateId ? -1 : a.c.candidateId > b.c.candidateId ? 1 : 0),
    );
  return {
    total: scored.length,
    candidates: scored.slice(options.offset, options.offset + options.limit).map(({ c }) => {
      const explained = scoreCandidate(c.evidence, job, relationOf, options.params);
      return {
        candidateId: c.candidateId,
        displayName: options.blind ? null : c.identity.displayName,
        score: explained.score,
        terms: explained.terms,
      };
    }),
  };
}
