import { createHash, hash as oneShotHash } from 'node:crypto';
import type { Quad } from './rdf-terms.js';

/**
 * RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) to canonical N-Quads, complete: first-degree
 * hashes for every blank node and, for blank nodes that look alike, the Hash N-Degree Quads algorithm with
 * the same permutation order, pruning and deep-iteration limit as rdf-canonize (the reference the
 * differential test compares it with). Serialization escapes exactly as rdf-canonize's N-Quads writer.
 */

const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

// eslint-disable-next-line no-control-regex -- N-Quads escapes control characters
const literalEscape = /[\u0000-\u001F\u007F"\\]/g;
// eslint-disable-next-line no-control-regex -- N-Quads escapes control characters
const iriEscape = /[\u0000-\u0020<>"{}|^`\\]/g;
const echar: Record<string, string> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};
const uchar = (c: string) => echar[c] ?? '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
const iriUchar = (c: string) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

function escapeLiteral(s: string): string {
  literalEscape.lastIndex = 0;
  return literalEscape.test(s) ? s.replace(literalEscape, uchar) : s;
}

/**
 * IRIs as N-Quads writes them, `<…>` with escapes, by IRI. Predicates, types, datatypes and an issuer's ids
 * repeat in every document, and handing out the same string each time matters beyond the escaping: strings
 * built by concatenation are ropes, which V8 walks again on every hash and comparison (a subject is a key of
 * the serializer's map and every line is compared when sorted). Bounded: emptied when full.
 */
const bracketedIris = new Map<string, string>();
const bracketedIriLimit = 4096;

function bracketIri(iri: string): string {
  let bracketed = bracketedIris.get(iri);
  if (bracketed === undefined) {
    iriEscape.lastIndex = 0;
    bracketed = `<${iriEscape.test(iri) ? iri.replace(iriEscape, iriUchar) : iri}>`;
    if (bracketedIris.size >= bracketedIriLimit) bracketedIris.clear();
    bracketedIris.set(iri, bracketed);
  }
  return bracketed;
}

/** Orders strings by UTF-16 code units, as RDFC-1.0 and JSON-LD sort (and `Array.prototype.sort` without a comparator). */
export const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A quad pre-serialized: fixed text for non-blank terms, the label for blank ones. */
interface Prepared {
  s: string;
  sBlank: boolean;
  p: string;
  o: string;
  oBlank: boolean;
  /** '' for the default graph. */
  g: string;
  gBlank: boolean;
  predicateIri: string;
}

function prepare(quad: Quad): Prepared {
  const { subject, predicate, object, graph } = quad;
  let o: string;
  if (object.termType === 'NamedNode') o = bracketIri(object.value);
  else if (object.termType === 'BlankNode') o = object.value;
  else {
    o = `"${escapeLiteral(object.value)}"`;
    if (object.datatype.value === RDF_LANGSTRING) {
      if (object.language) o += `@${object.language}`;
    } else if (object.datatype.value !== XSD_STRING) o += `^^${bracketIri(object.datatype.value)}`;
  }
  return {
    s: subject.termType === 'NamedNode' ? bracketIri(subject.value) : subject.value,
    sBlank: subject.termType === 'BlankNode',
    p: bracketIri(predicate.value),
    o,
    oBlank: object.termType === 'BlankNode',
    g: graph.termType === 'DefaultGraph' ? '' : graph.termType === 'NamedNode' ? bracketIri(graph.value) : graph.value,
    gBlank: graph.termType === 'BlankNode',
    predicateIri: predicate.value,
  };
}

/** A quad's line after its subject. */
function restOf(q: Prepared, label: (blank: string) => string): string {
  const o = q.oBlank ? `_:${label(q.o)}` : q.o;
  const g = q.g === '' ? '' : q.gBlank ? ` _:${label(q.g)}` : ` ${q.g}`;
  return `${q.p} ${o}${g} .\n`;
}

function line(q: Prepared, label: (blank: string) => string): string {
  return `${q.sBlank ? `_:${label(q.s)}` : q.s} ${restOf(q, label)}`;
}

const sha256 = (parts: string[]) => {
  if (parts.length === 1) return oneShotHash('sha256', parts[0]!, 'hex');
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex');
};

/**
 * First-degree hashes by the text hashed. Blank nodes of a shared part recur unchanged from one credential to
 * the next (the alignments and criteria of an achievement issued to a whole cohort, or verified for every
 * candidate), and looking up their text costs a fraction of hashing it again. Bounded: emptied when full.
 */
const firstDegreeHashes = new Map<string, string>();
const firstDegreeHashLimit = 4096;

class IdentifierIssuer {
  readonly existing: Map<string, string>;
  counter: number;
  constructor(
    readonly prefix: string,
    existing = new Map<string, string>(),
    counter = 0,
  ) {
    this.existing = existing;
    this.counter = counter;
  }
  clone(): IdentifierIssuer {
    return new IdentifierIssuer(this.prefix, new Map(this.existing), this.counter);
  }
  getId(old: string): string {
    let id = this.existing.get(old);
    if (id === undefined) {
      id = `${this.prefix}${this.counter++}`;
      this.existing.set(old, id);
    }
    return id;
  }
  has(old: string): boolean {
    return this.existing.has(old);
  }
}

/** Permutations in rdf-canonize's order (Steinhaus–Johnson–Trotter from the sorted list). */
function* permutations(list: string[]): Generator<string[]> {
  const current = [...list].sort();
  const left = new Map(current.map((e) => [e, true]));
  for (;;) {
    yield current.slice();
    let k: string | null = null;
    let pos = 0;
    for (let i = 0; i < current.length; i++) {
      const element = current[i]!;
      const isLeft = left.get(element)!;
      if (
        (k === null || element > k) &&
        ((isLeft && i > 0 && element > current[i - 1]!) ||
          (!isLeft && i < current.length - 1 && element > current[i + 1]!))
      ) {
        k = element;
        pos = i;
      }
    }
    if (k === null) return;
    const swap = left.get(k) ? pos - 1 : pos + 1;
    current[pos] = current[swap]!;
    current[swap] = k;
    for (const element of current) if (element > k) left.set(element, !left.get(element));
  }
}

export class CanonicalizationLimit extends Error {}

/**
 * What is known of a blank node before canonicalizing a dataset: its first-degree hash and, when none of its
 * quads mentions another blank node or a named graph, the sorted rest of its lines after the subject.
 */
export interface KnownBlankNode {
  hash: string;
  lines?: readonly string[];
}

class Canonicalizer {
  private readonly quadsOf = new Map<string, Prepared[]>();
  private readonly firstDegree = new Map<string, string>();
  private readonly canonical = new IdentifierIssuer('c14n');
  private remainingDeep = 0;

  constructor(
    private readonly quads: Prepared[],
    private readonly known: ReadonlyMap<string, KnownBlankNode> = new Map(),
  ) {
    for (const q of quads) {
      if (q.sBlank) this.note(q.s, q);
      if (q.oBlank) this.note(q.o, q);
      if (q.gBlank) this.note(q.g, q);
    }
  }

  private note(blank: string, q: Prepared): void {
    const list = this.quadsOf.get(blank);
    if (!list) this.quadsOf.set(blank, [q]);
    else if (list[list.length - 1] !== q) list.push(q);
  }

  run(): string {
    const byHash = new Map<string, string[]>();
    for (const blank of this.quadsOf.keys()) {
      const known = this.known.get(blank)?.hash;
      if (known !== undefined) this.firstDegree.set(blank, known);
      const hash = known ?? this.hashFirstDegree(blank);
      const list = byHash.get(hash);
      if (list) list.push(blank);
      else byHash.set(hash, [blank]);
    }
    const nonUnique: string[][] = [];
    for (const hash of [...byHash.keys()].sort()) {
      const list = byHash.get(hash)!;
      if (list.length > 1) nonUnique.push(list);
      else this.canonical.getId(list[0]!);
    }
    // rdf-canonize's default work factor 1: at most (number of look-alike blank nodes)^1 deep iterations.
    this.remainingDeep = nonUnique.reduce((n, list) => n + list.length, 0);
    for (const list of nonUnique) {
      const results: { hash: string; issuer: IdentifierIssuer }[] = [];
      for (const blank of list) {
        if (this.canonical.has(blank)) continue;
        const issuer = new IdentifierIssuer('b');
        issuer.getId(blank);
        results.push(this.hashNDegree(blank, issuer));
      }
      results.sort((a, b) => compareCodeUnits(a.hash, b.hash));
      for (const result of results) for (const old of result.issuer.existing.keys()) this.canonical.getId(old);
    }
    return this.serialize();
  }

  /**
   * The canonical N-Quads: lines grouped by subject, subjects in order, then each subject's lines in order.
   * That is the order of the whole lines (a subject never holds a space, which sorts before anything that
   * could continue one), and known blank nodes bring their lines already sorted.
   */
  private serialize(): string {
    const label = (blank: string) => this.canonical.getId(blank);
    // By the subject as prepared (an IRI in brackets or a blank node's label): one string per subject.
    const bySubject = new Map<string, { subject: string; lines: string[]; sorted: boolean }>();
    for (const [blank, known] of this.known) {
      if (known.lines && this.quadsOf.has(blank)) {
        bySubject.set(blank, { subject: `_:${label(blank)}`, lines: known.lines as string[], sorted: true });
      }
    }
    for (const q of this.quads) {
      const group = bySubject.get(q.s);
      if (group === undefined) {
        bySubject.set(q.s, { subject: q.sBlank ? `_:${label(q.s)}` : q.s, lines: [restOf(q, label)], sorted: false });
      } else if (!group.sorted) group.lines.push(restOf(q, label));
    }
    const groups = [...bySubject.values()].sort((a, b) => compareCodeUnits(a.subject, b.subject));
    let out = '';
    for (const group of groups) {
      if (!group.sorted) group.lines.sort();
      const subject = `${group.subject} `;
      for (const rest of group.lines) out += subject + rest;
    }
    return out;
  }

  /** What canonicalizing would find out about each blank node on its own (see KnownBlankNode). */
  describe(): Map<string, KnownBlankNode> {
    const described = new Map<string, KnownBlankNode>();
    for (const [blank, quads] of this.quadsOf) {
      const own = quads.filter((q) => q.sBlank && q.s === blank);
      const simple = own.every((q) => !q.oBlank && q.g === '');
      described.set(blank, {
        hash: this.hashFirstDegree(blank),
        ...(simple ? { lines: own.map((q) => restOf(q, (b) => b)).sort() } : {}),
      });
    }
    return described;
  }

  private hashFirstDegree(blank: string): string {
    const lines = this.quadsOf.get(blank)!.map((q) => line(q, (b) => (b === blank ? 'a' : 'z')));
    lines.sort();
    const text = lines.join('');
    let hash = firstDegreeHashes.get(text);
    if (hash === undefined) {
      hash = sha256([text]);
      if (firstDegreeHashes.size >= firstDegreeHashLimit) firstDegreeHashes.clear();
      firstDegreeHashes.set(text, hash);
    }
    this.firstDegree.set(blank, hash);
    return hash;
  }

  private hashRelated(related: string, q: Prepared, issuer: IdentifierIssuer, position: 's' | 'o' | 'g'): string {
    const id = this.canonical.has(related)
      ? '_:' + this.canonical.getId(related)
      : issuer.has(related)
        ? '_:' + issuer.getId(related)
        : this.firstDegree.get(related)!;
    return sha256([position === 'g' ? position + id : `${position}<${q.predicateIri}>${id}`]);
  }

  private hashNDegree(blank: string, start: IdentifierIssuer): { hash: string; issuer: IdentifierIssuer } {
    if (this.remainingDeep === 0) throw new CanonicalizationLimit('Maximum deep iterations exceeded.');
    this.remainingDeep--;
    let issuer = start;
    const hashToRelated = new Map<string, string[]>();
    const add = (related: string, q: Prepared, position: 's' | 'o' | 'g') => {
      if (related === blank) return;
      const hash = this.hashRelated(related, q, issuer, position);
      const list = hashToRelated.get(hash);
      if (list) list.push(related);
      else hashToRelated.set(hash, [related]);
    };
    for (const q of this.quadsOf.get(blank)!) {
      if (q.sBlank) add(q.s, q, 's');
      if (q.oBlank) add(q.o, q, 'o');
      if (q.gBlank) add(q.g, q, 'g');
    }
    const parts: string[] = [];
    for (const hash of [...hashToRelated.keys()].sort()) {
      parts.push(hash);
      let chosenPath = '';
      let chosenIssuer: IdentifierIssuer | undefined;
      for (const permutation of permutations(hashToRelated.get(hash)!)) {
        let copy = issuer.clone();
        let path = '';
        const recursion: string[] = [];
        let skip = false;
        for (const related of permutation) {
          if (this.canonical.has(related)) path += '_:' + this.canonical.getId(related);
          else {
            if (!copy.has(related)) recursion.push(related);
            path += '_:' + copy.getId(related);
          }
          if (chosenPath.length !== 0 && path > chosenPath) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        for (const related of recursion) {
          const result = this.hashNDegree(related, copy);
          path += '_:' + copy.getId(related);
          path += `<${result.hash}>`;
          copy = result.issuer;
          if (chosenPath.length !== 0 && path > chosenPath) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (chosenPath.length === 0 || path < chosenPath) {
          chosenPath = path;
          chosenIssuer = copy;
        }
      }
      parts.push(chosenPath);
      issuer = chosenIssuer!;
    }
    return { hash: sha256([parts.join('')]), issuer };
  }
}

/**
 * The canonical N-Quads of a dataset (RDFC-1.0 with SHA-256). `known` holds what `describeBlankNodes` found
 * for blank nodes whose quads are all in a part seen before (by label, without `_:`).
 */
export function canonizeDataset(quads: Quad[], known?: ReadonlyMap<string, KnownBlankNode>): string {
  return new Canonicalizer(quads.map(prepare), known).run();
}

/** For each blank node of a dataset: what canonicalizing a dataset that holds all of its quads would need. */
export function describeBlankNodes(quads: Quad[]): Map<string, KnownBlankNode> {
  return new Canonicalizer(quads.map(prepare)).describe();
}
