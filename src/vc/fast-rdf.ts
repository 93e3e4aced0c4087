import { bundledContexts } from './contexts.js';
import { isDeeplyFrozen } from './frozen.js';
import { compareCodeUnits, describeBlankNodes, type KnownBlankNode } from './rdfc.js';

/**
 * JSON-LD to RDF for documents whose contexts are all bundled: a port of the parts of the JSON-LD 1.1
 * expansion, node-map and to-RDF algorithms (as jsonld.js implements them) that credentials use, over
 * contexts compiled once and cached. Anything this does not handle exactly, or anything jsonld.js in safe
 * mode would warn about (and so refuse), makes it give up: the caller then takes the generic path, which
 * produces the same result or the same error. It never guesses.
 */

/** Thrown inside the fast path when the document needs the generic path. */
class Unsupported extends Error {}

function unsupported(why: string): never {
  throw new Unsupported(why);
}

export type { BlankNode, DefaultGraph, Literal, NamedNode, Quad } from './rdf-terms.js';
import type { BlankNode, DefaultGraph, Literal, NamedNode, Quad } from './rdf-terms.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_TYPE = `${RDF}type`;
const RDF_FIRST: NamedNode = { termType: 'NamedNode', value: `${RDF}first` };
const RDF_REST: NamedNode = { termType: 'NamedNode', value: `${RDF}rest` };
const RDF_NIL: NamedNode = { termType: 'NamedNode', value: `${RDF}nil` };
const RDF_LANGSTRING = `${RDF}langString`;
const XSD_BOOLEAN = `${XSD}boolean`;
const XSD_DOUBLE = `${XSD}double`;
const XSD_INTEGER = `${XSD}integer`;
const XSD_STRING = `${XSD}string`;
const DEFAULT_GRAPH: DefaultGraph = { termType: 'DefaultGraph', value: '' };

