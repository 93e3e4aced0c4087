import { describe, expect, it } from 'vitest';
import type { AchievementFacts, PathwayDefinition } from './pathway.js';
import { evaluate, type HeldCredential } from './progress.js';
import {
  countable,
  decodePage,
  encodePage,
  parseTextArray,
  reevaluate,
  type LearnerHoldings,
  type LearnerOutcome,
  type ReevaluationPage,
  type VersionToEvaluate,
} from './reevaluate.js';

const prefix = 'https://skillproof.example/achievements/';
const facts = (id: string, ects: number): AchievementFacts => ({
  achievementId: id,
  name: `Course ${id}`,
  orgId: 'org',
  orgName: 'Northwind',
  published: true,
  ectsCredits: ects,
  workloadHours: ects * 25,
  eqfLevel: 5,
});
const catalog = [facts('a', 2), facts('b', 2), facts('c', 1), facts('d', 3)];
const definition: PathwayDefinition = {
  title: 'P',
  description: 'P',
  destination: 'dest',
  requirements: {
    type: 'allOf',
    key: 'root',
    of: [
      { type: 'component', key: 'a', component: { achievementId: 'a' } },
      {
        type: 'anyOf',
        key: 'pick',
        n: 1,
        of: [
          { type: 'component', key: 'b', component: { achievementId: 'b' } },
          { type: 'component', key: 'f', component: { foreignId: 'https://harbor.example/1', name: 'Harbor' } },
        ],
      },
      {
        type: 'credits',
        key: 'sum',
        min: 3,
        unit: 'ECTS',
        of: [
          { type: 'component', key: 'c', component: { achievementId: 'c' } },
          { type: 'component', key: 'd', component: { achievementId: 'd' } },
        ],
      },
    ],
  },
  recognition: [
    { component: 'c', by: 'achievement', achievementId: 'https://elsewhere.example/c' },
    { component: 'd', by: 'alignment', skills: ['esco:1', 'esco:2'], minEqfLevel: 5 },
  ],
  prerequisites: [],
  offRamps: [{ node: 'sum', achievementId: 'b' }],
};
const version: VersionToEvaluate = { definition, facts: catalog, achievementUrlPrefix: prefix };
const achievement = (id: string) => catalog.find((f) => f.achievementId === id);

// Learners with a mix of what counts, what matches but does not count, and what the version cannot count at all.
function learnersOf(n: number): LearnerHoldings[] {
  const pick = <T>(i: number, values: T[]) => values[i % values.length]!;
  return Array.from({ length: n }, (_, l) => {
    const holdings: HeldCredential[] = [];
    const add = (over: Partial<HeldCredential>) =>
      holdings.push({
        holdingId: `h-${l}-${holdings.length}`,
        name: `Held “${l}”\t${holdings.length}`,
        issuer: { id: 'did:web:x', name: pick(l, ['X', null]) },
        status: 'active',
        achievementId: null,
        achievementUrl: null,
        skills: [],
        eqfLevel: null,
        ectsCredits: null,
        workloadHours: null,
        issuedAt: `2026-0${1 + (l % 9)}-01T00:00:00Z`,
        issuerAccepted: true,
        ...over,
      });
    if (l % 2 === 0) add({ achievementId: 'a', ectsCredits: 2 });
    if (l % 3 === 0) add({ achievementId: 'b', status: pick(l, ['active', 'revoked', 'expired']) });
    if (l % 5 === 1) add({ achievementUrl: 'https://harbor.example/1', issuerAccepted: l % 10 === 1 });
    if (l % 4 !== 3) add({ achievementUrl: `${prefix}c/versions/2`, ectsCredits: 1 });
    if (l % 7 === 0) add({ achievementUrl: 'https://elsewhere.example/c', ectsCredits: 1.5 });
    if (l % 3 !== 2)
      add({ skills: ['esco:1', 'esco:2', 'x "quoted", {braced}\\'], eqfLevel: 4 + (l % 4), ectsCredits: 2 });
    add({ achievementUrl: 'https://unrelated.example/z', skills: ['esco:9'] });
    return { learner: `learner-${l}`, holdings };
  });
}

function direct(learners: LearnerHoldings[]): LearnerOutcome[] {
  return learners.map(({ learner, holdings }) => {
    const { progress } = evaluate({ definition, holdings, achievement, achievementUrlPrefix: prefix });
    const offRamps = progress.offRamps.filter((r) => r.complete).map((r) => r.node);
    return {
      learner,
      complete: progress.complete,
      satisfied: progress.satisfied.length,
      offRamps,
      // What an award's job key names: the satisfying holdings, for complete pathways and off-ramps only.
      ...(progress.complete || offRamps.length
        ? { holdings: [...new Set(progress.satisfied.map((s) => s.holding.holdingId))].sort() }
        : {}),
    };
  });
}

