/** The shapes the team builder reads (POST /api/orgs/ORG/jobs/JOB/team). */
export interface PoolCandidate {
  candidateId: string;
  displayName: string | null;
  source: string;
  dayRate: number;
  score: number;
  availableFrom: string | null;
  daysPerWeek: number | null;
  covers: string[];
}
export interface Requirement {
  skill: string;
  label: string;
  minLevel: number | null;
  members: number;
}
export interface TeamView {
  size: number;
  totalDayRate: number;
  totalScore: number;
  members: { candidateId: string; displayName: string | null; dayRate: number; score: number; covers: string[] }[];
  coverage: { skill: string; label: string; needed: number; members: string[] }[];
}
export interface TeamAnswer {
  job: { id: string; title: string; blind: boolean };
  status: 'optimal' | 'infeasible' | 'time-limit';
  optimal: boolean;
  statement: string;
  maxSize: number | null;
  budget: number | null;
  requirements: Requirement[];
  team: TeamView | null;
  runnersUp: TeamView[];
  infeasible: {
    uncovered: { skill: string; label: string; needed: number; holders: number }[];
    limitedBy: string[];
  } | null;
  pool: { considered: number; skipped: Record<string, number>; candidates: PoolCandidate[] };
}

/** What a hand-made team breaks: skills held by fewer members than needed, the size and the budget. */
export function checkTeam(
  memberIds: readonly string[],
  answer: Pick<TeamAnswer, 'requirements' | 'maxSize' | 'budget' | 'pool'>,
) {
  const byId = new Map(answer.pool.candidates.map((c) => [c.candidateId, c]));
  const members = memberIds.map((id) => byId.get(id)).filter((c): c is PoolCandidate => c !== undefined);
  const short = answer.requirements
    .map((r) => ({ ...r, held: members.filter((m) => m.covers.includes(r.skill)).length }))
    .filter((r) => r.held < r.members);
  // Summed in cents, as the server does.
  const totalDayRate = members.reduce((s, m) => s + Math.round(m.dayRate * 100), 0) / 100;
  return {
    size: members.length,
    totalDayRate,
    totalScore: members.reduce((s, m) => s + m.score, 0),
    short,
    overSize: answer.maxSize !== null && members.length > answer.maxSize,
    overBudget: answer.budget !== null && totalDayRate > answer.budget,
  };
}

/** How a candidate is called on the page: their name once revealed, else a short id (blind review). */
export const candidateLabel = (c: { candidateId: string; displayName: string | null }) =>
  c.displayName ?? `Candidate ${c.candidateId.slice(0, 8)}`;
