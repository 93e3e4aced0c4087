import { sql, type Kysely, type RawBuilder } from 'kysely';
import { containsPattern } from '../platform/db/like.js';
import type { Database } from '../platform/db/schema.js';
import { jsonColumn } from '../platform/db/json-column.js';
import { StoredDefinitionSchema, type MicroCredentialDefinition } from './definition.js';
import type { IssuerProfileDetails } from './profile.js';
import type { Achievement } from '../vc/types.js';

/**
 * A published version's achievement as stored (JSONB, written by toAchievement): checked on read, so a row
 * that holds something else fails here, by name, instead of being signed into a credential.
 */
const storedDefinition = jsonColumn('definition', StoredDefinitionSchema);

function storedAchievement(value: unknown, where: string): Achievement {
  const candidate = value as Partial<Achievement> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    typeof candidate.id !== 'string' ||
    typeof candidate.name !== 'string' ||
    ![candidate.type].flat().includes('Achievement')
  ) {
    throw new Error(`The stored achievement of ${where} is not an Open Badges Achievement.`);
  }
  return candidate as Achievement;
}

export type AchievementStatus = 'draft' | 'published' | 'retired';

export interface AchievementRecord {
  id: string;
  orgId: string;
  /** The human-readable code, unique in the organization (also the draft's humanCode). */
  code: string;
  status: AchievementStatus;
  draft: MicroCredentialDefinition;
  latestVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PublishedVersion {
  achievementId: string;
  orgId: string;
  /** The micro-credential's human-readable code today (versions published before it had one lack humanCode). */
  code: string;
  orgName: string;
  status: AchievementStatus;
  version: number;
  definition: MicroCredentialDefinition;
  achievement: Achievement;
  publishedAt: Date;
}

/** A published micro-credential, as much as planning needs of it. */
export interface CatalogOffer {
  achievementId: string;
  version: number;
  title: string;
  workloadHours: number;
  orgId: string;
  orgName: string;
  language: string;
  participationForm: string;
  skills: { code: string; name: string }[];
  /** Addresses of achievements, as the issuer stated them. */
  prerequisites: string[];
}

export interface CatalogQuery {
  text?: string | undefined;
  skill?: string | undefined;
  eqfLevel?: number | undefined;
  maxHours?: number | undefined;
  orgId?: string | undefined;
  limit: number;
  offset: number;
}

/** The SQL behind the catalog. */
export interface CatalogStoreOptions {
  /**
   * SQL true when the skill test of the achievement named can run; the catalog lists a skill-test
   * micro-credential only then (assessment owns the rule; src/app composes it).
   */
  testCanRun?: (achievementId: RawBuilder<unknown>) => RawBuilder<boolean>;
}

/** Runs a write; false when it breaks the one-code-per-organization rule (a unique violation). */
async function codeFree(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') return false;
    throw error;
  }
}

