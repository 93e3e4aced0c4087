import { DomainError, notFound } from '../platform/errors.js';
import { bundledDatasets, loadBundledDataset } from './bundle.js';
import { parseSkillFile, type SkillDataset } from './sources.js';
import type { SkillsStore } from './store.js';

export interface ImportReport {
  framework: string;
  skills: number;
  occupations: number;
  links: number;
}

/** Skill frameworks: the shared taxonomies (ESCO, O*NET) and each issuer's own. */
export function createSkills(deps: { store: SkillsStore }) {
  const { store } = deps;

  async function importDataset(dataset: SkillDataset, orgId: string | null = null): Promise<ImportReport> {
    await store.saveFramework(dataset.framework, dataset.credit, orgId);
    const ids = await store.upsertSkills(dataset.skills);
    await store.upsertOccupations(dataset.occupations, dataset.links, ids, dataset.framework);
    if (dataset.broader?.length) await store.upsertBroader(dataset.broader, ids, dataset.framework);
    return {
      framework: dataset.framework,
      skills: dataset.skills.length,
      occupations: dataset.occupations.length,
      links: dataset.links.length,
    };
  }

  /** Loads the bundled ESCO and O*NET subsets; running it again only refreshes them. */
  async function loadBundled(): Promise<ImportReport[]> {
    const reports: ImportReport[] = [];
    for (const name of bundledDatasets) reports.push(await importDataset(loadBundledDataset(name)));
    return reports;
  }

  /** An issuer's own framework: its name is theirs alone; a shared taxonomy's name cannot be taken. */
  async function importOwnFramework(
    orgId: string,
    input: { framework: string; format: 'csv' | 'json'; content: string },
  ): Promise<ImportReport> {
    const framework = input.framework.trim();
    const owner = await store.frameworkOwner(framework);
    if (owner && owner.orgId !== orgId) {
      throw new DomainError('conflict', `The framework name "${framework}" is taken; choose another.`);
    }
    const skills = parseSkillFile(input.content, input.format, framework).map((s) => ({ ...s, framework }));
    return importDataset(
      { framework, credit: `Skill framework of an issuer on this instance.`, skills, occupations: [], links: [] },
      orgId,
    );
  }

  async function occupation(id: string) {
    const found = await store.occupation(id);
    if (!found) throw notFound('That occupation');
    return found;
  }

  return {
    importDataset,
    loadBundled,
    importOwnFramework,
    frameworks: () => store.frameworks(),
    searchSkills: store.searchSkills,
    searchOccupations: store.searchOccupations,
    occupation,
    /** An occupation by code or URI with its skills; undefined when unknown. */
    occupationByCode: store.occupationByCode,
    skillsByCode: store.skillsByCode,
    broaderPairs: store.broaderPairs,
    occupationSkillLinks: store.occupationSkillLinks,
    taxonomyStamp: store.taxonomyStamp,
  };
}

export type Skills = ReturnType<typeof createSkills>;
