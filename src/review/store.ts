import { sql, type Kysely, type Selectable } from 'kysely';
import { jsonColumn } from '../platform/db/json-column.js';
import type { Database, SubmissionsTable } from '../platform/db/schema.js';
import { RubricSchema, RubricScoreSchema, type Rubric, type RubricScore } from './rubric.js';

export type SubmissionStatus = 'open' | 'returned' | 'accepted';

export interface FileMeta {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}

export interface SubmissionRecord {
  id: string;
  achievementId: string;
  orgId: string;
  userId: string;
  status: SubmissionStatus;
  narrative: string;
  links: string[];
  submittedAt: Date;
  reviewedAt: Date | null;
  reviewerId: string | null;
  feedback: string | null;
  score: RubricScore | null;
  credentialId: string | null;
  files: FileMeta[];
}

export interface NewSubmission {
  id: string;
  achievementId: string;
  orgId: string;
  userId: string;
  narrative: string;
  links: string[];
  submittedAt: Date;
  files: { id: string; name: string; mediaType: string; content: Uint8Array }[];
}

// The JSONB columns, checked on read: a row that holds anything else fails by name, never passes on as a cast.
const storedRubric = jsonColumn('rubric', RubricSchema);
const storedScore = jsonColumn('score', RubricScoreSchema);

const toSubmission = (row: Selectable<SubmissionsTable>, files: FileMeta[]): SubmissionRecord => ({
  id: row.id,
  achievementId: row.achievement_id,
  orgId: row.org_id,
  userId: row.user_id,
  status: row.status,
  narrative: row.narrative,
  links: row.links,
  submittedAt: row.submitted_at,
  reviewedAt: row.reviewed_at,
  reviewerId: row.reviewer_id,
  feedback: row.feedback,
  score: row.score === null ? null : storedScore(row.score, `submission ${row.id}`),
  credentialId: row.credential_id,
  files,
});

/** The SQL behind rubrics, submissions and their files. */
export function createReviewStore(db: Kysely<Database>) {
  async function filesOf(ids: string[]): Promise<Map<string, FileMeta[]>> {
    const byId = new Map<string, FileMeta[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await db
      .selectFrom('submission_files')
      .select(['id', 'submission_id', 'name', 'media_type', 'size'])
      .where('submission_id', 'in', ids)
      .orderBy('submission_id')
      .orderBy('position')
      .execute();
    for (const row of rows)
      byId.get(row.submission_id)?.push({ id: row.id, name: row.name, mediaType: row.media_type, size: row.size });
    return byId;
  }

  async function withFiles(rows: Selectable<SubmissionsTable>[]): Promise<SubmissionRecord[]> {
    const files = await filesOf(rows.map((r) => r.id));
    return rows.map((row) => toSubmission(row, files.get(row.id) ?? []));
  }

  return {
    async rubric(achievementId: string): Promise<Rubric | undefined> {
      const row = await db
        .selectFrom('rubrics')
        .select('rubric')
        .where('achievement_id', '=', achievementId)
        .executeTakeFirst();
      return row && storedRubric(row.rubric, `achievement ${achievementId}`);
    },

    async saveRubric(achievementId: string, rubric: Rubric): Promise<void> {
      const value = JSON.stringify(rubric);
      await db
        .insertInto('rubrics')
        .values({ achievement_id: achievementId, rubric: value, updated_at: sql`now()` })
        .onConflict((oc) => oc.column('achievement_id').doUpdateSet({ rubric: value, updated_at: sql`now()` }))
        .execute();
    },

    /** Stores a submission and its files in one transaction; `open-exists` when the learner has one open already. */
    async insertSubmission(submission: NewSubmission): Promise<'stored' | 'open-exists'> {
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('submissions')
            .values({
              id: submission.id,
              achievement_id: submission.achievementId,
              org_id: submission.orgId,
              user_id: submission.userId,
              status: 'open',
              narrative: submission.narrative,
              links: submission.links,
              submitted_at: submission.submittedAt,
            })
            .execute();
          for (const [position, file] of submission.files.entries()) {
            await trx
              .insertInto('submission_files')
              .values({
                id: file.id,
                submission_id: submission.id,
                position,
                name: file.name,
                media_type: file.mediaType,
                size: file.content.length,
                content: file.content,
              })
              .execute();
          }
        });
        return 'stored';
      } catch (error) {
        const constraint = (error as { constraint?: string }).constraint ?? String((error as Error).message);
        if (/submissions_one_open/.test(constraint)) return 'open-exists';
        throw error;
      }
    },

    async submission(id: string): Promise<SubmissionRecord | undefined> {
      const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && (await withFiles([row]))[0];
    },

    /** A learner's submissions, newest first, for one micro-credential or all. */
    async submissionsOf(userId: string, achievementId?: string): Promise<SubmissionRecord[]> {
      let query = db.selectFrom('submissions').selectAll().where('user_id', '=', userId);
      if (achievementId) query = query.where('achievement_id', '=', achievementId);
      return withFiles(await query.orderBy('submitted_at', 'desc').orderBy('id').execute());
    },

    /** The organization's open submissions, oldest first, with who sent them and for what. */
    async queue(orgId: string, limit: number) {
      const rows = await db
        .selectFrom('submissions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .innerJoin('achievements as a', 'a.id', 's.achievement_id')
        .leftJoin('achievement_versions as v', (join) =>
          join.onRef('v.achievement_id', '=', 'a.id').onRef('v.version', '=', 'a.latest_version'),
        )
        .select(['s.id', 's.achievement_id', 's.user_id', 's.submitted_at', 'u.name', 'u.email', 'v.title'])
        .where('s.org_id', '=', orgId)
        .where('s.status', '=', 'open')
        .orderBy('s.submitted_at')
        .orderBy('s.id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        achievementId: row.achievement_id,
        userId: row.user_id,
        submittedAt: row.submitted_at,
        learnerName: row.name,
        learnerEmail: row.email,
        achievementTitle: row.title ?? '',
      }));
    },

    /** Closes an open submission as reviewed; false when it was not open (or is the reviewer's own). */
    async close(
      id: string,
      outcome: {
        status: 'accepted' | 'returned';
        reviewerId: string;
        at: Date;
        feedback: string | null;
        score: RubricScore | null;
      },
    ): Promise<boolean> {
      const result = await db
        .updateTable('submissions')
        .set({
          status: outcome.status,
          reviewer_id: outcome.reviewerId,
          reviewed_at: outcome.at,
          feedback: outcome.feedback,
          score: outcome.score ? JSON.stringify(outcome.score) : null,
        })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .where('user_id', '<>', outcome.reviewerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setCredential(id: string, credentialId: string): Promise<void> {
      await db.updateTable('submissions').set({ credential_id: credentialId }).where('id', '=', id).execute();
    },

    async file(submissionId: string, fileId: string) {
      const row = await db
        .selectFrom('submission_files')
        .select(['name', 'media_type', 'content'])
        .where('submission_id', '=', submissionId)
        .where('id', '=', fileId)
        .executeTakeFirst();
      return row && { name: row.name, mediaType: row.media_type, content: new Uint8Array(row.content) };
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