/** A source over learners in memory, in pages; each page in the form `form` gives. */
function memorySource(learners: LearnerHoldings[], form: (page: LearnerHoldings[]) => ReevaluationPage) {
  const written: LearnerOutcome[] = [];
  return {
    written,
    async read(after: string | null, limit: number) {
      const from = after === null ? 0 : Number(after);
      const page = learners.slice(from, from + limit);
      return { page: form(page), next: from + limit < learners.length ? String(from + limit) : null };
    },
    async write(outcomes: LearnerOutcome[]) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      written.push(...outcomes);
    },
  };
}

/** The COPY text format PostgreSQL writes for rows of the bench table's columns (what `tsv` pages carry). */
function copyText(learners: LearnerHoldings[]): Uint8Array {
  const field = (v: string | number | boolean | null) =>
    v === null
      ? '\\N'
      : typeof v === 'boolean'
        ? v
          ? 't'
          : 'f'
        : String(v).replace(/[\\\t\n\r]/g, (c) =>
            c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
          );
  const array = (values: string[]) =>
    `{${values.map((v) => (/^[a-z0-9:.]+$/i.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
  const lines = learners.flatMap(({ learner, holdings }) =>
    holdings.map((h) =>
      [
        learner,
        h.holdingId,
        h.name,
        ['active', 'expired', 'revoked', 'suspended', 'unverified'].indexOf(h.status),
        h.achievementId,
        h.achievementUrl,
        array(h.skills),
        h.eqfLevel,
        h.ectsCredits,
        h.workloadHours,
        h.issuedAt,
        h.issuerAccepted,
        h.issuer.id,
        h.issuer.name,
      ]
        .map((v) => field(v as string | number | boolean | null))
        .join('\t'),
    ),
  );
  return new TextEncoder().encode(lines.map((l) => `${l}\n`).join(''));
}

describe('reevaluate', () => {
  const learners = learnersOf(230);
  const expected = direct(learners);
  const byLearner = (outcomes: LearnerOutcome[]) => [...outcomes].sort((a, b) => a.learner.localeCompare(b.learner));

  it('gives every learner the outcome evaluate gives, on this thread, in pages', async () => {
    const source = memorySource(learners, (page) => ({ learners: page }));
    const result = await reevaluate(version, source, { pageSize: 50, threads: 0 });
    expect(result).toMatchObject({ learners: 230, pages: 5 });
    expect(result.complete).toBe(expected.filter((o) => o.complete).length);
    expect(result.complete).toBeGreaterThan(0);
    expect(result.complete).toBeLessThan(230);
    expect(byLearner(source.written)).toEqual(byLearner(expected));
  });

  it('gives the same outcomes on threads, from pages as compact JSON or as COPY text', async () => {
    for (const form of [
      (page: LearnerHoldings[]) => ({ encoded: encodePage(page) }),
      (page: LearnerHoldings[]) => ({ tsv: copyText(page) }),
    ]) {
      const source = memorySource(learners, form);
      const result = await reevaluate(version, source, { pageSize: 40, threads: 2 });
      expect(result.learners).toBe(230);
      expect(byLearner(source.written)).toEqual(byLearner(expected));
    }
  });

  it('decodes both compact forms back to the holdings', () => {
    const page = learners.slice(0, 20);
    expect(decodePage({ encoded: encodePage(page) })).toEqual(page);
    expect(decodePage({ tsv: copyText(page) })).toEqual(page);
    expect(parseTextArray('{}')).toEqual([]);
    expect(parseTextArray('{a,NULL,"b,c","d\\"e",f}')).toEqual(['a', 'b,c', 'd"e', 'f']);
  });

  it('fails with the first error of a page, and stops reading', async () => {
    let reads = 0;
    const source = {
      async read(after: string | null) {
        reads++;
        return { page: { encoded: '[["x", [["h"' }, next: String(Number(after ?? 0) + 1) };
      },
      async write() {},
    };
    await expect(reevaluate(version, source, { threads: 0 })).rejects.toThrow(SyntaxError);
    expect(reads).toBeLessThan(5);
  });

  it('leaves out exactly the holdings that change nothing (countable)', () => {
    const keys = countable(version);
    expect(keys.achievementIds).toEqual(['a', 'b', 'c', 'd', 'https://elsewhere.example/c']);
    expect(keys.skills).toEqual(['esco:1', 'esco:2']);
    const filtered = learners.map((l) => ({ ...l, holdings: l.holdings.filter(keys.mayCount) }));
    expect(filtered.every((l, i) => l.holdings.length === learners[i]!.holdings.length - 1)).toBe(true);
    for (const [i, l] of filtered.entries()) {
      const all = evaluate({ definition, holdings: learners[i]!.holdings, achievement, achievementUrlPrefix: prefix });
      const some = evaluate({ definition, holdings: l.holdings, achievement, achievementUrlPrefix: prefix });
      expect(some.progress).toEqual(all.progress);
    }
  });
});
