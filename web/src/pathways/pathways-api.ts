/** What the pathways API answers (src/pathways/routes.ts), as the pages read it. Type-only imports. */
import type { PathwayCheck, PathwayDefinition, RequirementNode } from '../../../src/pathways/pathway.js';
import type { NodeProgress, Progress } from '../../../src/pathways/progress.js';
import type { Route } from '../../../src/pathways/route.js';
export type { PathwayCheck, PathwayDefinition, RequirementNode, NodeProgress, Progress, Route };

export interface AwardView {
  state: 'pending' | 'issued';
  credentialId: string | null;
  issuedAt: string | null;
}

export interface PathwaySummary {
  pathwayId: string;
  version: number;
  title: string;
  issuer: { id: string; name: string };
  destination: { achievementId: string; name: string | null };
  complete: boolean;
  components: number;
  satisfied: number;
  notCounted: number;
  remaining: string[];
  award: AwardView | null;
}

export interface PathwayProgress extends PathwaySummary {
  definition: PathwayDefinition;
  progress: Progress;
  route: Route;
}

export interface PathwayRecord {
  id: string;
  status: 'draft' | 'published' | 'retired';
  latestVersion: number;
  draft: PathwayDefinition;
  updatedAt: string;
  check?: PathwayCheck;
}

export interface PathwayVersionView {
  pathwayId: string;
  version: number;
  status: string;
  issuer: { id: string; name: string };
  definition: PathwayDefinition;
  publishedAt: string;
}

export interface FlagView {
  id: string;
  awardId: string;
  version: number;
  userId: string;
  credentialId: string | null;
  componentHoldingId: string;
  reason: string;
  createdAt: string;
  decision: 'revoke' | 'keep' | null;
  note: string | null;
  decidedAt: string | null;
}

export interface StackedView {
  pathway: { id: string; version: number; title: string | null; issuer: { id: string; name: string } | null };
  issuedAt: string | null;
  components: {
    component: string;
    name: string;
    issuer: { id: string | null; name: string | null };
    digest: string;
    holdingId: string | null;
    status: 'active' | 'expired' | 'revoked' | 'suspended' | 'unverified' | null;
    sameBytes: boolean | null;
  }[];
  flags: {
    componentHoldingId: string;
    reason: string;
    flaggedAt: string;
    decision: 'revoke' | 'keep' | null;
    decidedAt: string | null;
  }[];
}

export const pathwaysKey = ['me', 'pathways'];
export const orgPathwaysPath = (orgId: string, suffix = '') => `/api/orgs/${orgId}/pathways${suffix}`;
