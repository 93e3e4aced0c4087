import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { RefusedToStart } from '../errors.js';
import type { Database } from './schema.js';

export type Backend = 'pglite' | 'postgres';

/** An open database: the typed query builder plus what the job queue needs to share the connection. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  backend: Backend;
  /** The embedded instance, when the backend is PGlite (the job queue runs on the same one). */
  pglite?: PGlite;
  /** The connection string, when the backend is PostgreSQL. */
  url?: string;
  close(): Promise<void>;
}

// `pg` returns int8 (count, sum) as strings to avoid precision loss; our counts fit in a double, and
// PGlite already returns numbers, so both backends agree.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

// PGlite sends bytea parameters as hex text built one byte at a time (about 0.4 ms for a 7 KB credential
// document); returned as they are, they go over the wire in binary, as node-postgres sends Buffers.
const serializers = {
  [types.BYTEA]: (value: unknown) => {
    if (!(value instanceof Uint8Array)) throw new TypeError('A bytea parameter must be a Uint8Array.');
    return value as unknown as string;
  },
};

export interface OpenOptions {
  /** PostgreSQL URL; without it PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; `undefined` keeps the database in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Load amcheck into the embedded database (`skillproof db check`). */
  amcheck?: boolean;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection that the server ends (a restart, a terminated backend) is dropped by the pool, which
    // opens a new one when needed; the next query reports any lasting problem. Unhandled, the pool's 'error'
    // event would crash the process.
    pool.on('error', () => {});
    // Fail fast with a clear message rather than on the first query.
    const client = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(`Cannot connect to PostgreSQL at ${redact(options.url!)}: ${error.message}`);
    });
    client.release();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, backend: 'postgres', url: options.url, close: () => db.destroy() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const extensions = options.amcheck
    ? { amcheck: (await import('@electric-sql/pglite/contrib/amcheck')).amcheck }
    : undefined;
  const instance = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    serializers,
    ...(extensions ? { extensions } : {}),
  }).catch((error: Error) => {
    if (!options.dataDir) throw error;
    // PGlite says only that it "failed to initialize": name the folder, and the file it reads first.
    throw new RefusedToStart(
      `The embedded database in ${options.dataDir} cannot be opened (${error.message}). Its files are damaged ` +
        `(${path.join(options.dataDir, 'global', 'pg_control')}, the control file, is read first) or were not ` +
        'written by this version of Skillproof. Restore the folder from a backup (`skillproof db restore FILE`); ' +
        'keep the damaged one for inspection.',
    );
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: instance }) });
  return {
    db,
    backend: 'pglite',
    pglite: instance,
    async close() {
      await db.destroy();
      if (!instance.closed) await instance.close();
    },
  };
}

/** Hides the password of a connection string for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
