import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../platform/threads.js';
import { placeNodes, type AchievementFacts, type PathwayDefinition } from './pathway.js';
import { evaluate, type HeldCredential, type HoldingStatus } from './progress.js';

/**
 * Re-evaluating every learner after a pathway version changes (issue 21): pages of learners are read from a
 * source, each learner's progress on the version is evaluated (the real `evaluate`), and the outcomes of a page
 * are written back in one call. Reading the next page, evaluating pages on threads and writing earlier pages
 * overlap, so the database and the threads are kept busy at once.
 *
 * A page may come as objects, or as the compact text below (one JSON array, made by the database): then the
 * main thread only carries the bytes, and a thread parses them.
 */

/** The version as evaluated: its definition, the catalog's facts of the achievements it names, and the prefix. */
export interface VersionToEvaluate {
  definition: PathwayDefinition;
  facts: readonly AchievementFacts[];
  /** `${publicUrl}/achievements/`: an imported credential of this instance names its achievement under it. */
  achievementUrlPrefix?: string | undefined;
}

export interface LearnerHoldings {
  learner: string;
  holdings: HeldCredential[];
}

/**
 * A page of learners. `encoded`: JSON text of `[[learner, [holding, …]], …]`, each holding the tuple
 * `[holdingId, name, status, achievementId, achievementUrl, skills, eqfLevel, ects, hours, issuedAt,
 * issuerAccepted, issuerId, issuerName]` (status as the index in `holdingStatuses`). `tsv`: the bytes of a
 * PostgreSQL `COPY … TO STDOUT` (text format) of rows `learner, holdingId, …, issuerName` in that order (skills a
 * text[]; accepted a boolean), a learner's rows together: the cheapest form for the database to produce.
 */
export type ReevaluationPage = { learners: LearnerHoldings[] } | { encoded: string } | { tsv: Uint8Array };

export const holdingStatuses: readonly HoldingStatus[] = ['active', 'expired', 'revoked', 'suspended', 'unverified'];

type HoldingTuple = [
  string,
  string,
  number,
  string | null,
  string | null,
  string[] | null,
  number | null,
  number | null,
  number | null,
  string | null,
  boolean,
  string | null,
  string | null,
];

/** A page in the compact form (the inverse of what a thread decodes); sources that build it in SQL match it. */
export function encodePage(learners: readonly LearnerHoldings[]): string {
  return JSON.stringify(
    learners.map((l) => [
      l.learner,
      l.holdings.map((h): HoldingTuple => [
        h.holdingId,
        h.name,
        holdingStatuses.indexOf(h.status),
        h.achievementId,
        h.achievementUrl,
        h.skills,
        h.eqfLevel,
        h.ectsCredits,
        h.workloadHours,
        h.issuedAt,
        h.issuerAccepted,
        h.issuer.id,
        h.issuer.name,
      ]),
    ]),
  );
}

/** A field of COPY's text format, its backslash escapes undone (`\N` is NULL, handled by the caller). */
function unescapeCopy(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/g, (_, octal: string, hex: string, c: string) => {
    if (octal) return String.fromCharCode(parseInt(octal, 8));
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[c] ?? c;
  });
}

/** A one-dimensional text[] in PostgreSQL's external form (`{a,"b c",NULL}`); NULL elements are left out. */
export function parseTextArray(literal: string): string[] {
  const out: string[] = [];
  if (literal.length <= 2) return out;
  let i = 1;
  while (i < literal.length - 1) {
    if (literal[i] === '"') {
      let value = '';
      i++;
      while (literal[i] !== '"') {
        if (literal[i] === '\\') i++;
        value += literal[i++];
      }
      out.push(value);
      i += 2; // the closing quote and the comma (or the closing brace)
    } else {
      let end = literal.indexOf(',', i);
      if (end < 0) end = literal.length - 1;
      const value = literal.slice(i, end);
      if (value !== 'NULL') out.push(value);
      i = end + 1;
    }
  }
  return out;
}

