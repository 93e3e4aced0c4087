/** Shapes of the catalog, assessment and issuance APIs, as the web app reads them (type-only imports). */
import type { DefinitionCheck, MicroCredentialDefinition, SkillAlignment } from '../../../src/catalog/definition.js';
import type { IssuerProfileDetails } from '../../../src/catalog/profile.js';
import type { Item, TestPolicy } from '../../../src/assessment/items.js';
import type { AttemptView } from '../../../src/assessment/assessment.js';
import type { ItemStatistics } from '../../../src/assessment/statistics.js';

export type { DefinitionCheck, IssuerProfileDetails, Item, MicroCredentialDefinition, SkillAlignment, TestPolicy };

export interface AchievementRecord {
  id: string;
  /** The human-readable code, unique in the organization. */
  code: string;
  status: 'draft' | 'published' | 'retired';
  latestVersion: number;
  draft: MicroCredentialDefinition;
  check: DefinitionCheck;
  updatedAt: string;
}

export interface PublishedVersion {
  achievementId: string;
  code: string;
  version: number;
  status: string;
  issuer: { id: string; name: string };
  definition: MicroCredentialDefinition;
  url: string;
  image?: string;
  publishedAt: string;
}

export interface CatalogEntry extends PublishedVersion {
  issuerDetails: IssuerProfileDetails;
}

export interface Skill {
  id: string;
  framework: string;
  code: string;
  name: string;
  url: string;
}

export interface Bank {
  items: Item[];
  policy: TestPolicy;
  poolProblem: string | null;
}

export interface TestInfo {
  policy: Pick<TestPolicy, 'length' | 'passMark' | 'timeLimitMinutes' | 'maxAttempts' | 'cooldownHours'>;
  available: boolean;
  me: {
    attemptsUsed: number;
    attemptsLeft: number;
    canStart: boolean;
    reason: string | null;
    message: string | null;
    retryAt: string | null;
    openAttemptId: string | null;
    lastAttemptId: string | null;
  } | null;
}

/** An attempt as its learner sees it: drawn items without keys, time left, and the score once finished. */
export type Attempt = AttemptView;

export interface ItemStatisticsRow extends ItemStatistics {
  stem: string;
  draws: number;
  retired: boolean;
}

export interface IssuedCredential {
  id: string;
  credentialId: string;
  format: string;
  name: string | null;
  issuedAt: string;
  validUntil: string | null;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  revocationReason: string | null;
  verifiableCredential: unknown;
}
