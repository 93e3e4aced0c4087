import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { Type } from 'typebox';
import { jsonColumn } from '../platform/db/json-column.js';
import type { AttemptsTable, Database, ItemsTable } from '../platform/db/schema.js';
import { IntegritySignalSchema, type IntegritySignal } from './attempts.js';
import {
  defaultPolicy,
  ItemOptionSchema,
  TestPolicySchema,
  type DrawnItem,
  type Item,
  type TestPolicy,
} from './items.js';
import { ScoreSchema, type Score } from './scoring.js';

export interface AttemptRecord {
  id: string;
  achievementId: string;
  version: number;
  userId: string;
  policy: TestPolicy;
  startedAt: Date;
  deadline: Date;
  finishedAt: Date | null;
  score: Score | null;
  passed: boolean | null;
  integrity: IntegritySignal[];
}

export interface AttemptItemRecord {
  itemId: string;
  position: number;
  optionOrder: string[];
  chosen: string[] | null;
  answeredAt: Date | null;
  seconds: number | null;
  correct: boolean | null;
}

// The JSONB columns, checked on read: a row that holds anything else fails by name, never passes on as a cast.
const storedOptions = jsonColumn('options', Type.Array(ItemOptionSchema));
const storedPolicy = jsonColumn('test policy', TestPolicySchema);
const storedScore = jsonColumn('score', ScoreSchema);
const storedIntegrity = jsonColumn('integrity signals', Type.Array(IntegritySignalSchema));

const toItem = (row: Selectable<ItemsTable>): Item => ({
  id: row.id,
  stem: row.stem,
  options: storedOptions(row.options, `item ${row.id}`),
  correct: row.correct,
  multiple: row.multiple,
  skills: row.skills,
  difficulty: row.difficulty,
  draws: row.draws,
  retired: row.retired,
});

const toAttempt = (row: Selectable<AttemptsTable>): AttemptRecord => ({
  id: row.id,
  achievementId: row.achievement_id,
  version: row.version,
  userId: row.user_id,
  policy: storedPolicy(row.policy, `attempt ${row.id}`),
  startedAt: row.started_at,
  deadline: row.deadline,
  finishedAt: row.finished_at,
  score: row.score === null ? null : storedScore(row.score, `attempt ${row.id}`),
  passed: row.passed,
  integrity: storedIntegrity(row.integrity, `attempt ${row.id}`),
});

/**
 * SQL that is true when the skill test of the achievement `achievementId` names can run: its bank holds at
 * least length × pool factor live items (not retired, under the exposure limit) under its policy (or the
 * default). The catalog lists a skill-test micro-credential only then (composed in src/app).
 */
export function testCanRun(achievementId: RawBuilder<unknown>): RawBuilder<boolean> {
  const d = defaultPolicy;
  return sql<boolean>`(
    select count(*) from items i
    where i.achievement_id = ${achievementId} and not i.retired
      and i.draws < coalesce((select (p.policy->>'maxExposure')::int from test_policies p where p.achievement_id = ${achievementId}), ${d.maxExposure})
  ) >= coalesce(
    (select (p.policy->>'length')::int * (p.policy->>'poolFactor')::int from test_policies p where p.achievement_id = ${achievementId}),
    ${d.length * d.poolFactor}
  )`;
}