// jsonld.js's checks, verbatim.
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
const KEYWORD_LIKE = /^@[a-zA-Z]+$/;
const BCP47 = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const PREFIX_END = /[:/?#[\]@]$/;

const KEYWORDS = new Set([
  '@base',
  '@container',
  '@context',
  '@default',
  '@direction',
  '@embed',
  '@explicit',
  '@graph',
  '@id',
  '@import',
  '@included',
  '@index',
  '@json',
  '@language',
  '@list',
  '@nest',
  '@none',
  '@omitDefault',
  '@prefix',
  '@preserve',
  '@propagate',
  '@protected',
  '@requireAll',
  '@reverse',
  '@set',
  '@type',
  '@value',
  '@version',
  '@vocab',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------
// Compiled contexts.

interface TermDef {
  id: string | null;
  type?: string;
  container: readonly string[];
  /** Present when the definition sets @language (possibly to null). */
  language?: string | null;
  context?: unknown;
  protected: boolean;
  prefix: boolean;
  termHasColon: boolean;
}

class Ctx {
  terms: Map<string, TermDef>;
  vocab: string | undefined;
  previous: Ctx | undefined;
  /** Processed results of local contexts applied to this one, by local context and flags. */
  readonly derived = new Map<unknown, Ctx>();
  readonly derivedNoPropagate = new Map<unknown, Ctx>();
  readonly derivedOverride = new Map<unknown, Ctx>();
  /** Vocabulary-relative expansions of keys and types, once this context is complete. */
  readonly expanded = new Map<string, string | null>();

  constructor(terms: Map<string, TermDef>, vocab: string | undefined, previous: Ctx | undefined) {
    this.terms = terms;
    this.vocab = vocab;
    this.previous = previous;
  }

  clone(): Ctx {
    return new Ctx(new Map(this.terms), this.vocab, this.previous);
  }

  revert(): Ctx {
    return this.previous ?? this;
  }
}

const initialContext = new Ctx(new Map(), undefined, undefined);

/** Resolves a context reference to the context object(s) it stands for; only bundled URLs. */
function resolveContext(local: unknown): unknown[] {
  const list = Array.isArray(local) ? local : [local];
  const out: unknown[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      const document = bundledContexts.get(entry);
      if (!isObject(document) || !('@context' in document)) unsupported(`context ${entry} is not bundled`);
      const inner = document['@context'];
      for (const item of Array.isArray(inner) ? inner : [inner]) {
        if (typeof item === 'string') out.push(...resolveContext(item));
        else out.push(item);
      }
    } else if (isObject(entry)) {
      out.push('@context' in entry ? entry['@context'] : entry);
    } else {
      unsupported('a null or non-object context');
    }
  }
  return out;
}

/** The context processing algorithm (JSON-LD 1.1, 4.1), cached per active context and local context. */
function processContext(
  active: Ctx,
  local: unknown,
  cacheKey: unknown,
  options: { propagate: boolean; overrideProtected: boolean },
): Ctx {
  const cache = options.overrideProtected
    ? active.derivedOverride
    : options.propagate
      ? active.derived
      : active.derivedNoPropagate;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const contexts = resolveContext(local);
  const propagate = options.propagate;
  let result = active;
  if (!propagate && !result.previous) {
    result = result.clone();
    result.previous = active;
  }
  for (const context of contexts) {
    if (context === null) unsupported('a null context');
    if (!isObject(context)) unsupported('a context that is not an object');
    result = processLocal(result, context, options.overrideProtected);
  }
  if (contexts.length === 0) result = active;
  cache.set(cacheKey, result);
  return result;
}

function processLocal(active: Ctx, context: Record<string, unknown>, overrideProtected: boolean): Ctx {
  const result = active.clone();
  const defined = new Map<string, boolean>();
  for (const key of ['@base', '@language', '@direction', '@import', '@type', '@propagate']) {
    if (key in context) unsupported(`a context with ${key}`);
  }
  if ('@version' in context) {
    if (context['@version'] !== 1.1) unsupported('an unknown @version');
    defined.set('@version', true);
  }
  if ('@vocab' in context) {
    const value = context['@vocab'];
    if (value === null) result.vocab = undefined;
    else if (typeof value !== 'string') unsupported('a non-string @vocab');
    else {
      const vocab = expandIri(result, value, true, false);
      if (typeof vocab !== 'string' || !ABSOLUTE_IRI.test(vocab)) unsupported('a relative @vocab');
      result.vocab = vocab;
    }
    defined.set('@vocab', true);
  }
  // jsonld.js refuses a context whose @protected is present but not true (as a cyclical definition).
  if ('@protected' in context && context['@protected'] !== true) unsupported('@protected that is not true');
  defined.set('@protected', context['@protected'] === true);
  const env: DefineEnv = { context, defined, overrideProtected };
  for (const term of Object.keys(context)) {
    if (term === '@version' || term === '@vocab' || term === '@protected') continue;
    createTermDefinition(result, env, term);
  }
  return result;
}

interface DefineEnv {
  context: Record<string, unknown>;
  defined: Map<string, boolean>;
  overrideProtected: boolean;
}

function sameDefinition(a: TermDef, b: TermDef): boolean {
  return (
    a.id === b.id &&
    a.type === b.type &&
    a.container.length === b.container.length &&
    a.container.every((c, i) => c === b.container[i]) &&
    'language' in a === 'language' in b &&
    a.language === b.language &&
    a.context === b.context &&
    a.prefix === b.prefix &&
    a.termHasColon === b.termHasColon
  );
}

const TERM_KEYS = new Set(['@id', '@type', '@container', '@context', '@protected', '@language', '@prefix']);

function createTermDefinition(active: Ctx, env: DefineEnv, term: string): void {
  const { defined, context } = env;
  if (defined.has(term)) {
    if (defined.get(term)) return;
    unsupported('a cyclical context');
  }
  defined.set(term, false);
  let value = Object.prototype.hasOwnProperty.call(context, term) ? context[term] : undefined;
  if (KEYWORDS.has(term)) unsupported(`a context redefining ${term}`);
  if (KEYWORD_LIKE.test(term) || term === '') unsupported('a reserved term');
  const previous = active.terms.get(term);
  active.terms.delete(term);
  let simpleTerm = false;
  if (typeof value === 'string' || value === null) {
    simpleTerm = true;
    value = { '@id': value };
  }
  if (!isObject(value)) unsupported('a term definition that is not an object');
  for (const key of Object.keys(value)) if (!TERM_KEYS.has(key)) unsupported(`a term definition with ${key}`);
  const colon = term.indexOf(':');
  const def: TermDef = {
    id: null,
    container: [],
    protected: false,
    prefix: false,
    termHasColon: colon > 0,
  };
  let hasId = false;
  if ('@id' in value) {
    const id = value['@id'];
    if (id === null) {
      unsupported('a term mapped to null');
    } else if (typeof id !== 'string') {
      unsupported('a non-string @id');
    } else if (!KEYWORDS.has(id) && KEYWORD_LIKE.test(id)) {
      unsupported('a reserved @id');
    } else if (id !== term) {
      const expanded = expandIri(active, id, true, false, env);
      if (typeof expanded !== 'string' || (!ABSOLUTE_IRI.test(expanded) && !KEYWORDS.has(expanded))) {
        unsupported('a term that does not expand to an IRI');
      }
      if (/(?::[^:])|\//.test(term)) unsupported('a term that looks like an IRI');
      def.id = expanded;
      hasId = true;
      def.prefix = simpleTerm && !def.termHasColon && PREFIX_END.test(expanded);
    }
  }
  if (!hasId) {
    if (def.termHasColon) {
      const prefix = term.slice(0, colon);
      if (Object.prototype.hasOwnProperty.call(context, prefix)) createTermDefinition(active, env, prefix);
      const prefixDef = active.terms.get(prefix);
      def.id = prefixDef ? `${prefixDef.id}${term.slice(colon + 1)}` : term;
    } else {
      if (active.vocab === undefined) unsupported('a term without an IRI');
      def.id = active.vocab + term;
    }
  }
  if (value['@protected'] === true || (defined.get('@protected') === true && value['@protected'] !== false)) {
    def.protected = true;
  }
  defined.set(term, true);
  if ('@type' in value) {
    const type = value['@type'];
    if (typeof type !== 'string') unsupported('a non-string @type in a term definition');
    if (type === '@json' || type === '@none') def.type = type;
    else if (type === '@id' || type === '@vocab') def.type = type;
    else {
      const expanded = expandIri(active, type, true, false, env);
      if (typeof expanded !== 'string' || !ABSOLUTE_IRI.test(expanded) || expanded.startsWith('_:')) {
        unsupported('a term type that is not an IRI');
      }
      def.type = expanded;
    }
  }
  if ('@container' in value) {
    const raw = value['@container'];
    const container = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(container) || container.some((c) => typeof c !== 'string')) unsupported('a bad @container');
    for (const c of container as string[]) {
      if (c !== '@set' && c !== '@list' && c !== '@language' && c !== '@graph') {
        unsupported(`a ${c} container`);
      }
    }
    const list = container as string[];
    if (list.includes('@list') && list.length !== 1) unsupported('a bad @list container');
    if (!list.includes('@list') && !list.includes('@graph') && list.length > (list.includes('@set') ? 2 : 1)) {
      unsupported('a bad container');
    }
    def.container = list;
  }
  if ('@context' in value) def.context = value['@context'];
  if ('@language' in value && !('@type' in value)) {
    const language = value['@language'];
    if (language !== null && typeof language !== 'string') unsupported('a bad @language');
    def.language = language === null ? null : language.toLowerCase();
  }
  if ('@prefix' in value) {
    if (/:|\//.test(term) || typeof value['@prefix'] !== 'boolean' || KEYWORDS.has(def.id ?? '')) {
      unsupported('a bad @prefix');
    }
    def.prefix = value['@prefix'];
  }
  if (previous?.protected && !env.overrideProtected) {
    def.protected = true;
    if (!sameDefinition(previous, def)) unsupported('a protected term redefinition');
  }
  active.terms.set(term, def);
}

/** Vocabulary-relative IRI expansion against a finished context, remembered per context. */
function expandVocab(active: Ctx, value: string): string | null {
  let hit = active.expanded.get(value);
  if (hit === undefined && !active.expanded.has(value)) {
    hit = expandIri(active, value, true, false);
    if (active.expanded.size < 10_000) active.expanded.set(value, hit);
  }
  return hit ?? null;
}

/** IRI expansion (JSON-LD 1.1, 4.5) without @base: relative results are left relative for the caller. */
function expandIri(active: Ctx, value: string, vocab: boolean, _base: boolean, env?: DefineEnv): string | null {
  if (KEYWORDS.has(value)) return value;
  if (KEYWORD_LIKE.test(value)) return null;
  if (env && Object.prototype.hasOwnProperty.call(env.context, value) && env.defined.get(value) !== true) {
    createTermDefinition(active, env, value);
  }
  if (vocab) {
    const def = active.terms.get(value);
    if (def) return def.id;
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    if (prefix === '_' || suffix.startsWith('//')) return value;
    if (env && Object.prototype.hasOwnProperty.call(env.context, prefix)) createTermDefinition(active, env, prefix);
    const def = active.terms.get(prefix);
    if (def?.prefix) return `${def.id}${suffix}`;
    if (ABSOLUTE_IRI.test(value)) return value;
  }
  if (vocab && active.vocab !== undefined) return active.vocab + value;
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Expansion straight into a node map.

type Value =
  | { kind: 'ref'; id: string }
  | { kind: 'literal'; raw: string | number | boolean; type: string | undefined; language: string | undefined }
  | { kind: 'list'; items: Value[] }
  | { kind: 'graph'; id: string };

type Node = Map<string, Value[]>;
type Graph = Map<string, Node>;

/**
 * What expanding one node object did to the node map, in order, with the blank nodes it made numbered from
 * zero and the graph it was expanded into left open: enough to do it again without expanding.
 */
interface Recording {
  ops: Op[];
  blanks: number;
  result: string;
  /**
   * What canonicalization would work out for each blank node made, replayed into the default graph. Only
   * the recording's own quads can mention a blank node it made (bar the object itself, which its holder
   * links to), so this is the same in every document.
   */
  known?: (KnownBlankNode | undefined)[];
}

type Op =
  | { kind: 'node'; graph: string; id: string }
  | { kind: 'add'; graph: string; id: string; property: string; value: Value };

/** Stands for the graph a recorded node object was expanded into. */
const OPEN_GRAPH = '\u0000graph';

class Builder {
  readonly graphs = new Map<string, Graph>([['@default', new Map()]]);
  private counter = 0;
  /** Recordings under way (nested frozen objects record inside their parents' recordings). */
  private readonly recording: { ops: Op[]; firstBlank: number; graph: string }[] = [];
  private readonly placeOf = new Map<Node, { graph: string; id: string }>();
  /** Blank nodes (by label, without `_:`) whose first-degree hash and lines are known from a recording. */
  readonly known = new Map<string, KnownBlankNode>();

  constructor(private readonly learn = true) {}

  blank(): string {
    return `_:b${this.counter++}`;
  }

  node(graph: string, id: string): Node {
    let g = this.graphs.get(graph);
    if (!g) {
      g = new Map();
      this.graphs.set(graph, g);
    }
    let node = g.get(id);
    if (!node) {
      node = new Map();
      g.set(id, node);
    }
    if (this.recording.length) {
      this.placeOf.set(node, { graph, id });
      for (const r of this.recording) r.ops.push({ kind: 'node', graph, id });
    }
    return node;
  }

  add(node: Node, property: string, value: Value): void {
    addValue(node, property, value);
    if (this.recording.length) {
      const { graph, id } = this.placeOf.get(node)!;
      for (const r of this.recording) r.ops.push({ kind: 'add', graph, id, property, value });
    }
  }

  /** Runs `expand`, noting what it does to the node map as a recording relative to `graph`. */
  record(graph: string, expand: () => string): { result: string; recording: Recording | undefined } {
    const frame = { ops: [] as Op[], firstBlank: this.counter, graph };
    this.recording.push(frame);
    let result: string;
    try {
      result = expand();
    } finally {
      this.recording.pop();
    }
    const blanks = this.counter - frame.firstBlank;
    const local = (label: string): string | undefined => {
      if (label === graph) return OPEN_GRAPH;
      if (!label.startsWith('_:b')) return label;
      const n = Number(label.slice(3)) - frame.firstBlank;
      // A blank node made before this object (other than its graph) would tie the recording to this document.
      return n >= 0 && n < blanks ? `_:r${n}` : undefined;
    };
    const ops: Op[] = [];
    for (const op of frame.ops) {
      const g = local(op.graph);
      const id = local(op.id);
      if (g === undefined || id === undefined) return { result, recording: undefined };
      if (op.kind === 'node') ops.push({ kind: 'node', graph: g, id });
      else {
        const value = relabel(op.value, local);
        if (value === undefined) return { result, recording: undefined };
        ops.push({ kind: 'add', graph: g, id, property: op.property, value });
      }
    }
    const localResult = local(result);
    return { result, recording: localResult === undefined ? undefined : { ops, blanks, result: localResult } };
  }

  /** Does again what a recording did, into `graph`, with fresh blank nodes; returns the object's id. */
  replay(recording: Recording, graph: string): string {
    const fresh = Array.from({ length: recording.blanks }, () => this.blank());
    const actual = (label: string): string =>
      label === OPEN_GRAPH ? graph : label.startsWith('_:r') ? fresh[Number(label.slice(3))]! : label;
    for (const op of recording.ops) {
      const node = this.node(actual(op.graph), actual(op.id));
      if (op.kind === 'add') this.add(node, op.property, relabel(op.value, actual)!);
    }
    if (graph === '@default' && this.learn) {
      recording.known ??= knownBlankNodes(recording);
      recording.known.forEach((known, i) => known && this.known.set(fresh[i]!.slice(2), known));
    }
    return actual(recording.result);
  }
}

/** Canonicalization's view of a recording's blank nodes: the recording alone, replayed into the default graph. */
function knownBlankNodes(recording: Recording): (KnownBlankNode | undefined)[] {
  const b = new Builder(false);
  b.replay(recording, '@default');
  // Replayed first into an empty map, its blank nodes are b0, b1, … in the recording's order.
  const described = describeBlankNodes(toDataset(b));
  // The object itself, when blank, is also mentioned by whoever holds it: outside the recording.
  const own = recording.result.startsWith('_:r') ? Number(recording.result.slice(3)) : -1;
  return Array.from({ length: recording.blanks }, (_, i) => (i === own ? undefined : described.get(`b${i}`)));
}

function relabel(value: Value, map: (label: string) => string | undefined): Value | undefined {
  switch (value.kind) {
    case 'literal':
      return value;
    case 'ref':
    case 'graph': {
      if (!value.id.startsWith('_:')) return value;
      const id = map(value.id);
      return id === undefined ? undefined : { kind: value.kind, id };
    }
    case 'list': {
      const items: Value[] = [];
      for (const item of value.items) {
        const mapped = relabel(item, map);
        if (mapped === undefined) return undefined;
        items.push(mapped);
      }
      return { kind: 'list', items };
    }
  }
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'ref' && b.kind === 'ref') return a.id === b.id;
  if (a.kind === 'literal' && b.kind === 'literal') {
    return a.raw === b.raw && a.type === b.type && a.language === b.language;
  }
  return false;
}

function addValue(node: Node, property: string, value: Value): void {
  let values = node.get(property);
  if (!values) {
    values = [];
    node.set(property, values);
  }
  if (value.kind === 'ref' || value.kind === 'literal') {
    for (const v of values) if (sameValue(v, value)) return;
  }
  values.push(value);
}

// Properties, types and ids recur from one document to the next: remember a bounded number that passed.
const checkedIris = new Set<string>();

function checkIri(iri: string | null): string {
  if (iri !== null && checkedIris.has(iri)) return iri;
  if (iri === null || !ABSOLUTE_IRI.test(iri) || iri.startsWith('_:')) unsupported(`a relative or blank IRI (${iri})`);
  if (checkedIris.size >= 10_000) checkedIris.clear();
  checkedIris.add(iri);
  return iri;
}

/** Applies, in jsonld.js's order, the contexts in effect for a node object; returns them. */
function nodeContexts(
  active: Ctx,
  activeProperty: string | null,
  element: Record<string, unknown>,
  keys: string[],
): { ctx: Ctx; typeScoped: Ctx } {
  const propertyScoped = activeProperty === null ? undefined : active.terms.get(activeProperty)?.context;
  let ctx = active;
  let mustRevert = true;
  if (ctx.previous && keys.length <= 2 && !keys.includes('@context')) {
    for (const key of keys) {
      const expanded = expandVocab(ctx, key);
      if (expanded === '@value') unsupported('a value object');
      if (expanded === '@id' && keys.length === 1) {
        mustRevert = false;
        break;
      }
    }
  }
  if (mustRevert) ctx = ctx.revert();
  if (propertyScoped !== undefined) {
    ctx = processContext(ctx, propertyScoped, propertyScoped, { propagate: true, overrideProtected: true });
  }
  if ('@context' in element) {
    const local = element['@context'];
    const key = typeof local === 'string' ? local : JSON.stringify(local);
    ctx = processContext(ctx, local, key, { propagate: true, overrideProtected: false });
  }
  const typeScoped = ctx;
  for (const key of keys) {
    if (expandVocab(ctx, key) !== '@type') continue;
    const value = element[key];
    const types = Array.isArray(value) ? (value.length > 1 ? [...value].sort() : value) : [value];
    for (const type of types) {
      if (typeof type !== 'string') unsupported('a non-string type');
      const scoped = typeScoped.terms.get(type)?.context;
      if (scoped !== undefined) {
        ctx = processContext(ctx, scoped, scoped, { propagate: false, overrideProtected: false });
      }
    }
  }
  return { ctx, typeScoped };
}

// ---------------------------------------------------------------------------------------------------------
// Frozen parts shared between documents.
//
// A deeply frozen node object cannot change, and its expansion depends only on it, the active context and
// the active property. So the second time one is expanded, what it does to the node map is recorded, and
// from the third time on that is replayed. Bulk issuance freezes what a batch shares (the achievement), and
// then expands it once or twice per batch instead of once per credential.

type Memo = Map<Ctx, Map<string | null, Recording | 'seen' | 'unrecordable'>>;
const expansions = new WeakMap<object, Memo>();

/** Expands a node object into the node map; returns its id (an IRI or a blank node label). */
function expandNode(
  b: Builder,
  graph: string,
  active: Ctx,
  activeProperty: string | null,
  element: Record<string, unknown>,
): string {
  if (!Object.isFrozen(element) || !isDeeplyFrozen(element))
    return expandNodeNow(b, graph, active, activeProperty, element);
  let memo = expansions.get(element);
  if (!memo) expansions.set(element, (memo = new Map()));
  let byProperty = memo.get(active);
  if (!byProperty) memo.set(active, (byProperty = new Map()));
  const known = byProperty.get(activeProperty);
  if (known === undefined) {
    byProperty.set(activeProperty, 'seen');
    return expandNodeNow(b, graph, active, activeProperty, element);
  }
  if (known === 'unrecordable') return expandNodeNow(b, graph, active, activeProperty, element);
  if (known !== 'seen') return b.replay(known, graph);
  const { result, recording } = b.record(graph, () => expandNodeNow(b, graph, active, activeProperty, element));
  byProperty.set(activeProperty, recording ?? 'unrecordable');
  return result;
}

function expandNodeNow(
  b: Builder,
  graph: string,
  active: Ctx,
  activeProperty: string | null,
  element: Record<string, unknown>,
): string {
  const keys = Object.keys(element).sort(compareCodeUnits);
  const { ctx, typeScoped } = nodeContexts(active, activeProperty, element, keys);
  let id: string | undefined;
  const types: string[] = [];
  const properties: [string, string, unknown][] = [];
  let meaningful = 0;
  for (const key of keys) {
    if (key === '@context') continue;
    const value = element[key];
    const expanded = expandVocab(ctx, key);
    if (expanded === '@id') {
      if (typeof value !== 'string' || id !== undefined) unsupported('a bad or repeated @id');
      id = checkIri(expandIri(ctx, value, false, true));
      meaningful++;
    } else if (expanded === '@type') {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) unsupported('an empty @type');
      for (const t of list) {
        if (typeof t !== 'string') unsupported('a non-string type');
        types.push(checkIri(expandVocab(typeScoped, t)));
      }
      meaningful++;
    } else if (expanded === null || KEYWORDS.has(expanded) || KEYWORD_LIKE.test(expanded)) {
      unsupported(`the key ${key}`);
    } else {
      checkIri(expanded);
      properties.push([key, expanded, value]);
      meaningful++;
    }
  }
  if (meaningful === 0) unsupported('an empty object');
  const subject = id ?? b.blank();
  const node = b.node(graph, subject);
  for (const t of types) b.add(node, '@type', { kind: 'ref', id: t });
  for (const [key, property, value] of properties) {
    expandProperty(b, graph, ctx, key, property, value, node);
  }
  return subject;
}

function expandProperty(
  b: Builder,
  graph: string,
  active: Ctx,
  key: string,
  property: string,
  value: unknown,
  node: Node,
): void {
  const def = active.terms.get(key);
  let termCtx = active;
  if (def?.context !== undefined) {
    termCtx = processContext(active, def.context, def.context, { propagate: true, overrideProtected: true });
  }
  const container = def?.container ?? [];
  if (termCtx.terms.get(key)?.type === '@json' || def?.type === '@json') unsupported('a JSON literal');
  if (container.includes('@language') && isObject(value)) {
    const values: Value[] = [];
    for (const tag of Object.keys(value).sort(compareCodeUnits)) {
      const expandedTag = expandVocab(termCtx, tag);
      const items = Array.isArray(value[tag]) ? (value[tag] as unknown[]) : [value[tag]];
      for (const item of items) {
        if (item === null) continue;
        if (typeof item !== 'string') unsupported('a language map value that is not a string');
        if (expandedTag === '@none') values.push({ kind: 'literal', raw: item, type: undefined, language: undefined });
        else {
          if (!BCP47.test(tag)) unsupported('an invalid language tag');
          values.push({ kind: 'literal', raw: item, type: undefined, language: tag.toLowerCase() });
        }
      }
    }
    finish(b, node, property, container, values);
    return;
  }
  const items = Array.isArray(value) ? value : [value];
  const values: Value[] = [];
  for (const item of items) {
    if (Array.isArray(item)) unsupported('nested arrays');
    if (item === null || item === undefined) unsupported('a null value');
    if (container.includes('@graph')) {
      // A string there would be a reference in a graph of its own: rare, and left to jsonld.js.
      if (!isObject(item)) unsupported('a graph container holding a value or reference');
      const name = b.blank();
      expandNode(b, name, termCtx, key, item);
      values.push({ kind: 'graph', id: name });
    } else if (isObject(item) && '@value' in item) {
      values.push(valueObject(item));
    } else if (isObject(item)) {
      values.push({ kind: 'ref', id: expandNode(b, graph, termCtx, key, item) });
    } else {
      values.push(expandScalar(termCtx, key, item as string | number | boolean));
    }
  }
  finish(b, node, property, container, values);
}

const VALUE_KEYS = new Set(['@value', '@language', '@direction']);
const I18N = 'https://www.w3.org/ns/i18n#';

/**
 * A value object of text with an optional language and base direction (VC DM 2.0 §11.1), as jsonld.js turns it
 * into RDF with `rdfDirection: 'i18n-datatype'`: with a direction, a literal typed
 * `https://www.w3.org/ns/i18n#{language}_{direction}` (language lowercased, possibly empty); without, a
 * language-tagged string. Anything else in a value object (types, indexes, aliases, non-text) is left to
 * jsonld.js.
 */
function valueObject(item: Record<string, unknown>): Value {
  for (const k of Object.keys(item)) if (!VALUE_KEYS.has(k)) unsupported(`a value object with ${k}`);
  const raw = item['@value'];
  const language = item['@language'];
  const direction = item['@direction'];
  if (typeof raw !== 'string') unsupported('a value object whose @value is not text');
  if (language !== undefined && (typeof language !== 'string' || !BCP47.test(language)))
    unsupported('an invalid language tag');
  if (direction !== undefined && direction !== 'ltr' && direction !== 'rtl') unsupported('an invalid @direction');
  if (direction !== undefined) {
    const tag = typeof language === 'string' ? language.toLowerCase() : '';
    return { kind: 'literal', raw, type: `${I18N}${tag}_${direction}`, language: undefined };
  }
  if (language !== undefined) return { kind: 'literal', raw, type: undefined, language: language.toLowerCase() };
  return { kind: 'literal', raw, type: undefined, language: undefined };
}

function finish(b: Builder, node: Node, property: string, container: readonly string[], values: Value[]): void {
  if (container.includes('@list')) {
    b.add(node, property, { kind: 'list', items: values });
    return;
  }
  // An empty array (or language map) keeps the property in the node map, without values: no triples.
  if (values.length === 0 && container.includes('@graph')) unsupported('an empty graph container');
  for (const v of values) b.add(node, property, v);
}

function expandScalar(ctx: Ctx, property: string, value: string | number | boolean): Value {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    unsupported('an unexpected value');
  }
  const def = ctx.terms.get(property);
  const type = def?.type;
  if (type === '@id' && typeof value === 'string')
    return { kind: 'ref', id: checkIri(expandIri(ctx, value, false, true)) };
  if (type === '@vocab' && typeof value === 'string') return { kind: 'ref', id: checkIri(expandVocab(ctx, value)) };
  if (type !== undefined && type !== '@id' && type !== '@vocab' && type !== '@none') {
    return { kind: 'literal', raw: value, type, language: undefined };
  }
  if (typeof value === 'string' && def && 'language' in def && def.language !== null) {
    if (!BCP47.test(def.language!)) unsupported('an invalid language tag');
    return { kind: 'literal', raw: value, type: undefined, language: def.language };
  }
  return { kind: 'literal', raw: value, type: undefined, language: undefined };
}

