import type { CredentialState } from '../issuance/issuance.js';
import { summarize, type CredentialSummary } from '../vc/summary.js';
import type { Check } from '../vc/verify.js';
import type { WalletItem, WalletStatus } from './items.js';
import type { Holding } from './wallet.js';

/**
 * What the wallet list shows of each holding, and its search and filters. Pure: the routes pass holdings,
 * the live verdicts they have, and the clock.
 */
export type { WalletItem, WalletStatus } from './items.js';
export const walletStatuses: readonly WalletStatus[] = ['active', 'expired', 'revoked', 'suspended', 'unverified'];

export interface WalletFilter {
  q?: string | undefined;
  /** An issuer's id or name, exactly. */
  issuer?: string | undefined;
  /** A skill's name or code, exactly (case-insensitive). */
  skill?: string | undefined;
  status?: WalletStatus | undefined;
  /** Only those still valid that expire within this many days. */
  expiringWithinDays?: number | undefined;
}

type Obj = Record<string, unknown>;

/** The credential a holding carries, as JSON (a VC-JWT's claims, an OB 2.0 JWS's payload). */
export function credentialOf(holding: Pick<Holding, 'format' | 'document'>): Obj | undefined {
  try {
    if (!holding.document.trim().startsWith('{')) {
      const payload = JSON.parse(
        Buffer.from(holding.document.split('.')[1] ?? '', 'base64url').toString('utf8'),
      ) as Obj;
      // A VC-JWT carries the credential as its claims (VC-JOSE) or under "vc" (VC 1.1 style).
      const vc = payload.vc;
      return vc && typeof vc === 'object' ? (vc as Obj) : payload;
    }
    return JSON.parse(holding.document) as Obj;
  } catch {
    return undefined;
  }
}

/** OB 2.0 assertions name their badge and issuer by URL: the summary knows only what the assertion holds. */
function summaryOf(holding: Holding): CredentialSummary | undefined {
  const credential = credentialOf(holding);
  return credential ? summarize(credential) : undefined;
}

/** A live verdict's failed checks, read as a wallet status (revocation and suspension come from the status check). */
export function statusFromChecks(checks: Check[]): WalletStatus {
  const failed = checks.filter((c) => c.status === 'failed');
  if (failed.length === 0) return 'active';
  const status = failed.find((c) => c.id === 'status');
  if (status && /suspend/i.test(status.message)) return 'suspended';
  if (status && /revok/i.test(status.message)) return 'revoked';
  if (failed.every((c) => c.id === 'valid-until')) return 'expired';
  return 'unverified';
}

const issuedState: Record<CredentialState, WalletStatus> = {
  active: 'active',
  expired: 'expired',
  revoked: 'revoked',
  suspended: 'suspended',
};

/** Credentials issued here: what our records say. Imports: the live verdict, or 'unverified' without one. */
export function statusOf(holding: Holding, verdict: { checks: Check[] } | undefined, now: Date): WalletStatus {
  if (holding.issued) {
    const record = holding.issued;
    if (record.revokedAt) return issuedState.revoked;
    if (record.suspendedAt) return issuedState.suspended;
    if (record.validUntil && record.validUntil < now) return issuedState.expired;
    return issuedState.active;
  }
  if (!verdict) return 'unverified';
  const status = statusFromChecks(verdict.checks);
  if (status === 'active' && holding.imported?.validUntil && holding.imported.validUntil < now) return 'expired';
  return status;
}

export function walletItem(
  holding: Holding,
  verdict: { checks: Check[]; summary?: CredentialSummary | undefined } | undefined,
  now: Date,
): WalletItem {
  // A live summary knows more (an OB 2.0 badge class fetched from its issuer); the document is the fallback.
  const summary = verdict?.summary ?? summaryOf(holding);
  const validUntil = holding.issued?.validUntil ?? holding.imported?.validUntil ?? null;
  const issuedAt = holding.issued?.issuedAt ?? holding.imported?.validFrom ?? null;
  return {
    id: holding.id,
    kind: holding.kind,
    format: holding.format,
    name: summary?.achievement?.name ?? holding.name ?? summary?.name ?? 'Credential',
    description: summary?.achievement?.description ?? null,
    issuer: { id: summary?.issuer.id ?? holding.imported?.issuerId ?? null, name: summary?.issuer.name ?? null },
    skills: (summary?.skills ?? []).map((s) => ({
      name: s.name,
      code: s.code ?? null,
      framework: s.framework ?? null,
    })),
    facts: summary?.facts ?? [],
    image: summary?.achievement?.image ?? null,
    issuedAt: issuedAt?.toISOString() ?? null,
    validUntil: validUntil?.toISOString() ?? null,
    addedAt: holding.addedAt.toISOString(),
    status: statusOf(holding, verdict, now),
    source: holding.imported?.source ?? null,
  };
}

const fold = (value: string) => value.normalize('NFKC').toLowerCase();
const dayMs = 24 * 60 * 60 * 1000;

export function matches(item: WalletItem, filter: WalletFilter, now: Date): boolean {
  if (filter.status && item.status !== filter.status) return false;
  if (filter.issuer) {
    const wanted = fold(filter.issuer);
    if (![item.issuer.id, item.issuer.name].some((v) => v !== null && fold(v) === wanted)) return false;
  }
  if (filter.skill) {
    const wanted = fold(filter.skill);
    if (!item.skills.some((s) => fold(s.name) === wanted || (s.code !== null && fold(s.code) === wanted))) return false;
  }
  if (filter.expiringWithinDays !== undefined) {
    if (!item.validUntil || item.status === 'expired' || item.status === 'revoked') return false;
    const until = new Date(item.validUntil).getTime();
    if (until < now.getTime() || until > now.getTime() + filter.expiringWithinDays * dayMs) return false;
  }
  if (filter.q?.trim()) {
    const words = fold(filter.q).split(/\s+/).filter(Boolean);
    const haystack = fold(
      [
        item.name,
        item.description ?? '',
        item.issuer.name ?? '',
        item.issuer.id ?? '',
        ...item.skills.map((s) => s.name),
      ].join('\n'),
    );
    if (!words.every((word) => haystack.includes(word))) return false;
  }
  return true;
}

/** The issuers and skills across all holdings, for the filter menus. */
export function facets(items: WalletItem[]) {
  const issuers = new Map<string, { id: string | null; name: string | null }>();
  const skills = new Map<string, string>();
  for (const item of items) {
    const key = item.issuer.id ?? item.issuer.name;
    if (key) issuers.set(key, item.issuer);
    for (const skill of item.skills) skills.set(fold(skill.name), skill.name);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return {
    issuers: [...issuers.values()].sort((a, b) => byName(a.name ?? a.id ?? '', b.name ?? b.id ?? '')),
    skills: [...skills.values()].sort(byName),
  };
}

export function walletListing(
  holdings: Holding[],
  verdicts: Map<string, { checks: Check[]; summary?: CredentialSummary | undefined }>,
  filter: WalletFilter,
  now: Date,
) {
  const items = holdings.map((h) => walletItem(h, verdicts.get(h.id), now));
  return {
    total: items.length,
    items: items.filter((item) => matches(item, filter, now)),
    facets: facets(items),
  };
}
