import { describe, expect, it } from 'vitest';
import { canonize } from 'rdf-canonize';
import type { Quad } from './fast-rdf.js';
import { CanonicalizationLimit, canonizeDataset, describeBlankNodes } from './rdfc.js';

const iri = (value: string) => ({ termType: 'NamedNode' as const, value });
const blank = (value: string) => ({ termType: 'BlankNode' as const, value });
const text = (value: string, language?: string) => ({
  termType: 'Literal' as const,
  value,
  datatype: iri(
    language ? 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' : 'http://www.w3.org/2001/XMLSchema#string',
  ),
  ...(language ? { language } : {}),
});
const dg = { termType: 'DefaultGraph' as const, value: '' as const };
const quad = (subject: Quad['subject'], p: string, object: Quad['object'], graph: Quad['graph'] = dg): Quad => ({
  subject,
  predicate: iri(p),
  object,
  graph,
});
const reference = (quads: Quad[]) => canonize(quads, { algorithm: 'RDFC-1.0', format: 'application/n-quads' });

describe('RDFC-1.0', () => {
  it('labels blank nodes with unique first-degree hashes and escapes literals and IRIs', async () => {
    const quads = [
      quad(blank('x'), 'https://e.org/name', text('tab\there "quoted" \\ back\u0001 é 😀')),
      quad(blank('x'), 'https://e.org/alt', text('bonjour', 'fr')),
      quad(blank('y'), 'https://e.org/knows', blank('x')),
      quad(iri('https://e.org/a<b>'), 'https://e.org/p', blank('y')),
      quad(blank('y'), 'https://e.org/in', iri('https://e.org/g'), blank('g')),
    ];
    expect(canonizeDataset(quads)).toBe(await reference(quads));
  });

  it('tells look-alike blank nodes apart with the n-degree hash (a star, twins)', async () => {
    const star: Quad[] = [];
    for (let i = 0; i < 5; i++) {
      star.push(quad(iri('https://e.org/hub'), 'https://e.org/alignment', blank(`s${i}`)));
      star.push(quad(blank(`s${i}`), 'https://e.org/type', iri('https://e.org/Alignment')));
    }
    const twins = [
      quad(blank('t1'), 'https://e.org/p', text('same')),
      quad(blank('t2'), 'https://e.org/p', text('same')),
      quad(iri('https://e.org/s'), 'https://e.org/has', blank('t1')),
      quad(iri('https://e.org/s'), 'https://e.org/has', blank('t2')),
    ];
    const nested: Quad[] = [];
    for (let i = 0; i < 3; i++) {
      nested.push(quad(iri('https://e.org/subject'), 'https://e.org/result', blank(`x${i}`)));
      nested.push(quad(blank(`x${i}`), 'https://e.org/description', blank(`y${i}`)));
      nested.push(quad(blank(`y${i}`), 'https://e.org/value', text('85')));
    }
    for (const dataset of [star, twins, nested, [...star, ...twins]]) {
      expect(canonizeDataset(dataset)).toBe(await reference(dataset));
    }
  });

  it('stops where rdf-canonize stops: a ring of look-alikes needs more deep iterations than allowed', async () => {
    const ring: Quad[] = [];
    for (let i = 0; i < 6; i++) ring.push(quad(blank(`r${i}`), 'https://e.org/next', blank(`r${(i + 1) % 6}`)));
    await expect(reference(ring)).rejects.toThrow(/deep iterations/);
    expect(() => canonizeDataset(ring)).toThrow(CanonicalizationLimit);
  });

  it('takes what is known of blank nodes from a part seen before and gives the same N-Quads', async () => {
    // The part: an achievement with look-alike alignments (n-degree hashing) and one nested blank node.
    const part = [
      ...[0, 1, 2].flatMap((i) => [
        quad(iri('https://e.org/a'), 'https://e.org/alignment', blank(`p${i}`)),
        quad(blank(`p${i}`), 'https://e.org/code', text(i === 2 ? 'other' : 'same')),
      ]),
      quad(iri('https://e.org/a'), 'https://e.org/criteria', blank('p3')),
      quad(blank('p3'), 'https://e.org/narrative', text('Pass the test')),
      quad(blank('p3'), 'https://e.org/detail', blank('p4')),
      quad(blank('p4'), 'https://e.org/note', text('nested')),
    ];
    const known = describeBlankNodes(part);
    expect(known.get('p0')!.lines).toEqual(['<https://e.org/code> "same" .\n']);
    expect(known.get('p3')!.lines).toBeUndefined(); // it links to another blank node
    for (let n = 0; n < 3; n++) {
      const dataset = [
        quad(iri(`urn:uuid:${n}`), 'https://e.org/subject', blank('s')),
        quad(blank('s'), 'https://e.org/achievement', iri('https://e.org/a')),
        quad(blank('s'), 'https://e.org/code', text(n === 1 ? 'same' : `learner ${n}`)),
        ...part,
      ];
      const expected = await reference(dataset);
      expect(canonizeDataset(dataset, known)).toBe(expected);
      expect(canonizeDataset(dataset)).toBe(expected);
    }
  });

  it('remembers first-degree hashes across datasets without mixing up blank nodes that differ', async () => {
    // One achievement's alignments recur from credential to credential; one differs by a character, and the
    // recipient differs every time. Past the memo's bound, the results stay the same.
    const credential = (n: number, code: string) => [
      quad(iri(`urn:uuid:${n}`), 'https://e.org/subject', blank('s')),
      quad(blank('s'), 'https://e.org/identity', text(`learner${n}@example.org`)),
      quad(blank('s'), 'https://e.org/achievement', iri('https://e.org/a')),
      ...[0, 1, 2].flatMap((i) => [
        quad(iri('https://e.org/a'), 'https://e.org/alignment', blank(`a${i}`)),
        quad(blank(`a${i}`), 'https://e.org/code', text(i === 2 ? code : `skill-${i}`)),
      ]),
    ];
    for (let n = 0; n < 5000; n++) {
      const dataset = credential(n, n % 2 ? 'skill-2' : 'skill-2\u00a0');
      if (n < 20 || n % 500 === 0) expect(canonizeDataset(dataset)).toBe(await reference(dataset));
      else canonizeDataset(dataset);
    }
  });
});
