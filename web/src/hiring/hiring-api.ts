/** The hiring API's answers as the web app reads them (src/hiring/routes.ts), and the paths it calls. */
import { useSession } from '../accounts/session';

export interface JobSkill {
  skill: string;
  label: string;
  weight: number;
  minLevel: number | null;
  required: boolean;
}

export interface Weights {
  credentials: number;
  workHistory: number;
  references: number;
}

export interface Job {
  id: string;
  orgId: string;
  title: string;
  description: string;
  kind: 'job' | 'project';
  status: 'draft' | 'open' | 'closed';
  skills: JobSkill[];
  weights: Weights;
  location: string | null;
  remote: boolean;
  blind: boolean;
  createdAt: string;
  updatedAt: string;
}

export type TermKind = 'credential' | 'saturation' | 'track-record' | 'work-history' | 'reference';

export interface Term {
  kind: TermKind;
  skill?: string;
  credentialId?: string;
  points: number;
  note: string;
}

export interface RankedCandidate {
  candidateId: string;
  displayName: string | null;
  revealed: boolean;
  score: number;
  terms: Term[];
}

export interface Ranking {
  job: { id: string; title: string; blind: boolean };
  total: number;
  candidates: RankedCandidate[];
}

export interface Verification {
  verified: boolean;
  checks: { id: string; status: string; message: string }[];
}

export interface Ratings {
  communication: number | null;
  timeliness: number | null;
  reliability: number | null;
}

export interface CandidateDetail {
  job: { id: string; title: string; blind: boolean };
  candidateId: string;
  displayName: string | null;
  email: string | null;
  revealed: boolean;
  headline: string;
  availableFrom: string | null;
  daysPerWeek: number | null;
  dayRate: number | null;
  desiredRoles: string[];
  score: number;
  terms: Term[];
  missingRequired: string[];
  credentials: {
    credentialId: string;
    name: string;
    issuer: string | null;
    trustedIssuer: boolean;
    status: string;
    assessment: string;
    score: number | null;
    skills: { code: string; label: string }[];
    verification: Verification | null;
  }[];
  workHistory: {
    credentialId: string;
    employer: string | null;
    role: string;
    months: number;
    ratings: Ratings;
    status: string;
    verification: Verification | null;
  }[];
  references: {
    credentialId: string;
    from: string | null;
    status: string;
    comment: string | null;
    verification: Verification | null;
  }[];
}

export interface Talent {
  discoverable: boolean;
  headline: string;
  availableFrom: string | null;
  daysPerWeek: number | null;
  dayRate: number | null;
  desiredRoles: string[];
  holdingIds: string[] | null;
  updatedAt: string | null;
}

export interface TalentPreview {
  discoverable: boolean;
  blind: {
    candidateId: string | null;
    displayName: null;
    headline: string;
    availableFrom: string | null;
    daysPerWeek: number | null;
    dayRate: number | null;
    desiredRoles: string[];
  };
  revealed: { displayName: string; email: string };
  holdings: {
    holdingId: string;
    name: string;
    kind: 'credential' | 'work' | 'reference';
    issuer: string | null;
    status: string;
    shown: boolean;
    counts: boolean;
    work: { role: string; months: number; from: string | null; until: string | null; ratings: Ratings } | null;
    reference: { comment: string | null } | null;
  }[];
  reveals: { jobId: string; jobTitle: string; organization: string; revealedBy: string | null; revealedAt: string }[];
}

export const jobsPath = (orgId: string, suffix = '') => `/api/orgs/${orgId}/jobs${suffix}`;

/** The web page of a job's ranking, of one candidate, of the editor. */
export const jobPage = (orgId: string, jobId: string, suffix = '') => `/hiring/${orgId}/jobs/${jobId}${suffix}`;

/** The organization the user acts for, when they may hire for it (employer or owner), else null. */
export function useEmployerOrg() {
  const { currentOrg } = useSession();
  if (!currentOrg) return null;
  return currentOrg.roles.includes('employer') || currentOrg.roles.includes('owner') ? currentOrg : null;
}

/** The points of each kind of term: what a recruiter reads first. */
export function pointsByKind(terms: Term[]) {
  const sum = (kinds: TermKind[]) => terms.filter((t) => kinds.includes(t.kind)).reduce((s, t) => s + t.points, 0);
  return {
    credentials: sum(['credential', 'saturation', 'track-record']),
    workHistory: sum(['work-history']),
    references: sum(['reference']),
  };
}

/** The job's skills this candidate's evidence proves (a credential term with points), by code. */
export function provenSkills(terms: Term[]): Set<string> {
  return new Set(terms.filter((t) => t.kind === 'credential' && t.points > 0 && t.skill).map((t) => t.skill!));
}

export const termLabels: Record<TermKind, string> = {
  credential: 'Credential',
  saturation: 'Diminishing returns',
  'track-record': 'Track record',
  'work-history': 'Work history',
  reference: 'Reference',
};

export const points = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n)}`;
