import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { VcError } from '../vc/errors.js';
import { decodeCredentialJwt, looksLikeJwt } from '../vc/jwt.js';
import { summarize, type CredentialSummary } from '../vc/summary.js';
import { deepFreeze } from '../vc/frozen.js';
import { parseCredentialJson, type InputVerification, type VerifierInput } from '../vc/verify-input.js';
import type { Holding, Wallet } from '../wallet/wallet.js';
import { handlePattern, newShareToken, reminderDue, shareLinks, shareTokenPattern, type ShareLinks } from './links.js';
import type { Share, ShareEventKind, SharingStore } from './store.js';
import { verdictOf, type IssuerTrust, type Verdict } from './verdict.js';

export interface SharingDeps {
  store: SharingStore;
  wallet: Pick<Wallet, 'find' | 'holding' | 'holdings'>;
  verify: (input: VerifierInput) => Promise<InputVerification & { issuerTrust?: IssuerTrust }>;
  userName: (userId: string) => Promise<string>;
  orgName: (orgId: string) => Promise<string>;
  publicUrl: string;
  now?: () => Date;
}

/** Share actions a learner reports; page views are recorded by the public page itself. */
export const actionKinds = [
  'linkedin-profile',
  'linkedin-feed',
  'copy',
  'email',
  'embed',
  'download',
  'certificate',
] as const satisfies readonly ShareEventKind[];
export type ActionKind = (typeof actionKinds)[number];

/** The facts a page, a link or a certificate shows of a holding. */
export interface CredentialFacts {
  name: string;
  description: string | null;
  issuerName: string;
  issuedAt: Date;
  validUntil: Date | null;
  credentialId: string;
  summary: CredentialSummary | null;
}

export interface ShareView {
  holdingId: string;
  token: string;
  url: string;
  displayName: string | null;
  createdAt: Date;
  links: ShareLinks;
}

export type PublicCredential =
  | { state: 'gone' }
  | {
      state: 'shared';
      share: Share;
      holding: Holding;
      facts: CredentialFacts;
      holderName: string;
      verdict: Verdict;
      issuerTrust: IssuerTrust | undefined;
      url: string;
    };

const maxDisplayName = 120;
const maxProfileCredentials = 100;

function cleanName(value: string | null | undefined, what: string): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > maxDisplayName) throw invalid(`${what} is at most ${maxDisplayName} characters.`);
  return trimmed;
}

