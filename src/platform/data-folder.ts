import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { RefusedToStart } from './errors.js';

/**
 * Starting on an empty data folder is a first run, and a first run must be asked for (`--init`): a folder that
 * was deleted, moved or not mounted looks exactly like a new one, and serving it would silently replace an
 * instance with an empty one. The same holds for a PostgreSQL database without Skillproof's tables (a wrong
 * database name in DATABASE_URL).
 */

/** What may sit in a folder that is initialized: an operator's master key, our lock, a fresh volume's lost+found. */
const harmless = new Set(['master.key', 'lost+found', 'skillproof.lock', '.DS_Store']);

/** Whether the folder holds an embedded database (PostgreSQL's PG_VERSION is written by initdb, first of all). */
export function holdsEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

const restoreHint =
  'If you expected your data here, do not initialize: the folder was moved, deleted or is not mounted. Point ' +
  'SKILLPROOF_DATA_DIR at it, or restore a backup with `skillproof db restore FILE`.';

/** Refuses an embedded data folder without a database, unless this is an explicit first run. */
export function assertDataFolder(dataDir: string, init: boolean): void {
  if (holdsEmbeddedDatabase(dataDir)) return;
  const entries = existsSync(dataDir) ? readdirSync(dataDir).filter((name) => !harmless.has(name)) : [];
  if (!init) {
    throw new RefusedToStart(
      `There is no Skillproof database in ${dataDir} (the folder is ${existsSync(dataDir) ? 'empty' : 'missing'}). ` +
        'If this is a new instance, start it once with `skillproof serve --init` (`npm start` does) or run ' +
        `\`skillproof db migrate --init\`. ${restoreHint}`,
    );
  }
  if (entries.some((name) => !name.startsWith('skillproof.lock'))) {
    throw new RefusedToStart(
      `${dataDir} holds files that are not a Skillproof database (${entries.slice(0, 3).join(', ')}` +
        `${entries.length > 3 ? ', …' : ''}): a new database is only made in an empty folder. ` +
        'Set SKILLPROOF_DATA_DIR to an empty or new folder.',
    );
  }
}

/** Refuses a PostgreSQL database without Skillproof's tables, unless this is an explicit first run. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: this looks before migrating
export async function assertDatabaseInitialized(db: Kysely<any>, where: string, init: boolean): Promise<void> {
  if (init) return;
  const { rows } = await sql<{
    found: string | null;
  }>`select to_regclass('public.kysely_migration')::text as found`.execute(db);
  if (rows[0]?.found) return;
  throw new RefusedToStart(
    `There is no Skillproof database in ${where} (it has no Skillproof tables). If this is a new instance, start ` +
      'it once with `skillproof serve --init` or run `skillproof db migrate --init`. If you expected your data ' +
      'there, check the database name in DATABASE_URL, or restore it from your backup (pg_restore).',
  );
}
