import jsonld from 'jsonld';
import { answersBundledContexts, defaultDocumentLoader, type DocumentLoader } from './document-loader.js';
import { VcError } from './errors.js';
import { fastDataset } from './fast-rdf.js';
import { CanonicalizationLimit, canonizeDataset } from './rdfc.js';

/**
 * The fast path: RDFC-1.0 N-Quads of a document whose contexts are all bundled, from contexts compiled once
 * (see fast-rdf.ts), without jsonld.js. Undefined when the document needs the generic path.
 */
export function canonicalizeFast(document: object): string | undefined {
  const dataset = fastDataset(document);
  if (dataset === undefined) return undefined;
  try {
    return canonizeDataset(dataset.quads, dataset.known);
  } catch (error) {
    // Past the deep-iteration limit: the generic path reports it as jsonld.js does.
    if (error instanceof CanonicalizationLimit) return undefined;
    throw error;
  }
}

/** The generic path only: jsonld.js expansion and toRDF, then rdf-canonize (for comparison and fallback). */
export async function canonicalizeGeneric(
  document: object,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<string> {
  try {
    // rdfDirection is a jsonld.js option its type definitions do not list yet.
    const options = {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      documentLoader,
      safe: true,
      // Text with a base direction (VC DM 2.0 §11.1) becomes an i18n-datatype literal, as the W3C examples and
      // every Data Integrity cryptosuite implementation sign it.
      rdfDirection: 'i18n-datatype',
    } as Parameters<typeof jsonld.canonize>[1];
    return await jsonld.canonize(document, options);
  } catch (error) {
    if (error instanceof VcError) throw error;
    const cause = (error as { details?: { cause?: unknown } }).details?.cause;
    if (cause instanceof VcError) throw cause;
    throw new VcError('invalid-document', describeJsonLdError(error));
  }
}

/**
 * RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document as N-Quads, in JSON-LD safe mode: a term
 * that no context defines, or a relative IRI that would be dropped, is an error instead of silently
 * vanishing from what gets signed.
 */
export async function canonicalize(
  document: object,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<string> {
  if (answersBundledContexts(documentLoader)) {
    const fast = canonicalizeFast(document);
    if (fast !== undefined) return fast;
  }
  return canonicalizeGeneric(document, documentLoader);
}

/** Turns jsonld.js errors into a sentence that names the offending term or value. */
function describeJsonLdError(error: unknown): string {
  const e = error as { message?: string; details?: { event?: { code?: string; details?: Record<string, unknown> } } };
  const event = e.details?.event;
  if (event?.code) {
    const details = event.details ?? {};
    const what = (details.property ?? details.term ?? details.iri ?? details.type ?? '') as string;
    const messages: Record<string, string> = {
      'invalid property': `The property "${what}" is not defined by the document's contexts.`,
      'relative @id reference': `The id "${what}" is not an absolute IRI.`,
      'relative @type reference': `The type "${what}" is not defined by the document's contexts.`,
      'relative @vocab reference': `The vocabulary "${what}" is not an absolute IRI.`,
      'invalid @type value': `The type "${what}" is not valid.`,
      'empty object': 'The document has an empty object where a value was expected.',
    };
    return messages[event.code] ?? `JSON-LD: ${event.code}${what ? ` (${what})` : ''}.`;
  }
  return `The document is not valid JSON-LD: ${e.message ?? String(error)}`;
}
