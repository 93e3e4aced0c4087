import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { invalid } from '../platform/errors.js';

/**
 * Readers for skill taxonomies: the ESCO classification (European Commission), O*NET (USDOL/ETA) and an
 * issuer's own framework as CSV or JSON. Pure: they take file contents and return normalized records.
 */
export type SkillKind = 'skill' | 'knowledge' | 'technology' | 'competence';

export interface SkillRecord {
  framework: string;
  code: string;
  name: string;
  description: string;
  url: string;
  altLabels: string[];
  kind: SkillKind;
}

export interface OccupationRecord {
  framework: string;
  code: string;
  name: string;
  description: string;
  url: string;
  altLabels: string[];
  /** ISCO-08 group (ESCO) or O*NET-SOC major group. */
  group: string;
}

export interface OccupationSkillLink {
  occupation: string;
  skill: string;
  relation: 'essential' | 'optional';
  /** O*NET's "hot technology" flag. */
  hot?: boolean;
}

/** ESCO's skill hierarchy: \`skill\` is narrower than \`broader\` (both codes of the dataset's framework). */
export interface BroaderSkillLink {
  skill: string;
  broader: string;
}

export interface SkillDataset {
  framework: string;
  credit: string;
  skills: SkillRecord[];
  occupations: OccupationRecord[];
  links: OccupationSkillLink[];
  /**
   * Broader skills, directly or through skills the dataset leaves out (a subset keeps the chain's ends): every
   * pair's two skills are in \`skills\`. Absent for taxonomies without a hierarchy.
   */
  broader?: BroaderSkillLink[];
}

export const credits = {
  esco: 'ESCO classification of the European Commission (v1.1.1). Reused under Commission Decision 2011/833/EU (CC BY 4.0).',
  escoSubset:
    'ESCO classification of the European Commission (v1.1.1); a subset is used. Reused under Commission Decision 2011/833/EU (CC BY 4.0).',
  onet: 'This product includes information from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.',
};

type Row = Record<string, string>;
const csv = (text: string, delimiter = ','): Row[] =>
  parse(text, {
    columns: true,
    delimiter,
    skip_empty_lines: true,
    relax_quotes: delimiter === '\t',
    quote: delimiter === '\t' ? false : '"',
    bom: true,
    trim: false,
  });
const lines = (value: string | undefined) =>
  (value ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function entry(zip: Record<string, Uint8Array>, name: string): string {
  const found = Object.entries(zip).find(([path]) => path === name || path.endsWith(`/${name}`));
  if (!found) throw invalid(`The ESCO archive has no ${name}.`);
  return new TextDecoder().decode(found[1]);
}

function unzip(bytes: Uint8Array, what: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch {
    throw invalid(`The ${what} is not a zip archive.`);
  }
}

export interface EscoFilter {
  /** Keep occupations whose ISCO group starts with one of these (e.g. 25, 35), and the skills they use. */
  iscoPrefixes?: string[];
}

/** ESCO v1.1.x CSV downloads: the classification zip and the relations zip. */
export function parseEsco(
  classificationZip: Uint8Array,
  relationsZip: Uint8Array,
  filter: EscoFilter = {},
): SkillDataset {
  const classification = unzip(classificationZip, 'ESCO classification file');
  const relations = unzip(relationsZip, 'ESCO relations file');
  const keep = (group: string) => !filter.iscoPrefixes || filter.iscoPrefixes.some((p) => group.startsWith(p));

  const occupations: OccupationRecord[] = csv(entry(classification, 'occupations_en.csv'))
    .filter((row) => row.status !== 'obsolete' && keep(row.iscoGroup ?? ''))
    .map((row) => ({
      framework: 'ESCO',
      code: row.conceptUri!,
      name: row.preferredLabel!,
      description: (row.description || row.definition || '').trim(),
      url: row.conceptUri!,
      altLabels: lines(row.altLabels),
      group: row.iscoGroup ?? '',
    }));
  const occupationCodes = new Set(occupations.map((o) => o.code));
  const links: OccupationSkillLink[] = csv(entry(relations, 'occupationSkillRelations.csv'))
    .filter((row) => occupationCodes.has(row.occupationUri!))
    .map((row) => ({
      occupation: row.occupationUri!,
      skill: row.skillUri!,
      relation: row.relationType === 'essential' ? 'essential' : 'optional',
    }));
  const used = filter.iscoPrefixes ? new Set(links.map((l) => l.skill)) : undefined;
  const skills: SkillRecord[] = csv(entry(classification, 'skills_en.csv'))
    .filter((row) => row.status !== 'obsolete' && (!used || used.has(row.conceptUri!)))
    .map((row) => ({
      framework: 'ESCO',
      code: row.conceptUri!,
      name: row.preferredLabel!,
      description: (row.description || row.definition || '').trim(),
      url: row.conceptUri!,
      altLabels: lines(row.altLabels),
      kind: row.skillType === 'knowledge' ? 'knowledge' : 'skill',
    }));
  const skillCodes = new Set(skills.map((s) => s.code));
  return {
    framework: 'ESCO',
    credit: credits.esco,
    skills,
    occupations,
    links: links.filter((l) => skillCodes.has(l.skill)),
    broader: broaderLinks(csv(entry(relations, 'broaderRelationsSkillPillar.csv')), skillCodes),
  };
}

/**
 * ESCO's skill-to-skill broader relations (skill groups left aside), as pairs between kept skills: a skill's
 * broader skills that were left out are walked through, so a chain keeps its ends.
 */
export function broaderLinks(rows: Row[], kept: Set<string>): BroaderSkillLink[] {
  const up = new Map<string, string[]>();
  for (const row of rows) {
    if (row.conceptType !== 'KnowledgeSkillCompetence' || row.broaderType !== 'KnowledgeSkillCompetence') continue;
    const list = up.get(row.conceptUri!) ?? [];
    list.push(row.broaderUri!);
    up.set(row.conceptUri!, list);
  }
  const links: BroaderSkillLink[] = [];
  for (const skill of kept) {
    const seen = new Set([skill]);
    const queue = [...(up.get(skill) ?? [])];
    while (queue.length) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      // A kept broader skill ends the walk there: its own broader skills are its pairs, not this one's.
      if (kept.has(next)) links.push({ skill, broader: next });
      else queue.push(...(up.get(next) ?? []));
    }
  }
  return links;
}

