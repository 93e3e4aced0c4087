import { bundledContexts } from './contexts.js';
import { VcError } from './errors.js';

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * A JSON-LD document loader that answers only from memory: the bundled contexts plus `extra` documents the
 * caller supplies (for example a DID document it has already resolved). Unknown URLs are an error.
 */
export function createDocumentLoader(extra: ReadonlyMap<string, unknown> = new Map()): DocumentLoader {
  const loader: DocumentLoader = async (url: string) => {
    const document = bundledContexts.get(url) ?? extra.get(url);
    if (document === undefined) {
      throw new VcError('unknown-context', `The context ${url} is not one Skillproof knows, so it is not loaded.`);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
  bundledFirstLoaders.add(loader);
  return loader;
}

/**
 * Loaders that answer every bundled context URL with the bundled document (whatever else they know): for
 * them the compiled-context fast path gives the same result as jsonld.js.
 */
const bundledFirstLoaders = new WeakSet<DocumentLoader>();

export function answersBundledContexts(loader: DocumentLoader): boolean {
  return bundledFirstLoaders.has(loader);
}

export const defaultDocumentLoader = createDocumentLoader();

/** The `@context` URLs a document names that are not bundled, in order. */
export function unknownContexts(document: unknown): string[] {
  const context = (document as { '@context'?: unknown })?.['@context'];
  const entries = Array.isArray(context) ? context : [context];
  return entries.filter((entry): entry is string => typeof entry === 'string' && !bundledContexts.has(entry));
}
