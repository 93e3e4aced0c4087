import { describe, expect, it } from 'vitest';
import { acceptedTypes, httpsLink, safeFileName, sniffType } from './evidence.js';
import { checkRubric, maxPoints, scoreRubric, type Rubric } from './rubric.js';
import { sampleRubric as rubric } from '../../test/helpers/rubrics.js';

describe('rubric validation', () => {
  it('accepts a sound rubric and counts its maximum', () => {
    expect(checkRubric(rubric)).toEqual([]);
    expect(maxPoints(rubric)).toBe(10);
  });

  it('names every problem', () => {
    const fields = (r: Rubric) => checkRubric(r).map((i) => i.field);
    expect(fields({ criteria: [], passPoints: 1 })).toEqual(['criteria']);
    expect(fields({ ...rubric, passPoints: 11 })).toEqual(['passPoints']);
    expect(fields({ ...rubric, passPoints: 0 })).toEqual(['passPoints']);
    expect(fields({ ...rubric, criteria: [rubric.criteria[0]!, { ...rubric.criteria[1]!, id: 'design' }] })).toEqual([
      'criteria.1.id',
    ]);
    expect(
      fields({ ...rubric, criteria: [{ ...rubric.criteria[0]!, levels: [{ name: 'Only', points: 1 }] }] }),
    ).toEqual(['criteria.0.levels']);
    expect(
      fields({
        ...rubric,
        criteria: [
          {
            id: 'x',
            name: ' ',
            levels: [
              { name: 'A', points: 1 },
              { name: '', points: 1.5 },
              { name: 'C', points: 1 },
            ],
          },
        ],
      }),
    ).toEqual([
      'criteria.0.name',
      'criteria.0.levels.1.name',
      'criteria.0.levels.1.points',
      'criteria.0.levels.2.points',
    ]);
  });
});

describe('rubric scoring', () => {
  it('sums the chosen levels and compares with the threshold', () => {
    const passed = scoreRubric(rubric, [
      { criterionId: 'queries', points: 6 },
      { criterionId: 'design', points: 2 },
    ]);
    expect(passed).toEqual({
      points: 8,
      maxPoints: 10,
      percent: 80,
      passed: true,
      criteria: [
        { id: 'design', name: 'Schema design', level: 'Adequate', points: 2, maxPoints: 4 },
        { id: 'queries', name: 'Queries', level: 'Right', points: 6, maxPoints: 6 },
      ],
    });
    const failed = scoreRubric(rubric, [
      { criterionId: 'queries', points: 0 },
      { criterionId: 'design', points: 4 },
    ]);
    expect(failed).toMatchObject({ points: 4, percent: 40, passed: false });
  });

  it('refuses missing, unknown, doubled and off-level scores', () => {
    const messages = (scores: { criterionId: string; points: number }[]) => {
      const result = scoreRubric(rubric, scores);
      return Array.isArray(result) ? result.map((i) => i.message) : [];
    };
    expect(messages([{ criterionId: 'design', points: 2 }])).toEqual(['Score the criterion “Queries”.']);
    expect(
      messages([
        { criterionId: 'design', points: 3 },
        { criterionId: 'queries', points: 6 },
      ]),
    ).toEqual(['“Schema design” has no level worth 3 points.']);
    expect(
      messages([
        { criterionId: 'design', points: 2 },
        { criterionId: 'queries', points: 6 },
        { criterionId: 'style', points: 1 },
      ]),
    ).toEqual(['The rubric has no criterion style.']);
    expect(
      messages([
        { criterionId: 'design', points: 2 },
        { criterionId: 'design', points: 4 },
        { criterionId: 'queries', points: 6 },
      ]),
    ).toEqual(['Score each criterion once.']);
  });
});

describe('evidence', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
  const pdf = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

  it('reads the type from the bytes', async () => {
    expect(await sniffType(png)).toBe('image/png');
    expect(await sniffType(jpeg)).toBe('image/jpeg');
    expect(await sniffType(pdf)).toBe('application/pdf');
    expect(await sniffType(Buffer.from('Plain notes, with ünïcode.\r\n\tIndented.'))).toBe('text/plain');
    expect(acceptedTypes).toHaveLength(4);
  });

  it('refuses other types, binary junk and empty files, whatever they are called', async () => {
    const gif = Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;', 'latin1');
    const zip = Buffer.from('504b0304140000000800', 'hex');
    const exe = Buffer.from('4d5a90000300000004000000ffff0000', 'hex');
    expect(await sniffType(gif)).toBeUndefined();
    expect(await sniffType(zip)).toBeUndefined();
    expect(await sniffType(exe)).toBeUndefined();
    expect(await sniffType(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00]))).toBeUndefined();
    expect(await sniffType(Buffer.alloc(0))).toBeUndefined();
  });

  it('keeps only https links', () => {
    expect(httpsLink(' https://github.com/me/project ')).toBe('https://github.com/me/project');
    expect(httpsLink('http://example.org')).toBeUndefined();
    expect(httpsLink('javascript:alert(1)')).toBeUndefined();
    expect(httpsLink('https://user:pw@example.org/')).toBeUndefined();
    expect(httpsLink('not a link')).toBeUndefined();
  });

  it('cleans file names', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\report "final".pdf')).toBe('report final.pdf');
    expect(safeFileName('\u0000')).toBe('file');
  });
});
