import { VcError } from './errors.js';

/** Reading the loosely typed JSON of Open Badges 2.0 documents, and fetching the ones an assertion links to. */
export interface Ob2Response {
  status: number;
  json: unknown;
}

/** Fetches a URL for the OB 2.0 checks (the caller applies its network policy). */
export type Ob2Fetcher = (url: string) => Promise<Ob2Response>;

export type Obj = Record<string, unknown>;

export const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The origin of a URL, or undefined when it is none. */
export const origin = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

/** The JSON object served at a URL; a VcError naming `what` when it is not served (200) or not an object. */
export async function fetchObject(fetcher: Ob2Fetcher, url: string, what: string): Promise<Obj> {
  const response = await fetcher(url);
  const document = obj(response.json);
  if (response.status !== 200 || !document)
    throw new VcError('invalid-document', `The ${what} at ${url} could not be read.`);
  return document;
}

/** An embedded object, or the one its URL points to. */
export async function resolve(fetcher: Ob2Fetcher, value: unknown, what: string): Promise<Obj> {
  const embedded = obj(value);
  if (embedded) return embedded;
  const url = str(value);
  if (!url) throw new VcError('invalid-document', `The assertion names no ${what}.`);
  return fetchObject(fetcher, url, what);
}
