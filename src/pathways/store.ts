import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import type { PathwayDefinition } from './pathway.js';

export type PathwayStatus = 'draft' | 'published' | 'retired';

export interface PathwayRecord {
  id: string;
  orgId: string;
  status: PathwayStatus;
  draft: PathwayDefinition;
  latestVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PathwayVersion {
  pathwayId: string;
  orgId: string;
  orgName: string;
  status: PathwayStatus;
  version: number;
  definition: PathwayDefinition;
  publishedAt: Date;
}

export interface AwardComponent {
  component: string;
  holdingId: string;
  credentialId: string | null;
  issuer: { id: string | null; name: string | null };
  name: string;
  /** sha-256 of the credential's bytes as held, as a multibase-free hex string prefixed `sha256:`. */
  digest: string;
}

export interface AwardRecord {
  id: string;
  pathwayId: string;
  version: number;
  userId: string;
  state: 'pending' | 'issued';
  credentialId: string | null;
  components: AwardComponent[];
  createdAt: Date;
  issuedAt: Date | null;
}

export interface FlagRecord {
  id: string;
  awardId: string;
  pathwayId: string;
  version: number;
  userId: string;
  credentialId: string | null;
  componentHoldingId: string;
  reason: string;
  createdAt: Date;
  decision: 'revoke' | 'keep' | null;
  note: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** The SQL behind pathways. */
export function createPathwaysStore(db: Kysely<Database>) {
  const toRecord = (row: {
    id: string;
    org_id: string;
    status: PathwayStatus;
    draft: unknown;
    latest_version: number;
    created_at: Date;
    updated_at: Date;
  }): PathwayRecord => ({
    id: row.id,
    orgId: row.org_id,
    status: row.status,
    draft: parse<PathwayDefinition>(row.draft),
    latestVersion: row.latest_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  const versions = () =>
    db
      .selectFrom('pathway_versions as v')
      .innerJoin('pathways as p', 'p.id', 'v.pathway_id')
      .innerJoin('organizations as o', 'o.id', 'p.org_id')
      .select([
        'v.pathway_id',
        'p.org_id',
        'o.name as org_name',
        'p.status',
        'v.version',
        'v.definition',
        'v.published_at',
      ]);
  const toVersion = (row: {
    pathway_id: string;
    org_id: string;
    org_name: string;
    status: PathwayStatus;
    version: number;
    definition: unknown;
    published_at: Date;
  }): PathwayVersion => ({
    pathwayId: row.pathway_id,
    orgId: row.org_id,
    orgName: row.org_name,
    status: row.status,
    version: row.version,
    definition: parse<PathwayDefinition>(row.definition),
    publishedAt: row.published_at,
  });
  const toAward = (row: {
    id: string;
    pathway_id: string;
    version: number;
    user_id: string;
    state: 'pending' | 'issued';
    credential_id: string | null;
    components: unknown;
    created_at: Date;
    issued_at: Date | null;
  }): AwardRecord => ({
    id: row.id,
    pathwayId: row.pathway_id,
    version: row.version,
    userId: row.user_id,
    state: row.state,
    credentialId: row.credential_id,
    components: parse<AwardComponent[]>(row.components),
    createdAt: row.created_at,
    issuedAt: row.issued_at,
  });

  async function flagsWhere(filter: { orgId: string; pathwayId: string } | { awardId: string }): Promise<FlagRecord[]> {
    let q = db
      .selectFrom('pathway_award_flags as f')
      .innerJoin('pathway_awards as a', 'a.id', 'f.award_id')
      .innerJoin('pathways as p', 'p.id', 'a.pathway_id');
    q =
      'awardId' in filter
        ? q.where('a.id', '=', filter.awardId)
        : q.where('p.org_id', '=', filter.orgId).where('p.id', '=', filter.pathwayId);
    const rows = await q
      .select([
        'f.id',
        'f.award_id',
        'a.pathway_id',
        'a.version',
        'a.user_id',
        'a.credential_id',
        'f.component_holding_id',
        'f.reason',
        'f.created_at',
        'f.decision',
        'f.note',
        'f.decided_by',
        'f.decided_at',
      ])
      .orderBy('f.created_at')
      .orderBy('f.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      awardId: r.award_id,
      pathwayId: r.pathway_id,
      version: r.version,
      userId: r.user_id,
      credentialId: r.credential_id,
      componentHoldingId: r.component_holding_id,
      reason: r.reason,
      createdAt: r.created_at,
      decision: r.decision,
      note: r.note,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
    }));
  }

  return {
    async insert(record: { id: string; orgId: string; draft: PathwayDefinition }): Promise<void> {
      await db
        .insertInto('pathways')
        .values({
          id: record.id,
          org_id: record.orgId,
          status: 'draft',
          draft: JSON.stringify(record.draft),
          updated_at: sql`now()`,
        })
        .execute();
    },

    async find(orgId: string, id: string): Promise<PathwayRecord | undefined> {
      const row = await db
        .selectFrom('pathways')
        .selectAll()
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async list(orgId: string): Promise<PathwayRecord[]> {
      const rows = await db
        .selectFrom('pathways')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },

    async saveDraft(orgId: string, id: string, draft: PathwayDefinition): Promise<void> {
      await db
        .updateTable('pathways')
        .set({ draft: JSON.stringify(draft), updated_at: sql`now()` })
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .execute();
    },

    /** Adds the next version; false when another publish took that number first. */
    async publish(
      orgId: string,
      id: string,
      expectedVersion: number,
      version: { definition: PathwayDefinition; matches: string[] },
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const bumped = await trx
          .updateTable('pathways')
          .set({ latest_version: expectedVersion + 1, status: 'published', updated_at: sql`now()` })
          .where('id', '=', id)
          .where('org_id', '=', orgId)
          .where('latest_version', '=', expectedVersion)
          .executeTakeFirst();
        if (Number(bumped.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('pathway_versions')
          .values({
            pathway_id: id,
            version: expectedVersion + 1,
            definition: JSON.stringify(version.definition),
            destination: version.definition.destination,
            matches: version.matches,
          })
          .execute();
        return true;
      });
    },

    async setStatus(orgId: string, id: string, status: PathwayStatus): Promise<void> {
      await db
        .updateTable('pathways')
        .set({ status, updated_at: sql`now()` })
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .execute();
    },

    async version(id: string, version: number): Promise<PathwayVersion | undefined> {
      const row = await versions().where('v.pathway_id', '=', id).where('v.version', '=', version).executeTakeFirst();
      return row && toVersion(row);
    },

    async versionsOf(id: string): Promise<PathwayVersion[]> {
      const rows = await versions().where('v.pathway_id', '=', id).orderBy('v.version', 'desc').execute();
      return rows.map(toVersion);
    },

    /** The newest version of every published pathway (optionally only those naming one of `matching`). */
    async published(matching?: readonly string[]): Promise<PathwayVersion[]> {
      let q = versions().where('p.status', '=', 'published').whereRef('v.version', '=', 'p.latest_version');
      if (matching) {
        if (matching.length === 0) return [];
        q = q.where(sql<boolean>`v.matches && ${sql.val([...matching])}::text[]`);
      }
      const rows = await q.orderBy('v.pathway_id').execute();
      return rows.map(toVersion);
    },

    /** Records the award to come, once per learner and pathway version; the existing one when it was already there. */
    async claimAward(award: {
      id: string;
      pathwayId: string;
      version: number;
      userId: string;
      components: unknown[];
    }): Promise<AwardRecord> {
      await db
        .insertInto('pathway_awards')
        .values({
          id: award.id,
          pathway_id: award.pathwayId,
          version: award.version,
          user_id: award.userId,
          state: 'pending',
          components: JSON.stringify(award.components),
        })
        .onConflict((oc) => oc.columns(['pathway_id', 'version', 'user_id']).doNothing())
        .execute();
      const row = await db
        .selectFrom('pathway_awards')
        .selectAll()
        .where('pathway_id', '=', award.pathwayId)
        .where('version', '=', award.version)
        .where('user_id', '=', award.userId)
        .executeTakeFirstOrThrow();
      return toAward(row);
    },

    async award(id: string): Promise<AwardRecord | undefined> {
      const row = await db.selectFrom('pathway_awards').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAward(row);
    },

    async awardsOf(userId: string): Promise<AwardRecord[]> {
      const rows = await db
        .selectFrom('pathway_awards')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map(toAward);
    },

    /** Issued awards that name a component holding (its credential revoked: to be flagged). */
    async awardsWithComponent(holdingId: string): Promise<AwardRecord[]> {
      const rows = await db
        .selectFrom('pathway_awards')
        .selectAll()
        .where('state', '=', 'issued')
        .where(sql<boolean>`components @> ${JSON.stringify([{ holdingId }])}::jsonb`)
        .execute();
      return rows.map(toAward);
    },

    /** The issued award whose stacked credential is this credential row, for its holder. */
    async awardByCredential(userId: string, credentialId: string): Promise<AwardRecord | undefined> {
      const row = await db
        .selectFrom('pathway_awards')
        .selectAll()
        .where('user_id', '=', userId)
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return row && toAward(row);
    },

    /** Learners holding an issued award, after `after` (paging through them, in id order). */
    async learnersWithAwards(after: string | null, limit: number): Promise<string[]> {
      let q = db.selectFrom('pathway_awards').select('user_id').where('state', '=', 'issued').distinct();
      if (after) q = q.where('user_id', '>', after);
      const rows = await q.orderBy('user_id').limit(limit).execute();
      return rows.map((r) => r.user_id);
    },

    /**
     * Writes a notice to the outbox once per key: the key and the outbox row in one transaction, so a retried
     * job neither repeats nor loses it. True when written now.
     */
    async noticeOnce(notice: {
      key: string;
      userId: string;
      outboxId: string;
      orgId: string | null;
      to: string;
      subject: string;
      text: string;
    }): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const claimed = await tx
          .insertInto('pathway_notices')
          .values({ key: notice.key, user_id: notice.userId, outbox_id: notice.outboxId })
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await tx
          .insertInto('outbox')
          .values({
            id: notice.outboxId,
            org_id: notice.orgId,
            to_email: notice.to,
            subject: notice.subject,
            text: notice.text,
            claim_id: null,
          })
          .execute();
        return true;
      });
    },