export interface OnetFilter {
  /** Keep occupations whose O*NET-SOC code starts with one of these (e.g. 15- for computer occupations). */
  socPrefixes?: string[];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** O*NET text files: "Occupation Data.txt" and "Technology Skills.txt" (tab-separated). */
export function parseOnet(
  files: { occupations: string; technologySkills: string },
  filter: OnetFilter = {},
): SkillDataset {
  const keep = (code: string) => !filter.socPrefixes || filter.socPrefixes.some((p) => code.startsWith(p));
  const occupations: OccupationRecord[] = csv(files.occupations, '\t')
    .filter((row) => keep(row['O*NET-SOC Code'] ?? ''))
    .map((row) => ({
      framework: 'O*NET',
      code: row['O*NET-SOC Code']!,
      name: row.Title!,
      description: row.Description ?? '',
      url: `https://www.onetonline.org/link/summary/${row['O*NET-SOC Code']}`,
      altLabels: [],
      group: row['O*NET-SOC Code']!.slice(0, 2),
    }));
  const codes = new Set(occupations.map((o) => o.code));
  const skills = new Map<string, SkillRecord>();
  const links: OccupationSkillLink[] = [];
  for (const row of csv(files.technologySkills, '\t')) {
    const occupation = row['O*NET-SOC Code']!;
    if (!codes.has(occupation)) continue;
    const example = row.Example!.trim();
    const code = `onet:technology:${slug(example)}`;
    if (!skills.has(code)) {
      skills.set(code, {
        framework: 'O*NET',
        code,
        name: example,
        description: row['Commodity Title'] ?? '',
        url: `https://www.onetonline.org/search/tech/example?e=${encodeURIComponent(example)}`,
        altLabels: [],
        kind: 'technology',
      });
    }
    links.push({
      occupation,
      skill: code,
      relation: row['In Demand'] === 'Y' ? 'essential' : 'optional',
      hot: row['Hot Technology'] === 'Y',
    });
  }
  return { framework: 'O*NET', credit: credits.onet, skills: [...skills.values()], occupations, links };
}

/** An issuer's own framework: CSV with columns code, name, description, url (framework optional), or JSON. */
export function parseSkillFile(text: string, format: 'csv' | 'json', defaultFramework: string): SkillRecord[] {
  let rows: Record<string, unknown>[];
  if (format === 'json') {
    try {
      const parsed = JSON.parse(text) as unknown;
      rows = (Array.isArray(parsed) ? parsed : (parsed as { skills?: unknown }).skills) as Record<string, unknown>[];
    } catch {
      throw invalid('The file is not valid JSON.');
    }
    if (!Array.isArray(rows)) throw invalid('The JSON must be a list of skills, or an object with a "skills" list.');
  } else {
    try {
      rows = csv(text);
    } catch (error) {
      throw invalid(`The CSV cannot be read: ${(error as Error).message}`);
    }
    const header = Object.keys(rows[0] ?? {});
    const missing = ['code', 'name'].filter((c) => !header.includes(c));
    if (rows.length && missing.length) throw invalid(`The CSV lacks the columns: ${missing.join(', ')}.`);
  }
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const code = String(row.code ?? '').trim();
    const name = String(row.name ?? '').trim();
    if (!code || !name) throw invalid(`Row ${i + 1} needs a code and a name.`, { field: `skills.${i}` });
    const framework = String(row.framework ?? defaultFramework).trim() || defaultFramework;
    const key = `${framework}|${code}`;
    if (seen.has(key)) throw invalid(`Row ${i + 1} repeats the code ${code}.`, { field: `skills.${i}` });
    seen.add(key);
    const url = String(row.url ?? '').trim();
    if (url && !/^https?:\/\//.test(url))
      throw invalid(`Row ${i + 1} has a url that is not a web address.`, { field: `skills.${i}` });
    return {
      framework,
      code,
      name,
      description: String(row.description ?? '').trim(),
      url: url || `urn:skill:${encodeURIComponent(framework)}:${encodeURIComponent(code)}`,
      altLabels: [],
      kind: 'skill' as const,
    };
  });
}
