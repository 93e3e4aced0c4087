import { conflict, DomainError, invalid, notFound } from '../platform/errors.js';
import { estimateDynamic, estimateEventStudy, PanelError, weekTerm, type EventStudyResult } from './event-study.js';
import type { Coefficient } from './fixed-effects.js';
import { checkOutcome, parseOutcomesCsv, type OutcomeKind } from './ledger.js';
import { randomUUID } from 'node:crypto';
import {
  assignVariant,
  employabilityTertiles,
  EstimationError,
  estimateItt,
  experimentOutcomes,
  planSampleSize,
  treatment,
  variants,
  type ExperimentOutcome,
  type Surface,
  type Variant,
} from './experiments.js';
import { funnelDifference, funnelRows, type FunnelView } from './funnels.js';
import type { AnalyticsStore, EventFilter, EventWindows, ExperimentRow, StoredOutcome } from './store.js';

/** Outcomes an event study can look at, and the ledger records each one reads. */
export const studyOutcomes = {
  /** log(1 + earnings in the window). */
  'log-earnings': { kind: 'earnings', of: (w: { sum: number }) => Math.log1p(w.sum) },
  /** The value of projects won in the window. */
  'project-value': { kind: 'project', of: (w: { sum: number }) => w.sum },
  /** How many projects were won in the window. */
  projects: { kind: 'project', of: (w: { count: number }) => w.count },
} as const satisfies Record<string, { kind: OutcomeKind; of: (w: { sum: number; count: number }) => number }>;
export type StudyOutcome = keyof typeof studyOutcomes;

/** Groups whose post-event difference can be estimated (`post:GROUP`). */
export const studyGroups = ['new_entrant'] as const;
export type StudyGroup = (typeof studyGroups)[number];

export interface EventStudyRequest extends EventFilter {
  outcome: StudyOutcome;
  /** Days in each window (before and after), default 14. */
  windowDays?: number;
  by?: StudyGroup[];
  /** Weekly leads and lags (week −1 the reference) instead of before/after. */
  dynamic?: boolean;
  /** Events whose window after has not ended by this day are left out (default: today). */
  today?: Date;
}

/** No cell, point or estimate from fewer workers than this is shown. */
export const privacyFloor = 10;

/** An employer sees the pooled funnel only when at least this many employers share theirs. */
export const poolFloor = 3;

export type ShownCoefficient = Coefficient | { suppressed: true; reason: string };

export interface EventStudyAnswer {
  design: {
    outcome: StudyOutcome;
    windowDays: number;
    dynamic: boolean;
    by: StudyGroup[];
    model: string;
  };
  n: number;
  events: number;
  droppedEvents: number;
  /** Events left out because their window after had not ended. */
  incompleteEvents: number;
  clusters: number;
  coefficients: Record<string, ShownCoefficient>;
  /** Set when the whole study is withheld (too few workers). */
  suppressed?: string;
}

export interface AnalyticsDeps {
  store: AnalyticsStore;
  /** The account a ledger import names, by email or id. */
  userIdOf: (worker: string) => Promise<string | undefined>;
  /**
   * The issuer (organization id) of one of the user's holdings, the stratum of a sharing experiment: null for an
   * imported credential, undefined when the user holds no such holding.
   */
  issuerOfHolding: (userId: string, holdingId: string) => Promise<string | null | undefined>;
  /** When the account was made (months on the platform, a baseline fact). */
  joinedAt: (userId: string) => Promise<Date>;
  /**
   * Hiring's interview-to-offer funnel (counted and estimated by hiring): pooled over the organizations given,
   * applications made from `from` to `to`.
   */
  funnel?: (
    orgIds: readonly string[],
    period: { from?: string | undefined; to?: string | undefined },
  ) => Promise<FunnelView>;
  now?: () => Date;
}

/** One cell of an experiment's report: learners, each arm's rate and the effects against `none`. */
export interface ExperimentCell {
  learners: number;
  arms: Record<Variant, { learners: number; rate: number | null }>;
  effects: Record<'reminder' | 'reminder+panel', ShownCoefficient>;
}

const day = 86_400_000;

