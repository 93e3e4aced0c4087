import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The standards fixtures in the repository (test/fixtures/standards): test vectors, spec examples and conformance
 * fixtures, copied verbatim from their sources, each folder with its README naming source and licence.
 */
export const standardsDir = fileURLToPath(new URL('../fixtures/standards', import.meta.url));

export function standardsText(relative: string): string {
  return readFileSync(path.join(standardsDir, relative), 'utf8');
}

export function standardsJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(standardsText(relative)) as T;
}
