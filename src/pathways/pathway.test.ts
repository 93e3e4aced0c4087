import { describe, expect, it } from 'vitest';
import {
  checkPathway,
  findCycle,
  readRequirements,
  type AchievementFacts,
  type PathwayDefinition,
  type RequirementNode,
} from './pathway.js';

const facts = (id: string, over: Partial<AchievementFacts> = {}): AchievementFacts => ({
  achievementId: id,
  name: `Course ${id}`,
  orgId: 'org-n',
  orgName: 'Northwind',
  published: true,
  ectsCredits: 2,
  workloadHours: 50,
  eqfLevel: 5,
  ...over,
});
const catalog = new Map<string, AchievementFacts>([
  ['dest', facts('dest', { ectsCredits: 10, workloadHours: 260 })],
  ['a', facts('a')],
  ['b', facts('b')],
  ['c', facts('c', { ectsCredits: null })],
  ['h', facts('h', { orgId: 'org-h', orgName: 'Harbor Cloud Academy', ectsCredits: 4, workloadHours: 100 })],
  ['draft', facts('draft', { published: false })],
  ['ramp', facts('ramp')],
]);
const context = { orgId: 'org-n', achievement: (id: string) => catalog.get(id) };
const comp = (key: string, achievementId = key): RequirementNode => ({
  type: 'component',
  key,
  component: { achievementId },
});
const base = (requirements: RequirementNode, over: Partial<PathwayDefinition> = {}): PathwayDefinition => ({
  title: 'Cloud Data Engineering',
  description: 'A certificate',
  destination: 'dest',
  requirements,
  recognition: [],
  prerequisites: [],
  offRamps: [],
  ...over,
});
const codes = (d: PathwayDefinition) => checkPathway(d, context).errors.map((e) => e.code);

