import type { AchievementFacts, HeldEvidence, HeldResult, IssuerFacts } from '../../../src/wallet/facts.js';

/** What the wallet API answers (src/wallet/routes.ts), as the pages read it. */
import type { WalletItem, WalletStatus } from '../../../src/wallet/items.js';
export type { WalletItem, WalletStatus };

export interface WalletList {
  total: number;
  items: WalletItem[];
  facets: { issuers: { id: string | null; name: string | null }[]; skills: string[] };
}

export interface Check {
  id: string;
  status: 'passed' | 'failed' | 'warning' | 'skipped';
  message: string;
}

export interface HoldingDetail {
  holding: WalletItem;
  verification: {
    verified: boolean;
    checkedAt: string;
    checks: Check[];
    error: string | null;
    /** Present once the issuer trust registry reports on it. */
    issuerTrust?: { known: boolean; name?: string; registry?: string; url?: string };
  };
  achievement: AchievementFacts;
  factsFrom: 'catalog' | 'credential';
  issuer: IssuerFacts;
  results: HeldResult[];
  evidence: HeldEvidence[];
  revocationReason: string | null;
  sourceUrl: string | null;
  document: unknown;
  /** Each download format, with the server's reason when it cannot be had. */
  exports: { format: ExportFormat; unavailable: string | null }[];
}

export type ExportFormat = 'json' | 'jwt' | 'png' | 'svg';

export interface ImportResult {
  holding: WalletItem;
  expired: boolean;
  message: string;
}

export const walletKey = ['me', 'wallet'];

export const statusLabels: Record<WalletStatus, string> = {
  active: 'Valid',
  expired: 'Expired',
  revoked: 'Revoked',
  suspended: 'Suspended',
  unverified: 'Not verified',
};

/** Only http(s) links are rendered as links: a credential's "url" could say javascript:. */
export const isWebLink = (url: string | null | undefined): url is string => !!url && /^https?:\/\//i.test(url);
