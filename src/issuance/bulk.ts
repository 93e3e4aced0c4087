import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { emailPattern, normalizeEmail } from '../accounts/accounts.js';
import { DomainError, invalid } from '../platform/errors.js';
import { neutralize } from '../platform/csv-safe.js';

/**
 * Bulk issuance from a CSV: reading the upload, checking every row, keys that make each row's award happen
 * once, and the formula-safe CSVs issuers download. Pure: no HTTP, no SQL.
 */
export const bulkLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000 };

export const bulkColumns = {
  required: ['email', 'name', 'achievement'] as const,
  optional: ['score', 'date', 'narrative', 'evidence_url'] as const,
};
type Column = (typeof bulkColumns.required)[number] | (typeof bulkColumns.optional)[number];

// Headers as people write them: "Evidence URL", "evidence-url", "evidenceUrl" all mean evidence_url.
const headerAliases: Record<string, Column> = {
  email: 'email',
  emailaddress: 'email',
  name: 'name',
  achievement: 'achievement',
  achievementid: 'achievement',
  score: 'score',
  date: 'date',
  narrative: 'narrative',
  evidenceurl: 'evidence_url',
  evidence: 'evidence_url',
};

const maxText = { name: 200, narrative: 5000, url: 2000 };
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDate = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** The upload as text: UTF-8 (a BOM is fine), anything else is refused with what to do about it. */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes.length > bulkLimits.maxBytes) {
    throw new DomainError('too-large', `The file is larger than ${bulkLimits.maxBytes / 1024 / 1024} MB; split it.`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw invalid('The file is UTF-16 encoded; save it as CSV UTF-8 and upload it again.', { field: 'file' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid(
      'The file is not UTF-8 text (a spreadsheet saved as Latin-1 or Windows-1252, or not a CSV at all); save it as CSV UTF-8.',
      { field: 'file' },
    );
  }
  if (text.includes('\u0000')) throw invalid('The file contains NUL characters; it is not a CSV text file.');
  return text;
}

export interface BulkRow {
  /** The line's number among the data rows, 1 for the first row after the header. */
  row: number;
  email: string;
  name: string;
  achievementId: string;
  score?: number;
  /** The award date, as given (ISO 8601). */
  date?: string;
  narrative?: string;
  evidenceUrl?: string;
}

export type RowStatus = 'ok' | 'error' | 'duplicate';

export interface CheckedRow extends BulkRow {
  status: RowStatus;
  messages: string[];
  /** What the issuer should know about a sound row: the learner holds it already, or it was issued before. */
  notes?: string[];
}

export interface BulkPreview {
  rows: CheckedRow[];
  totals: { rows: number; ok: number; errors: number; duplicates: number };
}

/** Reads the CSV into rows: the header must name the required columns and only known ones. */
export function parseBulkCsv(text: string): {
  rows: (Partial<Record<Column, string>> & { fields: number })[];
  columns: number;
} {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      to_line: bulkLimits.maxRows + 2,
    }) as string[][];
  } catch (error) {
    throw invalid(`The CSV cannot be read: ${(error as Error).message}`, { field: 'file' });
  }
  const [header, ...data] = records;
  const expected = `Expected the columns ${[...bulkColumns.required, ...bulkColumns.optional].join(', ')} (the first ${bulkColumns.required.length} required).`;
  if (!header) throw invalid(`The file is empty. ${expected}`, { field: 'file' });
  const columns = header.map(
    (h) =>
      headerAliases[
        h
          .trim()
          .toLowerCase()
          .replace(/[\s_-]+/g, '')
      ],
  );
  const unknown = header.filter((_, i) => columns[i] === undefined);
  const missing = bulkColumns.required.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => c !== undefined && columns.indexOf(c) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const parts = [
      missing.length ? `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
      unknown.length
        ? `has unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`
        : '',
      repeated.length ? `repeats ${[...new Set(repeated)].join(', ')}` : '',
    ].filter(Boolean);
    throw invalid(`The CSV header ${parts.join(' and ')}. ${expected}`, { field: 'file', missing, unknown });
  }
  if (data.length > bulkLimits.maxRows) {
    throw new DomainError('too-large', `The file has more than ${bulkLimits.maxRows} rows; split it.`);
  }
  if (data.length === 0) throw invalid(`The CSV has a header but no rows. ${expected}`, { field: 'file' });
  return {
    columns: header.length,
    rows: data.map((record) => {
      const row: Partial<Record<Column, string>> & { fields: number } = { fields: record.length };
      columns.forEach((column, i) => {
        const value = record[i]?.trim();
        if (column && value) row[column] = value;
      });
      return row;
    }),
  };
}

export interface CheckContext {
  /** The organization's micro-credentials by (lower-case) id, with their state. */
  achievements: Map<string, { status: string; name: string; code?: string | undefined }>;
  now: Date;
  columns: number;
}

/** Checks every row; the second and later copies of the same award in one file are duplicates. */
export function checkRows(rows: ReturnType<typeof parseBulkCsv>['rows'], context: CheckContext): BulkPreview {
  const seen = new Map<string, number>();
  // Published ones first, so a retired namesake does not make a title ambiguous.
  const titles = new Map<string, string[]>();
  // Codes are unique in the organization (in any case), drafts and retired ones included.
  const codes = new Map<string, string>();
  for (const [id, a] of context.achievements) {
    if (a.code) codes.set(a.code.toUpperCase(), id);
    if (a.status !== 'published') continue;
    titles.set(titleKey(a.name), [...(titles.get(titleKey(a.name)) ?? []), id]);
  }
  const checked = rows.map((raw, index): CheckedRow => {
    const messages: string[] = [];
    const email = normalizeEmail(raw.email ?? '');
    const row: CheckedRow = {
      row: index + 1,
      email,
      name: raw.name ?? '',
      achievementId: raw.achievement ?? '',
      status: 'ok',
      messages,
    };
    if (raw.fields !== context.columns) {
      messages.push(`Has ${raw.fields} fields where the header has ${context.columns}.`);
    }
    if (!email) messages.push('email is missing.');
    else if (email.length > 254 || !emailPattern.test(email))
      messages.push(`email "${raw.email}" is not an email address.`);
    if (!row.name) messages.push('name is missing.');
    else if (row.name.length > maxText.name) messages.push(`name is longer than ${maxText.name} characters.`);
    // The id, the micro-credential's code or its exact title (any case), as people read them in the console.
    const coded = uuidPattern.test(row.achievementId) ? undefined : codes.get(row.achievementId.trim().toUpperCase());
    const named = uuidPattern.test(row.achievementId) || coded ? [] : (titles.get(titleKey(row.achievementId)) ?? []);
    if (coded) row.achievementId = coded;
    if (named.length === 1) row.achievementId = named[0]!;
    const achievement = context.achievements.get(row.achievementId.toLowerCase());
    if (!row.achievementId) messages.push('achievement is missing.');
    else if (named.length > 1) {
      messages.push(
        `achievement "${row.achievementId}" is the title of ${named.length} micro-credentials: use the id of the one you mean.`,
      );
    } else if (!achievement) {
      messages.push(
        `achievement "${row.achievementId}" is not one of this organization's micro-credentials (by id, code or exact title).`,
      );
    } else if (achievement.status !== 'published') {
      messages.push(
        `achievement "${achievement.name}" is ${achievement.status === 'retired' ? 'retired' : 'not published'}.`,
      );
    }
    if (achievement) row.achievementId = row.achievementId.toLowerCase();
    if (raw.score !== undefined) {
      const score = Number(raw.score);
      if (!/^\d+(\.\d+)?$/.test(raw.score) || score > 100)
        messages.push(`score "${raw.score}" is not a number from 0 to 100.`);
      else row.score = score;
    }
    if (raw.date !== undefined) {
      const date = new Date(raw.date);
      if (!isoDate.test(raw.date) || Number.isNaN(date.getTime())) {
        messages.push(`date "${raw.date}" is not an ISO date like 2025-06-30.`);
      } else if (date.getTime() > context.now.getTime()) messages.push(`date ${raw.date} is in the future.`);
      else row.date = raw.date;
    }
    if (raw.narrative !== undefined) {
      if (raw.narrative.length > maxText.narrative)
        messages.push(`narrative is longer than ${maxText.narrative} characters.`);
      else row.narrative = raw.narrative;
    }
    if (raw.evidence_url !== undefined) {
      if (!isHttpsUrl(raw.evidence_url))
        messages.push(`evidence_url "${raw.evidence_url}" is not an https:// address.`);
      else row.evidenceUrl = raw.evidence_url;
    }
    if (messages.length) {
      row.status = 'error';
      return row;
    }
    const key = awardIdentity(row);
    const first = seen.get(key);
    if (first !== undefined) {
      row.status = 'duplicate';
      messages.push(`Same award as row ${first}.`);
    } else seen.set(key, row.row);
    return row;
  });
  return {
    rows: checked,
    totals: {
      rows: checked.length,
      ok: checked.filter((r) => r.status === 'ok').length,
      errors: checked.filter((r) => r.status === 'error').length,
      duplicates: checked.filter((r) => r.status === 'duplicate').length,
    },
  };
}

