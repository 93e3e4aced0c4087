import { randomUUID } from 'node:crypto';
import type { IntegritySignal } from '../assessment/attempts.js';
import type { Catalog } from '../catalog/catalog.js';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { httpsLink, safeFileName, sniffType, submissionLimits } from './evidence.js';
import { checkRubric, scoreRubric, type CriterionScore, type Rubric, type RubricScore } from './rubric.js';
import type { ReviewStore, SubmissionRecord } from './store.js';

/** The issuance side of an accepted submission, injected so review knows nothing of signing. */
export interface ReviewAwardPort {
  /** Issues the credential for an accepted submission (idempotent per submission); returns its record id. */
  award(submission: SubmissionRecord, score: RubricScore & { passPoints: number }, reviewerId: string): Promise<string>;
}

/** A skill-test attempt's integrity signals, for the assessor to weigh beside the work. */
export interface AttemptSignals {
  attemptId: string;
  startedAt: Date;
  passed: boolean | null;
  signals: IntegritySignal[];
}

export interface ReviewDeps {
  store: ReviewStore;
  catalog: Catalog;
  awards: ReviewAwardPort;
  /** The learner's skill-test attempts at the micro-credential, oldest first (assessment owns them). */
  attemptSignals: (userId: string, achievementId: string) => Promise<AttemptSignals[]>;
  /** Whether the user is an assessor (or owner) of the organization. */
  isAssessor: (userId: string, orgId: string) => Promise<boolean>;
  /** Whether the user is an issuer (or owner) of the organization: who sets its rubrics. */
  isIssuer: (userId: string, orgId: string) => Promise<boolean>;
  now?: () => Date;
}

export interface SubmissionInput {
  narrative: string;
  links: string[];
  files: { name: string; content: Uint8Array }[];
}

