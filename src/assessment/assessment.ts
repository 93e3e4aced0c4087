import { randomInt, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { neutralize } from '../platform/csv-safe.js';
import type { Catalog } from '../catalog/catalog.js';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import { canStart, isOverdue } from './attempts.js';
import { renewalDue, type HeldCredential } from './renewal.js';
import {
  checkItem,
  checkPolicy,
  defaultPolicy,
  drawTest,
  labelsOf,
  poolProblem,
  present,
  shownAnswer,
  type Item,
  type PresentedItem,
  type Random,
  type TestPolicy,
} from './items.js';
import { scoreAttempt, type Score } from './scoring.js';
import { itemStatistics } from './statistics.js';
import type { AssessmentStore, AttemptRecord } from './store.js';

export interface ItemInput {
  stem: string;
  options: string[];
  /** Indexes (0-based) of the correct options. */
  correct: number[];
  skills: string[];
  difficulty: number;
}

export interface AttemptView {
  id: string;
  achievementId: string;
  version: number;
  startedAt: string;
  deadline: string;
  secondsLeft: number;
  finished: boolean;
  items: (PresentedItem & { chosen: string[] | null })[];
  score: Score | null;
  /** The credential awarded for a pass, as soon as it is issued. */
  credentialId: string | null;
}

/** What happens when a learner passes: the issuance side, injected so assessment knows nothing of it. */
export interface AwardPort {
  /** Issues the credential for a passed attempt (idempotent); returns its id. */
  award(attempt: AttemptRecord, score: Score): Promise<string>;
}

export interface AssessmentDeps {
  store: AssessmentStore;
  catalog: Catalog;
  /** Whether the user is an issuer (or owner) of the organization: who may author its item banks. */
  isIssuer: (userId: string, orgId: string) => Promise<boolean>;
  awards?: AwardPort;
  /** The credentials a learner holds for a micro-credential, to decide whether a retest renews one. */
  credentialsHeld?: (userId: string, achievementId: string) => Promise<HeldCredential[]>;
  now?: () => Date;
  random?: Random;
}

const optionIds = 'abcdefghij';
const integrityEvents = ['focus-lost', 'paste', 'resize', 'copy'] as const;
export type IntegrityEvent = (typeof integrityEvents)[number];

/** Skill tests: the issuer's item bank and policy, and the learner's attempts. */
export function createAssessment(deps: AssessmentDeps) {
  const { store, catalog } = deps;
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? (() => randomInt(2 ** 32) / 2 ** 32);

  /**
   * The item bank holds the answer keys: only an issuer of the organization whose micro-credential it is may
   * see or change it. Checked here as well as on the routes, so no route can hand the keys out by mistake.
   */
  async function authoredBank(author: string, orgId: string, achievementId: string) {
    if (!(await deps.isIssuer(author, orgId))) {
      throw new DomainError('forbidden', 'Only an issuer of this organization may see or change its item bank.');
    }
    await catalog.get(orgId, achievementId);
  }

  function toItem(input: ItemInput, index: number): Omit<Item, 'draws' | 'retired'> {
    const options = input.options.map((text, i) => ({ id: optionIds[i] ?? String(i), text: text.trim() }));
    const item = {
      id: randomUUID(),
      stem: input.stem.trim(),
      options,
      correct: [...new Set(input.correct)].map((i) => options[i]?.id ?? `?${i}`),
      multiple: new Set(input.correct).size > 1,
      skills: input.skills.map((s) => s.trim()).filter(Boolean),
      difficulty: input.difficulty,
    };
    const issues = checkItem(item);
    if (issues.length)
      throw invalid(`Item ${index + 1}: ${issues.map((i) => i.message).join(' ')}`, {
        field: `items.${index}.${issues[0]!.field}`,
      });
    return item;
  }

  async function addItems(author: string, orgId: string, achievementId: string, inputs: ItemInput[]): Promise<number> {
    await authoredBank(author, orgId, achievementId);
    const items = inputs.map(toItem);
    await store.insertItems(achievementId, items);
    return items.length;
  }

  /** CSV columns: stem, options (|-separated), correct (|-separated letters), skills (|-separated), difficulty. */
  function parseItems(format: 'csv' | 'json', content: string): ItemInput[] {
    if (format === 'json') {
      let rows: unknown;
      try {
        rows = JSON.parse(content);
      } catch {
        throw invalid('The file is not valid JSON.');
      }
      if (!Array.isArray(rows)) throw invalid('The JSON must be a list of items.');
      return rows.map((row: Record<string, unknown>, i) => {
        if (typeof row?.stem !== 'string' || !Array.isArray(row.options) || !Array.isArray(row.correct)) {
          throw invalid(`Item ${i + 1} needs stem, options and correct.`, { field: `items.${i}` });
        }
        return {
          stem: row.stem,
          options: row.options.map(String),
          correct: row.correct.map((c: unknown) => (typeof c === 'number' ? c : optionIds.indexOf(String(c)))),
          skills: Array.isArray(row.skills) ? row.skills.map(String) : [],
          difficulty: Number(row.difficulty ?? 3),
        };
      });
    }
    let rows: Record<string, string>[];
    try {
      rows = parse(content, { columns: true, skip_empty_lines: true, bom: true });
    } catch (error) {
      throw invalid(`The CSV cannot be read: ${(error as Error).message}`);
    }
    const missing = ['stem', 'options', 'correct'].filter((c) => rows.length && !(c in rows[0]!));
    if (missing.length) throw invalid(`The CSV lacks the columns: ${missing.join(', ')}.`);
    const split = (value: string | undefined) =>
      (value ?? '')
        .split('|')
        .map((v) => v.trim())
        .filter(Boolean);
    return rows.map((row) => ({
      stem: row.stem ?? '',
      options: split(row.options),
      correct: split(row.correct).map((letter) => optionIds.indexOf(letter.toLowerCase())),
      skills: split(row.skills),
      difficulty: Number(row.difficulty || 3),
    }));
  }

  async function exportItems(
    author: string,
    orgId: string,
    achievementId: string,
    format: 'csv' | 'json',
  ): Promise<string> {
    await authoredBank(author, orgId, achievementId);
    const items = await store.items(achievementId);
    const rows = items.map((item) => ({
      stem: item.stem,
      options: item.options.map((o) => o.text),
      correct: item.correct,
      skills: item.skills,
      difficulty: item.difficulty,
      retired: item.retired,
      draws: item.draws,
    }));
    if (format === 'json') return JSON.stringify(rows, null, 2);
    return stringify(
      rows.map((r) => ({
        stem: neutralize(r.stem),
        options: r.options.map(neutralize).join('|'),
        correct: r.correct.join('|'),
        skills: r.skills.map(neutralize).join('|'),
        difficulty: r.difficulty,
        retired: r.retired,
        draws: r.draws,
      })),
      { header: true },
    );
  }

  async function bank(author: string, orgId: string, achievementId: string) {
    await authoredBank(author, orgId, achievementId);
    const items = await store.items(achievementId);
    const policy = (await store.policy(achievementId)) ?? defaultPolicy;
    return { items, policy, poolProblem: poolProblem(items, policy) ?? null };
  }

  /** Statistics for every item of the bank, from the finished attempts. */
  async function statistics(author: string, orgId: string, achievementId: string) {
    await authoredBank(author, orgId, achievementId);
    const responses = await store.responses(achievementId);
    const times = responses.map((r) => r.seconds).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const items = await store.items(achievementId);
    return {
      medianSeconds: median,
      items: items.map((item) => ({
        ...itemStatistics(
          item.id,
          responses.filter((r) => r.itemId === item.id),
          median,
        ),
        stem: item.stem,
        draws: item.draws,
        retired: item.retired,
      })),
    };
  }

  async function setPolicy(
    author: string,
    orgId: string,
    achievementId: string,
    policy: TestPolicy,
  ): Promise<TestPolicy> {
    await authoredBank(author, orgId, achievementId);
    const issues = checkPolicy(policy);
    if (issues.length) throw invalid(issues.map((i) => i.message).join(' '), { field: issues[0]!.field });
    await store.savePolicy(achievementId, policy);
    return policy;
  }

  async function retireItem(
    author: string,
    orgId: string,
    achievementId: string,
    itemId: string,
    retired = true,
  ): Promise<void> {
    await authoredBank(author, orgId, achievementId);
    if (!(await store.setRetired(achievementId, itemId, retired))) throw notFound('That item');
  }

  /**
   * Edits an item. Drawn items have statistics and answers tied to their content, so an edit adds the
   * edited item as a new one and retires the old (which keeps its history); an invalid edit changes nothing.
   */
  async function replaceItem(author: string, orgId: string, achievementId: string, itemId: string, input: ItemInput) {
    await authoredBank(author, orgId, achievementId);
    const item = toItem(input, 0);
    if (!(await store.setRetired(achievementId, itemId, true))) throw notFound('That item');
    await store.insertItems(achievementId, [item]);
    return { id: item.id };
  }

  /**
   * A sample draw as a learner would see it, for the bank's authors: nothing is recorded and no item's
   * exposure grows. Shows why not when the pool is too shallow for the policy.
   */
  async function preview(author: string, orgId: string, achievementId: string) {
    await authoredBank(author, orgId, achievementId);
    const items = await store.items(achievementId);
    const policy = (await store.policy(achievementId)) ?? defaultPolicy;
    const problem = poolProblem(items, policy);
    if (problem) throw conflict(`This test cannot run yet: ${problem}`);
    const byId = new Map(items.map((item) => [item.id, item]));
    return { policy, items: drawTest(items, policy, random).map((d) => present(byId.get(d.itemId)!, d)) };
  }

  // --- the learner's side ---

  /**
   * What a learner sees before starting: the policy's public facts, whether the pool can run a test, and
   * (when signed in) their own standing: attempts used and left, an attempt to resume, or when to retry.
   */
  async function testInfo(achievementId: string, userId: string | undefined) {
    const published = await catalog.current(achievementId);
    if (published.definition.assessmentType !== 'skill-test')
      throw conflict('This micro-credential is not earned by a skill test.');
    const policy = (await store.policy(achievementId)) ?? defaultPolicy;
    const available = poolProblem(await store.items(achievementId), policy) === undefined;
    const facts = {
      length: policy.length,
      passMark: policy.passMark,
      timeLimitMinutes: policy.timeLimitMinutes,
      maxAttempts: policy.maxAttempts,
      cooldownHours: policy.cooldownHours,
    };
    if (!userId) return { policy: facts, available, me: null };
    const history = await store.attemptsOf(userId, achievementId);
    const decision = canStart(
      history.map((a) => ({ startedAt: a.startedAt, finishedAt: a.finishedAt, passed: a.passed })),
      policy,
      now(),
    );
    const open = history.find((a) => a.finishedAt === null && !isOverdue(a.startedAt, policy, now()));
    const last = history.at(-1);
    return {
      policy: facts,
      available,
      me: {
        attemptsUsed: history.length,
        attemptsLeft: Math.max(0, policy.maxAttempts - history.length),
        canStart: decision.allowed,
        reason: decision.allowed ? null : decision.reason,
        message: decision.allowed ? null : decision.message,
        retryAt: !decision.allowed && decision.retryAt ? decision.retryAt.toISOString() : null,
        openAttemptId: open?.id ?? null,
        lastAttemptId: last?.id ?? null,
      },
    };
  }

  async function ownAttempt(userId: string, attemptId: string): Promise<AttemptRecord> {
    const attempt = await store.attempt(attemptId);
    // Someone else's attempt is "not found": its existence is not theirs to learn.
    if (!attempt || attempt.userId !== userId) throw notFound('That attempt');
    return attempt;
  }

  async function view(userId: string, attemptId: string): Promise<AttemptView> {
    const attempt = await ownAttempt(userId, attemptId);
    if (!attempt.finishedAt && isOverdue(attempt.startedAt, attempt.policy, now())) return finishOverdue(attempt);
    const drawn = await store.attemptItems(attempt.id);
    const items = await store.itemsByIds(drawn.map((d) => d.itemId));
    // A pass always ends in a credential: awarding is idempotent, so a crash between scoring and issuing heals here.
    const credentialId =
      attempt.passed && attempt.score && deps.awards ? await deps.awards.award(attempt, attempt.score) : null;
    return {
      id: attempt.id,
      achievementId: attempt.achievementId,
      version: attempt.version,
      startedAt: attempt.startedAt.toISOString(),
      deadline: attempt.deadline.toISOString(),
      secondsLeft: Math.max(0, Math.round((attempt.deadline.getTime() - now().getTime()) / 1000)),
      finished: attempt.finishedAt !== null,
      items: drawn.map((d) => ({
        ...present(items.get(d.itemId)!, { itemId: d.itemId, optionOrder: d.optionOrder }),
        // Stored as the item's option ids; shown as the labels this attempt gave them.
        chosen: d.chosen ? labelsOf(d, d.chosen) : d.chosen,
      })),
      score: attempt.score,
      credentialId,
    };
  }

  /**
   * Starts an attempt, or refuses with the reason (in progress, passed, attempts used, cooldown). A learner
   * whose credential has expired or expires within 30 days renews it: the server decides, from their credentials.
   */
  async function start(userId: string, achievementId: string): Promise<AttemptView> {
    const published = await catalog.current(achievementId);
    if (published.definition.assessmentType !== 'skill-test')
      throw conflict('This micro-credential is not earned by a skill test.');
    const policy = (await store.policy(achievementId)) ?? defaultPolicy;
    const history = await store.attemptsOf(userId, achievementId);
    const renewing = deps.credentialsHeld
      ? renewalDue(await deps.credentialsHeld(userId, achievementId), now())
      : false;
    const decision = canStart(
      history.map((a) => ({ startedAt: a.startedAt, finishedAt: a.finishedAt, passed: a.passed })),
      policy,
      now(),
      { renewing },
    );
    if (!decision.allowed) {
      const open = history.find((a) => a.finishedAt === null && !isOverdue(a.startedAt, policy, now()));
      throw new DomainError('conflict', decision.message, {
        reason: decision.reason,
        ...(open ? { attemptId: open.id } : {}),
        ...(decision.retryAt ? { retryAt: decision.retryAt.toISOString() } : {}),
      });
    }
    const items = await store.items(achievementId);
    let drawn;
    try {
      drawn = drawTest(items, policy, random);
    } catch (error) {
      throw new DomainError('unavailable', `This test cannot run yet: ${(error as Error).message}`);
    }
    const startedAt = now();
    const id = randomUUID();
    await store.startAttempt(
      {
        id,
        achievementId,
        version: published.version,
        userId,
        policy,
        startedAt,
        deadline: new Date(startedAt.getTime() + policy.timeLimitMinutes * 60_000),
      },
      drawn,
    );
    return view(userId, id);
  }

  async function answer(userId: string, attemptId: string, itemId: string, chosen: string[]): Promise<AttemptView> {
    const attempt = await ownAttempt(userId, attemptId);
    if (attempt.finishedAt) throw conflict('This attempt is finished.');
    if (isOverdue(attempt.startedAt, attempt.policy, now())) {
      await finishOverdue(attempt);
      throw conflict('Time is up: the attempt was submitted with the answers given in time.');
    }
    const drawn = await store.attemptItems(attemptId);
    const slot = drawn.find((d) => d.itemId === itemId);
    if (!slot) throw invalid('That item is not part of this attempt.', { field: 'itemId' });
    // Answers name the labels shown (a, b, c… in this attempt's order); the server maps them to the options.
    const picked = shownAnswer(slot, [...new Set(chosen)]);
    if (!picked) throw invalid('An answer names an option the item does not have.', { field: 'chosen' });
    const item = (await store.itemsByIds([itemId])).get(itemId)!;
    if (!item.multiple && picked.length > 1) throw invalid('Choose one option for this item.', { field: 'chosen' });
    const previous = drawn.filter((d) => d.answeredAt).map((d) => d.answeredAt!.getTime());
    const since = Math.max(attempt.startedAt.getTime(), ...previous);
    await store.saveAnswer(attemptId, itemId, picked, now(), Math.max(0, (now().getTime() - since) / 1000));
    return view(userId, attemptId);
  }

  async function recordIntegrity(userId: string, attemptId: string, type: string, detail?: string): Promise<void> {
    if (!(integrityEvents as readonly string[]).includes(type))
      throw invalid(`Unknown event ${type}.`, { field: 'type' });
    const attempt = await ownAttempt(userId, attemptId);
    await store.addIntegrityEvent(attempt.id, {
      type,
      at: now().toISOString(),
      ...(detail ? { detail: detail.slice(0, 200) } : {}),
    });
  }

  async function score(attempt: AttemptRecord): Promise<Score> {
    const drawn = await store.attemptItems(attempt.id);
    const items = await store.itemsByIds(drawn.map((d) => d.itemId));
    return scoreAttempt(
      drawn.map((d) => items.get(d.itemId)!),
      drawn.map((d) => ({ itemId: d.itemId, chosen: d.chosen ?? [] })),
      attempt.policy,
    );
  }

  async function finishOverdue(attempt: AttemptRecord): Promise<AttemptView> {
    await store.finish(attempt.id, attempt.deadline, await score(attempt));
    return view(attempt.userId, attempt.id);
  }

  /** Scores and closes the attempt; a second submit returns the same result. */
  async function submit(userId: string, attemptId: string): Promise<AttemptView> {
    const attempt = await ownAttempt(userId, attemptId);
    if (!attempt.finishedAt) {
      const at = isOverdue(attempt.startedAt, attempt.policy, now()) ? attempt.deadline : now();
      await store.finish(attempt.id, at, await score(attempt));
    }
    return view(userId, attemptId);
  }

  return {
    bank,
    statistics,
    addItems,
    parseItems,
    exportItems,
    setPolicy,
    retireItem,
    replaceItem,
    preview,
    testInfo,
    start,
    view,
    answer,
    submit,
    recordIntegrity,
    /** A learner's attempts at a micro-credential with their integrity signals (what review shows assessors). */
    attemptSignals: (userId: string, achievementId: string) => store.attemptSignals(userId, achievementId),
  };
}

export type Assessment = ReturnType<typeof createAssessment>;
