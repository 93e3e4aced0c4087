import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The embedded database belongs to one process at a time. The server holds this lock on the data folder
 * while it runs; commands that open the database directly check it first and refuse, rather than corrupt it.
 * A lock whose holder died goes stale after a few seconds, so a crash never locks the folder for good.
 */
export interface LockHolder {
  pid: number;
  url: string;
  startedAt: string;
}

const lockOptions = { stale: 10_000, update: 3_000 };
const lockTarget = (dataDir: string) => path.join(dataDir, 'skillproof');
const holderFile = (dataDir: string) => path.join(dataDir, 'server.json');

export class DataLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? `a Skillproof server (pid ${holder.pid}, ${holder.url})` : 'another Skillproof process';
    super(`The database in ${dataDir} is in use by ${who}. Stop it first, or run this command through it.`);
  }
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(holderFile(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** Locks the data folder, explaining who holds it when it is taken. */
async function lock(dataDir: string, onCompromised?: (error: Error) => void): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(lockTarget(dataDir), {
      ...lockOptions,
      realpath: false,
      ...(onCompromised ? { onCompromised } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataLockedError(dataDir, readHolder(dataDir));
    throw error;
  }
}

/** Takes the lock for a server; throws DataLockedError when another process holds it. */
export async function acquireDataLock(
  dataDir: string,
  url: string,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  const release = await lock(dataDir, onCompromised);
  writeFileSync(holderFile(dataDir), JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() }));
  return async () => {
    rmSync(holderFile(dataDir), { force: true });
    await release();
  };
}

/** For commands that open the database briefly: holds the lock for the duration of `work`. */
export async function withDataLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const release = await lock(dataDir);
  try {
    return await work();
  } finally {
    await release();
  }
}
