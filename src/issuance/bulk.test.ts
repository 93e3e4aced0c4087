import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/errors.js';
import { bulkLimits, bulkSourceKey, decodeCsv, previewBulk, safeCsv } from './bulk.js';

const published = '11111111-1111-4111-8111-111111111111';
const draft = '22222222-2222-4222-8222-222222222222';
const context = {
  achievements: new Map<string, { status: string; name: string; code?: string }>([
    [published, { status: 'published', name: 'SQL' }],
    [draft, { status: 'draft', name: 'Draft one' }],
  ]),
  now: new Date('2026-01-15T12:00:00Z'),
};
const header = 'email,name,achievement,score,date,narrative,evidence URL\n';
const preview = (body: string, head = header) => previewBulk(Buffer.from(head + body), context);
const failure = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('bulk CSV', () => {
  it('accepts good rows and normalizes emails', () => {
    const result = preview(
      `Ada@Example.org,Ada,${published},91.5,2025-06-30,Passed the exam,https://example.org/e/1\n` +
        `bob@example.org,Bob,${published.toUpperCase()},,,,\n`,
    );
    expect(result.totals).toEqual({ rows: 2, ok: 2, errors: 0, duplicates: 0 });
    expect(result.rows[0]).toMatchObject({
      row: 1,
      email: 'ada@example.org',
      score: 91.5,
      date: '2025-06-30',
      evidenceUrl: 'https://example.org/e/1',
      status: 'ok',
    });
    expect(result.rows[1]!.achievementId).toBe(published);
  });

  it("accepts a micro-credential's exact title (any case and spacing) instead of its id, and refuses an ambiguous one", () => {
    const twin = '44444444-4444-4444-8444-444444444444';
    const withTwins = {
      ...context,
      achievements: new Map([
        ...context.achievements,
        [twin, { status: 'published', name: 'Twin' }],
        ['55555555-5555-4555-8555-555555555555', { status: 'published', name: 'twin' }],
        ['66666666-6666-4666-8666-666666666666', { status: 'retired', name: 'SQL' }],
      ]),
    };
    const result = previewBulk(
      Buffer.from(
        header + 'ada@example.org,Ada,  sql ,,,,\nbob@example.org,Bob,Twin,,,,\ncy@example.org,Cy,Draft one,,,,\n',
      ),
      withTwins,
    );
    expect(result.rows[0]).toMatchObject({ status: 'ok', achievementId: published });
    expect(result.rows[1]!.messages.join(' ')).toContain('is the title of 2 micro-credentials');
    // Only published micro-credentials are found by title; a draft's title is not one.
    expect(result.rows[2]!.messages.join(' ')).toContain("is not one of this organization's");
  });

  it("accepts a micro-credential's human code in any case, before a title that reads the same", () => {
    const coded = '77777777-7777-4777-8777-777777777777';
    const withCodes = {
      ...context,
      achievements: new Map([
        ...context.achievements,
        [coded, { status: 'published', name: 'Relational modelling', code: 'SQL-101' }],
        ['88888888-8888-4888-8888-888888888888', { status: 'published', name: 'sql-101', code: 'MC-009' }],
        ['99999999-9999-4999-8999-999999999999', { status: 'draft', name: 'Draft', code: 'DRAFT-1' }],
      ]),
    };
    const result = previewBulk(
      Buffer.from(header + 'ada@example.org,Ada, sql-101 ,,,,\nbob@example.org,Bob,draft-1,,,,\n'),
      withCodes,
    );
    expect(result.rows[0]).toMatchObject({ status: 'ok', achievementId: coded });
    // A draft's code names it, and the row says it is not published.
    expect(result.rows[1]!.messages.join(' ')).toContain('"Draft" is not published');
  });

  it('flags each bad field with a message', () => {
    const result = preview(
      [
        `not-an-email,Ada,${published},,,,`,
        `a@example.org,,${draft},,,,`,
        `b@example.org,B,${'33333333-3333-4333-8333-333333333333'},,,,`,
        `c@example.org,C,${published},101,,,`,
        `d@example.org,D,${published},-1,,,`,
        `e@example.org,E,${published},,2027-01-01,,`,
        `f@example.org,F,${published},,30/06/2025,,`,
        `g@example.org,G,${published},,,,http://example.org/plain`,
        `h@example.org,H,${published},,,,javascript:alert(1)`,
        `i@example.org,I,${published}`,
      ].join('\n'),
    );
    const messages = result.rows.map((r) => r.messages.join(' '));
    expect(result.rows.every((r) => r.status === 'error')).toBe(true);
    expect(messages[0]).toContain('not an email address');
    expect(messages[1]).toMatch(/name is missing.*not published/);
    expect(messages[2]).toContain("is not one of this organization's");
    expect(messages[3]).toContain('from 0 to 100');
    expect(messages[4]).toContain('from 0 to 100');
    expect(messages[5]).toContain('in the future');
    expect(messages[6]).toContain('not an ISO date');
    expect(messages[7]).toContain('https://');
    expect(messages[8]).toContain('https://');
    expect(messages[9]).toContain('Has 3 fields where the header has 7');
    expect(result.totals).toEqual({ rows: 10, ok: 0, errors: 10, duplicates: 0 });
  });

  it('marks repeated awards in one file as duplicates, by email case and date', () => {
    const result = preview(
      `a@example.org,A,${published},,2025-01-01,,\n` +
        `A@EXAMPLE.org,A again,${published},,2025-01-01,,\n` +
        `a@example.org,A,${published},,2025-02-01,,\n`,
    );
    expect(result.rows.map((r) => r.status)).toEqual(['ok', 'duplicate', 'ok']);
    expect(result.rows[1]!.messages).toEqual(['Same award as row 1.']);
  });

  it('keeps HTML as text', () => {
    const result = preview(`a@example.org,<b>Ada</b>,${published},,,"<script>alert(1)</script>",\n`);
    expect(result.rows[0]).toMatchObject({ status: 'ok', name: '<b>Ada</b>', narrative: '<script>alert(1)</script>' });
  });

  it('names missing and unknown columns', () => {
    const error = failure(() => preview('a@example.org,x\n', 'mail,name,achievement,colour\n'));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('lacks the column email');
    expect(error.message).toContain('unknown columns "mail", "colour"');
    expect(error.message).toContain('Expected the columns email, name, achievement');
    expect(failure(() => preview('', '')).message).toContain('empty');
    expect(failure(() => preview('', header)).message).toContain('no rows');
  });

  it('reads UTF-8 with a BOM, refuses other encodings', () => {
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${header}é@example.org,Zoë,${published},,,,\n`),
    ]);
    expect(previewBulk(withBom, context).rows[0]!.name).toBe('Zoë');
    const latin1 = Buffer.from(`${header}a@example.org,Zo\u00eb,${published},,,,\n`, 'latin1');
    expect(failure(() => decodeCsv(latin1)).message).toContain('not UTF-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')]);
    expect(failure(() => decodeCsv(utf16)).message).toContain('UTF-16');
  });

  it('refuses files over the limits', () => {
    expect(failure(() => decodeCsv(new Uint8Array(bulkLimits.maxBytes + 1))).code).toBe('too-large');
    const rows = `a@example.org,A,${published},,,,\n`.repeat(bulkLimits.maxRows + 1);
    expect(failure(() => preview(rows)).code).toBe('too-large');
  });
});

describe('bulk source keys', () => {
  const org = '44444444-4444-4444-8444-444444444444';
  it('are the same for the same award whatever the case or upload, different otherwise', () => {
    const key = bulkSourceKey(org, { achievementId: published, email: 'a@example.org', date: '2025-01-01' });
    expect(
      bulkSourceKey(org.toUpperCase(), {
        achievementId: published.toUpperCase(),
        email: ' A@Example.org ',
        date: '2025-01-01T00:00:00Z',
      }),
    ).toBe(key);
    expect(bulkSourceKey(org, { achievementId: published, email: 'a@example.org', date: '2025-01-02' })).not.toBe(key);
    expect(bulkSourceKey(org, { achievementId: published, email: 'b@example.org', date: '2025-01-01' })).not.toBe(key);
    expect(bulkSourceKey(org, { achievementId: published, email: 'a@example.org' })).not.toBe(key);
    expect(key).toMatch(/^bulk:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('example');
  });
});

describe('safe CSV', () => {
  it('neutralizes cells that spreadsheets would run as formulas', () => {
    const csv = safeCsv(
      ['a', 'b'],
      [
        ['=1+1', '+x'],
        ['-2', '@SUM(A1)'],
        ['\tx', '\rx'],
        ['plain', 3],
      ],
    );
    const back = parse(csv) as string[][];
    expect(back).toEqual([
      ['a', 'b'],
      ["'=1+1", "'+x"],
      ["'-2", "'@SUM(A1)"],
      ["'\tx", "'\rx"],
      ['plain', '3'],
    ]);
  });
});
