import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../platform/config.js';
import { DataLockedError, withDataLock } from '../../platform/data-lock.js';
import { assertDatabaseInitialized, assertDataFolder, holdsEmbeddedDatabase } from '../../platform/data-folder.js';
import { openDatabase, redact } from '../../platform/db/database.js';
import { checkIntegrity, describeDamage } from '../../platform/db/integrity.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { backupEmbedded, readBackup, restoreEmbedded, type BackupHeader } from '../../platform/db/backup.js';
import { instanceUrl } from '../api-client.js';
import { savedLogin } from '../credentials.js';
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
  db.command('backup')
    .description(
      'Back up the embedded database to FILE, with a checksum (the master key is never included); while a server ' +
        'runs on it, the running server takes the backup (as an instance admin: a token from `skillproof login`)',
    )
    .argument('<file>', 'where to write the backup')
    .option('--url <url>', 'ask the running server at this address for the backup, instead of opening the database')
    .option('--token <token>', "an instance admin's API token (default: SKILLPROOF_TOKEN, then `skillproof login`'s)")
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean; url?: string; token?: string }) => {
      const config = loadConfig();
      const target = path.resolve(file);
      let taken: { header: BackupHeader; server?: string };
      if (options.url) {
        taken = await backupThroughServer(options.url, options.token, target);
      } else {
        if (config.databaseUrl) throw new CliError(postgresBackup, exitCodes.badInput);
        try {
          taken = { header: await withDirectDatabase(config, (handle) => backupEmbedded(handle, target)) };
        } catch (error) {
          // A server holds the database: it takes the backup while it serves, rather than anyone stopping it.
          const url = error instanceof DataLockedError ? error.holder?.url : undefined;
          if (!url?.startsWith('http')) throw error;
          taken = await backupThroughServer(url, options.token, target);
        }
      }
      const { header, server } = taken;
      print(
        options,
        { file: target, ...header, ...(server ? { server } : {}) },
        () =>
          `Backed up ${server ? `the database of the server at ${server}` : config.dataDir} to ${target} ` +
          `(${header.bytes} bytes, sha256 ${header.sha256}, schema ${header.schema}).`,
      );
    });
  db.command('restore')
    .description('Restore the embedded database from a backup made by `db backup` (checks it first)')
    .argument('<file>', 'the backup')
    .option('--replace', 'move the current database aside (kept, next to the folder) and restore in its place')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean; replace?: boolean }) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new CliError(postgresBackup, exitCodes.badInput);
      const source = path.resolve(file);
      readBackup(source);
      const result = await withDataLock(config.dataDir, () =>
        restoreEmbedded(source, config.dataDir, {
          replace: options.replace ?? false,
          holdsDatabase: holdsEmbeddedDatabase(config.dataDir),
        }),
      );
      print(
        options,
        { file: source, dataDir: config.dataDir, ...result },
        () =>
          `Restored ${config.dataDir} from ${source} (made ${result.header.createdAt}).` +
          (result.movedAside ? ` The database it replaced is in ${result.movedAside}.` : '') +
          ' Start the server with the master key the backup was made under.',
      );
    });
}

const postgresBackup =
  'On PostgreSQL, back up with pg_dump and restore with pg_restore (see the README: ' +
  '`pg_dump -Fc -f skillproof.dump "$DATABASE_URL"`); keep SKILLPROOF_MASTER_KEY apart from the dump.';

/**
 * Asks the running server at `url` for a backup (`GET /api/admin/backup`, an instance admin's token), checks the
 * file it sends (format, checksum, schema) and only then gives it its name.
 */
async function backupThroughServer(
  given: string,
  token: string | undefined,
  target: string,
): Promise<{ header: BackupHeader; server: string }> {
  const url = instanceUrl(given);
  const bearer = token || process.env.SKILLPROOF_TOKEN || savedLogin(url)?.token;
  if (!bearer) {
    throw new CliError(
      `The backup is taken by the Skillproof server at ${url}, for an instance admin: sign in with ` +
        `\`skillproof login --url ${url}\` (or set SKILLPROOF_TOKEN, or pass --token).`,
    );
  }
  let response: Response;
  try {
    response = await fetch(`${url}/api/admin/backup`, { headers: { authorization: `Bearer ${bearer}` } });
  } catch {
    throw new CliError(`No Skillproof server answers at ${url}.`);
  }
  if (!response.ok) {
    const text = await response.text();
    let detail: string | undefined;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail;
    } catch {
      detail = undefined;
    }
    throw new CliError(
      `The server at ${url} did not give a backup: ${detail ?? `HTTP ${response.status}`}`,
      response.status === 409 ? exitCodes.badInput : exitCodes.failure,
    );
  }
  const partial = `${target}.partial`;
  writeFileSync(partial, Buffer.from(await response.arrayBuffer()), { mode: 0o600 });
  try {
    const { header } = readBackup(partial);
    renameSync(partial, target);
    return { header, server: url };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
