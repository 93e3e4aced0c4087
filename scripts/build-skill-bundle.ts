// Builds the skill taxonomies Skillproof ships with, from the full downloads of ESCO v1.1.1 and O*NET 29.2:
// ESCO ICT occupations (ISCO 25xx and 35xx) with their skills, and O*NET computer occupations (15-) with
// their technology skills. Run: npx tsx scripts/build-skill-bundle.ts DIR, where DIR holds
// esco/esco-v1.1.1-classification-en-csv.zip, esco/esco-v1.1.1-relations-csv.zip and onet/*.txt
// (sources, licences and credits: skills-bundle/README.md).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleDir } from '../src/skills/bundle.js';
import { parseEsco, parseOnet } from '../src/skills/sources.js';

if (!process.argv[2]) {
  console.error('Usage: npx tsx scripts/build-skill-bundle.ts DIR (the folder holding esco/ and onet/)');
  process.exit(2);
}
const source = path.resolve(process.argv[2]);
const esco = parseEsco(
  readFileSync(path.join(source, 'esco/esco-v1.1.1-classification-en-csv.zip')),
  readFileSync(path.join(source, 'esco/esco-v1.1.1-relations-csv.zip')),
  { iscoPrefixes: ['25', '35'] },
);
const onet = parseOnet(
  {
    occupations: readFileSync(path.join(source, 'onet/Occupation Data.txt'), 'utf8'),
    technologySkills: readFileSync(path.join(source, 'onet/Technology Skills.txt'), 'utf8'),
  },
  { socPrefixes: ['15-'] },
);
mkdirSync(bundleDir, { recursive: true });
for (const [name, dataset] of [
  ['esco-ict', esco],
  ['onet-computer', onet],
] as const) {
  const file = path.join(bundleDir, `${name}.json.gz`);
  writeFileSync(file, gzipSync(JSON.stringify(dataset), { level: 9 }));
  console.log(
    `${file}: ${dataset.occupations.length} occupations, ${dataset.skills.length} skills, ${dataset.links.length} links`,
  );
}
