import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';
import { DataFactory, Parser, Store, type Quad_Object, type Quad_Subject } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { createDocumentLoader } from '../vc/document-loader.js';
import { edcContextUrl } from './elm.js';

/**
 * Validates ELM exports offline: the JSON-LD is turned into RDF (jsonld.js, with the EDC context bundled here and the
 * W3C contexts Skillproof bundles; nothing is fetched) and checked with rdf-validate-shacl against the official EDC
 * shapes copied into ./elm (see its README) and Skillproof's Annex I shapes. The EDC shapes `owl:import` their
 * structural half (EDC-generic-no-cv); when that file is not in ./elm the report says so (`notChecked`).
 */

// From src/pathways and dist/pathways alike: the data stays in the source tree (tsc copies no .ttl).
const dataDir = fileURLToPath(new URL('../../src/pathways/elm/', import.meta.url));
const read = (name: string) => readFileSync(`${dataDir}${name}`, 'utf8');

export const shapeFiles = {
  full: 'EDC-generic-full.ttl',
  noCv: 'EDC-generic-no-cv.ttl',
  annexI: 'skillproof-annex1.ttl',
} as const;
const noCvOntology = 'http://data.europa.eu/snb/model/ap/edc-generic-no-cv';

export interface ElmViolation {
  severity: 'violation' | 'warning' | 'info';
  focusNode: string;
  path: string | null;
  message: string;
  shape: string | null;
  value: string | null;
}

export interface ElmValidation {
  /** No violation (warnings, such as an Annex I element the source credential does not state, may remain). */
  conforms: boolean;
  violations: ElmViolation[];
  warnings: ElmViolation[];
  /** The shape files checked against. */
  shapes: string[];
  /** Shapes the EDC shapes import that are not bundled, so were not checked. */
  notChecked: string[];
}

interface Loaded {
  shapes: Store;
  imports: Map<string, Store>;
  names: string[];
  notChecked: string[];
  loader: ReturnType<typeof createDocumentLoader>;
}

let loaded: Loaded | undefined;

const parseTurtle = (text: string) => new Store(new Parser().parse(text));

function load(): Loaded {
  if (loaded) return loaded;
  const parser = new Parser();
  const shapes = new Store([...parser.parse(read(shapeFiles.full)), ...new Parser().parse(read(shapeFiles.annexI))]);
  const imports = new Map<string, Store>();
  const names: string[] = [shapeFiles.full, shapeFiles.annexI];
  const notChecked: string[] = [];
  if (existsSync(`${dataDir}${shapeFiles.noCv}`)) {
    imports.set(noCvOntology, parseTurtle(read(shapeFiles.noCv)));
    names.push(shapeFiles.noCv);
  } else {
    notChecked.push(noCvOntology);
  }
  const context = JSON.parse(read('edc-ap-context.jsonld')) as unknown;
  const loader = createDocumentLoader(new Map([[edcContextUrl, context]]));
  loaded = { shapes, imports, names, notChecked, loader };
  return loaded;
}

interface JsonLdTerm {
  termType: string;
  value: string;
  language?: string;
  datatype?: { value: string };
}

function term(t: JsonLdTerm) {
  if (t.termType === 'NamedNode') return DataFactory.namedNode(t.value);
  if (t.termType === 'BlankNode') return DataFactory.blankNode(t.value.replace(/^_:/, ''));
  if (t.termType === 'Literal') {
    return DataFactory.literal(t.value, t.language || DataFactory.namedNode(t.datatype?.value ?? ''));
  }
  return DataFactory.defaultGraph();
}

/** The export as RDF (the default graph), as the validator reads it. */
export async function elmDataset(document: unknown): Promise<Store> {
  const { loader } = load();
  const options = {
    documentLoader: loader,
    // A term the contexts do not define is an error, not a silently dropped property.
    safe: true,
  } as Parameters<typeof jsonld.toRDF>[1];
  const quads = (await jsonld.toRDF(document as object, options)) as unknown as {
    subject: JsonLdTerm;
    predicate: JsonLdTerm;
    object: JsonLdTerm;
  }[];
  return new Store(
    quads.map((q) =>
      DataFactory.quad(
        term(q.subject) as Quad_Subject,
        DataFactory.namedNode(q.predicate.value),
        term(q.object) as Quad_Object,
      ),
    ),
  );
}

const severityOf = (iri: string | undefined): ElmViolation['severity'] =>
  iri?.endsWith('#Warning') ? 'warning' : iri?.endsWith('#Info') ? 'info' : 'violation';

/** Validates an ELM JSON-LD document against the bundled shapes. A document that is not valid JSON-LD is refused. */
export async function validateElm(document: unknown): Promise<ElmValidation> {
  const { shapes, imports, names, notChecked } = load();
  const data = await elmDataset(document);
  const validator = new SHACLValidator(shapes, {
    importGraph: (url) => imports.get(url.value) ?? new Store(),
  });
  const report = await validator.validate(data);
  const results: ElmViolation[] = report.results.map((r) => ({
    severity: severityOf(r.severity?.value),
    focusNode: r.focusNode?.value ?? '',
    path: r.path?.value ?? null,
    message: r.message.map((m) => m.value).join(' ') || (r.sourceConstraintComponent?.value ?? 'Constraint not met'),
    shape: r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value : null,
    value: r.value?.value ?? null,
  }));
  const violations = results.filter((r) => r.severity === 'violation');
  return {
    conforms: violations.length === 0,
    violations,
    warnings: results.filter((r) => r.severity !== 'violation'),
    shapes: [...names],
    notChecked: [...notChecked],
  };
}
