import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { csvText } from '../platform/csv-safe.js';
import type { ShownCoefficient } from './analytics.js';

/**
 * The dashboards' plots: Vega-Lite specifications rendered to SVG on the server (vega with no DOM), so they show
 * with no client JavaScript and download as SVG; and their tables as formula-safe CSV. A withheld estimate (fewer
 * than the privacy floor of workers) is neither a point nor a row value: it is listed as withheld.
 */
export interface PlotRow {
  /** What the row is (a term of the study, an arm of an experiment). */
  label: string;
  /** A second level (an outcome, a tertile), shown as colour; optional. */
  group?: string;
  coefficient: ShownCoefficient;
}

/** A coefficient plot: each estimate with its 95% interval, a rule at zero. */
export function coefficientSpec(title: string, rows: readonly PlotRow[], axisTitle: string): TopLevelSpec {
  const values = rows
    .filter((r) => !('suppressed' in r.coefficient))
    .map((r) => {
      const c = r.coefficient as Exclude<ShownCoefficient, { suppressed: true }>;
      return { label: r.label, group: r.group ?? '', estimate: c.estimate, low: c.ciLow, high: c.ciHigh };
    });
  const withheld = rows.filter((r) => 'suppressed' in r.coefficient).map((r) => `${r.label} ${r.group ?? ''}`.trim());
  const grouped = values.some((v) => v.group !== '');
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: null };
  const color = grouped ? { color: { field: 'group', type: 'nominal' as const, title: null } } : {};
  const offset = grouped ? { yOffset: { field: 'group', type: 'nominal' as const } } : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: withheld.length ? `Withheld (fewer than 10): ${withheld.join('; ')}` : '' },
    width: 480,
    background: 'white',
    config: { font: 'Noto Sans, sans-serif' },
    data: { values },
    layer: [
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#555' },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: axisTitle },
          x2: { field: 'high' },
          ...color,
          ...offset,
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y,
          x: { field: 'estimate', type: 'quantitative' },
          ...color,
          ...offset,
          tooltip: [
            { field: 'label', type: 'nominal' },
            { field: 'estimate', type: 'quantitative', format: '.4f' },
            { field: 'low', type: 'quantitative', format: '.4f', title: '95% CI low' },
            { field: 'high', type: 'quantitative', format: '.4f', title: '95% CI high' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}

/** A Vega-Lite specification as an SVG document, with a title and a description for screen readers. */
export async function renderSvg(spec: TopLevelSpec, description: string): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const escaped = description.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return svg.replace(/^<svg([^>]*)>/, `<svg$1 role="img" aria-label="${escaped}"><title>${escaped}</title>`);
}

/** The rows as CSV: estimate, interval, or withheld; text cells neutralized so no spreadsheet runs them. */
export function coefficientCsv(rows: readonly PlotRow[], groupName = 'group'): string {
  const lines = [`term,${groupName},estimate,std_error,ci_low,ci_high,withheld`];
  for (const row of rows) {
    const c = row.coefficient;
    lines.push(
      'suppressed' in c
        ? [csvText(row.label), csvText(row.group ?? ''), '', '', '', '', csvText(c.reason)].join(',')
        : [csvText(row.label), csvText(row.group ?? ''), c.estimate, c.stdError, c.ciLow, c.ciHigh, ''].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
