import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createSkills } from '../../skills/skills.js';
import { parseEsco, parseOnet } from '../../skills/sources.js';
import { createSkillsStore } from '../../skills/store.js';
import { loadConfig } from '../../platform/config.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { withDirectDatabase } from './db.js';

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      exitCodes.badInput,
    );
  }
}

export function skillsCommand(program: Command): void {
  const skills = program.command('skills').description('Skill taxonomies');
  skills
    .command('import')
    .description(
      'Load the full ESCO or O*NET taxonomy into the database (opens it directly; stop the server first when it is embedded)',
    )
    .option('--esco <dir>', 'folder with esco-v1.1.1-classification-en-csv.zip and esco-v1.1.1-relations-csv.zip')
    .option('--onet <dir>', 'folder with "Occupation Data.txt" and "Technology Skills.txt"')
    .option('--json', 'print the result as JSON')
    .action(async (options: { esco?: string; onet?: string; json?: boolean }) => {
      if (Boolean(options.esco) === Boolean(options.onet))
        throw new CliError('Give exactly one of --esco DIR or --onet DIR.', exitCodes.badInput);
      const dataset = options.esco
        ? parseEsco(
            read(path.join(options.esco, 'esco-v1.1.1-classification-en-csv.zip')),
            read(path.join(options.esco, 'esco-v1.1.1-relations-csv.zip')),
          )
        : parseOnet({
            occupations: read(path.join(options.onet!, 'Occupation Data.txt')).toString('utf8'),
            technologySkills: read(path.join(options.onet!, 'Technology Skills.txt')).toString('utf8'),
          });
      const report = await withDirectDatabase(loadConfig(), async (handle) => {
        await migrateToLatest(handle.db);
        return createSkills({ store: createSkillsStore(handle.db) }).importDataset(dataset);
      });
      print(
        options,
        report,
        () =>
          `Imported ${report.framework}: ${report.skills} skills, ${report.occupations} occupations, ${report.links} links.\n${dataset.credit}`,
      );
    });
}