export function createCatalogStore(db: Kysely<Database>, options: CatalogStoreOptions = {}) {
  const toRecord = (row: {
    id: string;
    org_id: string;
    status: AchievementStatus;
    draft: unknown;
    code: string;
    latest_version: number;
    created_at: Date;
    updated_at: Date;
  }): AchievementRecord => ({
    id: row.id,
    orgId: row.org_id,
    code: row.code,
    status: row.status,
    draft: { ...storedDefinition(row.draft, `achievement ${row.id}`), humanCode: row.code },
    latestVersion: row.latest_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const versions = () =>
    db
      .selectFrom('achievement_versions as v')
      .innerJoin('achievements as a', 'a.id', 'v.achievement_id')
      .innerJoin('organizations as o', 'o.id', 'a.org_id')
      .select([
        'v.achievement_id',
        'a.org_id',
        'a.code',
        'o.name as org_name',
        'a.status',
        'v.version',
        'v.definition',
        'v.achievement',
        'v.published_at',
      ]);
  const toVersion = (row: {
    achievement_id: string;
    org_id: string;
    code: string;
    org_name: string;
    status: AchievementStatus;
    version: number;
    definition: unknown;
    achievement: unknown;
    published_at: Date;
  }): PublishedVersion => ({
    achievementId: row.achievement_id,
    orgId: row.org_id,
    code: row.code,
    orgName: row.org_name,
    status: row.status,
    version: row.version,
    definition: storedDefinition(row.definition, `version ${row.version} of ${row.achievement_id}`),
    achievement: storedAchievement(row.achievement, `version ${row.version} of ${row.achievement_id}`),
    publishedAt: row.published_at,
  });

  return {
    async insertBadgeImage(image: {
      id: string;
      orgId: string;
      mediaType: 'image/png' | 'image/jpeg';
      bytes: Uint8Array;
      sha256: string;
    }): Promise<void> {
      await db
        .insertInto('badge_images')
        .values({
          id: image.id,
          org_id: image.orgId,
          media_type: image.mediaType,
          bytes: image.bytes,
          sha256: image.sha256,
        })
        .execute();
    },

    async badgeImage(id: string): Promise<{ mediaType: string; bytes: Uint8Array; sha256: string } | undefined> {
      const row = await db
        .selectFrom('badge_images')
        .select(['media_type', 'bytes', 'sha256'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { mediaType: row.media_type, bytes: row.bytes, sha256: row.sha256 };
    },

    async profile(orgId: string): Promise<IssuerProfileDetails | undefined> {
      const row = await db
        .selectFrom('issuer_profiles')
        .select('details')
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row?.details as IssuerProfileDetails | undefined;
    },

    async saveProfile(orgId: string, details: IssuerProfileDetails): Promise<void> {
      const json = JSON.stringify(details);
      await db
        .insertInto('issuer_profiles')
        .values({ org_id: orgId, details: json, updated_at: sql`now()` })
        .onConflict((oc) => oc.column('org_id').doUpdateSet({ details: json, updated_at: sql`now()` }))
        .execute();
    },

    /** Adds a draft; false when its code is taken in the organization (in any case). */
    async insert(record: {
      id: string;
      orgId: string;
      code: string;
      draft: MicroCredentialDefinition;
    }): Promise<boolean> {
      return codeFree(() =>
        db
          .insertInto('achievements')
          .values({
            id: record.id,
            org_id: record.orgId,
            code: record.code,
            status: 'draft',
            draft: JSON.stringify({ ...record.draft, humanCode: record.code }),
            updated_at: sql`now()`,
          })
          .execute(),
      );
    },

    /** The codes the organization's micro-credentials have (upper case). */
    async codes(orgId: string): Promise<Set<string>> {
      const rows = await db.selectFrom('achievements').select('code').where('org_id', '=', orgId).execute();
      return new Set(rows.map((r) => r.code.toUpperCase()));
    },

    async find(orgId: string, id: string): Promise<AchievementRecord | undefined> {
      const row = await db
        .selectFrom('achievements')
        .selectAll()
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async list(orgId: string): Promise<AchievementRecord[]> {
      const rows = await db
        .selectFrom('achievements')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('updated_at', 'desc')
        .execute();
      return rows.map(toRecord);
    },

    /** Saves the draft and its code; false when the code is another of the organization's (in any case). */
    async saveDraft(orgId: string, id: string, code: string, draft: MicroCredentialDefinition): Promise<boolean> {
      return codeFree(() =>
        db
          .updateTable('achievements')
          .set({ code, draft: JSON.stringify({ ...draft, humanCode: code }), updated_at: sql`now()` })
          .where('id', '=', id)
          .where('org_id', '=', orgId)
          .execute(),
      );
    },

    /** Adds the next version; false when another publish took that number first. */
    async publish(
      orgId: string,
      id: string,
      expectedVersion: number,
      version: { definition: MicroCredentialDefinition; achievement: object; skillCodes: string[] },
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const bumped = await trx
          .updateTable('achievements')
          .set({ latest_version: expectedVersion + 1, status: 'published', updated_at: sql`now()` })
          .where('id', '=', id)
          .where('org_id', '=', orgId)
          .where('latest_version', '=', expectedVersion)
          .executeTakeFirst();
        if (Number(bumped.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('achievement_versions')
          .values({
            achievement_id: id,
            version: expectedVersion + 1,
            definition: JSON.stringify(version.definition),
            achievement: JSON.stringify(version.achievement),
            title: version.definition.title,
            eqf_level: version.definition.eqfLevel ?? null,
            workload_hours: version.definition.workloadHours,
            skill_codes: version.skillCodes,
          })
          .execute();
        return true;
      });
    },

    async setStatus(orgId: string, id: string, status: AchievementStatus): Promise<void> {
      await db
        .updateTable('achievements')
        .set({ status, updated_at: sql`now()` })
        .where('id', '=', id)
        .where('org_id', '=', orgId)
        .execute();
    },

    async version(id: string, version: number): Promise<PublishedVersion | undefined> {
      const row = await versions()
        .where('v.achievement_id', '=', id)
        .where('v.version', '=', version)
        .executeTakeFirst();
      return row && toVersion(row);
    },

    async versionsOf(id: string): Promise<PublishedVersion[]> {
      const rows = await versions().where('v.achievement_id', '=', id).orderBy('v.version', 'desc').execute();
      return rows.map(toVersion);
    },

    /**
     * Everything open for earning, briefly: the newest version of every published achievement with what
     * planning needs (workload, language, form, skills, prerequisites), without the signed Achievement.
     */
    async offers(): Promise<CatalogOffer[]> {
      const rows = await db
        .selectFrom('achievement_versions as v')
        .innerJoin('achievements as a', 'a.id', 'v.achievement_id')
        .innerJoin('organizations as o', 'o.id', 'a.org_id')
        .where('a.status', '=', 'published')
        .whereRef('v.version', '=', 'a.latest_version')
        .select([
          'v.achievement_id',
          'v.version',
          'v.title',
          'v.workload_hours',
          'a.org_id',
          'o.name as org_name',
          sql<string | null>`v.definition->>'language'`.as('language'),
          sql<string | null>`v.definition->>'participationForm'`.as('participation_form'),
          sql<unknown>`v.definition->'skills'`.as('skills'),
          sql<unknown>`v.definition->'prerequisites'`.as('prerequisites'),
        ])
        .orderBy('v.achievement_id')
        .execute();
      const list = (value: unknown): unknown[] => {
        const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
        return Array.isArray(parsed) ? parsed : [];
      };
      return rows.map((row) => ({
        achievementId: row.achievement_id,
        version: row.version,
        title: row.title,
        workloadHours: Number(row.workload_hours),
        orgId: row.org_id,
        orgName: row.org_name,
        language: row.language ?? '',
        participationForm: row.participation_form ?? '',
        skills: list(row.skills).map((s) => {
          const skill = s as { code?: unknown; name?: unknown };
          return { code: String(skill.code ?? ''), name: String(skill.name ?? skill.code ?? '') };
        }),
        prerequisites: list(row.prerequisites).filter((p): p is string => typeof p === 'string'),
      }));
    },

    /** Changes whenever an achievement is created, edited, published or retired: what caches of offers key on. */
    async offersStamp(): Promise<string> {
      const row = await db
        .selectFrom('achievements')
        .select((eb) => [eb.fn.countAll<string | number>().as('count'), eb.fn.max('updated_at').as('updated')])
        .executeTakeFirstOrThrow();
      return `${String(row.count)}|${row.updated ? new Date(row.updated as unknown as string).toISOString() : ''}`;
    },

    /** The newest version of every published achievement, filtered. */
    async search(query: CatalogQuery): Promise<PublishedVersion[]> {
      let q = versions().where('a.status', '=', 'published').whereRef('v.version', '=', 'a.latest_version');
      if (query.text) {
        const pattern = containsPattern(query.text);
        q = q.where((eb) =>
          eb.or([eb('v.title', 'ilike', pattern), eb('o.name', 'ilike', pattern), eb('a.code', 'ilike', pattern)]),
        );
      }
      if (query.skill) q = q.where(sql<boolean>`${query.skill} = any(v.skill_codes)`);
      if (query.eqfLevel !== undefined) q = q.where('v.eqf_level', '=', query.eqfLevel);
      if (query.maxHours !== undefined) q = q.where('v.workload_hours', '<=', query.maxHours);
      if (query.orgId) q = q.where('a.org_id', '=', query.orgId);
      const { testCanRun } = options;
      if (testCanRun)
        q = q.where(
          sql<boolean>`(v.definition->>'assessmentType' <> 'skill-test' or ${testCanRun(sql.ref('v.achievement_id'))})`,
        );
      const rows = await q
        .orderBy('v.title')
        .orderBy('v.achievement_id')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return rows.map(toVersion);
    },
  };
}

export type CatalogStore = ReturnType<typeof createCatalogStore>;

/**
 * SQL selecting an organization's micro-credentials that were ever published (`id`, `code`, `title` of the
 * latest version, `status`): the rows of the issuer dashboard.
 */
export function publishedAchievements(
  orgId: string,
): RawBuilder<{ id: string; code: string; title: string; status: string }> {
  return sql<{ id: string; code: string; title: string; status: string }>`
    select a.id, a.code, v.title, a.status
    from achievements a
    join achievement_versions v on v.achievement_id = a.id and v.version = a.latest_version
    where a.org_id = ${orgId}`;
}
