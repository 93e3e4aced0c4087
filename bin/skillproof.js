#!/usr/bin/env node
// The installed command runs the compiled CLI; `npm run build` (run by `npm start`) produces it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('skillproof: not built yet. Run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
// The installed command is production: React renders the public pages without its development checks
// (several times faster), unless NODE_ENV says otherwise.
process.env.NODE_ENV ??= 'production';
await import(main);
