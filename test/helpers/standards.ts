import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared standards folder beside the project (../shared/standards): vectors, examples, fixtures. */
export const standardsDir =
  process.env.SKILLPROOF_STANDARDS_DIR ??
  path.resolve(fileURLToPath(new URL('../../../shared/standards', import.meta.url)));

export function standardsText(relative: string): string {
  return readFileSync(path.join(standardsDir, relative), 'utf8');
}

export function standardsJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(standardsText(relative)) as T;
}