function decodeTsv(bytes: Uint8Array): LearnerHoldings[] {
  const text = new TextDecoder().decode(bytes);
  const out: LearnerHoldings[] = [];
  let current: LearnerHoldings | undefined;
  const nullable = (f: string) => (f === '\\N' ? null : unescapeCopy(f));
  const number = (f: string) => (f === '\\N' ? null : Number(f));
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const f = text.slice(start, end).split('\t');
    start = end + 1;
    if (f.length < 14) continue;
    const learner = unescapeCopy(f[0]!);
    if (current?.learner !== learner) out.push((current = { learner, holdings: [] }));
    current.holdings.push({
      holdingId: unescapeCopy(f[1]!),
      name: unescapeCopy(f[2]!),
      status: holdingStatuses[Number(f[3])] ?? 'unverified',
      achievementId: nullable(f[4]!),
      achievementUrl: nullable(f[5]!),
      skills: f[6] === '\\N' ? [] : parseTextArray(unescapeCopy(f[6]!)),
      eqfLevel: number(f[7]!),
      ectsCredits: number(f[8]!),
      workloadHours: number(f[9]!),
      issuedAt: nullable(f[10]!),
      issuerAccepted: f[11] === 't',
      issuer: { id: nullable(f[12]!), name: nullable(f[13]!) },
    });
  }
  return out;
}

export function decodePage(page: ReevaluationPage): LearnerHoldings[] {
  if ('learners' in page) return page.learners;
  if ('tsv' in page) return decodeTsv(page.tsv);
  const rows = JSON.parse(page.encoded) as [string | number, HoldingTuple[] | null][] | null;
  return (rows ?? []).map(([learner, holdings]) => ({
    learner: String(learner),
    holdings: (holdings ?? []).map((t) => ({
      holdingId: t[0],
      name: t[1],
      status: holdingStatuses[t[2]] ?? 'unverified',
      achievementId: t[3],
      achievementUrl: t[4],
      skills: t[5] ?? [],
      eqfLevel: t[6],
      ectsCredits: t[7],
      workloadHours: t[8],
      issuedAt: t[9],
      issuerAccepted: t[10],
      issuer: { id: t[11], name: t[12] },
    })),
  }));
}

/**
 * What a holding must name for the version to count it (or to list it as not counted): the component
 * achievements (ids here, URLs abroad), the recognition rules' achievement ids and their skills. A holding that
 * names none of them changes nothing in `evaluate`, so a source may leave it out (and a learner with none at all
 * has empty progress): `mayCount` is the same test in code, for sources that filter in memory.
 */
export function countable(version: VersionToEvaluate) {
  const ids = new Set<string>();
  const urls = new Set<string>();
  const urlPrefixes = new Set<string>();
  const skills = new Set<string>();
  for (const p of placeNodes(version.definition.requirements).all) {
    if (p.node.type !== 'component') continue;
    const ref = p.node.component;
    if ('achievementId' in ref) {
      ids.add(ref.achievementId);
      if (version.achievementUrlPrefix !== undefined) {
        urls.add(`${version.achievementUrlPrefix}${ref.achievementId}`);
        urlPrefixes.add(`${version.achievementUrlPrefix}${ref.achievementId}/versions/`);
      }
    } else urls.add(ref.foreignId);
  }
  for (const rule of version.definition.recognition) {
    if (rule.by === 'achievement') {
      ids.add(rule.achievementId);
      urls.add(rule.achievementId);
    } else rule.skills.forEach((s) => skills.add(s.trim()));
  }
  const keys = {
    achievementIds: [...ids].sort(),
    achievementUrls: [...urls].sort(),
    urlPrefixes: [...urlPrefixes].sort(),
    skills: [...skills].sort(),
  };
  const mayCount = (h: HeldCredential) =>
    (h.achievementId !== null && ids.has(h.achievementId)) ||
    (h.achievementUrl !== null &&
      (urls.has(h.achievementUrl) || keys.urlPrefixes.some((p) => h.achievementUrl!.startsWith(p)))) ||
    h.skills.some((s) => skills.has(s));
  return { ...keys, mayCount };
}

/** One learner's progress on the version, as a re-evaluation records it. */
export interface LearnerOutcome {
  learner: string;
  complete: boolean;
  /** How many components are satisfied. */
  satisfied: number;
  /** The off-ramps (their nodes) complete now. */
  offRamps: string[];
  /** When complete or an off-ramp is: the holdings that satisfy components (ids, sorted), as an award names them. */
  holdings?: string[];
}

/** Evaluates a page of learners: what a thread runs, and what runs inline without threads. */
export function evaluatePage(version: VersionToEvaluate, page: ReevaluationPage): LearnerOutcome[] {
  const facts = new Map(version.facts.map((f) => [f.achievementId, f]));
  const achievement = (id: string) => facts.get(id);
  return decodePage(page).map(({ learner, holdings }) => {
    const { progress } = evaluate({
      definition: version.definition,
      holdings,
      achievement,
      achievementUrlPrefix: version.achievementUrlPrefix,
    });
    const offRamps = progress.offRamps.filter((r) => r.complete).map((r) => r.node);
    const outcome: LearnerOutcome = {
      learner,
      complete: progress.complete,
      satisfied: progress.satisfied.length,
      offRamps,
    };
    if (progress.complete || offRamps.length) {
      outcome.holdings = [...new Set(progress.satisfied.map((s) => s.holding.holdingId))].sort();
    }
    return outcome;
  });
}

