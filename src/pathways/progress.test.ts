import { describe, expect, it } from 'vitest';
import type { AchievementFacts, PathwayDefinition, RequirementNode } from './pathway.js';
import { evaluate, type HeldCredential } from './progress.js';
import { cheapestRoute } from './route.js';

const facts = (
  id: string,
  hours: number,
  ects: number | null = null,
  over: Partial<AchievementFacts> = {},
): AchievementFacts => ({
  achievementId: id,
  name: `Course ${id}`,
  orgId: 'org-n',
  orgName: 'Northwind',
  published: true,
  ectsCredits: ects,
  workloadHours: hours,
  eqfLevel: 5,
  ...over,
});
const catalog = new Map<string, AchievementFacts>(
  [
    facts('a', 50, 2),
    facts('b', 60, 2),
    facts('c', 30, 1),
    facts('d', 40, 1.5),
    facts('e', 25, 1),
    facts('big', 300, 12),
    facts('gone', 10, 1, { published: false }),
  ].map((f) => [f.achievementId, f]),
);
const achievement = (id: string) => catalog.get(id);
const comp = (key: string, achievementId = key): RequirementNode => ({
  type: 'component',
  key,
  component: { achievementId },
});
const definition = (requirements: RequirementNode, over: Partial<PathwayDefinition> = {}): PathwayDefinition => ({
  title: 'P',
  description: 'P',
  destination: 'dest',
  requirements,
  recognition: [],
  prerequisites: [],
  offRamps: [],
  ...over,
});
let seq = 0;
const held = (over: Partial<HeldCredential>): HeldCredential => ({
  holdingId: `h${++seq}`,
  name: `Held ${seq}`,
  issuer: { id: 'did:web:northwind', name: 'Northwind' },
  status: 'active',
  achievementId: null,
  achievementUrl: null,
  skills: [],
  eqfLevel: null,
  ectsCredits: null,
  workloadHours: null,
  issuedAt: '2026-01-01T00:00:00Z',
  issuerAccepted: true,
  ...over,
});
const local = (id: string, over: Partial<HeldCredential> = {}) =>
  held({
    achievementId: id,
    name: `Course ${id}`,
    ectsCredits: catalog.get(id)!.ectsCredits,
    workloadHours: catalog.get(id)!.workloadHours,
    ...over,
  });

const tree: RequirementNode = {
  type: 'allOf',
  key: 'root',
  of: [
    comp('a'),
    { type: 'anyOf', key: 'pick2', n: 2, of: [comp('b'), comp('c'), comp('d')] },
    {
      type: 'credits',
      key: 'sum',
      min: 3,
      unit: 'ECTS',
      of: [
        comp('e'),
        comp('big'),
        {
          type: 'component',
          key: 'f',
          component: { foreignId: 'https://harbor.example/ach/1', name: 'Harbor Cloud', ectsCredits: 2 },
        },
      ],
    },
  ],
};