/** The SQL behind item banks and attempts. */
export function createAssessmentStore(db: Kysely<Database>) {
  return {
    async items(achievementId: string): Promise<Item[]> {
      const rows = await db
        .selectFrom('items')
        .selectAll()
        .where('achievement_id', '=', achievementId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toItem);
    },

    /** Only the given items: an attempt needs its own few, not the whole bank. */
    async itemsByIds(ids: string[]): Promise<Map<string, Item>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('items').selectAll().where('id', 'in', ids).execute();
      return new Map(rows.map((row) => [row.id, toItem(row)]));
    },

    async insertItems(achievementId: string, items: Omit<Item, 'draws' | 'retired'>[]): Promise<void> {
      if (items.length === 0) return;
      await db
        .insertInto('items')
        .values(
          items.map((item) => ({
            id: item.id,
            achievement_id: achievementId,
            stem: item.stem,
            options: JSON.stringify(item.options),
            correct: item.correct,
            multiple: item.multiple,
            skills: item.skills,
            difficulty: item.difficulty,
          })),
        )
        .execute();
    },

    async setRetired(achievementId: string, itemId: string, retired: boolean): Promise<boolean> {
      const result = await db
        .updateTable('items')
        .set({ retired })
        .where('id', '=', itemId)
        .where('achievement_id', '=', achievementId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async policy(achievementId: string): Promise<TestPolicy | undefined> {
      const row = await db
        .selectFrom('test_policies')
        .select('policy')
        .where('achievement_id', '=', achievementId)
        .executeTakeFirst();
      return row && storedPolicy(row.policy, `achievement ${achievementId}`);
    },

    async savePolicy(achievementId: string, policy: TestPolicy): Promise<void> {
      const json = JSON.stringify(policy);
      await db
        .insertInto('test_policies')
        .values({ achievement_id: achievementId, policy: json, updated_at: sql`now()` })
        .onConflict((oc) => oc.column('achievement_id').doUpdateSet({ policy: json, updated_at: sql`now()` }))
        .execute();
    },

    async attemptsOf(userId: string, achievementId: string): Promise<AttemptRecord[]> {
      const rows = await db
        .selectFrom('attempts')
        .selectAll()
        .where('user_id', '=', userId)
        .where('achievement_id', '=', achievementId)
        .orderBy('started_at')
        .execute();
      return rows.map(toAttempt);
    },

    async attempt(id: string): Promise<AttemptRecord | undefined> {
      const row = await db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAttempt(row);
    },

    async attemptItems(attemptId: string): Promise<AttemptItemRecord[]> {
      const rows = await db
        .selectFrom('attempt_items')
        .selectAll()
        .where('attempt_id', '=', attemptId)
        .orderBy('position')
        .execute();
      return rows.map((row) => ({
        itemId: row.item_id,
        position: row.position,
        optionOrder: row.option_order,
        chosen: row.chosen,
        answeredAt: row.answered_at,
        seconds: row.seconds,
        correct: row.correct,
      }));
    },

    /** Creates the attempt with its drawn items and counts the draws, in one transaction. */
    async startAttempt(
      attempt: Omit<AttemptRecord, 'finishedAt' | 'score' | 'passed' | 'integrity'>,
      drawn: DrawnItem[],
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('attempts')
          .values({
            id: attempt.id,
            achievement_id: attempt.achievementId,
            version: attempt.version,
            user_id: attempt.userId,
            policy: JSON.stringify(attempt.policy),
            started_at: attempt.startedAt,
            deadline: attempt.deadline,
          })
          .execute();
        await trx
          .insertInto('attempt_items')
          .values(
            drawn.map((d, position) => ({
              attempt_id: attempt.id,
              item_id: d.itemId,
              position,
              option_order: d.optionOrder,
            })),
          )
          .execute();
        await trx
          .updateTable('items')
          .set((eb) => ({ draws: eb('draws', '+', 1) }))
          .where(
            'id',
            'in',
            drawn.map((d) => d.itemId),
          )
          .execute();
      });
    },

    /** Every scored response to the bank's items, with its attempt's total, for item statistics. */
    async responses(achievementId: string) {
      const rows = await db
        .selectFrom('attempt_items as ai')
        .innerJoin('attempts as a', 'a.id', 'ai.attempt_id')
        .select([
          'ai.attempt_id',
          'ai.item_id',
          'ai.correct',
          'ai.chosen',
          'ai.seconds',
          'ai.answered_at',
          'a.score',
          'a.finished_at',
        ])
        .where('a.achievement_id', '=', achievementId)
        .where('a.finished_at', 'is not', null)
        .where('ai.correct', 'is not', null)
        .execute();
      return rows.map((row) => {
        const score = storedScore(row.score, `attempt ${row.attempt_id}`);
        return {
          attemptId: row.attempt_id,
          itemId: row.item_id,
          right: row.correct === true,
          chosen: row.chosen ?? [],
          seconds: row.seconds ?? 0,
          attemptScore: score.total ? score.correct / score.total : 0,
          attemptItems: score.total,
          at: row.answered_at ?? row.finished_at!,
        };
      });
    },

    async saveAnswer(attemptId: string, itemId: string, chosen: string[], at: Date, seconds: number): Promise<void> {
      await db
        .updateTable('attempt_items')
        .set({ chosen, answered_at: at, seconds })
        .where('attempt_id', '=', attemptId)
        .where('item_id', '=', itemId)
        .execute();
    },

    async addIntegrityEvent(attemptId: string, event: IntegritySignal): Promise<void> {
      await db
        .updateTable('attempts')
        .set({ integrity: sql`integrity || ${JSON.stringify([event])}::jsonb` })
        .where('id', '=', attemptId)
        .where('finished_at', 'is', null)
        .execute();
    },

    /** The integrity signals of a learner's attempts at a micro-credential, oldest attempt first. */
    async attemptSignals(userId: string, achievementId: string) {
      const rows = await db
        .selectFrom('attempts')
        .select(['id', 'started_at', 'passed', 'integrity'])
        .where('user_id', '=', userId)
        .where('achievement_id', '=', achievementId)
        .orderBy('started_at')
        .execute();
      return rows.map((row) => ({
        attemptId: row.id,
        startedAt: row.started_at,
        passed: row.passed,
        signals: storedIntegrity(row.integrity, `attempt ${row.id}`),
      }));
    },

    /** Finishes once: false when the attempt was already finished (a double submit). */
    async finish(attemptId: string, at: Date, score: Score): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('attempts')
          .set({ finished_at: at, score: JSON.stringify(score), passed: score.passed })
          .where('id', '=', attemptId)
          .where('finished_at', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return false;
        for (const item of score.items) {
          await trx
            .updateTable('attempt_items')
            .set({ correct: item.right })
            .where('attempt_id', '=', attemptId)
            .where('item_id', '=', item.itemId)
            .execute();
        }
        return true;
      });
    },
  };
}

export type AssessmentStore = ReturnType<typeof createAssessmentStore>;

/**
 * SQL selecting every finished, scored attempt (`achievement_id`, `user_id`, `passed`): the issuer dashboard's
 * candidates and pass rates (analytics composes it, src/app passes it in).
 */
export function finishedAttempts(): RawBuilder<{ achievement_id: string; user_id: string; passed: boolean }> {
  return sql<{ achievement_id: string; user_id: string; passed: boolean }>`
    select a.achievement_id, a.user_id, a.passed from attempts a
    where a.finished_at is not null and a.passed is not null`;
}