export interface ReevaluationSource {
  /**
   * The page of learners after the cursor `after` (null: the first), about `limit` of them, in a stable order, and
   * the cursor of the next page (null: this is the last). A page may leave out learners with nothing the version
   * can count (see `countable`), and be empty.
   */
  read(after: string | null, limit: number): Promise<{ page: ReevaluationPage; next: string | null }>;
  /** Records a page's outcomes (one statement, ideally; only the changed ones, where it keeps earlier ones). */
  write(outcomes: LearnerOutcome[]): Promise<void>;
}

export interface ReevaluationOptions {
  pageSize?: number;
  /** Evaluating threads (0: on this thread). Default: the cores there are, at most 4. */
  threads?: number;
}

export interface ReevaluationResult {
  learners: number;
  complete: number;
  /** Components satisfied, summed over the learners. */
  satisfied: number;
  pages: number;
  /** Milliseconds spent waiting for reads (the pipeline's stalls on the database). */
  readWaitMs: number;
}

/** Re-evaluates every learner the source lists against `version`; pages overlap (read, evaluate, write). */
export async function reevaluate(
  version: VersionToEvaluate,
  source: ReevaluationSource,
  options: ReevaluationOptions = {},
): Promise<ReevaluationResult> {
  const pageSize = options.pageSize ?? 1000;
  const threads = options.threads ?? Math.min(availableParallelism(), 4);
  let pool: ReturnType<typeof createEvaluatePool> | undefined;
  const result: ReevaluationResult = { learners: 0, complete: 0, satisfied: 0, pages: 0, readWaitMs: 0 };
  const inFlight = new Set<Promise<void>>();
  // Pages in flight at once: one per thread, and one more being read or written.
  const depth = Math.max(1, threads) + 1;
  let failure: unknown;
  try {
    let after: string | null = null;
    for (;;) {
      const t0 = performance.now();
      const { page, next } = await source.read(after, pageSize);
      result.readWaitMs += performance.now() - t0;
      result.pages++;
      // Threads start with the second page: a re-evaluation of one page is quicker on this thread.
      if (threads > 0 && !pool && (next !== null || result.pages > 1)) pool = createEvaluatePool(version, threads);
      const task = (pool ? pool.evaluate(page) : Promise.resolve().then(() => evaluatePage(version, page)))
        .then(async (outcomes) => {
          result.learners += outcomes.length;
          for (const o of outcomes) {
            if (o.complete) result.complete++;
            result.satisfied += o.satisfied;
          }
          await source.write(outcomes);
        })
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (failure) break;
      while (inFlight.size >= depth) await Promise.race(inFlight);
      if (failure || next === null) break;
      after = next;
    }
    await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  if (failure) throw failure;
  return result;
}

/** Threads that evaluate pages: the version goes to each once, then pages (as they came) and outcomes back. */
function createEvaluatePool(version: VersionToEvaluate, size: number) {
  const workers: { worker: Worker; busy: number }[] = [];
  const waiting = new Map<number, { resolve: (o: LearnerOutcome[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const spawn = () => {
    const worker = startThread(import.meta.url, 'reevaluate-worker', { workerData: version });
    worker.on('message', (reply: { id: number; outcomes?: LearnerOutcome[]; error?: string }) => {
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      const slot = workers.find((w) => w.worker === worker);
      if (slot) slot.busy--;
      if (!pending) return;
      if (reply.outcomes) pending.resolve(reply.outcomes);
      else pending.reject(new Error(`An evaluating thread failed: ${reply.error}`));
    });
    const fail = (error: Error) => {
      for (const [id, pending] of waiting) {
        waiting.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`An evaluating thread exited (${code})`)));
    return worker;
  };
  return {
    evaluate(page: ReevaluationPage): Promise<LearnerOutcome[]> {
      let slot = workers.reduce<(typeof workers)[number] | undefined>(
        (a, b) => (!a || b.busy < a.busy ? b : a),
        undefined,
      );
      if (!slot || (slot.busy > 0 && workers.length < size)) workers.push((slot = { worker: spawn(), busy: 0 }));
      slot.busy++;
      const id = nextId++;
      const target = slot.worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        target.postMessage({ id, page });
      });
    },
    async close() {
      const all = workers.splice(0);
      for (const w of all) w.worker.removeAllListeners('exit');
      await Promise.all(all.map((w) => w.worker.terminate()));
    },
  };
}
