import type { TopLevelSpec } from 'vega-lite';
import { csvText } from '../platform/csv-safe.js';

/**
 * Funnels in the outcome analytics: hiring's interview-to-offer funnel (counted and estimated by hiring, handed in
 * through the composition root) for one employer, or pooled over the employers who share theirs; as a table with
 * small cells withheld, a Vega-Lite bar chart and formula-safe CSV. Pure: no store, no hiring import.
 */

export const funnelStages = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;
export type FunnelStage = (typeof funnelStages)[number];

/** What the analytics read of a hiring funnel (hiring's answer has more). */
export interface FunnelView {
  from: string | null;
  to: string | null;
  withCredential: FunnelGroupView;
  withoutCredential: FunnelGroupView;
  interviewToOffer: {
    withCredential: { offers: number; decided: number; rate: number | null; ci95: [number, number] | null };
    withoutCredential: { offers: number; decided: number; rate: number | null; ci95: [number, number] | null };
    difference: { estimate: number; ci95: [number, number] } | null;
    insufficientData: boolean;
    method: string;
    note: string;
  };
  definition: string;
}

export interface FunnelGroupView {
  applications: number;
  reached: Record<FunnelStage, number>;
  conversions: { from: string; to: string; advanced: number; dropped: number; pending: number; rate: number | null }[];
}

export type FunnelGroup = 'with credential' | 'without credential';

/** One stage of one group: how many reached it and the rate on to the next stage, or withheld. */
export interface FunnelRow {
  stage: FunnelStage;
  group: FunnelGroup;
  reached: number | null;
  /** Rate on to the next stage among those who left this one (null at the last stage or with none decided). */
  rateOn: number | null;
  withheld: string | null;
}

/**
 * The funnel's table. A stage of a group is withheld when fewer than `floor` applications reached it (then its
 * count and its rate on are not shown), so no cell counts fewer than `floor` people.
 */
export function funnelRows(view: FunnelView, floor: number): FunnelRow[] {
  const rows: FunnelRow[] = [];
  for (const [group, data] of [
    ['with credential', view.withCredential],
    ['without credential', view.withoutCredential],
  ] as const) {
    funnelStages.forEach((stage, k) => {
      const reached = data.reached[stage];
      const small = reached < floor;
      rows.push({
        stage,
        group,
        reached: small ? null : reached,
        rateOn: small ? null : (data.conversions[k]?.rate ?? null),
        withheld: small ? `Fewer than ${floor} applications reached this stage.` : null,
      });
    });
  }
  return rows;
}

/** The interview-to-offer difference, withheld unless each group has `floor` decided interviews (hiring's rule). */
export function funnelDifference(view: FunnelView) {
  const d = view.interviewToOffer;
  return {
    estimate: d.difference?.estimate ?? null,
    ci95: d.difference?.ci95 ?? null,
    withCredential: d.withCredential.decided,
    withoutCredential: d.withoutCredential.decided,
    note: d.note,
    method: d.method,
  };
}

/** Bars of applications reaching each stage, one per group; withheld cells are not drawn and named in a subtitle. */
export function funnelSpec(title: string, rows: readonly FunnelRow[], note: string): TopLevelSpec {
  const values = rows.filter((r) => r.reached !== null).map((r) => ({ stage: r.stage, group: r.group, n: r.reached }));
  const withheld = rows.filter((r) => r.reached === null).map((r) => `${r.stage} (${r.group})`);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [note, ...(withheld.length ? [`Withheld (fewer than 10): ${withheld.join('; ')}`] : [])],
    },
    width: 480,
    background: 'white',
    config: { font: 'Noto Sans, sans-serif' },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'stage', type: 'nominal', title: null, sort: [...funnelStages] },
      yOffset: { field: 'group', type: 'nominal' },
      x: { field: 'n', type: 'quantitative', title: 'Applications reaching the stage' },
      color: {
        field: 'group',
        type: 'nominal',
        title: null,
        scale: { domain: ['with credential', 'without credential'], range: ['#1f5f99', '#b35c00'] },
      },
      tooltip: [
        { field: 'stage', type: 'nominal' },
        { field: 'group', type: 'nominal' },
        { field: 'n', type: 'quantitative', title: 'applications' },
      ],
    },
  } as TopLevelSpec;
}

/** The table as CSV, text neutralized so no spreadsheet runs it; the difference as a last row. */
export function funnelCsv(rows: readonly FunnelRow[], difference: ReturnType<typeof funnelDifference>): string {
  const lines = ['stage,group,reached,rate_on,ci_low,ci_high,withheld'];
  for (const r of rows) {
    lines.push(
      [
        csvText(r.stage),
        csvText(r.group),
        r.reached ?? '',
        r.rateOn ?? '',
        '',
        '',
        r.withheld ? csvText(r.withheld) : '',
      ].join(','),
    );
  }
  lines.push(
    [
      csvText('interview to offer'),
      csvText('difference (with − without)'),
      '',
      difference.estimate ?? '',
      difference.ci95?.[0] ?? '',
      difference.ci95?.[1] ?? '',
      difference.estimate === null ? csvText(difference.note) : '',
    ].join(','),
  );
  return `${lines.join('\n')}\n`;
}