// ---------------------------------------------------------------------------------------------------------
// To RDF.

const isDouble = (v: number) => String(v).includes('.') || Math.abs(v) >= 1e21;

function literalTerm(v: Extract<Value, { kind: 'literal' }>): Literal {
  const { raw, type, language } = v;
  if (typeof raw === 'boolean') {
    return { termType: 'Literal', value: String(raw), datatype: named(type ?? XSD_BOOLEAN) };
  }
  if ((typeof raw === 'number' && isDouble(raw)) || type === XSD_DOUBLE) {
    const number = typeof raw === 'number' && isDouble(raw) ? raw : parseFloat(String(raw));
    return {
      termType: 'Literal',
      value: number.toExponential(15).replace(/(\d)0*e\+?/, '$1E'),
      datatype: named(type ?? XSD_DOUBLE),
    };
  }
  if (typeof raw === 'number') {
    return { termType: 'Literal', value: raw.toFixed(0), datatype: named(type ?? XSD_INTEGER) };
  }
  if (language !== undefined) {
    return { termType: 'Literal', value: raw, datatype: named(type ?? RDF_LANGSTRING), language };
  }
  return { termType: 'Literal', value: raw, datatype: named(type ?? XSD_STRING) };
}

const namedCache = new Map<string, NamedNode>();
function named(value: string): NamedNode {
  let term = namedCache.get(value);
  if (!term) {
    term = { termType: 'NamedNode', value };
    if (namedCache.size < 10_000) namedCache.set(value, term);
  }
  return term;
}

