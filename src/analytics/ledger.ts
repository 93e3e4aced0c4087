import { parse } from 'csv-parse/sync';
import { DomainError } from '../platform/errors.js';

/**
 * The outcomes ledger: what a worker earned (`earnings`, an amount), a project they won and its value
 * (`project`), a job they started (`job-start`), by day. Records come from engagements on this platform, from
 * employers, from workers themselves (marked `self`) or from an analyst's CSV import.
 */
export const outcomeKinds = ['earnings', 'project', 'job-start'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];
export const outcomeSources = ['engagement', 'employer', 'self', 'import'] as const;
export type OutcomeSource = (typeof outcomeSources)[number];

export interface OutcomeRecord {
  /** A worker's email or account id, as the import names them. */
  worker: string;
  /** 'YYYY-MM-DD'. */
  date: string;
  kind: OutcomeKind;
  value: number;
}

/** Most rows one import takes; larger files go in parts. */
export const importRowLimit = 100_000;
/** The largest value a record may hold (an amount in any currency, a project's value). */
export const valueLimit = 1e12;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date that exists (2026-02-30 does not), between 1970 and 2100. */
export function isCalendarDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1970 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function checkOutcome(record: { date: string; kind: string; value: number }): string | undefined {
  if (!isCalendarDate(record.date)) return `date "${record.date}" is not a calendar date (YYYY-MM-DD)`;
  if (!(outcomeKinds as readonly string[]).includes(record.kind)) {
    return `kind "${record.kind}" is not one of ${outcomeKinds.join(', ')}`;
  }
  if (!Number.isFinite(record.value) || record.value < 0 || record.value > valueLimit) {
    return `value must be a number from 0 to ${valueLimit}`;
  }
  return undefined;
}

/**
 * Reads an import: a header `worker,date,kind,value` (any order; more columns are refused so nothing is
 * silently ignored), then one outcome per line. Every problem is reported with its line; nothing is imported
 * from a file with any.
 */
export function parseOutcomesCsv(text: string): OutcomeRecord[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new DomainError('invalid-input', `The file is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  const expected = ['worker', 'date', 'kind', 'value'];
  if (!header || header.length !== expected.length || !expected.every((name) => header.includes(name))) {
    throw new DomainError('invalid-input', `The first line must name the columns ${expected.join(',')}.`);
  }
  if (records.length - 1 > importRowLimit) {
    throw new DomainError('invalid-input', `An import takes at most ${importRowLimit} rows; split the file.`);
  }
  const at = Object.fromEntries(expected.map((name) => [name, header.indexOf(name)])) as Record<string, number>;
  const problems: { line: number; problem: string }[] = [];
  const rows: OutcomeRecord[] = [];
  records.slice(1).forEach((record, i) => {
    const line = i + 2;
    const worker = record[at.worker!] ?? '';
    const valueText = record[at.value!] ?? '';
    const row = {
      worker,
      date: record[at.date!] ?? '',
      kind: (record[at.kind!] ?? '') as OutcomeKind,
      value: valueText === '' ? Number.NaN : Number(valueText),
    };
    const problem = worker === '' ? 'worker is empty' : checkOutcome(row);
    if (problem) problems.push({ line, problem });
    else rows.push(row);
  });
  if (problems.length > 0) {
    throw new DomainError(
      'invalid-input',
      `${problems.length} line(s) of the file are not valid; nothing was imported.`,
      {
        problems: problems.slice(0, 100),
      },
    );
  }
  if (rows.length === 0) throw new DomainError('invalid-input', 'The file holds no outcomes.');
  return rows;
}