const titleKey = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();

function isHttpsUrl(value: string): boolean {
  if (value.length > maxText.url) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** What makes two rows the same award: the micro-credential, the recipient and the award date. */
function awardIdentity(row: { achievementId: string; email: string; date?: string | undefined }): string {
  const day = row.date ? new Date(row.date).toISOString().slice(0, 10) : '';
  return `${row.achievementId.toLowerCase()}\n${normalizeEmail(row.email)}\n${day}`;
}

/**
 * The award's source key: the same organization, micro-credential, recipient and date give the same key in
 * every upload, so re-running rows never issues twice. Hashed, so keys carry no email.
 */
export function bulkSourceKey(
  orgId: string,
  row: { achievementId: string; email: string; date?: string | undefined },
): string {
  return `bulk:${createHash('sha256')
    .update(`${orgId.toLowerCase()}\n${awardIdentity(row)}`)
    .digest('base64url')}`;
}

/** The whole check: bytes to rows with their status. */
export function previewBulk(bytes: Uint8Array, context: Omit<CheckContext, 'columns'>): BulkPreview {
  const text = decodeCsv(bytes);
  const { rows, columns } = parseBulkCsv(text);
  return checkRows(rows, { ...context, columns });
}

/** A CSV for spreadsheets: every cell is text, and text that would run as a formula is neutralized. */
export function safeCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return stringify([header, ...rows.map((row) => row.map((cell) => neutralize(cell == null ? '' : String(cell))))], {
    quoted_match: /[\s,"]/,
  });
}

/** The content hash that makes one job per upload. */
export function uploadHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
