import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { SkillDataset } from './sources.js';

/** The taxonomies shipped with Skillproof (built by scripts/build-skill-bundle.ts), in skills-bundle/. */
export const bundleDir = fileURLToPath(new URL('../../skills-bundle', import.meta.url));
export const bundledDatasets = ['esco-ict', 'onet-computer'] as const;

export function loadBundledDataset(name: (typeof bundledDatasets)[number]): SkillDataset {
  return JSON.parse(gunzipSync(readFileSync(`${bundleDir}/${name}.json.gz`)).toString('utf8')) as SkillDataset;
}
