import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { RefusedToStart } from '../errors.js';
import type { DatabaseHandle } from './database.js';
import { knownMigrations } from './migrate.js';

/**
 * Backups of the embedded database: one file holding a header line (format, time, schema version, size and
 * SHA-256 of the body) and the body, PGlite's dump of its data folder (a gzipped tar, taken inside PGlite's query
 * lock, so it is consistent while the server runs). The master key never goes in: it must be kept apart from the
 * data it protects, so a stolen backup opens no issuer key.
 */
const magic = 'SKILLPROOF-BACKUP 1';

export interface BackupHeader {
  format: 1;
  createdAt: string;
  /** The newest migration applied: a build that does not know it is older than the backup. */
  schema: string;
  bytes: number;
  sha256: string;
}

/** Files of the data folder that are not the database: the master key and the server's lock. */
const excluded = (name: string) => {
  const bare = name.replace(/^\.?\/+/, '').replace(/^pglite\/data\/?/, '');
  return bare === 'master.key' || bare.startsWith('skillproof.lock');
};

/** A tar archive without the excluded entries (ustar: 512-byte headers, bodies padded to 512). */
function withoutExcluded(tar: Buffer): Buffer {
  const kept: Buffer[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = `${field(345, 155) ? `${field(345, 155)}/` : ''}${field(0, 100)}`;
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const total = 512 + Math.ceil(size / 512) * 512;
    if (!excluded(name)) kept.push(tar.subarray(offset, offset + total));
    offset += total;
  }
  kept.push(Buffer.alloc(1024));
  return Buffer.concat(kept);
}

async function newestMigration(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
    handle.db,
  );
  return rows[0]?.name ?? '';
}

/**
 * A backup of the open embedded database, as the bytes of a backup file. Safe while the server runs: a checkpoint
 * first (so the copied files need little recovery), then the dump inside PGlite's transaction lock, so no
 * transaction is half done in it and no statement runs while the files are read; requests wait that long.
 */
export async function backupBytes(handle: DatabaseHandle): Promise<{ header: BackupHeader; bytes: Buffer }> {
  const pglite = handle.pglite;
  if (!pglite) throw new Error('Backups of PostgreSQL are made with pg_dump (see the README).');
  // Migrations run only at start, so the schema read now is the one the copy holds.
  const schema = await newestMigration(handle);
  await pglite.exec('checkpoint');
  // PGlite's own queries take this lock too, so nothing else can run inside it: only the dump.
  const dump = await pglite._runExclusiveTransaction(() => pglite.dumpDataDir('none'));
  // Compressed off the main thread: a running server keeps answering meanwhile.
  const body = await promisify(gzip)(withoutExcluded(Buffer.from(await dump.arrayBuffer())));
  const header: BackupHeader = {
    format: 1,
    createdAt: new Date().toISOString(),
    schema,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
  return { header, bytes: Buffer.concat([Buffer.from(`${magic}\n${JSON.stringify(header)}\n`), body]) };
}

/** Writes `bytes` to `file` atomically: a partial file never has the name. */
export function writeBackupFile(file: string, bytes: Uint8Array): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes, { mode: 0o600 });
  renameSync(partial, file);
}

/** Writes a backup of the open embedded database to `file` (atomically: a partial file never has the name). */
export async function backupEmbedded(handle: DatabaseHandle, file: string): Promise<BackupHeader> {
  const { header, bytes } = await backupBytes(handle);
  writeBackupFile(file, bytes);
  return header;
}

/** Reads and checks a backup: its format, checksum, and that this build knows its schema. */
export function readBackup(file: string): { header: BackupHeader; tar: Buffer } {
  if (!existsSync(file)) throw new RefusedToStart(`There is no backup at ${file}.`);
  const bytes = readFileSync(file);
  const first = bytes.indexOf(0x0a);
  const second = first < 0 ? -1 : bytes.indexOf(0x0a, first + 1);
  if (first < 0 || second < 0 || bytes.subarray(0, first).toString() !== magic) {
    throw new RefusedToStart(`${file} is not a Skillproof backup.`);
  }
  let header: BackupHeader;
  try {
    header = JSON.parse(bytes.subarray(first + 1, second).toString()) as BackupHeader;
  } catch {
    throw new RefusedToStart(`${file} is not a Skillproof backup (its header is unreadable).`);
  }
  const body = bytes.subarray(second + 1);
  const sum = createHash('sha256').update(body).digest('hex');
  if (body.length !== header.bytes || sum !== header.sha256) {
    throw new RefusedToStart(
      `${file} is damaged or incomplete: its checksum does not match (${body.length} of ${header.bytes} bytes).`,
    );
  }
  if (header.schema && !knownMigrations().includes(header.schema)) {
    throw new RefusedToStart(
      `${file} comes from a newer Skillproof (its schema reaches ${header.schema}, which this version does not ` +
        'know). Restore it with that version or a later one.',
    );
  }
  return { header, tar: gunzipSync(body) };
}

/**
 * Restores a backup into `dataDir` (the caller holds the folder's lock), which must hold no database: with
 * `replace`, the folder's contents are moved aside first, into a sibling folder, never deleted. A development
 * master.key moved aside is copied back (the start then checks it opens the restored keys).
 */
export async function restoreEmbedded(
  file: string,
  dataDir: string,
  options: { replace?: boolean; holdsDatabase: boolean },
): Promise<{ header: BackupHeader; movedAside?: string }> {
  const { header, tar } = readBackup(file);
  let movedAside: string | undefined;
  if (options.holdsDatabase) {
    if (!options.replace) {
      throw new RefusedToStart(
        `${dataDir} already holds a database. Restore into an empty folder, or add --replace to move this one ` +
          'aside (it is kept, in a folder next to it) and restore in its place.',
      );
    }
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    mkdirSync(movedAside);
    for (const name of readdirSync(dataDir)) {
      if (!name.startsWith('skillproof.lock')) renameSync(path.join(dataDir, name), path.join(movedAside, name));
    }
    if (existsSync(path.join(movedAside, 'master.key'))) {
      copyFileSync(path.join(movedAside, 'master.key'), path.join(dataDir, 'master.key'));
    }
  }
  const instance = await PGlite.create({ dataDir, loadDataDir: new Blob([new Uint8Array(tar)]) });
  await instance.query('select 1');
  await instance.close();
  return { header, ...(movedAside ? { movedAside } : {}) };
}