/** The credential a holding carries, as JSON (a JWT's payload credential), or null when unreadable. */
export function credentialOf(holding: Holding): Record<string, unknown> | null {
  try {
    const text = holding.document.trim();
    if (looksLikeJwt(text)) return decodeCredentialJwt(text).credential;
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const dateOf = (text: string | undefined): Date | null => {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
};

export function createSharing(deps: SharingDeps) {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const pageUrl = (token: string) => `${deps.publicUrl}/c/${token}`;

  async function factsOf(holding: Holding, credential = credentialOf(holding)): Promise<CredentialFacts> {
    const summary = credential ? summarize(credential) : null;
    const issuerName =
      summary?.issuer.name ??
      (holding.issued ? await deps.orgName(holding.issued.orgId).catch(() => undefined) : undefined) ??
      summary?.issuer.id ??
      'Unknown issuer';
    return {
      name: summary?.achievement?.name ?? holding.name ?? summary?.name ?? 'Credential',
      description: summary?.achievement?.description ?? null,
      issuerName,
      issuedAt: dateOf(summary?.validFrom) ?? holding.issued?.issuedAt ?? holding.addedAt,
      validUntil: holding.issued?.validUntil ?? dateOf(summary?.validUntil),
      credentialId: holding.issued?.credentialId ?? (typeof credential?.id === 'string' ? credential.id : holding.id),
      summary,
    };
  }

  async function viewOf(share: Share, holding: Holding): Promise<ShareView> {
    const facts = await factsOf(holding);
    const url = pageUrl(share.token);
    return {
      holdingId: share.holdingId,
      token: share.token,
      url,
      displayName: share.displayName,
      createdAt: share.createdAt,
      links: shareLinks({ ...facts, url }),
    };
  }

  /** The live share of a holding, made now if there is none. */
  async function ensureShare(holding: Holding, displayName: string | null | undefined): Promise<Share> {
    const live = await store.liveShare(holding.id);
    if (live) {
      if (displayName !== undefined && displayName !== live.displayName) {
        await store.setDisplayName(live.id, displayName);
        pages.clear();
        return { ...live, displayName };
      }
      return live;
    }
    return store.insertShare({
      id: randomUUID(),
      token: newShareToken(),
      userId: holding.userId,
      holdingId: holding.id,
      displayName: displayName ?? null,
    });
  }

  async function holderName(share: Share): Promise<string> {
    if (share.displayName) return share.displayName;
    const profile = await store.profile(share.userId);
    return profile?.displayName ?? (await deps.userName(share.userId));
  }

  async function verifyHolding(holding: Holding, input: VerifierInput) {
    try {
      const result = await deps.verify(input);
      return { result, verdict: verdictOf(result, holding.issued) };
    } catch (error) {
      if (error instanceof VcError || error instanceof DomainError) {
        return { result: undefined, verdict: verdictOf({ error: error.message }) };
      }
      throw error;
    }
  }

  /** A shared credential as the public sees it, verified now; undefined when the token names nothing. */
  /**
   * Visitors whose view of a share was counted in the last hour (a hash of share and visitor, never the
   * address itself): a page view counts once per visitor per hour, not once per request, and a reload or a
   * load test writes nothing. Per process; bounded.
   */
  const counted = new LRUCache<string, true>({ max: 100_000, ttl: 60 * 60 * 1000, ttlResolution: 1000 });

  /** Whether this view is the visitor's first of the share in the hour (and remembers it). */
  function firstViewInHour(shareId: string, visitor: string | undefined): boolean {
    if (visitor === undefined) return true;
    const key = createHash('sha256').update(shareId).update('\0').update(visitor).digest('base64url');
    if (counted.has(key)) return false;
    counted.set(key, true);
    return true;
  }

  /**
   * What a public page shows besides its verdict (the share, the holding, the holder's name, the facts), by
   * token, for a few seconds: a popular page is read from the database once in that time, not on every
   * request. Withdrawing or renaming through this process drops it at once; other processes see it after at
   * most the TTL (as they see revocations through the verifier's caches). The verdict is the verifier's,
   * fresh on every request, as the verify API's is. Unknown tokens are not kept.
   */
  const pages = new LRUCache<string, PageContent>({
    max: 10_000,
    ttl: 5_000,
    ttlResolution: 100,
    ignoreFetchAbort: true,
    fetchMethod: async (token) => (await pageContent(token)) ?? undefined,
  });

  async function pageContent(token: string): Promise<PageContent | null> {
    const share = await store.byToken(token);
    if (!share) return null;
    if (share.withdrawnAt) return { share, holding: undefined };
    const holding = await deps.wallet.find(share.holdingId);
    if (!holding || holding.userId !== share.userId) return { share, holding: undefined };
    const input = verifierInputOf(holding);
    const [name, facts] = await Promise.all([
      holderName(share),
      factsOf(holding, 'json' in input ? (input.json as Record<string, unknown>) : credentialOf(holding)),
    ]);
    return { share, holding, name, facts, input };
  }

  /**
   * What the page hands the verifier on each view: a JSON holding parsed once (as the verifier would parse its
   * text, with the same limits) and deeply frozen, so a view does not parse it again and the verifier may keep
   * what it worked out from it; a JWT, or text the verifier would refuse, as text (it reports why).
   */
  function verifierInputOf(holding: Holding): VerifierInput {
    const text = holding.document.trim();
    if (looksLikeJwt(text) || text.startsWith('<')) return { text: holding.document };
    try {
      return { json: deepFreeze(parseCredentialJson(text)) };
    } catch {
      return { text: holding.document };
    }
  }

  type PageContent =
    | { share: Share; holding: undefined }
    | { share: Share; holding: Holding; name: string; facts: CredentialFacts; input: VerifierInput };

  async function publicCredential(token: string, options: { recordView?: boolean; visitor?: string } = {}) {
    if (!shareTokenPattern.test(token)) return undefined;
    const content = await pages.fetch(token);
    if (!content) return undefined;
    const { share, holding } = content;
    if (!holding) return { state: 'gone' } as const;
    const { result, verdict } = await verifyHolding(holding, content.input);
    if (options.recordView && firstViewInHour(share.id, options.visitor)) {
      await store.recordEvent({
        holdingId: holding.id,
        userId: holding.userId,
        orgId: holding.issued?.orgId ?? null,
        achievementId: holding.issued?.achievementId ?? null,
        kind: 'view',
      });
    }
    return {
      state: 'shared',
      share,
      holding,
      facts: content.facts,
      holderName: content.name,
      verdict,
      issuerTrust: result?.issuerTrust,
      url: pageUrl(token),
    } satisfies PublicCredential;
  }

  return {
    pageUrl,
    profileUrl: (handle: string) => `${deps.publicUrl}/u/${handle}`,
    factsOf,
    publicCredential,

    /** Makes a holding public (or returns its live share), with every share link. */
    async share(userId: string, holdingId: string, options: { displayName?: string | null } = {}): Promise<ShareView> {
      const holding = await deps.wallet.holding(userId, holdingId);
      const displayName =
        options.displayName === undefined ? undefined : cleanName(options.displayName, 'The display name');
      return viewOf(await ensureShare(holding, displayName), holding);
    },

    /** The live share of a holding, or undefined while it is private. */
    async shareOf(userId: string, holdingId: string): Promise<ShareView | undefined> {
      const holding = await deps.wallet.holding(userId, holdingId);
      const live = await store.liveShare(holding.id);
      return live && viewOf(live, holding);
    },

    /** Withdraws the public link: the URL answers 410 from now on. */
    async withdraw(userId: string, holdingId: string): Promise<void> {
      const holding = await deps.wallet.holding(userId, holdingId);
      if (!(await store.withdraw(userId, holding.id))) throw notFound('A public link for this credential');
      pages.clear();
    },

    async recordAction(userId: string, holdingId: string, kind: ActionKind): Promise<void> {
      const holding = await deps.wallet.holding(userId, holdingId);
      await store.recordEvent({
        holdingId: holding.id,
        userId,
        orgId: holding.issued?.orgId ?? null,
        achievementId: holding.issued?.achievementId ?? null,
        kind,
      });
    },

    /** Every holding a learner shared (its latest share), with page views and share actions. */
    async mine(userId: string) {
      const [shares, counts, holdings] = await Promise.all([
        store.sharesOf(userId),
        store.eventCounts(userId),
        deps.wallet.holdings(userId),
      ]);
      const byId = new Map(holdings.map((h) => [h.id, h]));
      const latest = new Map<string, Share>();
      for (const share of shares) if (!latest.has(share.holdingId)) latest.set(share.holdingId, share);
      const result = [];
      for (const [holdingId, share] of latest) {
        const holding = byId.get(holdingId);
        if (!holding) continue;
        const { view = 0, ...actions } = counts.get(holdingId) ?? {};
        result.push({
          holdingId,
          name: (await factsOf(holding)).name,
          live: share.withdrawnAt === null,
          url: share.withdrawnAt === null ? pageUrl(share.token) : null,
          sharedAt: share.createdAt,
          withdrawnAt: share.withdrawnAt,
          views: view,
          actions,
        });
      }
      return result;
    },

    /** Share counts of one holding: page views and each action. */
    async countsOf(userId: string, holdingId: string) {
      const holding = await deps.wallet.holding(userId, holdingId);
      const { view = 0, ...actions } = (await store.eventCounts(userId)).get(holding.id) ?? {};
      return { views: view, actions };
    },

    /** My profile (defaults while I have none), with every holding I could list on it. */
    async profile(userId: string) {
      const [profile, holdings] = await Promise.all([store.profile(userId), deps.wallet.holdings(userId)]);
      const choices = await Promise.all(holdings.map(async (h) => ({ id: h.id, name: (await factsOf(h)).name })));
      if (!profile) {
        const displayName = await deps.userName(userId);
        return { handle: '', displayName, enabled: false, holdingIds: [] as string[], url: null, choices };
      }
      const { userId: _, ...rest } = profile;
      return { ...rest, url: profile.enabled ? `${deps.publicUrl}/u/${profile.handle}` : null, choices };
    },

    /**
     * Saves the opt-in profile. A credential chosen for an enabled profile is shared (the profile links to its
     * public page); one whose share is later withdrawn drops off the profile.
     */
    async saveProfile(
      userId: string,
      input: { handle: string; displayName: string; enabled: boolean; holdingIds: string[] },
    ) {
      const handle = input.handle.trim().toLowerCase();
      if (!handlePattern.test(handle)) {
        throw invalid('A handle is 3–40 lower-case letters, digits or single dashes, like "ada-lovelace".', {
          field: 'handle',
        });
      }
      const displayName = cleanName(input.displayName, 'The display name');
      if (!displayName) throw invalid('Enter the name the profile shows.', { field: 'displayName' });
      const holdingIds = [...new Set(input.holdingIds)];
      if (holdingIds.length > maxProfileCredentials) {
        throw invalid(`A profile lists at most ${maxProfileCredentials} credentials.`, { field: 'holdingIds' });
      }
      const holdings = await Promise.all(holdingIds.map((id) => deps.wallet.holding(userId, id)));
      const saved = await store.saveProfile({ userId, handle, displayName, enabled: input.enabled, holdingIds });
      if (saved === 'handle-taken') throw conflict(`The handle "${handle}" is taken. Choose another.`);
      if (input.enabled) for (const holding of holdings) await ensureShare(holding, undefined);
      return this.profile(userId);
    },

    /** A public profile with its credentials that are still shared, each verified now. */
    async publicProfile(handle: string) {
      const profile = handlePattern.test(handle) ? await store.profileByHandle(handle) : undefined;
      if (!profile?.enabled) return undefined;
      const entries = await Promise.all(
        profile.holdingIds.map(async (id) => {
          const share = await store.liveShare(id);
          if (!share || share.userId !== profile.userId) return undefined;
          const found = await publicCredential(share.token);
          return found?.state === 'shared' ? found : undefined;
        }),
      );
      return { profile, credentials: entries.filter((e) => e !== undefined) };
    },

    /** Credentials earned here at least three days ago, never shared, reminder not dismissed; marked shown. */
    async reminders(userId: string) {
      const [holdings, shares, reminders] = await Promise.all([
        deps.wallet.holdings(userId),
        store.sharesOf(userId),
        store.reminders(userId),
      ]);
      const shared = new Set(shares.map((s) => s.holdingId));
      const due = holdings.filter(
        (h) =>
          h.kind === 'issued' &&
          reminderDue(
            { addedAt: h.addedAt, everShared: shared.has(h.id), dismissed: Boolean(reminders.get(h.id)?.dismissedAt) },
            now(),
          ),
      );
      await store.markReminders(
        userId,
        due.filter((h) => !reminders.get(h.id)?.shownAt).map((h) => h.id),
        'shown_at',
      );
      return Promise.all(
        due.map(async (h) => ({ holdingId: h.id, name: (await factsOf(h)).name, earnedAt: h.addedAt })),
      );
    },

    async dismissReminder(userId: string, holdingId: string): Promise<void> {
      const holding = await deps.wallet.holding(userId, holdingId);
      await store.markReminders(userId, [holding.id], 'dismissed_at');
    },

    shareStats: async (orgId: string) =>
      (await store.shareStats(orgId)).map((row) => ({
        ...row,
        shareRate: row.issued === 0 ? 0 : row.shared / row.issued,
      })),
  };
}

export type Sharing = ReturnType<typeof createSharing>;
