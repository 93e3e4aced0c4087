import { DomainError, invalid, notFound } from '../platform/errors.js';
import type { HiringFacts } from './evidence.js';
import { referenceCredential, workHistoryCredential } from './engagements.js';
import {
  defaultParams,
  rankCandidates,
  relationFrom,
  scoreCandidate,
  type CandidateEvidence,
  type CredentialEvidence,
  type EvidenceStatus,
  type JobSkill,
  type ReferenceEvidence,
  type RankedCandidate,
  type RelationOf,
  type WorkEvidence,
} from './score.js';
import { coverageOf, staffTeam, type PoolCandidate, type TeamRequest } from './staffing.js';
import type { Team } from './team.js';
import type { EvidenceRow, HiringStore, JobSkillRow, RecordRow, StoredJob, TalentProfile } from './store.js';

export type { HiringFacts } from './evidence.js';

/** What hiring asks of the rest of the platform: small ports, wired in the composition root. */
export interface HiringDeps {
  store: HiringStore;
  /** Every holding of a worker with its status now (imports verified just now), and whether its issuer is trusted. */
  holdings: (userId: string) => Promise<(HiringFacts & { trustedIssuer: boolean })[]>;
  /** The live verdict of one holding (the platform's verifier): for the candidate page. */
  verdict: (
    userId: string,
    holdingId: string,
  ) => Promise<{ verified: boolean; checks: { id: string; status: string; message: string }[] } | undefined>;
  skills: {
    skillsByCode: (codes: string[]) => Promise<{ code: string; url: string; name: string; framework: string }[]>;
    broaderPairs: () => Promise<{ skill: string; broader: string }[]>;
    taxonomyStamp: () => Promise<string>;
  };
  /** Who a worker is (shown only when not blind, or revealed). */
  identity: (userId: string) => Promise<{ displayName: string; email: string }>;
  orgName: (orgId: string) => Promise<string | undefined>;
  /** Signing as the organization through the issuance path (the credential lands in the worker's wallet). */
  issue: (
    orgId: string,
    unsigned: Record<string, unknown>,
    options: { recipientUserId: string; issuedBy: string },
  ) => Promise<{ id: string; credentialId: string }>;
  /** The account that confirmed this email, if any. */
  workerByEmail: (email: string) => Promise<string | undefined>;
  /**
   * The workers with a live application to a job, each with the holdings they attached (null: every one that
   * verifies): the `applicants` pool of team staffing.
   */
  applicants?: (orgId: string, jobId: string) => Promise<{ userId: string; holdingIds: string[] | null }[]>;
  /** Whether the registry of trusted issuers (or this instance) knows an issuer now: to find what a change moved. */
  isTrustedIssuer?: (issuerId: string) => Promise<boolean>;
  /** Told of each engagement closed (after its credentials are issued): the outcomes ledger records a job start. */
  engagementClosed?: (engagement: {
    workerId: string;
    orgId: string;
    from: string;
    recordedBy: string;
  }) => Promise<void>;
  now?: () => Date;
}

export interface EngagementRequest {
  worker: string;
  role: string;
  from: string;
  until?: string | null | undefined;
  skills?: string[] | undefined;
  ratings?:
    | {
        communication?: number | null | undefined;
        timeliness?: number | null | undefined;
        reliability?: number | null | undefined;
      }
    | undefined;
  summary?: string | undefined;
  reference?: { comment: string } | null | undefined;
}

export const hiringLimits = {
  maxJobSkills: 50,
  maxLimit: 100,
  maxOffset: 100_000,
  maxDesiredRoles: 20,
  maxHoldings: 1000,
  /** Workers recomputed before a ranking answers; the rest wait for the next one (or the sweep). */
  recomputePerQuery: 500,
  /** A project's team: at most this many members, and a budget (Σ day rates) up to `maxBudget`. */
  maxTeamSize: 100,
  maxBudget: 100_000_000,
  /** The solver's time for one team request (the team and its runners-up). */
  teamSeconds: 10,
};

export interface TalentInput {
  discoverable: boolean;
  headline?: string | undefined;
  availableFrom?: string | null | undefined;
  daysPerWeek?: number | null | undefined;
  dayRate?: number | null | undefined;
  desiredRoles?: string[] | undefined;
  holdingIds?: string[] | null | undefined;
}

export interface JobInput {
  title: string;
  description?: string | undefined;
  kind: 'job' | 'project';
  status?: 'draft' | 'open' | 'closed' | undefined;
  skills: {
    skill: string;
    weight: number;
    minLevel?: number | null | undefined;
    required?: boolean | undefined;
    /** For a project's team: how many members must hold it (default 1). */
    members?: number | undefined;
  }[];
  /** For a project: the largest team, and the most its day rates may add up to. */
  maxTeamSize?: number | null | undefined;
  budget?: number | null | undefined;
  weights?: { credentials: number; workHistory: number; references: number } | undefined;
  location?: string | null | undefined;
  remote?: boolean | undefined;
  blind?: boolean | undefined;
}

