import type { TopLevelSpec } from 'vega-lite';
import { DomainError, notFound } from '../platform/errors.js';
import { csvText } from '../platform/csv-safe.js';
import {
  privacyFloor,
  type EventStudyAnswer,
  type EventStudyRequest,
  type ShownCoefficient,
  type StudyOutcome,
} from './analytics.js';
import type { AchievementFigures, IssuerStore } from './issuer-store.js';

/**
 * The issuer dashboard: per micro-credential of the organization, its candidates and pass rate, the credentials
 * issued and the share of holders who shared one, and the event study of its holders' outcomes. Every figure
 * counts people: one from fewer than the privacy floor of workers is withheld and says why; no person is listed.
 */

/** z for a two-sided 95% interval. */
const z95 = 1.959963984540054;

export interface Proportion {
  /** Successes and trials behind the rate. */
  successes: number;
  trials: number;
  estimate: number;
  ciLow: number;
  ciHigh: number;
}
export type Withheld = { suppressed: true; reason: string };
export type ShownProportion = Proportion | Withheld;

/**
 * The Wilson score interval for a binomial proportion (as R's `prop.test(x, n, correct = FALSE)$conf.int`):
 * it stays inside [0, 1] and keeps its coverage near 0 and 1, where the Wald interval fails.
 */
