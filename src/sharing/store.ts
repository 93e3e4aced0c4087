import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, ShareEventKind, SharesTable } from '../platform/db/schema.js';

/** The share-event kinds the table accepts, for the domain to check its own list against. */
export type { ShareEventKind };

/**
 * SQL selecting every share action (a LinkedIn post, a copied link, an e-mail, an embed, a download, a
 * certificate; public page views are not actions): `user_id` and `at`. Sharing owns its table; the analytics
 * sharing experiments compose this query into theirs through src/app.
 */
export function shareActions(): RawBuilder<{ user_id: string; at: Date }> {
  return sql<{ user_id: string; at: Date }>`select e.user_id, e.at from share_events e where e.kind <> 'view'`;
}

export interface Share {
  id: string;
  token: string;
  userId: string;
  holdingId: string;
  displayName: string | null;
  createdAt: Date;
  withdrawnAt: Date | null;
}

export interface PublicProfile {
  userId: string;
  handle: string;
  displayName: string;
  enabled: boolean;
  holdingIds: string[];
}

export interface ShareEvent {
  holdingId: string;
  userId: string;
  orgId: string | null;
  achievementId: string | null;
  kind: ShareEventKind;
}

export interface AchievementShareStats {
  achievementId: string;
  name: string | null;
  issued: number;
  shared: number;
  views: number;
}

const toShare = (row: Selectable<SharesTable>): Share => ({
  id: row.id,
  token: row.token,
  userId: row.user_id,
  holdingId: row.holding_id,
  displayName: row.display_name,
  createdAt: row.created_at,
  withdrawnAt: row.withdrawn_at,
});

const violated = (error: unknown, name: string) =>
  new RegExp(name).test((error as { constraint?: string }).constraint ?? String((error as Error).message));

