import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { Type, type Static } from 'typebox';
import { invalid } from '../platform/errors.js';

/**
 * The Digital Credentials Consortium's issuer-registry format (as served at
 * https://digitalcredentials.github.io/issuer-registry/registry.json and read by
 * @digitalcredentials/issuer-registry-client): `{ meta: { created, updated }, registry: { DID: { name, location?,
 * url? } } }`. Entries may carry more fields; they are kept as given.
 */
export const registryLimits = { maxEntries: 10_000, maxNameChars: 300, maxDepth: 32 };

/**
 * What the store cannot take or later code would choke on, anywhere in the file (entries keep unknown fields):
 * nesting deeper than maxDepth, and NUL characters, which PostgreSQL cannot store.
 */
function plainProblem(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return 'it contains a NUL character';
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= registryLimits.maxDepth) return `it is nested more than ${registryLimits.maxDepth} levels deep`;
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) return 'it contains a NUL character';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

const didPattern = '^did:[a-z0-9]+:[^\\s#?]+$';

const Entry = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: registryLimits.maxNameChars }),
    // Shown as a link: only web addresses, never javascript: or data: URLs.
    url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://[^\\s]+$' })),
    location: Type.Optional(Type.String({ maxLength: registryLimits.maxNameChars })),
  },
  { additionalProperties: true },
);

export const DccRegistrySchema = Type.Object(
  {
    meta: Type.Optional(
      Type.Object(
        { created: Type.Optional(Type.String()), updated: Type.Optional(Type.String()) },
        { additionalProperties: true },
      ),
    ),
    registry: Type.Record(Type.String({ pattern: didPattern }), Entry, {
      additionalProperties: false,
      minProperties: 1,
      maxProperties: registryLimits.maxEntries,
    }),
  },
  { additionalProperties: true },
);

export type DccRegistry = Static<typeof DccRegistrySchema>;

export interface RegistryEntry {
  did: string;
  name: string;
  url?: string;
  location?: string;
  /** The entry as the file gave it. */
  entry: Record<string, unknown>;
}

export interface ParsedRegistry {
  meta: Record<string, unknown>;
  entries: RegistryEntry[];
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile<DccRegistry>(DccRegistrySchema);

function describe(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((at, part) => (at ? `${at}["${part}"]` : part), '');
  const where = path || 'the file';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where} lacks "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `${where} lists "${String(params.additionalProperty)}", which is not a DID (keys must look like did:method:…)`;
    case 'minProperties':
      return `${where} lists no issuers`;
    case 'maxProperties':
      return `${where} lists more than ${registryLimits.maxEntries} issuers`;
    case 'pattern':
      return error.instancePath.endsWith('/url')
        ? `${where} must be an http or https address`
        : `${where} is not well formed`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
}

/**
 * Reads a registry file (its text or its parsed JSON) into entries; anything else is refused with every
 * problem named, so an admin can fix the file.
 */
export function parseDccRegistry(input: unknown): ParsedRegistry {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      // Also a RangeError from absurd nesting.
      throw invalid('The registry file is not valid JSON.', { field: 'registry' });
    }
  }
  const problem = plainProblem(value);
  if (problem) throw invalid(`The registry file cannot be imported: ${problem}.`, { field: 'registry' });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('The registry file must be a JSON object with a "registry" member keyed by DID.', {
      field: 'registry',
    });
  }
  if (!validate(value)) {
    // Ajv reports "must match pattern" for the key and then "must NOT have additional properties": keep one each.
    const problems = [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'propertyNames').map(describe))];
    const listed = problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
    throw invalid(`The registry file is not in the Digital Credentials Consortium issuer-registry format: ${listed}.`, {
      field: 'registry',
      problems,
    });
  }
  const entries = Object.entries(value.registry).map(([did, entry]) => ({
    did,
    name: entry.name.trim() || entry.name,
    ...(entry.url !== undefined ? { url: entry.url } : {}),
    ...(entry.location !== undefined ? { location: entry.location } : {}),
    entry: entry as Record<string, unknown>,
  }));
  return { meta: (value.meta ?? {}) as Record<string, unknown>, entries };
}
