import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../platform/db/schema.js';

/**
 * The SQL behind the issuer dashboard. Each table belongs to its capability, which passes its query in (src/app
 * wires them): analytics only composes them and counts, in one aggregate query, never loading a row per person.
 */
export interface IssuerStoreOptions {
  /** The organization's micro-credentials ever published (`id`, `code`, `title`, `status`): catalog. */
  publishedAchievements: (orgId: string) => RawBuilder<{ id: string; code: string; title: string; status: string }>;
  /** Finished, scored attempts (`achievement_id`, `user_id`, `passed`): assessment. */
  finishedAttempts: () => RawBuilder<{ achievement_id: string; user_id: string; passed: boolean }>;
  /** The organization's credentials (`id`, `achievement_id`, `holder_id`, `recipient`, `revoked`): issuance. */
  issuedCredentials: (orgId: string) => RawBuilder<{
    id: string;
    achievement_id: string;
    holder_id: string | null;
    recipient: string;
    revoked: boolean;
  }>;
  /** Holdings shared at least once (`holding_id`, `user_id`): sharing. */
  sharedHoldings: () => RawBuilder<{ holding_id: string; user_id: string }>;
}

/** One micro-credential's counts, before any is withheld. */
export interface AchievementFigures {
  achievementId: string;
  code: string;
  title: string;
  status: string;
  /** Finished, scored attempts. */
  attempts: number;
  /** Distinct people with a finished attempt. */
  candidates: number;
  /** Distinct candidates who passed at least once. */
  passed: number;
  /** Credentials issued (revoked ones included). */
  issued: number;
  /** Distinct recipients of those credentials. */
  recipients: number;
  /** Distinct accounts holding an unrevoked credential of it. */
  holders: number;
  /** Holders who shared such a credential at least once. */
  sharers: number;
}

export function createIssuerStore(db: Kysely<Database>, ports: IssuerStoreOptions) {
  return {
    async achievementFigures(orgId: string): Promise<AchievementFigures[]> {
      const result = await sql<{
        id: string;
        code: string;
        title: string;
        status: string;
        attempts: string | number | null;
        candidates: string | number | null;
        passed: string | number | null;
        issued: string | number | null;
        recipients: string | number | null;
        holders: string | number | null;
        sharers: string | number | null;
      }>`
        with ach as (${ports.publishedAchievements(orgId)}),
        tried as (
          select t.achievement_id, count(*) as attempts, count(distinct t.user_id) as candidates,
                 count(distinct t.user_id) filter (where t.passed) as passed
          from (${ports.finishedAttempts()}) t
          where t.achievement_id in (select id from ach)
          group by t.achievement_id
        ),
        shared as (select distinct holding_id, user_id from (${ports.sharedHoldings()}) s),
        held as (
          select c.achievement_id, count(*) as issued, count(distinct c.recipient) as recipients,
                 count(distinct c.holder_id) filter (where not c.revoked) as holders,
                 count(distinct c.holder_id) filter (where not c.revoked and s.holding_id is not null) as sharers
          from (${ports.issuedCredentials(orgId)}) c
          left join shared s on s.holding_id = c.id and s.user_id = c.holder_id
          group by c.achievement_id
        )
        select ach.id, ach.code, ach.title, ach.status, tried.attempts, tried.candidates, tried.passed,
               held.issued, held.recipients, held.holders, held.sharers
        from ach
        left join tried on tried.achievement_id = ach.id
        left join held on held.achievement_id = ach.id
        order by ach.title, ach.code
      `.execute(db);
      const n = (value: string | number | null) => Number(value ?? 0);
      return result.rows.map((row) => ({
        achievementId: row.id,
        code: row.code,
        title: row.title,
        status: row.status,
        attempts: n(row.attempts),
        candidates: n(row.candidates),
        passed: n(row.passed),
        issued: n(row.issued),
        recipients: n(row.recipients),
        holders: n(row.holders),
        sharers: n(row.sharers),
      }));
    },
  };
}

export type IssuerStore = ReturnType<typeof createIssuerStore>;