describe('evaluate', () => {
  it('says which component each holding satisfies, the credits counted, and what remains', () => {
    const holdings = [local('a'), local('c'), local('e')];
    const { progress } = evaluate({ definition: definition(tree), holdings, achievement });
    expect(progress.complete).toBe(false);
    expect(progress.satisfied.map((s) => [s.component, s.holding.holdingId, s.holding.via])).toEqual([
      ['a', holdings[0]!.holdingId, 'component'],
      ['c', holdings[1]!.holdingId, 'component'],
      ['e', holdings[2]!.holdingId, 'component'],
    ]);
    const [, pick2, sum] = progress.tree.children;
    expect(pick2).toMatchObject({ key: 'pick2', complete: false, done: { complete: 1, needed: 2 } });
    expect(sum).toMatchObject({ key: 'sum', complete: false, credits: { counted: 1, min: 3, unit: 'ECTS' } });
    expect(progress.remaining).toEqual(['1 more of: Course b; Course d.', '2 more ECTS credits (1 of 3 counted).']);
    expect(progress.touches).toBe(3);
  });

  it('does not count revoked, suspended, expired or unverified credentials, and says so', () => {
    const holdings = [
      local('a', { status: 'revoked' }),
      local('b', { status: 'suspended' }),
      local('c', { status: 'expired' }),
      held({ achievementUrl: 'https://harbor.example/ach/1', status: 'unverified', name: 'Harbor' }),
    ];
    const { progress } = evaluate({ definition: definition(tree), holdings, achievement });
    expect(progress.satisfied).toEqual([]);
    expect(progress.notCounted.map((n) => [n.component, n.status])).toEqual([
      ['a', 'revoked'],
      ['b', 'suspended'],
      ['c', 'expired'],
      ['f', 'unverified'],
    ]);
    expect(progress.notCounted[0]!.reason).toContain('has been revoked');
    expect(progress.notCounted[3]!.reason).toContain('does not verify now');
  });

  it('accepts foreign credentials by recognition rules, only from issuers on this instance or in the trust registry', () => {
    const skill = 'http://data.europa.eu/esco/skill/cloud';
    const d = definition(tree, {
      recognition: [
        { component: 'f', by: 'alignment', skills: [skill], minEqfLevel: 5 },
        { component: 'b', by: 'achievement', achievementId: 'https://other.example/b' },
      ],
    });
    const trusted = held({
      skills: [skill, 'x'],
      eqfLevel: 6,
      ectsCredits: 2.5,
      achievementUrl: 'https://harbor.example/other',
    });
    const lowLevel = held({ skills: [skill], eqfLevel: 4, achievementUrl: 'https://harbor.example/low' });
    const untrusted = held({ achievementUrl: 'https://other.example/b', issuerAccepted: false, name: 'Self-made' });
    const { progress } = evaluate({ definition: d, holdings: [trusted, lowLevel, untrusted], achievement });
    expect(progress.satisfied).toEqual([
      {
        component: 'f',
        holding: expect.objectContaining({
          holdingId: trusted.holdingId,
          via: 'recognition',
          credits: { ECTS: 2.5, hours: null },
        }),
      },
    ]);
    expect(progress.notCounted).toEqual([
      expect.objectContaining({
        holdingId: untrusted.holdingId,
        component: 'b',
        reason: expect.stringContaining('trust registry'),
      }),
    ]);
    expect(progress.tree.children[2]!.credits).toEqual({ counted: 2.5, min: 3, unit: 'ECTS' });
  });

  it('counts an import of a credential of this instance by its achievement address (or a version of it)', () => {
    const prefix = 'https://skillproof.example/achievements/';
    const at = (url: string, over: Partial<HeldCredential> = {}) =>
      held({ achievementUrl: `${prefix}${url}`, ...over });
    const holdings = [
      at('a/versions/3'),
      at('b'),
      at('c', { issuerAccepted: false }),
      at('dd'),
      at('e/other'),
      at('x/versions/big/versions/2'),
    ];
    const tree2: RequirementNode = {
      type: 'allOf',
      of: [
        comp('a'),
        comp('b'),
        comp('c'),
        comp('d'),
        comp('e'),
        comp('big'),
        comp('x/versions/big', 'x/versions/big'),
      ],
    };
    const { progress } = evaluate({
      definition: definition(tree2),
      holdings,
      achievement,
      achievementUrlPrefix: prefix,
    });
    expect(progress.satisfied.map((s) => [s.component, s.holding.holdingId])).toEqual([
      ['a', holdings[0]!.holdingId],
      ['b', holdings[1]!.holdingId],
      ['x/versions/big', holdings[5]!.holdingId],
    ]);
    expect(progress.touches).toBe(3);
    // Without the prefix, none of them is this instance's.
    expect(evaluate({ definition: definition(tree2), holdings, achievement }).progress.touches).toBe(0);
  });

  it('completes when every requirement is met, and reports completed off-ramps', () => {
    const d = definition(tree, { offRamps: [{ node: 'pick2', achievementId: 'ramp' }] });
    const { progress } = evaluate({
      definition: d,
      holdings: [
        local('a'),
        local('b'),
        local('d'),
        local('e'),
        held({ achievementUrl: 'https://harbor.example/ach/1', ectsCredits: 2 }),
      ],
      achievement,
    });
    expect(progress.complete).toBe(true);
    expect(progress.remaining).toEqual([]);
    expect(progress.offRamps).toEqual([{ node: 'pick2', achievementId: 'ramp', complete: true }]);
  });

  it('counts a component only after its prerequisite, earned no later', () => {
    const d = definition(tree, { prerequisites: [{ before: 'a', after: 'b' }] });
    const early = local('b', { issuedAt: '2025-01-01T00:00:00Z' });
    const first = evaluate({ definition: d, holdings: [early], achievement }).progress;
    expect(first.satisfied).toEqual([]);
    expect(first.notCounted[0]!.reason).toContain('waits for Course a');
    const second = evaluate({
      definition: d,
      holdings: [early, local('a', { issuedAt: '2025-06-01T00:00:00Z' })],
      achievement,
    }).progress;
    expect(second.satisfied.map((s) => s.component)).toEqual(['a']);
    expect(second.notCounted[0]!.reason).toContain('earned before Course a');
    const inOrder = evaluate({
      definition: d,
      holdings: [local('b'), local('a', { issuedAt: '2025-06-01T00:00:00Z' })],
      achievement,
    }).progress;
    expect(inOrder.satisfied.map((s) => s.component).sort()).toEqual(['a', 'b']);
  });
});

