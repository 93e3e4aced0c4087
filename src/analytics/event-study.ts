import { parse } from 'csv-parse/sync';
import { EstimationError, fitFixedEffects, type Coefficient, type FixedEffectsInput } from './fixed-effects.js';

/**
 * The event study of the research behind Skillproof (Kässi & Lehdonvirta): one event per credential earned,
 * the worker's outcome in the window before and the window after, and
 *
 *   y = α_event + β · post + Σ_g γ_g · post × g + ε
 *
 * with one fixed effect per event (absorbed by demeaning) and standard errors clustered by worker (CR1). β is
 * the change in the outcome after the event for the reference group; γ_g how much larger or smaller it is for
 * workers with the 0/1 trait g (a new entrant, an experience tercile).
 *
 * A panel is a CSV with a header holding at least `worker_id,event_id,post,y` (post 0 or 1) and any 0/1 columns
 * named as groups. Events with one row carry no within-event variation: they are dropped and counted.
 */
export interface EventStudyResult {
  n: number;
  events: number;
  /** Events with a single row, dropped. */
  droppedEvents: number;
  clusters: number;
  /** Degrees of freedom of the intervals (clusters − 1). */
  df: number;
  coefficients: Record<string, Coefficient>;
}

/** A panel that cannot be estimated as given; the message names the column, the line or the problem. */
export class PanelError extends Error {
  override name = 'PanelError';
}

export const requiredColumns = ['worker_id', 'event_id', 'post', 'y'] as const;

export interface Panel {
  workerId: string[];
  eventId: string[];
  post: Float64Array;
  y: Float64Array;
  groups: Record<string, Float64Array>;
}

/** Reads a panel from CSV text, checking every value; `by` names the 0/1 group columns to use. */
export function readPanelCsv(text: string, by: readonly string[] = []): Panel {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    throw new PanelError(`The panel is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header) throw new PanelError('The panel is empty: it needs a header and rows.');
  const index = new Map(header.map((name, i) => [name, i]));
  const missing = [...requiredColumns, ...by].filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new PanelError(
      `The panel has no column ${missing.map((m) => `"${m}"`).join(', ')} (its header: ${header.join(',')}).`,
    );
  }
  if (new Set(by).size !== by.length) throw new PanelError('A --by column is named twice.');
  for (const name of by) {
    if ((requiredColumns as readonly string[]).includes(name)) {
      throw new PanelError(`"${name}" cannot be a group: it is one of the panel's required columns.`);
    }
  }
  const rows = records.length - 1;
  if (rows === 0) throw new PanelError('The panel has a header but no rows.');
  const panel: Panel = {
    workerId: new Array<string>(rows),
    eventId: new Array<string>(rows),
    post: new Float64Array(rows),
    y: new Float64Array(rows),
    groups: Object.fromEntries(by.map((name) => [name, new Float64Array(rows)])),
  };
  const at = (name: string) => index.get(name)!;
  for (let r = 0; r < rows; r++) {
    const record = records[r + 1]!;
    const line = r + 2;
    const worker = record[at('worker_id')]!;
    const event = record[at('event_id')]!;
    if (worker === '') throw new PanelError(`Line ${line}: worker_id is empty.`);
    if (event === '') throw new PanelError(`Line ${line}: event_id is empty.`);
    panel.workerId[r] = worker;
    panel.eventId[r] = event;
    panel.post[r] = zeroOne(record[at('post')]!, 'post', line);
    panel.y[r] = number(record[at('y')]!, 'y', line);
    for (const name of by) panel.groups[name]![r] = zeroOne(record[at(name)]!, name, line);
  }
  return panel;
}

function number(text: string, column: string, line: number): number {
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new PanelError(`Line ${line}: ${column} is "${text}", not a finite number.`);
  return value;
}

function zeroOne(text: string, column: string, line: number): number {
  if (text !== '0' && text !== '1') throw new PanelError(`Line ${line}: ${column} is "${text}"; it must be 0 or 1.`);
  return text === '1' ? 1 : 0;
}

/** Dense ids 0… for a column of labels, in order of first appearance. */
function denseIds(labels: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  const out = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    let id = ids.get(label);
    if (id === undefined) ids.set(label, (id = ids.size));
    out[i] = id;
  });
  return out;
}

/** `post` and one `post:GROUP` per group, estimated with event fixed effects and worker-clustered errors. */
export function estimateEventStudy(panel: Panel, level = 0.95): EventStudyResult {
  const columns = [{ name: 'post', values: panel.post }];
  for (const [name, values] of Object.entries(panel.groups)) {
    columns.push({ name: `post:${name}`, values: panel.post.map((post, i) => post * values[i]!) });
  }
  return estimate(panel, columns, level);
}

/**
 * The dynamic form, for a pre-trend check: one row per event and week relative to it (…, −2, −1, 0, 1, …),
 * one indicator per week but the week before the event (−1, the reference), event fixed effects and
 * worker-clustered errors. Weeks before the event should show no effect; `week k` is the change against
 * week −1.
 */
export interface WeeklyPanel {
  workerId: string[];
  eventId: string[];
  /** Week relative to the event: −weeks … weeks − 1. */
  week: Int32Array;
  y: Float64Array;
}

export const weekTerm = (week: number) => `week ${week}`;

export function estimateDynamic(panel: WeeklyPanel, level = 0.95): EventStudyResult {
  const weeks = [...new Set(panel.week)].filter((w) => w !== -1).sort((a, b) => a - b);
  if (!panel.week.includes(-1)) throw new PanelError('The panel has no week −1, the reference week.');
  const columns = weeks.map((w) => ({
    name: weekTerm(w),
    values: Float64Array.from(panel.week, (value) => (value === w ? 1 : 0)),
  }));
  return estimate(panel, columns, level);
}

/** Event fixed effects, worker clusters; a design that cannot be estimated is the panel's problem. */
function estimate(
  panel: { y: Float64Array; eventId: string[]; workerId: string[] },
  columns: FixedEffectsInput['columns'],
  level: number,
): EventStudyResult {
  try {
    const fit = fitFixedEffects({
      y: panel.y,
      columns,
      fixedEffect: denseIds(panel.eventId),
      cluster: denseIds(panel.workerId),
      level,
    });
    return {
      n: fit.n,
      events: fit.groups,
      droppedEvents: fit.droppedGroups,
      clusters: fit.clusters,
      df: fit.df,
      coefficients: fit.coefficients,
    };
  } catch (error) {
    if (error instanceof EstimationError) throw new PanelError(error.message);
    throw error;
  }
}
