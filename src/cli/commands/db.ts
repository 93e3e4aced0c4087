import type { Command } from 'commander';
import { loadConfig, type Config } from '../../platform/config.js';
import { withDataLock } from '../../platform/data-lock.js';
import { assertDatabaseInitialized, assertDataFolder } from '../../platform/data-folder.js';
import { openDatabase, redact } from '../../platform/db/database.js';
import { checkIntegrity, describeDamage } from '../../platform/db/integrity.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';

/** Opens the database directly, holding the embedded database's lock so a running server is never disturbed. */
export async function withDirectDatabase<T>(
  config: Config,
  work: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
  options: { init?: boolean; amcheck?: boolean } = {},
): Promise<T> {
  const init = options.init ?? false;
  // An empty folder is a new database only when asked (`--init`): otherwise a lost folder would be replaced.
  if (!config.databaseUrl) assertDataFolder(config.dataDir, init);
  const run = async () => {
    const handle = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      amcheck: options.amcheck ?? false,
    });
    try {
      if (config.databaseUrl) await assertDatabaseInitialized(handle.db, redact(config.databaseUrl), init);
      return await work(handle);
    } finally {
      await handle.close();
    }
  };
  return config.databaseUrl ? run() : withDataLock(config.dataDir, run);
}

export function dbCommand(program: Command): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending migrations (the server also does this on start)')
    .option('--init', 'first run: make a new database when the data folder (or PostgreSQL database) is empty')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean; init?: boolean }) => {
      const config = loadConfig();
      const report = await withDirectDatabase(config, (handle) => migrateToLatest(handle.db), {
        init: options.init ?? false,
      });
      print(options, report, () =>
        report.applied.length ? `Applied ${report.applied.join(', ')}.` : 'The database is up to date.',
      );
    });
  db.command('check')
    .description(
      'Read the whole database (catalog, every row and value, and on the embedded database every index) and report damage',
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const where = config.databaseUrl ? redact(config.databaseUrl) : config.dataDir;
      const report = await withDirectDatabase(
        config,
        (handle) =>
          checkIntegrity(handle, { thorough: true, ...(config.databaseUrl ? {} : { dataDir: config.dataDir }) }),
        { amcheck: !config.databaseUrl },
      );
      if (!report.ok) {
        if (options.json) print(options, report, () => '');
        throw new CliError(describeDamage(report, where), exitCodes.failure);
      }
      print(
        options,
        report,
        () =>
          `The database in ${where} reads back whole: ${report.tables} tables` +
          `${report.indexes ? ` and ${report.indexes} indexes` : ''} checked in ${(report.milliseconds / 1000).toFixed(1)} s.`,
      );
    });
}