/** Assessor review: issuers' rubrics, learners' submissions, assessors' queue and decisions. */
export function createReview(deps: ReviewDeps) {
  const { store, catalog } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * A rubric is how the organization's assessors score its learners: its issuers set it, its issuers and
   * assessors read it; checked here as well as on the routes, role first, so no route or other caller sets or
   * shows it for anyone else.
   */
  async function mayRubric(userId: string, orgId: string, set: boolean) {
    const allowed = (await deps.isIssuer(userId, orgId)) || (!set && (await deps.isAssessor(userId, orgId)));
    if (!allowed) {
      throw new DomainError(
        'forbidden',
        set
          ? 'Only an issuer of this organization may set its rubrics.'
          : 'Only an issuer or assessor of this organization may see its rubrics.',
      );
    }
  }

  async function setRubric(userId: string, orgId: string, achievementId: string, rubric: Rubric): Promise<Rubric> {
    await mayRubric(userId, orgId, true);
    await catalog.get(orgId, achievementId);
    const clean: Rubric = {
      passPoints: rubric.passPoints,
      criteria: rubric.criteria.map((c) => ({
        id: c.id.trim(),
        name: c.name.trim(),
        ...(c.description?.trim() ? { description: c.description.trim() } : {}),
        levels: c.levels.map((l) => ({
          name: l.name.trim(),
          points: l.points,
          ...(l.description?.trim() ? { description: l.description.trim() } : {}),
        })),
      })),
    };
    const issues = checkRubric(clean);
    if (issues.length) throw invalid(issues.map((i) => i.message).join(' '), { field: `rubric.${issues[0]!.field}` });
    await store.saveRubric(achievementId, clean);
    return clean;
  }

  async function rubricOf(achievementId: string): Promise<Rubric> {
    const rubric = await store.rubric(achievementId);
    if (!rubric) throw notFound('A rubric for that micro-credential');
    return rubric;
  }

  /** The issuer's view: the rubric of one of their micro-credentials. */
  async function orgRubric(userId: string, orgId: string, achievementId: string): Promise<Rubric> {
    await mayRubric(userId, orgId, false);
    await catalog.get(orgId, achievementId);
    return rubricOf(achievementId);
  }

  /**
   * The learner's view: what a published micro-credential's assessors will score, or a null rubric when it is
   * not assessed by review (its issuer awards it otherwise), so its page knows whether to offer submitting.
   */
  async function publishedRubric(achievementId: string) {
    const published = await catalog.current(achievementId);
    return {
      achievementId,
      title: published.definition.title,
      assessmentType: published.definition.assessmentType,
      criteria: published.definition.criteria ?? null,
      rubric: (await store.rubric(achievementId)) ?? null,
    };
  }

  async function submit(userId: string, achievementId: string, input: SubmissionInput): Promise<SubmissionRecord> {
    const published = await catalog.current(achievementId);
    if (!(await store.rubric(achievementId)))
      throw conflict('This micro-credential is not assessed by review: its issuer has set no rubric.');
    const narrative = input.narrative.trim();
    if (narrative.length > submissionLimits.narrativeChars)
      throw invalid(`The text is longer than ${submissionLimits.narrativeChars} characters.`, { field: 'narrative' });
    if (input.links.length > submissionLimits.links)
      throw invalid(`Send at most ${submissionLimits.links} links.`, { field: 'links' });
    const links: string[] = [];
    for (const [i, link] of input.links.entries()) {
      const url = httpsLink(link);
      if (!url) throw invalid(`Link ${i + 1} is not an https:// address.`, { field: `links.${i}` });
      if (!links.includes(url)) links.push(url);
    }
    if (input.files.length > submissionLimits.files)
      throw invalid(`Send at most ${submissionLimits.files} files.`, { field: 'files' });
    const files = [];
    for (const [i, file] of input.files.entries()) {
      if (file.content.length > submissionLimits.fileBytes) {
        throw new DomainError('invalid-input', `File ${i + 1} is larger than 5 MB.`, { field: `files.${i}` });
      }
      const mediaType = await sniffType(file.content);
      if (!mediaType) {
        throw invalid(`File ${i + 1} is not a PDF, PNG, JPEG or plain-text file.`, { field: `files.${i}` });
      }
      files.push({ id: randomUUID(), name: safeFileName(file.name), mediaType, content: file.content });
    }
    if (!narrative && links.length === 0 && files.length === 0)
      throw invalid('Send some work: text, a link or a file.', { field: 'narrative' });
    const id = randomUUID();
    const outcome = await store.insertSubmission({
      id,
      achievementId,
      orgId: published.orgId,
      userId,
      narrative,
      links,
      submittedAt: now(),
      files,
    });
    if (outcome === 'open-exists')
      throw conflict('You already have a submission waiting for review for this micro-credential.');
    return (await store.submission(id))!;
  }

  /** A learner's own submissions (newest first), with feedback; an accepted one always ends in a credential. */
  async function mine(userId: string, achievementId?: string): Promise<SubmissionRecord[]> {
    const submissions = await store.submissionsOf(userId, achievementId);
    return Promise.all(submissions.map(heal));
  }

  // Accepting closes the submission first (exactly once), then issues: a crash in between heals on the next read.
  async function heal(submission: SubmissionRecord): Promise<SubmissionRecord> {
    if (submission.status !== 'accepted' || submission.credentialId || !submission.score) return submission;
    const rubric = await store.rubric(submission.achievementId);
    const credentialId = await deps.awards.award(
      submission,
      { ...submission.score, passPoints: rubric?.passPoints ?? submission.score.points },
      submission.reviewerId ?? submission.userId,
    );
    await store.setCredential(submission.id, credentialId);
    return { ...submission, credentialId };
  }

  /**
   * Learners' work (and who sent it) is for the organization's assessors: checked here as well as on the
   * routes, so no route or other caller shows or decides a submission for anyone else.
   */
  async function asAssessor(userId: string, orgId: string) {
    if (!(await deps.isAssessor(userId, orgId))) {
      throw new DomainError('forbidden', 'Only an assessor of this organization may see or review its submissions.');
    }
  }

  async function queue(assessorId: string, orgId: string, limit = 100) {
    await asAssessor(assessorId, orgId);
    return store.queue(orgId, limit);
  }

  async function orgSubmission(assessorId: string, orgId: string, submissionId: string): Promise<SubmissionRecord> {
    await asAssessor(assessorId, orgId);
    const submission = await store.submission(submissionId);
    if (!submission || submission.orgId !== orgId) throw notFound('That submission');
    return submission;
  }

  /** What an assessor sees: the work, the rubric, and any skill-test integrity signals (never a verdict). */
  async function forAssessor(assessorId: string, orgId: string, submissionId: string) {
    const submission = await orgSubmission(assessorId, orgId, submissionId);
    const [rubric, signals, history] = await Promise.all([
      rubricOf(submission.achievementId),
      deps.attemptSignals(submission.userId, submission.achievementId),
      store.submissionsOf(submission.userId, submission.achievementId),
    ]);
    return { submission, rubric, attempts: signals, history: history.filter((h) => h.id !== submission.id) };
  }

  function ownWork(submission: SubmissionRecord, reviewerId: string) {
    if (submission.userId === reviewerId)
      throw new DomainError('forbidden', 'You cannot review your own submission; another assessor must.');
  }

  async function closeOrExplain(submission: SubmissionRecord, closed: boolean) {
    if (closed) return;
    const latest = await store.submission(submission.id);
    throw conflict(
      latest?.status === 'accepted'
        ? 'This submission was already accepted.'
        : 'This submission was already returned to the learner.',
    );
  }

  async function accept(orgId: string, submissionId: string, reviewerId: string, scores: CriterionScore[]) {
    const submission = await orgSubmission(reviewerId, orgId, submissionId);
    ownWork(submission, reviewerId);
    if (submission.status !== 'open') await closeOrExplain(submission, false);
    const rubric = await rubricOf(submission.achievementId);
    const score = scoreRubric(rubric, scores);
    if (Array.isArray(score)) throw invalid(score.map((i) => i.message).join(' '), { field: 'scores' });
    if (!score.passed) {
      throw invalid(
        `The score, ${score.points} points, is below the pass threshold of ${rubric.passPoints}: return the submission with feedback instead.`,
        { field: 'scores' },
      );
    }
    const closed = await store.close(submission.id, {
      status: 'accepted',
      reviewerId,
      at: now(),
      feedback: null,
      score,
    });
    await closeOrExplain(submission, closed);
    return heal({ ...submission, status: 'accepted', score, reviewerId });
  }

  async function giveBack(
    orgId: string,
    submissionId: string,
    reviewerId: string,
    feedback: string,
    scores: CriterionScore[] | undefined,
  ) {
    const submission = await orgSubmission(reviewerId, orgId, submissionId);
    ownWork(submission, reviewerId);
    const text = feedback.trim();
    if (!text) throw invalid('Write the feedback the learner needs to improve the work.', { field: 'feedback' });
    let score: RubricScore | null = null;
    if (scores && scores.length) {
      const scored = scoreRubric(await rubricOf(submission.achievementId), scores);
      if (Array.isArray(scored)) throw invalid(scored.map((i) => i.message).join(' '), { field: 'scores' });
      score = scored;
    }
    const closed = await store.close(submission.id, {
      status: 'returned',
      reviewerId,
      at: now(),
      feedback: text,
      score,
    });
    await closeOrExplain(submission, closed);
    return (await store.submission(submission.id))!;
  }

  /** A file of a submission, for its learner or an assessor of the issuing organization; others get 404. */
  async function file(userId: string, submissionId: string, fileId: string) {
    const submission = await store.submission(submissionId);
    const allowed = submission && (submission.userId === userId || (await deps.isAssessor(userId, submission.orgId)));
    const found = allowed ? await store.file(submissionId, fileId) : undefined;
    if (!found) throw notFound('That file');
    return found;
  }

  return {
    setRubric,
    orgRubric,
    publishedRubric,
    submit,
    mine,
    queue,
    forAssessor,
    accept,
    giveBack,
    file,
  };
}

export type Review = ReturnType<typeof createReview>;