export function createAnalytics(deps: AnalyticsDeps) {
  const now = deps.now ?? (() => new Date());

  async function importOutcomes(csv: string, analystId: string): Promise<{ imported: number; workers: number }> {
    const rows = parseOutcomesCsv(csv);
    const ids = new Map<string, string | undefined>();
    for (const worker of new Set(rows.map((r) => r.worker))) ids.set(worker, await deps.userIdOf(worker));
    const unknown = [...ids].filter(([, id]) => id === undefined).map(([worker]) => worker);
    if (unknown.length > 0) {
      throw invalid(`${unknown.length} worker(s) named in the file have no account here; nothing was imported.`, {
        unknownWorkers: unknown.slice(0, 100),
      });
    }
    const stored: StoredOutcome[] = rows.map((row) => ({
      userId: ids.get(row.worker)!,
      date: row.date,
      kind: row.kind,
      value: row.value,
      source: 'import',
      recordedBy: analystId,
    }));
    await deps.store.insertOutcomes(stored);
    return { imported: stored.length, workers: new Set(stored.map((s) => s.userId)).size };
  }

  /** A worker's own record (a job they started), marked self-reported. */
  async function reportOwn(userId: string, record: { date: string; kind: OutcomeKind; value?: number }) {
    const outcome = {
      date: record.date,
      kind: record.kind,
      value: record.value ?? (record.kind === 'job-start' ? 1 : 0),
    };
    const problem = checkOutcome(outcome);
    if (problem) throw invalid(`The outcome cannot be recorded: ${problem}.`);
    if (Date.parse(`${outcome.date}T00:00:00Z`) > now().getTime()) throw invalid('The date is in the future.');
    await deps.store.insertOutcomes([{ userId, ...outcome, source: 'self', recordedBy: userId }]);
  }

  async function eventStudy(request: EventStudyRequest): Promise<EventStudyAnswer> {
    const windowDays = request.windowDays ?? 14;
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365) {
      throw invalid('windowDays must be a whole number of days from 1 to 365.');
    }
    const by = [...new Set(request.by ?? [])];
    if (request.dynamic && by.length > 0) throw invalid('The weekly form takes no groups: leave out "by".');
    const outcome = studyOutcomes[request.outcome];
    const dynamic = request.dynamic ?? false;
    const weeks = Math.ceil(windowDays / 7);
    const bucketDays = dynamic ? 7 : windowDays;
    const buckets = dynamic ? weeks : 1;
    const today = Date.UTC(
      (request.today ?? now()).getUTCFullYear(),
      (request.today ?? now()).getUTCMonth(),
      (request.today ?? now()).getUTCDate(),
    );
    const all = await deps.store.eventWindows(request, outcome.kind, bucketDays, buckets);
    // Only events whose window after has ended: a window still open would count a part as the whole.
    const complete = all.filter((e) => e.day + bucketDays * buckets * day <= today);
    const design = {
      outcome: request.outcome,
      windowDays: dynamic ? weeks * 7 : windowDays,
      dynamic,
      by,
      model: dynamic
        ? 'y ~ Σ_k week_k (k ≠ −1) | event fixed effects; standard errors clustered by worker (CR1)'
        : `y ~ post${by.map((g) => ` + post:${g}`).join('')} | event fixed effects; standard errors clustered by worker (CR1)`,
    };
    const workers = new Set(complete.map((e) => e.workerId)).size;
    const base = { design, droppedEvents: 0, incompleteEvents: all.length - complete.length };
    if (workers < privacyFloor) {
      return {
        ...base,
        n: 0,
        events: 0,
        clusters: 0,
        coefficients: {},
        suppressed: `Fewer than ${privacyFloor} workers have an event with both windows observed: nothing is shown.`,
      };
    }
    let result: EventStudyResult;
    try {
      result = dynamic
        ? estimateDynamic(weeklyPanel(complete, weeks, outcome.of))
        : estimateEventStudy(panel(complete, by, outcome.of));
    } catch (error) {
      if (error instanceof PanelError)
        throw new DomainError('invalid-input', `This study cannot be estimated: ${error.message}`);
      throw error;
    }
    const coefficients: Record<string, ShownCoefficient> = { ...result.coefficients };
    for (const group of by) {
      const inGroup = new Set(complete.filter((e) => e.newEntrant).map((e) => e.workerId)).size;
      const smaller = Math.min(inGroup, workers - inGroup);
      if (group === 'new_entrant' && smaller < privacyFloor) {
        coefficients[`post:${group}`] = {
          suppressed: true,
          reason: `Fewer than ${privacyFloor} workers are on one side of ${group}.`,
        };
      }
    }
    return {
      ...base,
      n: result.n,
      events: result.events,
      droppedEvents: result.droppedEvents,
      clusters: result.clusters,
      coefficients,
    };
  }

  /** A closed engagement on this platform, recorded by the employer: a job start on its first day. */
  async function recordEngagement(engagement: { workerId: string; from: string; recordedBy: string }) {
    await deps.store.insertOutcomes([
      {
        userId: engagement.workerId,
        date: engagement.from,
        kind: 'job-start',
        value: 1,
        source: 'engagement',
        recordedBy: engagement.recordedBy,
      },
    ]);
  }

  /** A closed engagement's value: the worker's earnings and a project won, on its last day. */
  async function recordEarnings(engagement: { workerId: string; until: string; value: number; recordedBy: string }) {
    await deps.store.insertOutcomes(
      (['earnings', 'project'] as const).map((kind) => ({
        userId: engagement.workerId,
        date: engagement.until,
        kind,
        value: engagement.value,
        source: 'engagement' as const,
        recordedBy: engagement.recordedBy,
      })),
    );
  }

  async function startExperiment(
    input: { name: string; baselineRate: number; effect: number; power?: number | undefined },
    by: string,
  ) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw invalid('name is 1 to 200 characters.', { field: 'name' });
    const plan = samplePlan(input);
    const experiment = await deps.store.createExperiment(
      {
        id: randomUUID(),
        name,
        baselineRate: input.baselineRate,
        effect: input.effect,
        power: plan.power,
        plannedSize: plan.total,
      },
      by,
    );
    if (!experiment) throw conflict('A sharing experiment is already running: stop it before starting another.');
    return { ...experiment, exposed: 0 };
  }

  async function stopExperiment(id: string) {
    const experiment = await deps.store.stopExperiment(id, now());
    if (!experiment) throw notFound('That experiment');
    return experiment;
  }

  /**
   * What the learner is shown on a surface for one of their holdings, logged as an exposure when an experiment
   * runs (the first fixes the arm's start, the stratum and the baseline).
   */
  async function nudge(userId: string, holdingId: string, surface: Surface) {
    const issuer = await deps.issuerOfHolding(userId, holdingId);
    if (issuer === undefined) throw notFound('That holding');
    const experiment = await deps.store.runningExperiment();
    if (!experiment) return { experimentId: null, variant: null, ...treatment(null) };
    const at = now();
    const known = await deps.store.exposure(experiment.id, userId);
    const baseline = known
      ? { priorEngagements: 0, credentialsHeld: 0, monthsOnPlatform: 0 }
      : {
          ...(await deps.store.baselineCounts(userId, at)),
          monthsOnPlatform: Math.max(0, (at.getTime() - (await deps.joinedAt(userId)).getTime()) / (30.4375 * day)),
        };
    const { variant } = await deps.store.recordExposure({
      experimentId: experiment.id,
      userId,
      variant: known?.variant ?? assignVariant(experiment.id, userId),
      stratum: issuer ?? 'imported',
      surface,
      at,
      baseline,
    });
    return { experimentId: experiment.id, variant, ...treatment(variant) };
  }

  /**
   * The experiment read at its planned size: for each outcome, once that many learners' windows have ended, the
   * intention-to-treat effects with 95% intervals, pooled and per baseline-employability tertile. Cells with fewer
   * than the privacy floor in an arm are suppressed.
   */
  async function experimentReport(id: string) {
    const experiment = await deps.store.experiment(id);
    if (!experiment) throw notFound('That experiment');
    const outcomes = [];
    let exposed = 0;
    for (const [outcome, { days, label }] of Object.entries(experimentOutcomes) as [
      ExperimentOutcome,
      { days: number; label: string },
    ][]) {
      const read = await deps.store.experimentRows(
        id,
        outcome === 'job-start-1y' ? 'job-start' : 'shared',
        days,
        now(),
      );
      exposed = read.exposed;
      const base = { outcome, label, days, complete: read.rows.length };
      if (read.rows.length < experiment.plannedSize) {
        outcomes.push({
          ...base,
          ready: false as const,
          reason: `${read.rows.length} of the planned ${experiment.plannedSize} learners have had ${days} days since their first nudge: the experiment is read at its planned size, not before.`,
        });
        continue;
      }
      const tertiles = employabilityTertiles(read.rows.map((r) => r.baseline));
      outcomes.push({
        ...base,
        ready: true as const,
        pooled: cell(read.rows),
        byTertile: [1, 2, 3].map((t) => ({ tertile: t, ...cell(read.rows.filter((_, i) => tertiles[i] === t)) })),
      });
    }
    return { experiment: { ...experiment, exposed }, outcomes };
  }

  /** Whether the employer's funnel counts in the pooled funnel. */
  async function funnelSharing(orgId: string) {
    const at = await deps.store.funnelSharedAt(orgId);
    return { shared: at !== undefined, sharedAt: at?.toISOString() ?? null };
  }

  async function setFunnelSharing(orgId: string, shared: boolean, by: string) {
    await deps.store.setFunnelSharing(orgId, shared, by);
    return funnelSharing(orgId);
  }

  /**
   * A funnel for the dashboards: one employer's (`orgId`), or pooled over the employers who share theirs. Stages
   * reached by fewer than the privacy floor are withheld; the interview-to-offer difference needs ten decided
   * interviews a group. `asMember` is an employer asking for the pool: only when it shares its own, and only with
   * at least `poolFloor` employers in it (with two, each could subtract its own and read the other's).
   */
  async function funnelReport(query: {
    orgId?: string | undefined;
    asMember?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  }) {
    if (!deps.funnel) throw new DomainError('unavailable', 'Funnels need hiring, which is not wired here.');
    const sharers = await deps.store.funnelSharers();
    const pooled = query.orgId === undefined;
    const period = { from: query.from, to: query.to };
    const employers = pooled ? sharers : [query.orgId!];
    let withheld: string | null = null;
    if (query.asMember !== undefined && !sharers.includes(query.asMember)) {
      withheld = 'Your organization does not share its funnel: share it to see the pooled funnel.';
    } else if (query.asMember !== undefined && sharers.length < poolFloor) {
      withheld = `Fewer than ${poolFloor} employers share their funnel: the pool is not shown yet.`;
    }
    const view = await deps.funnel(withheld ? [] : employers, period);
    const rows = funnelRows(view, privacyFloor);
    return {
      scope: pooled ? ('pooled' as const) : ('employer' as const),
      employers: pooled ? sharers.length : 1,
      from: view.from,
      to: view.to,
      applications: withheld ? null : view.withCredential.applications + view.withoutCredential.applications,
      withheld,
      rows: withheld ? [] : rows,
      // A withheld pool was read over no employer: empty, so no difference either.
      interviewToOffer: funnelDifference(view),
      definition: view.definition,
    };
  }

  return {
    funnelSharing,
    setFunnelSharing,
    funnelReport,
    recordEngagement,
    recordEarnings,
    samplePlan,
    startExperiment,
    stopExperiment,
    experiments: () => deps.store.experiments(),
    nudge,
    experimentReport,
    importOutcomes,
    reportOwn,
    eventStudy,
    outcomesOf: (userId: string) => deps.store.outcomesOf(userId),
    studied: async (userId: string) => !(await deps.store.optedOut(userId)),
    setStudied: (userId: string, studied: boolean) => deps.store.setOptOut(userId, !studied),
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;

type Of = (w: { sum: number; count: number }) => number;
const none = { sum: 0, count: 0 };

function panel(events: EventWindows[], by: StudyGroup[], of: Of) {
  const rows = events.flatMap((e) => [
    { e, post: 0, y: of(e.buckets.get(-1) ?? none) },
    { e, post: 1, y: of(e.buckets.get(0) ?? none) },
  ]);
  return {
    workerId: rows.map((r) => r.e.workerId),
    eventId: rows.map((r) => r.e.eventId),
    post: Float64Array.from(rows, (r) => r.post),
    y: Float64Array.from(rows, (r) => r.y),
    groups: Object.fromEntries(by.map((g) => [g, Float64Array.from(rows, (r) => (r.e.newEntrant ? 1 : 0))])),
  };
}

function weeklyPanel(events: EventWindows[], weeks: number, of: Of) {
  const rows = events.flatMap((e) =>
    Array.from({ length: 2 * weeks }, (_, i) => ({ e, week: i - weeks, y: of(e.buckets.get(i - weeks) ?? none) })),
  );
  return {
    workerId: rows.map((r) => r.e.workerId),
    eventId: rows.map((r) => r.e.eventId),
    week: Int32Array.from(rows, (r) => r.week),
    y: Float64Array.from(rows, (r) => r.y),
  };
}

export { weekTerm };

/** The sample-size planner, with bad input as a 4xx. */
export function samplePlan(input: { baselineRate: number; effect: number; power?: number | undefined }) {
  try {
    return planSampleSize({ baselineRate: input.baselineRate, effect: input.effect, power: input.power ?? 0.8 });
  } catch (error) {
    if (error instanceof RangeError) throw invalid(error.message);
    throw error;
  }
}

function cell(rows: ExperimentRow[]): ExperimentCell {
  const arms = Object.fromEntries(
    variants.map((v) => {
      const inArm = rows.filter((r) => r.variant === v);
      const shown = inArm.length >= privacyFloor;
      return [v, { learners: inArm.length, rate: shown ? inArm.reduce((s, r) => s + r.y, 0) / inArm.length : null }];
    }),
  ) as ExperimentCell['arms'];
  const smallest = Math.min(...variants.map((v) => arms[v].learners));
  const withheld = (reason: string) => ({ suppressed: true as const, reason });
  let effects: ExperimentCell['effects'];
  if (smallest < privacyFloor) {
    const reason = `Fewer than ${privacyFloor} learners in an arm.`;
    effects = { reminder: withheld(reason), 'reminder+panel': withheld(reason) };
  } else {
    try {
      const fit = estimateItt(rows);
      effects = {
        reminder: fit.effects.reminder ?? withheld('Not estimable.'),
        'reminder+panel': fit.effects['reminder+panel'] ?? withheld('Not estimable.'),
      };
    } catch (error) {
      if (!(error instanceof EstimationError)) throw error;
      effects = { reminder: withheld(error.message), 'reminder+panel': withheld(error.message) };
    }
  }
  return { learners: rows.length, arms, effects };
}