export function wilson(
  successes: number,
  trials: number,
  z = z95,
): { estimate: number; ciLow: number; ciHigh: number } {
  if (!Number.isInteger(trials) || trials <= 0 || !Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError('wilson needs whole numbers with 0 ≤ successes ≤ trials and trials > 0.');
  }
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    estimate: p,
    ciLow: successes === 0 ? 0 : Math.max(0, centre - half),
    ciHigh: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

const withheld = (what: string): Withheld => ({
  suppressed: true,
  reason: `Fewer than ${privacyFloor} ${what}: withheld.`,
});

/** A rate of people, withheld below the privacy floor. */
export function shownProportion(successes: number, trials: number, who: string): ShownProportion {
  if (trials < privacyFloor) return withheld(who);
  return { successes, trials, ...wilson(successes, trials) };
}

export interface IssuerRow {
  achievementId: string;
  code: string;
  title: string;
  status: string;
  /** Null when withheld (from fewer than the privacy floor of workers). */
  attempts: number | null;
  candidates: number | null;
  passRate: ShownProportion;
  issued: number | null;
  holders: number | null;
  shareRate: ShownProportion;
  eventStudy: ShownCoefficient;
}

/** The counts as shown: each cell from fewer than the privacy floor of workers withheld (null), rates marked why. */
export function shownFigures(figures: AchievementFigures): Omit<IssuerRow, 'eventStudy'> {
  const enough = (people: number, value: number) => (people >= privacyFloor ? value : null);
  return {
    achievementId: figures.achievementId,
    code: figures.code,
    title: figures.title,
    status: figures.status,
    attempts: enough(figures.candidates, figures.attempts),
    candidates: enough(figures.candidates, figures.candidates),
    passRate: shownProportion(figures.passed, figures.candidates, 'candidates'),
    issued: enough(figures.recipients, figures.issued),
    holders: enough(figures.holders, figures.holders),
    shareRate: shownProportion(figures.sharers, figures.holders, 'holders'),
  };
}

export interface IssuerDashboardDeps {
  store: IssuerStore;
  /** The event study of analytics (privacy floor applied there). */
  eventStudy: (request: EventStudyRequest) => Promise<EventStudyAnswer>;
  /** Whether the organization exists (an admin names it by id: an unknown one is a 404, not an empty table). */
  organizationExists: (orgId: string) => Promise<boolean>;
}

export function createIssuerDashboard(deps: IssuerDashboardDeps) {
  /** The post coefficient of one micro-credential's event study, or why it is not shown. */
  async function postEffect(orgId: string, achievementId: string, outcome: StudyOutcome): Promise<ShownCoefficient> {
    try {
      const answer = await deps.eventStudy({ outcome, orgId, achievementId });
      if (answer.suppressed) return { suppressed: true, reason: answer.suppressed };
      return answer.coefficients.post ?? { suppressed: true, reason: 'Not estimable.' };
    } catch (error) {
      // A study that cannot be estimated (the outcome never changes) is a cell that says so, not a failed page.
      if (error instanceof DomainError && error.code === 'invalid-input')
        return { suppressed: true, reason: error.message };
      throw error;
    }
  }

  return {
    /** The dashboard of one organization: a row per micro-credential it ever published. */
    async report(orgId: string, outcome: StudyOutcome = 'log-earnings') {
      if (!(await deps.organizationExists(orgId))) throw notFound('That organization');
      const figures = await deps.store.achievementFigures(orgId);
      const achievements: IssuerRow[] = [];
      for (const f of figures) {
        // Fewer holders than the floor: the study would withhold itself; no need to ask.
        const eventStudy =
          f.holders < privacyFloor ? withheld('workers hold it') : await postEffect(orgId, f.achievementId, outcome);
        achievements.push({ ...shownFigures(f), eventStudy });
      }
      return { orgId, outcome, privacyFloor, achievements };
    },
  };
}

export type IssuerDashboard = ReturnType<typeof createIssuerDashboard>;
export type IssuerReport = Awaited<ReturnType<IssuerDashboard['report']>>;

const cell = (value: number | null) => (value === null ? '' : String(value));

/** The dashboard's table as CSV: one row per micro-credential, withheld cells empty and marked why. */
export function issuerCsv(report: IssuerReport): string {
  const lines = [
    [
      'achievement_id',
      'code',
      'title',
      'attempts',
      'candidates',
      'pass_rate',
      'pass_ci_low',
      'pass_ci_high',
      'issued',
      'holders',
      'share_rate',
      'share_ci_low',
      'share_ci_high',
      `post_${report.outcome}`,
      'post_ci_low',
      'post_ci_high',
      'withheld',
    ].join(','),
  ];
  for (const row of report.achievements) {
    const rate = (r: ShownProportion) => ('suppressed' in r ? ['', '', ''] : [r.estimate, r.ciLow, r.ciHigh]);
    const post =
      'suppressed' in row.eventStudy
        ? ['', '', '']
        : [row.eventStudy.estimate, row.eventStudy.ciLow, row.eventStudy.ciHigh];
    const why = [
      ['pass rate', row.passRate],
      ['share rate', row.shareRate],
      ['event study', row.eventStudy],
    ]
      .filter(([, r]) => 'suppressed' in (r as object))
      .map(([what, r]) => `${what as string}: ${(r as Withheld).reason}`)
      .join(' ');
    lines.push(
      [
        csvText(row.achievementId),
        csvText(row.code),
        csvText(row.title),
        cell(row.attempts),
        cell(row.candidates),
        ...rate(row.passRate),
        cell(row.issued),
        cell(row.holders),
        ...rate(row.shareRate),
        ...post,
        csvText(why),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Pass and share rates per micro-credential as bars with their 95% Wilson intervals; withheld ones named. */
export function issuerRatesSpec(report: IssuerReport): TopLevelSpec {
  const label = (row: IssuerRow) => `${row.title} (${row.code})`;
  const values: { label: string; measure: string; rate: number; low: number; high: number }[] = [];
  const missing: string[] = [];
  for (const row of report.achievements) {
    for (const [measure, r] of [
      ['pass rate', row.passRate],
      ['share rate', row.shareRate],
    ] as const) {
      if ('suppressed' in r) missing.push(`${label(row)} ${measure}`);
      else values.push({ label: label(row), measure, rate: r.estimate, low: r.ciLow, high: r.ciHigh });
    }
  }
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: null };
  const offset = { yOffset: { field: 'measure', type: 'nominal' as const } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Pass rate and share rate per micro-credential (95% Wilson intervals)',
      subtitle: missing.length ? `Withheld (fewer than ${privacyFloor}): ${missing.join('; ')}` : '',
    },
    width: 480,
    background: 'white',
    config: { font: 'Noto Sans, sans-serif' },
    data: { values },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          x: {
            field: 'rate',
            type: 'quantitative',
            title: 'Share of people',
            scale: { domain: [0, 1] },
            axis: { format: '%' },
          },
          color: { field: 'measure', type: 'nominal', title: null, scale: { range: ['#1f5fa8', '#c46a00'] } },
          ...offset,
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#222' },
        encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, ...offset },
      },
    ],
  } as TopLevelSpec;
}

/** What the plot shows, in words (its title and aria-label). */
export function issuerRatesDescription(report: IssuerReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rate = (what: string, r: ShownProportion) =>
    'suppressed' in r ? `${what} withheld` : `${what} ${pct(r.estimate)} (95% CI ${pct(r.ciLow)} to ${pct(r.ciHigh)})`;
  const rows = report.achievements.map(
    (row) => `${row.title} (${row.code}): ${rate('pass rate', row.passRate)}, ${rate('share rate', row.shareRate)}`,
  );
  return `Pass rate and share rate per micro-credential. ${rows.length ? rows.join('; ') : 'No micro-credential published yet'}.`;
}
