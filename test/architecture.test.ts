import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers of src/: the standards core (vc/) and the infrastructure (platform/) stand on nothing above them;
// the composition root (app/) is imported only by what starts the application (cli/, demo/). Capabilities sit
// between: they may import platform/, vc/ and each other's domain modules.
const root = fileURLToPath(new URL('../src/', import.meta.url));

interface Layer {
  folder: string;
  /** Top-level folders of src/ its files may import from (its own always). */
  mayImport: (target: string) => boolean;
}

const layers: Layer[] = [
  { folder: 'vc', mayImport: (target) => target === 'vc' || target === 'types' },
  { folder: 'platform', mayImport: (target) => target === 'platform' || target === 'types' },
];
const mayImportApp = new Set(['app', 'cli', 'demo']);

/** Relative import specifiers of a TypeScript source (static and dynamic imports, re-exports). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) found.push((match[1] ?? match[2])!);
  return found;
}

/** The layering violations of one file (path relative to src/), or none. */
export function violations(file: string, source: string): string[] {
  const from = file.split('/')[0]!;
  const wrong: string[] = [];
  for (const specifier of importsOf(source)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    if (resolved.startsWith('..')) continue; // outside src/ (test helpers of unit tests)
    const target = resolved.split('/')[0]!;
    const layer = layers.find((l) => l.folder === from);
    if (layer && !layer.mayImport(target)) wrong.push(`${file} imports ${specifier} (${target}/)`);
    if (target === 'app' && !mayImportApp.has(from)) wrong.push(`${file} imports the composition root ${specifier}`);
  }
  return wrong;
}

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('layers of src/', () => {
  it('vc/ and platform/ import no capability, and only the entry points import app/', () => {
    const all = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => sources(entry.name));
    expect(all.length).toBeGreaterThan(100);
    const found = all.flatMap((file) => violations(file, readFileSync(path.join(root, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches a planted import of a capability, static or dynamic', () => {
    expect(violations('platform/http/app.ts', "import { x } from '../../accounts/accounts.js';")).toHaveLength(1);
    expect(violations('vc/verify.ts', "const m = await import('../issuance/store.js');")).toHaveLength(1);
    expect(violations('vc/verify.ts', "export { y } from '../wallet/wallet.js';")).toHaveLength(1);
    expect(violations('wallet/wallet.ts', "import type { Platform } from '../app/platform.js';")).toHaveLength(1);
    expect(violations('platform/db/migrate.ts', "import { a } from './migrations/0001.js';")).toEqual([]);
    expect(violations('wallet/wallet.ts', "import { b } from '../platform/errors.js';")).toEqual([]);
  });
});
