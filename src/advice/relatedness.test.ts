import { describe, expect, it } from 'vitest';
import { loadBundledDataset } from '../skills/bundle.js';
import {
  buildSkillSpace,
  closeness,
  closenessAll,
  evaluate,
  proximities,
  proximity,
  rankOccupations,
} from './relatedness.js';

describe('skill relatedness (SkillScape)', () => {
  it('relates skills the same occupations use, normalised by the more widely used one', () => {
    const space = buildSkillSpace(
      [
        { occupation: 'o1', skill: 'a', relation: 'essential' },
        { occupation: 'o1', skill: 'b', relation: 'essential' },
        { occupation: 'o2', skill: 'a', relation: 'essential' },
        { occupation: 'o2', skill: 'c', relation: 'essential' },
        { occupation: 'o3', skill: 'd', relation: 'essential' },
        { occupation: 'o3', skill: 'e', relation: 'essential' },
        { occupation: 'o4', skill: 'e', relation: 'essential' },
        { occupation: 'o4', skill: 'f', relation: 'essential' },
      ],
      ['o1', 'o2', 'o3', 'o4'].map((code) => ({ code, name: code, framework: 'T', group: code })),
    );
    const near = proximity(space, ['b']);
    // b is used by o1 only; a by o1 and o2: θ(a, b) = 1 / max(1, 2) = ½. Unrelated d: 0.
    expect(near.get('b')).toBe(1);
    expect(near.get('a')).toBe(0.5);
    expect(near.get('d')).toBeUndefined();
    expect(rankOccupations(space, ['b'])[0]!.code).toBe('o1');
    expect(rankOccupations(space, ['b']).at(-1)!.score).toBe(0);
  });

  it('on the bundled ESCO subset: an occupation ranks first from its own essential skills (≥ 95%), and same ISCO unit group ranks above other groups more often than with Jaccard', () => {
    const d = loadBundledDataset('esco-ict');
    const space = buildSkillSpace(
      d.links,
      d.occupations.map((o) => ({ code: o.code, name: o.name, framework: o.framework, group: o.group })),
    );
    const skillscape = evaluate(space, 'ESCO', 'skillscape');
    const overlap = evaluate(space, 'ESCO', 'jaccard');
    console.log(
      `SkillScape: self-rank ${(skillscape.selfRank * 100).toFixed(1)}%, same group above ${(skillscape.sameGroupAbove * 100).toFixed(2)}%; ` +
        `Jaccard: self-rank ${(overlap.selfRank * 100).toFixed(1)}%, same group above ${(overlap.sameGroupAbove * 100).toFixed(2)}% ` +
        `(${skillscape.occupations} occupations, ${skillscape.pairs} pairs)`,
    );
    expect(skillscape.occupations).toBe(91);
    // The sparse walk over all occupations gives the same numbers as one occupation at a time.
    const held = d.links.slice(0, 40).map((l) => l.skill);
    const near = proximities(space, held);
    const all = closenessAll(space, near);
    for (const code of space.occupations.keys()) {
      const one = closeness(space, near, code);
      expect(all.get(code)?.score ?? 0).toBeCloseTo(one.score, 12);
    }
    expect(skillscape.selfRank).toBeGreaterThanOrEqual(0.95);
    expect(skillscape.sameGroupAbove).toBeGreaterThan(overlap.sameGroupAbove);
  });
});