/** The SQL behind shares, public profiles, share events and reminders. */
export function createSharingStore(db: Kysely<Database>) {
  return {
    async liveShare(holdingId: string): Promise<Share | undefined> {
      const row = await db
        .selectFrom('shares')
        .selectAll()
        .where('holding_id', '=', holdingId)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      return row && toShare(row);
    },

    async byToken(token: string): Promise<Share | undefined> {
      const row = await db.selectFrom('shares').selectAll().where('token', '=', token).executeTakeFirst();
      return row && toShare(row);
    },

    /** Stores a new live share; when another request shared the holding first, that share is returned. */
    async insertShare(share: Omit<Share, 'createdAt' | 'withdrawnAt'>): Promise<Share> {
      try {
        const row = await db
          .insertInto('shares')
          .values({
            id: share.id,
            token: share.token,
            user_id: share.userId,
            holding_id: share.holdingId,
            display_name: share.displayName,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toShare(row);
      } catch (error) {
        if (!violated(error, 'shares_one_live')) throw error;
        const live = await this.liveShare(share.holdingId);
        if (!live) throw error;
        return live;
      }
    },

    async setDisplayName(shareId: string, displayName: string | null): Promise<void> {
      await db.updateTable('shares').set({ display_name: displayName }).where('id', '=', shareId).execute();
    },

    /** Withdraws the live share of a holding; false when there was none. */
    async withdraw(userId: string, holdingId: string): Promise<boolean> {
      const result = await db
        .updateTable('shares')
        .set({ withdrawn_at: sql`now()` })
        .where('user_id', '=', userId)
        .where('holding_id', '=', holdingId)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Every share a learner made, live and withdrawn, newest first. */
    async sharesOf(userId: string): Promise<Share[]> {
      const rows = await db
        .selectFrom('shares')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toShare);
    },

    async recordEvent(event: ShareEvent): Promise<void> {
      await db
        .insertInto('share_events')
        .values({
          id: randomUUID(),
          holding_id: event.holdingId,
          user_id: event.userId,
          org_id: event.orgId,
          achievement_id: event.achievementId,
          kind: event.kind,
        })
        .execute();
    },

    /** Counts of each event kind per holding of a learner. */
    async eventCounts(userId: string): Promise<Map<string, Partial<Record<ShareEventKind, number>>>> {
      const rows = await db
        .selectFrom('share_events')
        .select(['holding_id', 'kind', (eb) => eb.fn.countAll<string>().as('count')])
        .where('user_id', '=', userId)
        .groupBy(['holding_id', 'kind'])
        .execute();
      const counts = new Map<string, Partial<Record<ShareEventKind, number>>>();
      for (const row of rows) {
        const entry = counts.get(row.holding_id) ?? {};
        entry[row.kind] = Number(row.count);
        counts.set(row.holding_id, entry);
      }
      return counts;
    },

    async profile(userId: string): Promise<PublicProfile | undefined> {
      const row = await db.selectFrom('public_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row && toProfile(row);
    },

    async profileByHandle(handle: string): Promise<PublicProfile | undefined> {
      const row = await db.selectFrom('public_profiles').selectAll().where('handle', '=', handle).executeTakeFirst();
      return row && toProfile(row);
    },

    /** Creates or replaces a learner's profile; 'handle-taken' when another learner has the handle. */
    async saveProfile(profile: PublicProfile): Promise<'saved' | 'handle-taken'> {
      const values = {
        handle: profile.handle,
        display_name: profile.displayName,
        enabled: profile.enabled,
        holding_ids: JSON.stringify(profile.holdingIds),
        updated_at: sql<Date>`now()`,
      };
      try {
        await db
          .insertInto('public_profiles')
          .values({ user_id: profile.userId, ...values })
          .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
          .execute();
        return 'saved';
      } catch (error) {
        if (violated(error, 'public_profiles_handle')) return 'handle-taken';
        throw error;
      }
    },

    async reminders(userId: string): Promise<Map<string, { shownAt: Date | null; dismissedAt: Date | null }>> {
      const rows = await db.selectFrom('share_reminders').selectAll().where('user_id', '=', userId).execute();
      return new Map(rows.map((r) => [r.holding_id, { shownAt: r.shown_at, dismissedAt: r.dismissed_at }]));
    },

    async markReminders(userId: string, holdingIds: string[], field: 'shown_at' | 'dismissed_at'): Promise<void> {
      if (holdingIds.length === 0) return;
      await db
        .insertInto('share_reminders')
        .values(holdingIds.map((holdingId) => ({ user_id: userId, holding_id: holdingId, [field]: sql`now()` })))
        .onConflict((oc) =>
          oc.columns(['user_id', 'holding_id']).doUpdateSet({
            // The first time it was shown stays; dismissing is final.
            [field]: sql`coalesce(share_reminders.${sql.ref(field)}, now())`,
          }),
        )
        .execute();
    },

    /** Per achievement of an organization: credentials issued, how many were ever shared, public page views. */
    async shareStats(orgId: string): Promise<AchievementShareStats[]> {
      const issued = await db
        .selectFrom('credentials as c')
        .leftJoin(
          (eb) => eb.selectFrom('shares').select('holding_id').distinct().as('s'),
          (join) => join.onRef('s.holding_id', '=', 'c.id'),
        )
        .select([
          'c.achievement_id',
          (eb) => eb.fn.countAll<string>().as('issued'),
          (eb) => eb.fn.count<string>('s.holding_id').as('shared'),
        ])
        .where('c.org_id', '=', orgId)
        .where('c.achievement_id', 'is not', null)
        .groupBy('c.achievement_id')
        .execute();
      if (issued.length === 0) return [];
      const ids = issued.map((r) => r.achievement_id!);
      const [views, titles] = await Promise.all([
        db
          .selectFrom('share_events')
          .select(['achievement_id', (eb) => eb.fn.countAll<string>().as('views')])
          .where('org_id', '=', orgId)
          .where('kind', '=', 'view')
          .where('achievement_id', 'in', ids)
          .groupBy('achievement_id')
          .execute(),
        db
          .selectFrom('achievement_versions as v')
          .innerJoin('achievements as a', (join) =>
            join.onRef('a.id', '=', 'v.achievement_id').onRef('a.latest_version', '=', 'v.version'),
          )
          .select(['v.achievement_id', 'v.title'])
          .where('v.achievement_id', 'in', ids)
          .execute(),
      ]);
      const viewsOf = new Map(views.map((v) => [v.achievement_id, Number(v.views)]));
      const titleOf = new Map(titles.map((t) => [t.achievement_id, t.title]));
      return issued
        .map((row) => ({
          achievementId: row.achievement_id!,
          name: titleOf.get(row.achievement_id!) ?? null,
          issued: Number(row.issued),
          shared: Number(row.shared),
          views: viewsOf.get(row.achievement_id) ?? 0,
        }))
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    },
  };
}

function toProfile(row: Selectable<Database['public_profiles']>): PublicProfile {
  return {
    userId: row.user_id,
    handle: row.handle,
    displayName: row.display_name,
    enabled: row.enabled,
    holdingIds: row.holding_ids,
  };
}

export type SharingStore = ReturnType<typeof createSharingStore>;

/**
 * SQL selecting each holding its holder shared at least once (`holding_id`, `user_id`): a share link made, or a
 * share action taken (anything but a view). The issuer dashboard's share rate.
 */
export function sharedHoldings(): RawBuilder<{ holding_id: string; user_id: string }> {
  return sql<{ holding_id: string; user_id: string }>`
    select s.holding_id, s.user_id from shares s
    union
    select e.holding_id, e.user_id from share_events e where e.kind <> 'view'`;
}
