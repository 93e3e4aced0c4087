import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { containsPattern } from '../platform/db/like.js';
import type { Database } from '../platform/db/schema.js';
import type { BroaderSkillLink, OccupationRecord, OccupationSkillLink, SkillRecord } from './sources.js';

export interface StoredSkill extends SkillRecord {
  id: string;
}

export interface StoredOccupation extends OccupationRecord {
  id: string;
}

const batchSize = 500;

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) result.push(items.slice(i, i + batchSize));
  return result;
}

/** The SQL behind skills and occupations: batched upserts keyed by (framework, code), and searches. */
export function createSkillsStore(db: Kysely<Database>) {
  const toSkill = (row: {
    id: string;
    framework: string;
    code: string;
    name: string;
    description: string;
    url: string;
    alt_labels: string[];
    kind: string;
  }): StoredSkill => ({
    id: row.id,
    framework: row.framework,
    code: row.code,
    name: row.name,
    description: row.description,
    url: row.url,
    altLabels: row.alt_labels,
    kind: row.kind as SkillRecord['kind'],
  });

  return {
    async saveFramework(name: string, credit: string, orgId: string | null): Promise<void> {
      await db
        .insertInto('skill_frameworks')
        .values({ name, credit, org_id: orgId, updated_at: sql`now()` })
        .onConflict((oc) => oc.column('name').doUpdateSet({ credit, updated_at: sql`now()` }))
        .execute();
    },

    async frameworkOwner(name: string): Promise<{ orgId: string | null } | undefined> {
      const row = await db.selectFrom('skill_frameworks').select('org_id').where('name', '=', name).executeTakeFirst();
      return row && { orgId: row.org_id };
    },

    async frameworks(): Promise<{ name: string; credit: string; skills: number }[]> {
      const rows = await db
        .selectFrom('skill_frameworks as f')
        .leftJoin('skills as s', 's.framework', 'f.name')
        .select(['f.name', 'f.credit', (eb) => eb.fn.count<number>('s.id').as('skills')])
        .groupBy(['f.name', 'f.credit'])
        .orderBy('f.name')
        .execute();
      return rows.map((r) => ({ name: r.name, credit: r.credit, skills: Number(r.skills) }));
    },

    /** Inserts or updates skills; returns the id of every (framework, code). */
    async upsertSkills(skills: SkillRecord[]): Promise<Map<string, string>> {
      const ids = new Map<string, string>();
      await db.transaction().execute(async (trx) => {
        for (const batch of chunks(skills)) {
          const rows = await trx
            .insertInto('skills')
            .values(
              batch.map((s) => ({
                id: randomUUID(),
                framework: s.framework,
                code: s.code,
                name: s.name,
                description: s.description,
                url: s.url,
                alt_labels: s.altLabels,
                kind: s.kind,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['framework', 'code']).doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                description: eb.ref('excluded.description'),
                url: eb.ref('excluded.url'),
                alt_labels: eb.ref('excluded.alt_labels'),
                kind: eb.ref('excluded.kind'),
              })),
            )
            .returning(['id', 'framework', 'code'])
            .execute();
          for (const row of rows) ids.set(`${row.framework}|${row.code}`, row.id);
        }
      });
      return ids;
    },

    async upsertOccupations(
      occupations: OccupationRecord[],
      links: OccupationSkillLink[],
      skillIds: Map<string, string>,
      framework: string,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const occupationIds = new Map<string, string>();
        for (const batch of chunks(occupations)) {
          const rows = await trx
            .insertInto('occupations')
            .values(
              batch.map((o) => ({
                id: randomUUID(),
                framework: o.framework,
                code: o.code,
                name: o.name,
                description: o.description,
                url: o.url,
                alt_labels: o.altLabels,
                group_code: o.group,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['framework', 'code']).doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                description: eb.ref('excluded.description'),
                url: eb.ref('excluded.url'),
                alt_labels: eb.ref('excluded.alt_labels'),
                group_code: eb.ref('excluded.group_code'),
              })),
            )
            .returning(['id', 'code'])
            .execute();
          for (const row of rows) occupationIds.set(row.code, row.id);
        }
        // A source may list a pair twice (O*NET lists a product under several categories): essential wins.
        const pairs = new Map<
          string,
          { occupation_id: string; skill_id: string; relation: 'essential' | 'optional'; hot: boolean }
        >();
        for (const link of links) {
          const occupationId = occupationIds.get(link.occupation);
          const skillId = skillIds.get(`${framework}|${link.skill}`);
          if (!occupationId || !skillId) continue;
          const key = `${occupationId}|${skillId}`;
          const seen = pairs.get(key);
          pairs.set(key, {
            occupation_id: occupationId,
            skill_id: skillId,
            relation: seen?.relation === 'essential' || link.relation === 'essential' ? 'essential' : 'optional',
            hot: Boolean(seen?.hot || link.hot),
          });
        }
        const values = [...pairs.values()];
        for (const batch of chunks(values)) {
          await trx
            .insertInto('occupation_skills')
            .values(batch)
            .onConflict((oc) =>
              oc
                .columns(['occupation_id', 'skill_id'])
                .doUpdateSet((eb) => ({ relation: eb.ref('excluded.relation'), hot: eb.ref('excluded.hot') })),
            )
            .execute();
        }
      });
    },

    /** ESCO's hierarchy between skills of one framework (pairs whose skills are unknown are skipped). */
    async upsertBroader(links: BroaderSkillLink[], skillIds: Map<string, string>, framework: string): Promise<void> {
      const values = links
        .map((l) => ({
          skill_id: skillIds.get(`${framework}|${l.skill}`),
          broader_id: skillIds.get(`${framework}|${l.broader}`),
        }))
        .filter((v): v is { skill_id: string; broader_id: string } => !!v.skill_id && !!v.broader_id);
      await db.transaction().execute(async (trx) => {
        for (const batch of chunks(values)) {
          await trx
            .insertInto('skill_broader')
            .values(batch)
            .onConflict((oc) => oc.columns(['skill_id', 'broader_id']).doNothing())
            .execute();
        }
      });
    },

    /** Every narrower → broader pair, by skill code. */
    async broaderPairs(): Promise<{ skill: string; broader: string }[]> {
      return db
        .selectFrom('skill_broader as b')
        .innerJoin('skills as n', 'n.id', 'b.skill_id')
        .innerJoin('skills as w', 'w.id', 'b.broader_id')
        .select(['n.code as skill', 'w.code as broader'])
        .orderBy('n.code')
        .orderBy('w.code')
        .execute();
    },

    /** Skills by code or address (an ESCO concept URI is both). */
    async skillsByCode(codes: string[]): Promise<StoredSkill[]> {
      if (codes.length === 0) return [];
      const rows = await db
        .selectFrom('skills')
        .selectAll()
        .where((eb) => eb.or([eb('code', 'in', codes), eb('url', 'in', codes)]))
        .orderBy('framework')
        .orderBy('code')
        .execute();
      return rows.map(toSkill);
    },

    /** An occupation by its code or URI, with its skills. */
    async occupationByCode(code: string) {
      const occupation = await db
        .selectFrom('occupations')
        .selectAll()
        .where((eb) => eb.or([eb('code', '=', code), eb('url', '=', code)]))
        .orderBy('framework')
        .executeTakeFirst();
      if (!occupation) return undefined;
      const skills = await db
        .selectFrom('occupation_skills as os')
        .innerJoin('skills as s', 's.id', 'os.skill_id')
        .select(['s.code', 's.name', 'os.relation'])
        .where('os.occupation_id', '=', occupation.id)
        .orderBy('os.relation')
        .orderBy('s.name')
        .orderBy('s.code')
        .execute();
      return { occupation, skills };
    },

    /** Every occupation–skill link with the occupation's facts: what relatedness is learned from. */
    async occupationSkillLinks(): Promise<
      {
        occupation: string;
        name: string;
        framework: string;
        group: string;
        skill: string;
        skillName: string;
        relation: 'essential' | 'optional';
      }[]
    > {
      return db
        .selectFrom('occupation_skills as os')
        .innerJoin('occupations as o', 'o.id', 'os.occupation_id')
        .innerJoin('skills as s', 's.id', 'os.skill_id')
        .select([
          'o.code as occupation',
          'o.name',
          'o.framework',
          'o.group_code as group',
          's.code as skill',
          's.name as skillName',
          'os.relation',
        ])
        .orderBy('o.code')
        .orderBy('s.code')
        .execute();
    },

    /** Changes whenever a taxonomy is imported or refreshed: what caches of derived data key on. */
    async taxonomyStamp(): Promise<string> {
      const row = await db
        .selectFrom('skill_frameworks')
        .select((eb) => [eb.fn.max('updated_at').as('updated'), eb.fn.countAll<string | number>().as('count')])
        .executeTakeFirstOrThrow();
      return `${String(row.count)}|${row.updated ? new Date(row.updated as unknown as string).toISOString() : ''}`;
    },

    async searchSkills(query: {
      text?: string | undefined;
      framework?: string | undefined;
      limit: number;
    }): Promise<StoredSkill[]> {
      let q = db.selectFrom('skills').selectAll();
      if (query.framework) q = q.where('framework', '=', query.framework);
      if (query.text) {
        const pattern = containsPattern(query.text);
        q = q.where((eb) =>
          eb.or([eb('name', 'ilike', pattern), eb(sql<string>`array_to_string(alt_labels, ' ')`, 'ilike', pattern)]),
        );
        // Exact and prefix matches first, then shorter names.
        q = q.orderBy(
          sql`case when lower(name) = lower(${query.text}) then 0 when name ilike ${query.text + '%'} then 1 else 2 end`,
        );
      }
      const rows = await q
        .orderBy(sql`length(name)`)
        .orderBy('name')
        .limit(query.limit)
        .execute();
      return rows.map(toSkill);
    },

    async searchOccupations(text: string | undefined, limit: number) {
      let q = db.selectFrom('occupations').select(['id', 'framework', 'code', 'name', 'url', 'group_code']);
      if (text) {
        const pattern = containsPattern(text);
        q = q.where((eb) =>
          eb.or([eb('name', 'ilike', pattern), eb(sql<string>`array_to_string(alt_labels, ' ')`, 'ilike', pattern)]),
        );
      }
      return q
        .orderBy(sql`length(name)`)
        .orderBy('name')
        .limit(limit)
        .execute();
    },

    async occupation(id: string) {
      const occupation = await db.selectFrom('occupations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!occupation) return undefined;
      const skills = await db
        .selectFrom('occupation_skills as os')
        .innerJoin('skills as s', 's.id', 'os.skill_id')
        .selectAll('s')
        .select(['os.relation', 'os.hot'])
        .where('os.occupation_id', '=', id)
        .orderBy('os.relation')
        .orderBy('s.name')
        .execute();
      return { occupation, skills: skills.map((row) => ({ ...toSkill(row), relation: row.relation, hot: row.hot })) };
    },
  };
}

export type SkillsStore = ReturnType<typeof createSkillsStore>;