describe('cheapestRoute', () => {
  it('finds the fewest hours that finish, across anyOf and credit sums', async () => {
    const d = definition(tree);
    const evaluation = evaluate({ definition: d, holdings: [local('a')], achievement });
    const route = await cheapestRoute(evaluation, achievement, d.prerequisites);
    // anyOf 2 of b(60) c(30) d(40): c + d = 70; credits ≥ 3 ECTS of e(1, 25 h), big(12, 300 h), foreign (not here):
    // e (1 ECTS) alone falls short and the foreign part is not offered here: big (12 ECTS, 300 h) is needed.
    expect(route.status).toBe('optimal');
    expect(route.steps.map((s) => s.achievementId).sort()).toEqual(['big', 'c', 'd']);
    expect(route.totalHours).toBe(370);
  });

  it('uses what is held towards a credit sum, and keeps the order', async () => {
    const d = definition(
      {
        type: 'allOf',
        of: [comp('c'), { type: 'credits', min: 3, unit: 'ECTS', of: [comp('a'), comp('b'), comp('e'), comp('big')] }],
      },
      { prerequisites: [{ before: 'b', after: 'c' }] },
    );
    const evaluation = evaluate({ definition: d, holdings: [local('e')], achievement });
    const route = await cheapestRoute(evaluation, achievement, d.prerequisites);
    // 1 ECTS held; 2 more: a (50 h) or b (60 h); c needs b first, so b (60) + c (30) beats a + b + c.
    expect(route).toMatchObject({ status: 'optimal', totalHours: 90 });
    expect(route.steps.map((s) => s.achievementId)).toEqual(['b', 'c']);
  });

  it('answers complete when nothing remains, and impossible when only foreign or retired parts remain', async () => {
    const done = evaluate({ definition: definition(comp('a')), holdings: [local('a')], achievement });
    expect(await cheapestRoute(done, achievement, [])).toEqual({ status: 'complete', steps: [], totalHours: 0 });
    const foreign = definition({ type: 'allOf', of: [comp('a'), comp('gone')] });
    const route = await cheapestRoute(evaluate({ definition: foreign, holdings: [], achievement }), achievement, []);
    expect(route.status).toBe('impossible');
  });
});