describe('checkPathway', () => {
  it('accepts a completable pathway across issuers, with rules, order and an off-ramp', () => {
    const d = base(
      {
        type: 'allOf',
        of: [
          comp('a'),
          { type: 'anyOf', key: 'electives', n: 1, of: [comp('b'), comp('h')] },
          {
            type: 'credits',
            min: 3,
            unit: 'ECTS',
            of: [
              comp('x', 'a2'),
              {
                type: 'component',
                key: 'f',
                component: { foreignId: 'https://x.example/a/1', name: 'Foreign', ectsCredits: 2 },
              },
            ],
          },
        ],
      },
      {
        recognition: [
          { component: 'f', by: 'alignment', skills: ['http://data.europa.eu/esco/skill/1'], minEqfLevel: 5 },
          { component: 'b', by: 'achievement', achievementId: 'https://other.example/ach/b' },
        ],
        prerequisites: [{ before: 'a', after: 'b' }],
        offRamps: [{ node: 'electives', achievementId: 'ramp' }],
      },
    );
    catalog.set('a2', facts('a2'));
    expect(checkPathway(d, context)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses anyOf(n) over fewer than n parts, and n below 1', () => {
    const d = base({ type: 'anyOf', n: 3, of: [comp('a'), comp('b')] });
    const check = checkPathway(d, context);
    expect(check.errors).toEqual([
      { code: 'any-of-range', field: 'requirements.n', message: expect.stringContaining('over 2 parts') },
    ]);
    expect(codes(base({ type: 'anyOf', n: 0, of: [comp('a')] }))).toEqual(['any-of-range']);
  });

  it('refuses a credit sum out of reach, naming what the components give', () => {
    const check = checkPathway(base({ type: 'credits', min: 5, unit: 'ECTS', of: [comp('a'), comp('b')] }), context);
    expect(check.errors).toHaveLength(1);
    expect(check.errors[0]).toMatchObject({ code: 'credits-unreachable', field: 'requirements.min' });
    expect(check.errors[0]!.message).toContain('give 4');
    // In hours the same components reach it.
    expect(codes(base({ type: 'credits', min: 100, unit: 'hours', of: [comp('a'), comp('b')] }))).toEqual([]);
  });

  it('refuses a credit unit the components do not state', () => {
    const check = checkPathway(base({ type: 'credits', min: 2, unit: 'ECTS', of: [comp('a'), comp('c')] }), context);
    expect(check.errors.map((e) => [e.code, e.field])).toEqual([['unit-mismatch', 'requirements.of[1].component']]);
    const foreign = base({
      type: 'credits',
      min: 2,
      unit: 'hours',
      of: [comp('a'), { type: 'component', key: 'f', component: { foreignId: 'urn:x:1', name: 'F', ectsCredits: 3 } }],
    });
    expect(codes(foreign)).toEqual(['unit-mismatch']);
    expect(codes(base({ type: 'credits', min: 2, unit: 'points' as 'ECTS', of: [comp('a')] }))).toEqual([
      'unit-mismatch',
    ]);
  });

  it('refuses cycles: in the order, the destination as its own component, and across published pathways', () => {
    const order = base(
      { type: 'allOf', of: [comp('a'), comp('b')] },
      {
        prerequisites: [
          { before: 'a', after: 'b' },
          { before: 'b', after: 'a' },
        ],
      },
    );
    const check = checkPathway(order, context);
    expect(check.errors.map((e) => e.code)).toEqual(['cycle']);
    expect(check.errors[0]!.message).toContain('a → b → a');
    expect(codes(base({ type: 'allOf', of: [comp('a'), comp('dest')] }))).toEqual(['cycle']);
    const stacked = checkPathway(base({ type: 'allOf', of: [comp('a')] }), {
      ...context,
      otherPathways: [{ title: 'Other', destination: 'a', components: ['dest'] }],
    });
    expect(stacked.errors.map((e) => e.code)).toEqual(['cycle']);
  });

  it('refuses a destination of another organization, unknown and unpublished components', () => {
    expect(codes(base(comp('a'), { destination: 'h' }))).toEqual(['foreign-destination']);
    expect(codes(base(comp('nope')))).toEqual(['unknown-component']);
    expect(codes(base(comp('draft')))).toEqual(['not-published']);
    expect(codes(base(comp('a'), { destination: 'missing' }))).toEqual(['unknown-component']);
  });

  it('refuses empty lists, duplicate keys and components, rules and edges naming no component, bad off-ramps', () => {
    expect(codes(base({ type: 'allOf', of: [] }))).toEqual(['empty']);
    expect(codes(base({ type: 'allOf', of: [comp('a'), comp('a')] }))).toEqual([
      'duplicate-key',
      'duplicate-component',
    ]);
    expect(
      codes(base(comp('a'), { recognition: [{ component: 'zz', by: 'alignment', skills: [], minEqfLevel: 9 }] })),
    ).toEqual(['unknown-node', 'rule', 'rule']);
    expect(codes(base(comp('a'), { prerequisites: [{ before: 'a', after: 'q' }] }))).toEqual(['unknown-node']);
    expect(
      codes(
        base({ type: 'allOf', key: 'all', of: [comp('a')] }, { offRamps: [{ node: 'all', achievementId: 'ramp' }] }),
      ),
    ).toEqual(['unknown-node']);
    expect(
      codes(base({ type: 'allOf', of: [comp('a'), comp('b')] }, { offRamps: [{ node: 'a', achievementId: 'h' }] })),
    ).toEqual(['foreign-destination']);
  });

  it('finds cycles in a directed graph', () => {
    expect(
      findCycle([
        ['a', 'b'],
        ['b', 'c'],
      ]),
    ).toBeUndefined();
    expect(
      findCycle([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
      ]),
    ).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('readRequirements', () => {
  it('reads a tree sent as JSON, and names where its shape is wrong', () => {
    const tree = {
      type: 'anyOf',
      n: 1,
      of: [
        { type: 'component', key: 'a', component: { achievementId: 'a' } },
        { type: 'component', key: 'f', component: { foreignId: 'urn:x:1', name: 'F', ectsCredits: 2 } },
      ],
    };
    expect(readRequirements(tree)).toEqual(tree);
    expect(readRequirements({ type: 'allOf', of: [{ type: 'x' }] })).toMatchObject({
      field: 'requirements.of[0].type',
    });
    expect(readRequirements({ type: 'anyOf', of: [] })).toMatchObject({ field: 'requirements.n' });
    expect(readRequirements({ type: 'credits', min: 1, of: [] })).toMatchObject({ field: 'requirements.unit' });
    expect(readRequirements({ type: 'component', component: { achievementId: 'a' } })).toMatchObject({
      field: 'requirements.key',
    });
    expect(
      readRequirements({ type: 'component', key: 'k', component: { achievementId: 'a', foreignId: 'urn:x' } }),
    ).toMatchObject({ field: 'requirements.component' });
    let deep: unknown = { type: 'component', key: 'k', component: { achievementId: 'a' } };
    for (let i = 0; i < 20; i++) deep = { type: 'allOf', of: [deep] };
    expect(readRequirements(deep)).toMatchObject({ code: 'too-large' });
    const wide = {
      type: 'allOf',
      of: Array.from({ length: 300 }, (_, i) => ({
        type: 'component',
        key: `k${i}`,
        component: { achievementId: 'a' },
      })),
    };
    expect(readRequirements(wide)).toMatchObject({ code: 'too-large' });
  });
});
