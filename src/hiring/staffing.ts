import type { CandidateEvidence, RelationOf } from './score.js';
import type { JobSkillRow } from './store.js';
import type { Team, TeamResult } from './team.js';
import { solveTeamOffThread } from './team-thread.js';

/**
 * Team staffing for a project (issue 20, item 4): from a pool of candidates with their verified evidence, day
 * rates and availability, the optimal team (src/hiring/team.ts) with who covers which skill. Pure but for the
 * solver: the caller reads the pool.
 */
export interface TeamRequest {
  candidatePool: 'ranked' | 'applicants' | 'both';
  maxSize?: number | undefined;
  budget?: number | undefined;
  /** Candidate ids not to consider. */
  exclude?: string[] | undefined;
  /** The day the team starts (YYYY-MM-DD, default today): a candidate available from later is left out. */
  start?: string | undefined;
}

export interface PoolCandidate {
  candidateId: string;
  userId: string;
  /** Where the candidate comes from: the ranking (discoverable) or an application to this job. */
  source: 'ranked' | 'applicant';
  evidence: CandidateEvidence;
  /** The ranking's score for the project. */
  score: number;
  dayRate: number | null;
  availableFrom: string | null;
  daysPerWeek: number | null;
}

export interface TeamRequirementView {
  skill: string;
  label: string;
  minLevel: number | null;
  members: number;
}

/**
 * The project skills a candidate holds for a team: an active credential aligned to the skill or to a narrower one
 * (a broader skill proves too little of it) that records at least the skill's minimum level when it has one, or
 * active work history naming the skill (or a narrower one) when the skill asks no level (work history records none).
 */
export function teamSkillsHeld(
  evidence: CandidateEvidence,
  skills: readonly Pick<JobSkillRow, 'skill' | 'minLevel'>[],
  relationOf: RelationOf,
): string[] {
  const close = (held: string, asked: string) => {
    const relation = relationOf(held, asked);
    return relation === 'exact' || relation === 'narrower';
  };
  return skills
    .filter((s) => {
      const byCredential = evidence.credentials.some(
        (c) =>
          c.status === 'active' &&
          c.skills.some((held) => {
            if (!close(held.code, s.skill)) return false;
            if (s.minLevel === null) return true;
            const level = held.score ?? c.score;
            return level !== null && level >= s.minLevel;
          }),
      );
      const byWork =
        s.minLevel === null &&
        evidence.work.some((w) => w.status === 'active' && w.skills.some((code) => close(code, s.skill)));
      return byCredential || byWork;
    })
    .map((s) => s.skill);
}

export type Skipped = { unavailable: number; noDayRate: number; excluded: number; holdsNone: number };

export interface StaffingOutcome {
  requirements: TeamRequirementView[];
  /** The candidates the solver chose from (each holding at least one required skill), with what they hold. */
  considered: (PoolCandidate & { holds: string[] })[];
  skipped: Skipped;
  result: TeamResult;
}

/** Reads the pool's facts, builds the problem and solves it. */
export async function staffTeam(input: {
  skills: readonly JobSkillRow[];
  candidates: readonly PoolCandidate[];
  relationOf: RelationOf;
  maxSize: number | undefined;
  budget: number | undefined;
  exclude: ReadonlySet<string>;
  start: string;
  timeLimitSeconds: number;
}): Promise<StaffingOutcome> {
  const requirements = input.skills.map((s) => ({
    skill: s.skill,
    label: s.label,
    minLevel: s.minLevel,
    members: s.members ?? 1,
  }));
  const skipped: Skipped = { unavailable: 0, noDayRate: 0, excluded: 0, holdsNone: 0 };
  const considered: (PoolCandidate & { holds: string[] })[] = [];
  const seen = new Set<string>();
  // In candidate-id order, so the same pool always gives the solver the same model.
  const sorted = [...input.candidates].sort((a, b) => (a.candidateId < b.candidateId ? -1 : 1));
  for (const c of sorted) {
    if (seen.has(c.candidateId)) continue;
    seen.add(c.candidateId);
    if (input.exclude.has(c.candidateId)) {
      skipped.excluded++;
      continue;
    }
    if (c.availableFrom !== null && c.availableFrom > input.start) {
      skipped.unavailable++;
      continue;
    }
    if (c.dayRate === null) {
      skipped.noDayRate++;
      continue;
    }
    const holds = teamSkillsHeld(c.evidence, input.skills, input.relationOf);
    if (holds.length === 0) {
      skipped.holdsNone++;
      continue;
    }
    considered.push({ ...c, holds });
  }
  const index = new Map(requirements.map((r, i) => [r.skill, i]));
  const result = await solveTeamOffThread({
    candidates: considered.map((c) => ({
      rate: c.dayRate!,
      score: c.score,
      holds: c.holds.map((code) => index.get(code)!),
    })),
    requirements: requirements.map((r) => ({ needed: r.members })),
    maxSize: input.maxSize,
    budget: input.budget,
    runnersUp: 3,
    timeLimitSeconds: input.timeLimitSeconds,
  });
  return { requirements, considered, skipped, result };
}

/** Who covers which skill in a team: for each requirement, the members holding it. */
export function coverageOf(team: Team, outcome: Pick<StaffingOutcome, 'requirements' | 'considered'>) {
  return outcome.requirements.map((r) => ({
    skill: r.skill,
    label: r.label,
    needed: r.members,
    members: team.members
      .map((i) => outcome.considered[i]!)
      .filter((c) => c.holds.includes(r.skill))
      .map((c) => c.candidateId),
  }));
}