    async markIssued(id: string, credentialId: string): Promise<void> {
      await db
        .updateTable('pathway_awards')
        .set({ state: 'issued', credential_id: credentialId, issued_at: sql`now()` })
        .where('id', '=', id)
        .execute();
    },

    /** Flags an award for review once per component; false when it was already flagged. */
    async flag(flag: { id: string; awardId: string; componentHoldingId: string; reason: string }): Promise<boolean> {
      const result = await db
        .insertInto('pathway_award_flags')
        .values({
          id: flag.id,
          award_id: flag.awardId,
          component_holding_id: flag.componentHoldingId,
          reason: flag.reason,
        })
        .onConflict((oc) => oc.columns(['award_id', 'component_holding_id']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async flags(orgId: string, pathwayId: string): Promise<FlagRecord[]> {
      return flagsWhere({ orgId, pathwayId });
    },

    /** The flags on one award (its holder's stacked credential view). */
    async flagsOfAward(awardId: string): Promise<FlagRecord[]> {
      return flagsWhere({ awardId });
    },

    /** Records the issuer's decision on an undecided flag; false when there was none to decide. */
    async decide(
      orgId: string,
      flagId: string,
      decision: { decision: 'revoke' | 'keep'; note: string | null; decidedBy: string },
    ): Promise<boolean> {
      const result = await db
        .updateTable('pathway_award_flags')
        .set({
          decision: decision.decision,
          note: decision.note,
          decided_by: decision.decidedBy,
          decided_at: sql`now()`,
        })
        .where('id', '=', flagId)
        .where('decision', 'is', null)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('pathway_awards as a')
              .innerJoin('pathways as p', 'p.id', 'a.pathway_id')
              .whereRef('a.id', '=', 'pathway_award_flags.award_id')
              .where('p.org_id', '=', orgId)
              .select('a.id'),
          ),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type PathwaysStore = ReturnType<typeof createPathwaysStore>;