function resource(id: string): NamedNode | BlankNode {
  return id.startsWith('_:') ? { termType: 'BlankNode', value: id.slice(2) } : named(id);
}

function toDataset(b: Builder): Quad[] {
  const quads: Quad[] = [];
  for (const [graphName, graph] of b.graphs) {
    const graphTerm = graphName === '@default' ? DEFAULT_GRAPH : resource(graphName);
    for (const [id, node] of graph) {
      const subject = resource(id);
      for (const [property, values] of node) {
        const predicate = named(property === '@type' ? RDF_TYPE : property);
        for (const value of values) {
          quads.push({ subject, predicate, object: objectTerm(b, value, graphTerm, quads), graph: graphTerm });
        }
      }
    }
  }
  return quads;
}

function objectTerm(b: Builder, value: Value, graph: Quad['graph'], quads: Quad[]): Quad['object'] {
  switch (value.kind) {
    case 'ref':
    case 'graph':
      return resource(value.id);
    case 'literal':
      return literalTerm(value);
    case 'list': {
      if (value.items.length === 0) return RDF_NIL;
      const head = resource(b.blank()) as BlankNode;
      let subject = head;
      value.items.forEach((item, i) => {
        quads.push({ subject, predicate: RDF_FIRST, object: objectTerm(b, item, graph, quads), graph });
        const last = i === value.items.length - 1;
        const next = last ? RDF_NIL : (resource(b.blank()) as BlankNode);
        quads.push({ subject, predicate: RDF_REST, object: next, graph });
        if (!last) subject = next as BlankNode;
      });
      return head;
    }
  }
}

/**
 * The RDF dataset of a JSON-LD document, as jsonld.js's toRDF in safe mode would produce it, or undefined
 * when the document needs the generic path (a context that is not bundled, a feature not handled here, or
 * anything jsonld.js would warn about).
 */
export function fastToRdf(document: unknown): Quad[] | undefined {
  return fastDataset(document)?.quads;
}

/**
 * `fastToRdf`, with what is already known about some blank nodes (those of replayed frozen parts), for
 * canonicalization to skip working it out again.
 */
export function fastDataset(
  document: unknown,
): { quads: Quad[]; known: ReadonlyMap<string, KnownBlankNode> } | undefined {
  if (!isObject(document)) return undefined;
  try {
    const b = new Builder();
    expandNode(b, '@default', initialContext, null, document);
    return { quads: toDataset(b), known: b.known };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Why the fast path gives up on a document (for tests and diagnostics), or undefined when it does not. */
export function fastPathRefusal(document: unknown): string | undefined {
  if (!isObject(document)) return 'not an object';
  try {
    expandNode(new Builder(), '@default', initialContext, null, document);
    return undefined;
  } catch (error) {
    if (error instanceof Unsupported) return error.message;
    throw error;
  }
}