/** The shape the API answers for a job. */
export function jobView(job: StoredJob) {
  return {
    id: job.id,
    orgId: job.orgId,
    title: job.title,
    description: job.description,
    kind: job.kind,
    status: job.status,
    skills: job.skills.map((s) => ({ ...s, members: s.members ?? 1 })),
    weights: job.weights,
    location: job.location,
    remote: job.remote,
    blind: job.blind,
    maxTeamSize: job.maxTeamSize,
    budget: job.budget,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

function profileView(profile: TalentProfile | undefined) {
  return {
    discoverable: profile?.discoverable ?? false,
    headline: profile?.headline ?? '',
    availableFrom: profile?.availableFrom ?? null,
    daysPerWeek: profile?.daysPerWeek ?? null,
    dayRate: profile?.dayRate ?? null,
    desiredRoles: profile?.desiredRoles ?? [],
    holdingIds: profile?.holdingIds ?? null,
    updatedAt: profile?.updatedAt.toISOString() ?? null,
  };
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** The evidence rows and records a worker's holdings give the index. */
export function indexRows(holdings: (HiringFacts & { trustedIssuer: boolean })[]): {
  evidence: EvidenceRow[];
  records: RecordRow[];
} {
  const evidence: EvidenceRow[] = [];
  const records: RecordRow[] = [];
  for (const h of holdings) {
    const base = {
      name: h.name,
      issuer: h.issuer.name ?? h.issuer.id,
      issuerId: h.issuer.id,
      trusted: h.trustedIssuer,
      assessment: h.assessment,
      score: h.score,
      statusDetail: h.statusDetail,
    };
    if (h.kind === 'credential' || h.kind === 'work') {
      for (const s of h.skills) {
        evidence.push({
          holdingId: h.holdingId,
          skill: s.code,
          kind: h.kind,
          status: h.status,
          validUntil: h.validUntil,
          facts: { ...base, skillLabel: s.label, skillScore: s.score },
        });
      }
    }
    if (h.kind === 'work' || h.kind === 'reference') {
      records.push({
        holdingId: h.holdingId,
        kind: h.kind,
        status: h.status,
        validUntil: h.validUntil,
        facts: { ...base, skills: h.skills.map((s) => s.code), work: h.work, reference: h.reference },
      });
    }
  }
  return { evidence, records };
}

/** The status as of now: an active row past its validity is expired (expiry needs no recompute). */
function statusNow(status: string, validUntil: Date | null, now: Date): EvidenceStatus {
  if (status === 'active' && validUntil && validUntil.getTime() < now.getTime()) return 'expired';
  return status as EvidenceStatus;
}

type Indexed = {
  holdingId: string;
  skill: string;
  kind: string;
  status: string;
  validUntil: Date | null;
  facts: Record<string, unknown>;
};
type Recorded = {
  holdingId: string;
  kind: string;
  status: string;
  validUntil: Date | null;
  facts: Record<string, unknown>;
};

/** A candidate's evidence for the score, from their index rows and records. */
export function candidateEvidence(rows: Indexed[], records: Recorded[], now: Date): CandidateEvidence {
  const credentials = new Map<string, CredentialEvidence>();
  for (const r of rows) {
    if (r.kind !== 'credential') continue;
    const f = r.facts;
    let c = credentials.get(r.holdingId);
    if (!c) {
      const status = statusNow(r.status, r.validUntil, now);
      c = {
        credentialId: r.holdingId,
        name: String(f.name ?? 'Credential'),
        issuer: (f.issuer as string | null) ?? null,
        trustedIssuer: f.trusted === true,
        status,
        statusDetail:
          status === 'expired' && r.status === 'active'
            ? `on ${r.validUntil!.toISOString().slice(0, 10)}`
            : ((f.statusDetail as string | null) ?? null),
        assessment: (f.assessment as CredentialEvidence['assessment']) ?? 'attendance',
        score: (f.score as number | null) ?? null,
        skills: [],
      };
      credentials.set(r.holdingId, c);
    }
    c.skills.push({
      code: r.skill,
      label: String(f.skillLabel ?? r.skill),
      score: (f.skillScore as number | null) ?? null,
    });
  }
  // In the order of their codes, whatever order the rows came in: of two held skills that relate to an asked skill
  // the same way, the score reads the first one's result.
  for (const c of credentials.values()) c.skills.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const work: WorkEvidence[] = [];
  const references: ReferenceEvidence[] = [];
  for (const r of records) {
    const f = r.facts;
    const status = statusNow(r.status, r.validUntil, now);
    if (r.kind === 'work') {
      const w = (f.work ?? {}) as { role?: string; months?: number; ratings?: WorkEvidence['ratings'] };
      work.push({
        credentialId: r.holdingId,
        employer: (f.issuer as string | null) ?? null,
        role: w.role ?? String(f.name ?? 'Work'),
        months: w.months ?? 0,
        ratings: w.ratings ?? { communication: null, timeliness: null, reliability: null },
        skills: (f.skills as string[] | undefined) ?? [],
        status,
        statusDetail: (f.statusDetail as string | null) ?? null,
      });
    } else {
      references.push({
        credentialId: r.holdingId,
        from: (f.issuer as string | null) ?? null,
        status,
        statusDetail: (f.statusDetail as string | null) ?? null,
      });
    }
  }
  return { credentials: [...credentials.values()], work, references };
}

/** Whether an id from a path could name a row (anything else is simply not found, never a database error). */
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export function createHiring(deps: HiringDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());

  // The skill hierarchy, read again when the taxonomy changes.
  let taxonomy:
    | { stamp: string; relationOf: RelationOf; narrower: Map<string, string[]>; broader: Map<string, string[]> }
    | undefined;
  async function hierarchy() {
    const stamp = await deps.skills.taxonomyStamp();
    if (taxonomy?.stamp !== stamp) {
      const broader = new Map<string, string[]>();
      const narrower = new Map<string, string[]>();
      for (const { skill, broader: up } of await deps.skills.broaderPairs()) {
        broader.set(skill, [...(broader.get(skill) ?? []), up]);
        narrower.set(up, [...(narrower.get(up) ?? []), skill]);
      }
      taxonomy = { stamp, broader, narrower, relationOf: relationFrom((code) => broader.get(code) ?? []) };
    }
    return taxonomy;
  }

  /** The asked skills and every skill that counts toward them (narrower at any depth, direct broader). */
  async function relatedCodes(asked: string[]): Promise<string[]> {
    const { narrower, broader } = await hierarchy();
    const codes = new Set<string>();
    for (const code of asked) {
      codes.add(code);
      for (const up of broader.get(code) ?? []) codes.add(up);
      const queue = [...(narrower.get(code) ?? [])];
      while (queue.length) {
        const next = queue.shift()!;
        if (codes.has(next)) continue;
        codes.add(next);
        queue.push(...(narrower.get(next) ?? []));
      }
    }
    return [...codes];
  }

  /** Computes one worker's evidence again: cleared unless discoverable, only the holdings they chose. */
  async function recompute(userId: string): Promise<void> {
    const profile = await store.profileOf(userId);
    if (!profile?.discoverable) {
      await store.replaceEvidence(userId, [], []);
      return;
    }
    const chosen = profile.holdingIds ? new Set(profile.holdingIds) : undefined;
    const holdings = (await deps.holdings(userId)).filter((h) => !chosen || chosen.has(h.holdingId));
    const { evidence, records } = indexRows(holdings);
    await store.replaceEvidence(userId, evidence, records);
  }

  /** Recomputes the workers whose credentials changed since (the triggers mark them). */
  async function sweep(limit = hiringLimits.recomputePerQuery): Promise<number> {
    const dirty = await store.dirty(limit);
    for (const { userId, markedAt } of dirty) {
      await recompute(userId);
      await store.clearDirty(userId, markedAt);
    }
    return dirty.length;
  }

  function checkTalent(input: TalentInput) {
    if (input.headline !== undefined && input.headline.length > 200)
      throw invalid('headline is at most 200 characters.', { field: 'headline' });
    if (input.availableFrom && !isDate(input.availableFrom)) {
      throw invalid('availableFrom is a date, YYYY-MM-DD.', { field: 'availableFrom' });
    }
    if (
      input.daysPerWeek != null &&
      !(Number.isInteger(input.daysPerWeek) && input.daysPerWeek >= 1 && input.daysPerWeek <= 7)
    ) {
      throw invalid('daysPerWeek is a whole number from 1 to 7.', { field: 'daysPerWeek' });
    }
    if (
      input.dayRate != null &&
      !(Number.isFinite(input.dayRate) && input.dayRate >= 0 && input.dayRate <= 1_000_000)
    ) {
      throw invalid('dayRate is a number from 0 to 1,000,000.', { field: 'dayRate' });
    }
  }

  async function resolveSkills(input: JobInput['skills']): Promise<JobSkillRow[]> {
    if (input.length === 0) throw invalid('A job asks for at least one skill.', { field: 'skills' });
    if (input.length > hiringLimits.maxJobSkills) {
      throw invalid(`A job asks for at most ${hiringLimits.maxJobSkills} skills.`, { field: 'skills' });
    }
    const codes = input.map((s) => s.skill.trim());
    const found = await deps.skills.skillsByCode([...new Set(codes)]);
    const byKey = new Map<string, { code: string; name: string }>();
    for (const s of found) {
      byKey.set(s.code, s);
      byKey.set(s.url, s);
    }
    const unknown = codes.filter((c) => !byKey.has(c));
    if (unknown.length) {
      throw invalid(
        `The job names ${unknown.length === 1 ? 'a skill' : `${unknown.length} skills`} this instance does not know: ` +
          `${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}. Pick skills from the skills search.`,
        { field: 'skills', unknown: unknown.slice(0, 50) },
      );
    }
    const rows: JobSkillRow[] = [];
    const seen = new Set<string>();
    input.forEach((s, i) => {
      const known = byKey.get(codes[i]!)!;
      if (seen.has(known.code)) throw invalid(`The skill “${known.name}” is listed twice.`, { field: 'skills' });
      seen.add(known.code);
      if (!(Number.isInteger(s.weight) && s.weight >= 1 && s.weight <= 5)) {
        throw invalid('Each skill’s weight is a whole number from 1 to 5.', { field: `skills.${i}.weight` });
      }
      const minLevel = s.minLevel ?? null;
      if (minLevel !== null && !(Number.isFinite(minLevel) && minLevel >= 0 && minLevel <= 100)) {
        throw invalid('A skill’s minLevel is from 0 to 100.', { field: `skills.${i}.minLevel` });
      }
      const members = s.members ?? 1;
      if (!(Number.isInteger(members) && members >= 1 && members <= hiringLimits.maxTeamSize)) {
        throw invalid(`A skill’s members is a whole number from 1 to ${hiringLimits.maxTeamSize}.`, {
          field: `skills.${i}.members`,
        });
      }
      rows.push({
        skill: known.code,
        label: known.name,
        weight: s.weight,
        minLevel,
        required: s.required ?? false,
        members,
      });
    });
    return rows;
  }

  async function jobFromInput(orgId: string, input: JobInput, current?: StoredJob) {
    const title = input.title.trim();
    if (!title || title.length > 200) throw invalid('A job has a title of 1 to 200 characters.', { field: 'title' });
    if ((input.description ?? '').length > 20_000) {
      throw invalid('A job’s description is at most 20,000 characters.', { field: 'description' });
    }
    const weights = input.weights ?? current?.weights ?? { credentials: 1, workHistory: 1, references: 1 };
    for (const [name, value] of Object.entries(weights)) {
      if (!(Number.isFinite(value) && value >= 0 && value <= 5)) {
        throw invalid(`weights.${name} is from 0 to 5.`, { field: `weights.${name}` });
      }
    }
    if (weights.credentials + weights.workHistory + weights.references === 0) {
      throw invalid('At least one of the weights is above 0, or nothing would count.', { field: 'weights' });
    }
    const maxTeamSize = input.maxTeamSize === undefined ? (current?.maxTeamSize ?? null) : input.maxTeamSize;
    if (
      maxTeamSize !== null &&
      !(Number.isInteger(maxTeamSize) && maxTeamSize >= 1 && maxTeamSize <= hiringLimits.maxTeamSize)
    ) {
      throw invalid(`maxTeamSize is a whole number from 1 to ${hiringLimits.maxTeamSize}.`, { field: 'maxTeamSize' });
    }
    const budget = input.budget === undefined ? (current?.budget ?? null) : input.budget;
    if (budget !== null && !(Number.isFinite(budget) && budget >= 0 && budget <= hiringLimits.maxBudget)) {
      throw invalid('budget (the most the team’s day rates may add up to) is from 0 to 100,000,000.', {
        field: 'budget',
      });
    }
    return {
      orgId,
      title,
      description: input.description ?? current?.description ?? '',
      kind: input.kind,
      status: input.status ?? current?.status ?? 'draft',
      skills: await resolveSkills(input.skills),
      weights,
      location: input.location ?? null,
      remote: input.remote ?? false,
      blind: input.blind ?? current?.blind ?? true,
      maxTeamSize,
      budget,
    };
  }

  async function jobOf(orgId: string, jobId: string): Promise<StoredJob> {
    const uuid = isUuid(jobId);
    const job = uuid ? await store.job(orgId, jobId) : undefined;
    if (!job) throw notFound('That job');
    return job;
  }

  const jobSkills = (job: StoredJob): JobSkill[] =>
    job.skills.map((s) => ({
      code: s.skill,
      label: s.label,
      weight: s.weight,
      minLevel: s.minLevel,
      required: s.required,
    }));

  /** Every discoverable candidate holding at least one asked skill (or a related one), with their evidence. */
  async function pool(job: StoredJob) {
    await sweep();
    const codes = await relatedCodes(job.skills.map((s) => s.skill));
    const rows = await store.evidenceFor(codes);
    const byCandidate = new Map<string, { userId: string; rows: typeof rows }>();
    for (const r of rows) {
      const entry = byCandidate.get(r.candidateId) ?? { userId: r.userId, rows: [] };
      entry.rows.push(r);
      byCandidate.set(r.candidateId, entry);
    }
    const records = await store.recordsOf([...new Set([...byCandidate.values()].map((c) => c.userId))]);
    const recordsBy = new Map<string, typeof records>();
    for (const r of records) recordsBy.set(r.userId, [...(recordsBy.get(r.userId) ?? []), r]);
    const at = now();
    return [...byCandidate].map(([candidateId, c]) => ({
      candidateId,
      userId: c.userId,
      evidence: candidateEvidence(c.rows, recordsBy.get(c.userId) ?? [], at),
    }));
  }

  /**
   * A job's ranking: the page from `offset` (each candidate with every term) and how many rank. `exhaustive`
   * scores the whole pool (every candidate holding an asked skill); `bounded` (the default) reads an upper bound
   * of every candidate's score from the index and scores exactly only the best bounds, more of them until the
   * last candidate of the page scores above every bound left out: the same answer, from a few hundred candidates.
   * A job with required skills is ranked exhaustively (whether a candidate proves them is the score's to say).
   */
  async function ranking(
    job: StoredJob,
    page: { limit: number; offset: number },
    strategy: 'bounded' | 'exhaustive' = 'bounded',
    /** How many candidates the bounded ranking scores first (then four times as many each time). */
    firstBatch = Math.max(4 * (page.offset + page.limit), page.offset + page.limit + 200),
  ): Promise<{ total: number; candidates: (RankedCandidate & { userId: string })[] }> {
    const scoring = { skills: jobSkills(job), weights: job.weights };
    const { relationOf } = await hierarchy();
    const unnamed = { displayName: '', email: '', handle: null, country: null };
    const withUsers = (
      ranked: { total: number; candidates: RankedCandidate[] },
      total: number,
      candidates: { candidateId: string; userId: string }[],
    ) => {
      const userOf = new Map(candidates.map((c) => [c.candidateId, c.userId]));
      return { total, candidates: ranked.candidates.map((c) => ({ ...c, userId: userOf.get(c.candidateId)! })) };
    };
    if (strategy === 'exhaustive' || scoring.skills.some((s) => s.required)) {
      const candidates = await pool(job);
      const ranked = rankCandidates(
        candidates.map((c) => ({ candidateId: c.candidateId, identity: unnamed, evidence: c.evidence })),
        scoring,
        relationOf,
        { blind: true, limit: page.limit, offset: page.offset },
      );
      return withUsers(ranked, ranked.total, candidates);
    }
    await sweep();
    const params = defaultParams;
    const codes = await relatedCodes(scoring.skills.map((s) => s.code));
    const partial = { exact: 1, ...params.partial };
    const factors = codes.map((code) =>
      scoring.skills.reduce((sum, s) => {
        const relation = relationOf(code, s.code);
        return relation ? sum + s.weight * partial[relation] : sum;
      }, 0),
    );
    const wanted = page.offset + page.limit;
    const at = now();
    const boundsInput = { codes, factors, at, params, weights: job.weights };
    // The best bounds only (enough for four batches, one more to know the best one left out), more when needed.
    let { total, top } = await store.candidateBounds({ ...boundsInput, limit: 4 * Math.max(1, firstBatch) + 1 });
    const candidates: { candidateId: string; userId: string; identity: typeof unnamed; evidence: CandidateEvidence }[] =
      [];
    const scores: number[] = [];
    // The bounds not scored yet, best first (a longer list read again may differ if the evidence changed meanwhile).
    const scored = new Set<string>();
    let rest = top;
    for (let n = Math.max(1, firstBatch); ;) {
      if (top.length < Math.min(total, n + 1)) {
        ({ total, top } = await store.candidateBounds({ ...boundsInput, limit: 4 * n + 1 }));
        rest = top.filter((c) => !scored.has(c.userId));
      }
      const batch = rest.slice(0, n - candidates.length);
      rest = rest.slice(batch.length);
      const userIds = batch.map((c) => c.userId);
      const [rows, records] = await Promise.all([store.evidenceOfFor(userIds, codes), store.recordsOf(userIds)]);
      const rowsBy = new Map<string, typeof rows>();
      for (const r of rows) rowsBy.set(r.userId, [...(rowsBy.get(r.userId) ?? []), r]);
      const recordsBy = new Map<string, typeof records>();
      for (const r of records) recordsBy.set(r.userId, [...(recordsBy.get(r.userId) ?? []), r]);
      for (const c of batch) {
        const evidence = candidateEvidence(rowsBy.get(c.userId) ?? [], recordsBy.get(c.userId) ?? [], at);
        candidates.push({ candidateId: c.candidateId, userId: c.userId, identity: unnamed, evidence });
        scored.add(c.userId);
        const s = scoreCandidate(evidence, scoring, relationOf, params, { explain: false });
        if (s.requiredMet && s.terms.length > 0) scores.push(s.score);
      }
      scores.sort((x, y) => y - x);
      const leftOut = rest[0]?.bound;
      // A candidate left out scores at most their bound: below the page's last score, they cannot enter the page.
      if (leftOut === undefined || (scores.length >= wanted && scores[wanted - 1]! > leftOut)) {
        const ranked = rankCandidates(candidates, scoring, relationOf, { ...page, blind: true, params });
        return withUsers(ranked, total, candidates);
      }
      // The page's last score so far only rises: every candidate whose bound reaches it is scored next (all at
      // once), or four times as many as now while there are not yet enough scores or bounds read to tell.
      const kth = scores.length >= wanted ? scores[wanted - 1]! : undefined;
      let reach = 0;
      while (kth !== undefined && reach < rest.length && rest[reach]!.bound >= kth) reach++;
      n =
        kth === undefined
          ? 4 * candidates.length
          : reach < rest.length || top.length >= total
            ? candidates.length + reach
            : Math.max(candidates.length + reach + 1, 4 * candidates.length);
    }
  }

  async function identityOf(userId: string) {
    const who = await deps.identity(userId);
    return { displayName: who.displayName, email: who.email };
  }

  /** The terms of an engagement, checked: every problem a 400 before anything is signed. */
  async function engagementTerms(input: EngagementRequest) {
    const email = input.worker.trim().toLowerCase();
    const role = input.role.trim();
    if (!role || role.length > 200) throw invalid('role is 1 to 200 characters.', { field: 'role' });
    if (!isDate(input.from)) throw invalid('from is a date, YYYY-MM-DD.', { field: 'from' });
    const until = input.until ?? null;
    if (until !== null && !isDate(until)) throw invalid('until is a date, YYYY-MM-DD, or null.', { field: 'until' });
    if (until !== null && until < input.from) throw invalid('until is not before from.', { field: 'until' });
    const today = now().toISOString().slice(0, 10);
    if (input.from > today)
      throw invalid('from is not in the future: record engagements that happened.', { field: 'from' });
    if ((input.summary ?? '').length > 2000)
      throw invalid('summary is at most 2,000 characters.', { field: 'summary' });
    const ratings = {
      communication: null as number | null,
      timeliness: null as number | null,
      reliability: null as number | null,
    };
    for (const key of Object.keys(ratings) as (keyof typeof ratings)[]) {
      const value = input.ratings?.[key] ?? null;
      if (value !== null && !(Number.isInteger(value) && value >= 0 && value <= 100)) {
        throw invalid(`ratings.${key} is a whole number from 0 to 100.`, { field: `ratings.${key}` });
      }
      ratings[key] = value;
    }
    const comment = input.reference?.comment.trim();
    if (input.reference && (!comment || comment.length > 2000)) {
      throw invalid('A reference has a comment of 1 to 2,000 characters.', { field: 'reference.comment' });
    }
    const codes = [...new Set((input.skills ?? []).map((c) => c.trim()))];
    if (codes.length > hiringLimits.maxJobSkills) {
      throw invalid(`An engagement lists at most ${hiringLimits.maxJobSkills} skills.`, { field: 'skills' });
    }
    const found = codes.length ? await deps.skills.skillsByCode(codes) : [];
    const byKey = new Map<string, { code: string; url: string; name: string; framework?: string }>();
    for (const s of found) {
      byKey.set(s.code, s);
      byKey.set(s.url, s);
    }
    const unknown = codes.filter((c) => !byKey.has(c));
    if (unknown.length) {
      throw invalid(`skills names skills this instance does not know: ${unknown.slice(0, 5).join(', ')}.`, {
        field: 'skills',
        unknown: unknown.slice(0, 50),
      });
    }
    const skills = [...new Map(codes.map((c) => byKey.get(c)!).map((s) => [s.code, s])).values()].map((s) => ({
      code: s.code,
      url: s.url,
      name: s.name,
      framework: s.framework ?? 'ESCO',
    }));
    return { email, role, from: input.from, until, ratings, comment, skills, summary: input.summary };
  }

  async function issueEngagement(
    orgId: string,
    byUserId: string,
    workerId: string,
    terms: Awaited<ReturnType<typeof engagementTerms>>,
  ) {
    const { email, role, until, skills, ratings, comment } = terms;
    const employerName = (await deps.orgName(orgId)) ?? 'the employer';
    const at = now();
    const work = await deps.issue(
      orgId,
      workHistoryCredential(
        { email, role, from: terms.from, until, skills, ratings, employerName, summary: terms.summary },
        at,
      ),
      { recipientUserId: workerId, issuedBy: byUserId },
    );
    const reference = comment
      ? await deps.issue(
          orgId,
          referenceCredential({ workHistoryId: work.credentialId, comment, employerName, role }, at),
          { recipientUserId: workerId, issuedBy: byUserId },
        )
      : null;
    await deps.engagementClosed?.({ workerId, orgId, from: terms.from, recordedBy: byUserId });
    return { workHistory: work, reference };
  }

  return {
    recompute,
    sweep,

    /**
     * The registry of trusted issuers changed: marks for recompute the workers holding a credential whose
     * issuer's trust differs from when it was indexed (the next ranking or sweep recomputes them). Returns how
     * many were marked.
     */
    async issuersChanged(): Promise<number> {
      const isTrusted = deps.isTrustedIssuer;
      if (!isTrusted) return 0;
      const indexed = await store.indexedIssuers();
      const moved = new Set<string>();
      let legacy = false;
      for (const { issuer, trusted } of indexed) {
        if (issuer === null) legacy = true;
        else if ((await isTrusted(issuer).catch(() => false)) !== trusted) moved.add(issuer);
      }
      return store.markDirtyByIssuers([...moved], legacy);
    },

    async talent(userId: string) {
      return profileView(await store.profileOf(userId));
    },

    async saveTalent(userId: string, input: TalentInput) {
      checkTalent(input);
      const current = await store.profileOf(userId);
      const roles = (input.desiredRoles ?? current?.desiredRoles ?? []).map((r) => r.trim()).filter(Boolean);
      if (roles.length > hiringLimits.maxDesiredRoles) {
        throw invalid(`desiredRoles lists at most ${hiringLimits.maxDesiredRoles} roles.`, { field: 'desiredRoles' });
      }
      if (roles.some((r) => r.length > 100))
        throw invalid('A desired role is at most 100 characters.', { field: 'desiredRoles' });
      let holdingIds = input.holdingIds === undefined ? (current?.holdingIds ?? null) : input.holdingIds;
      if (holdingIds) {
        if (holdingIds.length > hiringLimits.maxHoldings)
          throw invalid('Too many holdings chosen.', { field: 'holdingIds' });
        const mine = new Set((await deps.holdings(userId)).map((h) => h.holdingId));
        const foreign = holdingIds.filter((id) => !mine.has(id));
        if (foreign.length) {
          throw invalid(`holdingIds names ${foreign.length} credential(s) your wallet does not hold.`, {
            field: 'holdingIds',
          });
        }
        holdingIds = [...new Set(holdingIds)];
      }
      const saved = await store.saveProfile(userId, {
        discoverable: input.discoverable,
        headline: (input.headline ?? current?.headline ?? '').trim(),
        availableFrom: input.availableFrom === undefined ? (current?.availableFrom ?? null) : input.availableFrom,
        daysPerWeek: input.daysPerWeek === undefined ? (current?.daysPerWeek ?? null) : input.daysPerWeek,
        dayRate: input.dayRate === undefined ? (current?.dayRate ?? null) : input.dayRate,
        desiredRoles: roles,
        holdingIds,
      });
      // At once: opting out removes the worker from every ranking before this answers.
      await recompute(userId);
      return profileView(saved);
    },

    /** Exactly what employers see of the worker: the blind card, and what a reveal shows. */
    async preview(userId: string) {
      const profile = await store.profileOf(userId);
      const holdings = await deps.holdings(userId);
      const chosen = profile?.holdingIds ? new Set(profile.holdingIds) : undefined;
      const who = await identityOf(userId);
      return {
        discoverable: profile?.discoverable ?? false,
        blind: {
          candidateId: profile?.id ?? null,
          displayName: null,
          headline: profile?.headline ?? '',
          availableFrom: profile?.availableFrom ?? null,
          daysPerWeek: profile?.daysPerWeek ?? null,
          dayRate: profile?.dayRate ?? null,
          desiredRoles: profile?.desiredRoles ?? [],
        },
        revealed: { displayName: who.displayName, email: who.email },
        holdings: holdings.map((h) => ({
          holdingId: h.holdingId,
          name: h.name,
          kind: h.kind,
          issuer: h.issuer.name ?? h.issuer.id,
          status: h.status,
          shown: profile?.discoverable === true && (!chosen || chosen.has(h.holdingId)),
          counts: profile?.discoverable === true && (!chosen || chosen.has(h.holdingId)) && h.status === 'active',
          work: h.work,
          reference: h.reference,
        })),
        reveals: await this.reveals(userId),
      };
    },

    /** Who revealed the worker's identity, when, for which job. */
    async reveals(userId: string) {
      const rows = await store.revealsOf(userId);
      return Promise.all(
        rows.map(async (r) => ({
          jobId: r.jobId,
          jobTitle: r.jobTitle,
          organization: (await deps.orgName(r.orgId)) ?? 'An organization',
          revealedBy: r.revealedBy
            ? ((await identityOf(r.revealedBy).catch(() => undefined))?.displayName ?? null)
            : null,
          revealedAt: r.revealedAt.toISOString(),
        })),
      );
    },

    async createJob(orgId: string, userId: string, input: JobInput) {
      return jobView(await store.createJob(await jobFromInput(orgId, input), userId));
    },

    async updateJob(orgId: string, jobId: string, input: JobInput) {
      const current = await jobOf(orgId, jobId);
      if (current.status === 'closed' && input.status !== 'open') {
        throw new DomainError('conflict', 'The job is closed: reopen it (status "open") to edit it.');
      }
      const { orgId: _org, ...fields } = await jobFromInput(orgId, input, current);
      void _org;
      return jobView((await store.updateJob(orgId, jobId, fields))!);
    },

    async setJobStatus(orgId: string, jobId: string, status: StoredJob['status']) {
      const current = await jobOf(orgId, jobId);
      const { id: _id, orgId: _o, createdAt: _c, updatedAt: _u, ...fields } = current;
      void [_id, _o, _c, _u];
      return jobView((await store.updateJob(orgId, jobId, { ...fields, status }))!);
    },

    async job(orgId: string, jobId: string) {
      return jobView(await jobOf(orgId, jobId));
    },

    async jobs(orgId: string) {
      return (await store.jobs(orgId)).map(jobView);
    },

    /** Open jobs for anyone, newest first: text in the title or description, a skill (code or URI). */
    async searchOpenJobs(query: { q?: string | undefined; skill?: string | undefined; limit: number; offset: number }) {
      if (!(Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= hiringLimits.maxLimit)) {
        throw invalid(`limit is a whole number from 1 to ${hiringLimits.maxLimit}.`, { field: 'limit' });
      }
      if (!(Number.isInteger(query.offset) && query.offset >= 0 && query.offset <= hiringLimits.maxOffset)) {
        throw invalid(`offset is a whole number from 0 to ${hiringLimits.maxOffset}.`, { field: 'offset' });
      }
      const text = query.q?.trim() || undefined;
      let skill: string | undefined;
      const asked = query.skill?.trim();
      if (asked) {
        const found = await deps.skills.skillsByCode([asked]);
        const known = found.find((s) => s.code === asked || s.url === asked);
        if (!known) {
          throw invalid('This instance does not know that skill: pick one from the skills search.', {
            field: 'skill',
          });
        }
        skill = known.code;
      }
      const found = await store.searchOpenJobs({ text, skill, limit: query.limit, offset: query.offset });
      return {
        total: found.total,
        jobs: found.jobs.map((job) => ({
          id: job.id,
          title: job.title,
          orgName: job.orgName,
          kind: job.kind,
          location: job.location,
          remote: job.remote,
          skills: job.skills.map((s) => ({ skill: s.skill, label: s.label, required: s.required, weight: s.weight })),
        })),
      };
    },

    /** An open job's public posting, for anyone: what the job board shows and a worker applies to. */
    async openJobPosting(jobId: string) {
      const job = isUuid(jobId) ? await store.openJob(jobId) : undefined;
      if (!job) throw notFound('That open job');
      return {
        id: job.id,
        title: job.title,
        orgName: (await deps.orgName(job.orgId)) ?? 'An organization',
        kind: job.kind,
        description: job.description,
        location: job.location,
        remote: job.remote,
        skills: job.skills.map((s) => ({
          skill: s.skill,
          label: s.label,
          weight: s.weight,
          minLevel: s.minLevel,
          required: s.required,
        })),
        createdAt: job.createdAt.toISOString(),
      };
    },

    /** An open job's skills, for anyone (reskilling advice plans toward it); undefined unless it is open. */
    async openJobTarget(jobId: string) {
      const uuid = isUuid(jobId);
      const job = uuid ? await store.openJob(jobId) : undefined;
      if (!job) return undefined;
      return {
        id: job.id,
        title: job.title,
        skills: job.skills.map((s) => ({ skill: s.skill, required: s.required, weight: s.weight })),
      };
    },

    async deleteJob(orgId: string, jobId: string) {
      await jobOf(orgId, jobId);
      await store.deleteJob(orgId, jobId);
    },

    /** The ranked candidates of a job, highest score first, with every term. */
    async candidates(
      orgId: string,
      jobId: string,
      options: {
        limit: number;
        offset: number;
        blind?: boolean | undefined;
        /** How the ranking is computed (the same answer): for tests and the benchmark. */
        strategy?: 'bounded' | 'exhaustive' | undefined;
        firstBatch?: number | undefined;
      },
    ) {
      if (!(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= hiringLimits.maxLimit)) {
        throw invalid(`limit is a whole number from 1 to ${hiringLimits.maxLimit}.`, { field: 'limit' });
      }
      if (!(Number.isInteger(options.offset) && options.offset >= 0 && options.offset <= hiringLimits.maxOffset)) {
        throw invalid(`offset is a whole number from 0 to ${hiringLimits.maxOffset}.`, { field: 'offset' });
      }
      const job = await jobOf(orgId, jobId);
      const blind = options.blind ?? job.blind;
      const ranked = await ranking(job, options, options.strategy, options.firstBatch);
      const page = ranked.candidates;
      const revealed = await store.revealedFor(
        job.id,
        page.map((c) => c.userId),
      );
      return {
        job: { id: job.id, title: job.title, blind },
        total: ranked.total,
        candidates: await Promise.all(
          page.map(async ({ userId, ...c }) => ({
            ...c,
            displayName: !blind || revealed.has(userId) ? (await identityOf(userId)).displayName : null,
            revealed: revealed.has(userId),
          })),
        ),
      };
    },

    /** One candidate for a job: every credential that counted with its live verdict, work, references, terms. */
    async candidate(orgId: string, jobId: string, candidateId: string, options: { blind?: boolean | undefined }) {
      const job = await jobOf(orgId, jobId);
      const uuid = isUuid(candidateId);
      const profile = uuid ? await store.profileById(candidateId) : undefined;
      // A worker who is not (or no longer) discoverable answers exactly like one who never was.
      if (!profile?.discoverable) throw notFound('That candidate');
      await sweep();
      const rows = await store.evidenceOf(profile.userId);
      const records = await store.recordsOf([profile.userId]);
      const evidence = candidateEvidence(rows, records, now());
      const scored = scoreCandidate(
        evidence,
        { skills: jobSkills(job), weights: job.weights },
        (await hierarchy()).relationOf,
      );
      const counted = new Set(scored.terms.map((t) => t.credentialId).filter(Boolean));
      if (counted.size === 0) throw notFound('That candidate');
      const blind = options.blind ?? job.blind;
      const revealed = (await store.revealedFor(job.id, [profile.userId])).has(profile.userId);
      const who = !blind || revealed ? await identityOf(profile.userId) : undefined;
      const verdictOf = async (holdingId: string) => {
        const v = await deps.verdict(profile.userId, holdingId).catch(() => undefined);
        return v ? { verified: v.verified, checks: v.checks } : null;
      };
      return {
        job: { id: job.id, title: job.title, blind },
        candidateId: profile.id,
        displayName: who?.displayName ?? null,
        email: who?.email ?? null,
        revealed,
        headline: profile.headline,
        availableFrom: profile.availableFrom,
        daysPerWeek: profile.daysPerWeek,
        dayRate: profile.dayRate,
        desiredRoles: profile.desiredRoles,
        score: scored.score,
        terms: scored.terms,
        missingRequired: scored.missingRequired,
        credentials: await Promise.all(
          evidence.credentials
            .filter((c) => counted.has(c.credentialId))
            .map(async (c) => ({
              credentialId: c.credentialId,
              name: c.name,
              issuer: c.issuer,
              trustedIssuer: c.trustedIssuer,
              status: c.status,
              assessment: c.assessment,
              score: c.score,
              skills: c.skills.map((s) => ({ code: s.code, label: s.label ?? s.code })),
              verification: await verdictOf(c.credentialId),
            })),
        ),
        workHistory: await Promise.all(
          evidence.work.map(async (w) => ({
            credentialId: w.credentialId,
            employer: w.employer,
            role: w.role,
            months: w.months,
            ratings: w.ratings,
            status: w.status,
            verification: await verdictOf(w.credentialId),
          })),
        ),
        references: await Promise.all(
          evidence.references.map(async (r) => ({
            credentialId: r.credentialId,
            from: r.from,
            status: r.status,
            comment:
              (
                (records.find((x) => x.holdingId === r.credentialId)?.facts.reference ?? null) as {
                  comment: string | null;
                } | null
              )?.comment ?? null,
            verification: await verdictOf(r.credentialId),
          })),
        ),
      };
    },

    /**
     * Closes an engagement: signs, as the organization, a work-history credential (role, period, skills used,
     * ratings) and optionally a reference (an EndorsementCredential of it), both issued to the worker's wallet.
     */
    async closeEngagement(orgId: string, byUserId: string, input: EngagementRequest) {
      const terms = await engagementTerms(input);
      const workerId = await deps.workerByEmail(terms.email);
      if (!workerId) {
        throw new DomainError(
          'not-found',
          'No account here has confirmed that email: the worker signs up (and confirms the address) first.',
          { field: 'worker' },
        );
      }
      return issueEngagement(orgId, byUserId, workerId, terms);
    },

    /**
     * The optimal team for a project (issue 20, item 4): fewest members, then lowest total day rate, then highest
     * summed score, every required skill held by as many members as it needs; with the next 3 teams, or which
     * skills no available candidate covers.
     */
    async team(orgId: string, jobId: string, request: TeamRequest) {
      const job = await jobOf(orgId, jobId);
      if (job.kind !== 'project') {
        throw new DomainError('conflict', 'Team staffing is for projects: this is a job (kind "job").');
      }
      const maxSize = request.maxSize ?? job.maxTeamSize ?? undefined;
      if (
        maxSize !== undefined &&
        !(Number.isInteger(maxSize) && maxSize >= 1 && maxSize <= hiringLimits.maxTeamSize)
      ) {
        throw invalid(`maxSize is a whole number from 1 to ${hiringLimits.maxTeamSize}.`, { field: 'maxSize' });
      }
      const budget = request.budget ?? job.budget ?? undefined;
      if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0 && budget <= hiringLimits.maxBudget)) {
        throw invalid('budget (the most the team’s day rates may add up to) is from 0 to 100,000,000.', {
          field: 'budget',
        });
      }
      const exclude = request.exclude ?? [];
      if (exclude.length > hiringLimits.maxHoldings)
        throw invalid('Too many candidates excluded.', { field: 'exclude' });
      const start = request.start ?? now().toISOString().slice(0, 10);
      if (!isDate(start)) throw invalid('start is a date, YYYY-MM-DD.', { field: 'start' });

      const { relationOf } = await hierarchy();
      const scoring = { skills: jobSkills(job), weights: job.weights };
      const scoreOf = (evidence: PoolCandidate['evidence']) =>
        scoreCandidate(evidence, scoring, relationOf, undefined, { explain: false }).score;
      const sources: {
        userId: string;
        candidateId?: string;
        source: PoolCandidate['source'];
        evidence: PoolCandidate['evidence'];
      }[] = [];
      if (request.candidatePool !== 'applicants') {
        for (const c of await pool(job)) sources.push({ ...c, source: 'ranked' });
      }
      if (request.candidatePool !== 'ranked') {
        const at = now();
        for (const a of (await deps.applicants?.(orgId, job.id)) ?? []) {
          const chosen = a.holdingIds ? new Set(a.holdingIds) : undefined;
          const { evidence, records } = indexRows(
            (await deps.holdings(a.userId)).filter((h) => !chosen || chosen.has(h.holdingId)),
          );
          const rows = evidence.map((e) => ({ ...e, validUntil: e.validUntil ? new Date(e.validUntil) : null }));
          const recs = records.map((r) => ({ ...r, validUntil: r.validUntil ? new Date(r.validUntil) : null }));
          sources.push({ userId: a.userId, source: 'applicant', evidence: candidateEvidence(rows, recs, at) });
        }
      }
      const profiles = new Map(
        (await store.profilesOf([...new Set(sources.map((s) => s.userId))])).map((p) => [p.userId, p]),
      );
      const candidates: PoolCandidate[] = [];
      let noProfile = 0;
      for (const s of sources) {
        const profile = profiles.get(s.userId);
        if (!profile) {
          noProfile++;
          continue;
        }
        candidates.push({
          candidateId: profile.id,
          userId: s.userId,
          source: s.source,
          evidence: s.evidence,
          score: scoreOf(s.evidence),
          dayRate: profile.dayRate,
          availableFrom: profile.availableFrom,
          daysPerWeek: profile.daysPerWeek,
        });
      }
      const outcome = await staffTeam({
        skills: job.skills,
        candidates,
        relationOf,
        maxSize,
        budget,
        exclude: new Set(exclude),
        start,
        timeLimitSeconds: hiringLimits.teamSeconds,
      });
      const skipped = { ...outcome.skipped, noDayRate: outcome.skipped.noDayRate + noProfile };
      if (outcome.considered.length === 0) {
        throw invalid(
          `The ${request.candidatePool === 'both' ? 'ranked and applicant' : request.candidatePool} pool has no ` +
            'candidate to staff from: none is available by the start date with a day rate and a required skill.',
          { field: 'candidatePool', pool: sources.length, skipped },
        );
      }
      const blind = job.blind;
      const revealed = await store.revealedFor(
        job.id,
        outcome.considered.map((c) => c.userId),
      );
      const names = new Map<string, string | null>();
      for (const c of outcome.considered) {
        names.set(c.candidateId, !blind || revealed.has(c.userId) ? (await identityOf(c.userId)).displayName : null);
      }
      const teamView = (team: Team) => ({
        size: team.size,
        totalDayRate: team.rate,
        totalScore: team.score,
        members: team.members.map((i) => {
          const c = outcome.considered[i]!;
          return {
            candidateId: c.candidateId,
            displayName: names.get(c.candidateId) ?? null,
            source: c.source,
            dayRate: c.dayRate!,
            score: c.score,
            covers: c.holds,
          };
        }),
        coverage: coverageOf(team, outcome),
      });
      const { result } = outcome;
      const limits = [
        maxSize !== undefined ? `of at most ${maxSize} members` : '',
        budget !== undefined ? `within a budget of ${budget} a day` : '',
      ].filter(Boolean);
      return {
        job: { id: job.id, title: job.title, blind },
        candidatePool: request.candidatePool,
        start,
        maxSize: maxSize ?? null,
        budget: budget ?? null,
        requirements: outcome.requirements,
        status: result.status,
        optimal: result.status === 'optimal',
        statement:
          result.status === 'optimal'
            ? 'Optimal, proven by solving the integer program exactly (HiGHS): no team that covers every required ' +
              'skill has fewer members; none of this size has a lower total day rate; none of this size and rate ' +
              'has a higher summed score. Each runner-up is the best team in the same order that does not contain ' +
              'a team listed before it.'
            : result.status === 'infeasible'
              ? 'No team of the available candidates covers every required skill' +
                (limits.length && result.uncovered.length === 0 ? ` ${limits.join(' and ')}.` : '.')
              : 'The solver ran out of time: this is the best team found, not proven optimal.',
        team: result.status !== 'infeasible' && result.team ? teamView(result.team) : null,
        runnersUp: result.status !== 'infeasible' ? result.runnersUp.map(teamView) : [],
        infeasible:
          result.status === 'infeasible'
            ? {
                uncovered: result.uncovered.map((u) => ({
                  skill: outcome.requirements[u.requirement]!.skill,
                  label: outcome.requirements[u.requirement]!.label,
                  needed: u.needed,
                  holders: u.holders,
                })),
                limitedBy: result.uncovered.length
                  ? []
                  : [...(maxSize !== undefined ? ['maxSize'] : []), ...(budget !== undefined ? ['budget'] : [])],
              }
            : null,
        pool: {
          considered: outcome.considered.length,
          skipped,
          candidates: outcome.considered.map((c) => ({
            candidateId: c.candidateId,
            displayName: names.get(c.candidateId) ?? null,
            source: c.source,
            dayRate: c.dayRate!,
            score: c.score,
            availableFrom: c.availableFrom,
            daysPerWeek: c.daysPerWeek,
            covers: c.holds,
          })),
        },
      };
    },

    /** The terms of an engagement, checked (every problem a 400 before anything is signed). */
    engagementTerms,

    /** Signs the work-history credential (and the reference, if any) of checked terms, to the worker's wallet. */
    issueEngagement,

    /** The asked skills and every skill that counts toward them (narrower at any depth, direct broader). */
    relatedCodes,

    /** A worker's holdings as hiring reads them (status now, trusted issuer). */
    workerHoldings: deps.holdings,

    /** Reveals one candidate's identity for a job: recorded (who, when, which job) and shown to the candidate. */
    async reveal(orgId: string, jobId: string, candidateId: string, byUserId: string) {
      const job = await jobOf(orgId, jobId);
      const uuid = isUuid(candidateId);
      const profile = uuid ? await store.profileById(candidateId) : undefined;
      if (!profile?.discoverable) throw notFound('That candidate');
      const revealedAt = await store.addReveal(job.id, profile.userId, byUserId);
      const who = await identityOf(profile.userId);
      return {
        candidateId: profile.id,
        displayName: who.displayName,
        email: who.email,
        revealedAt: revealedAt.toISOString(),
      };
    },
  };
}

export type Hiring = ReturnType<typeof createHiring>;
