import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The embedded database belongs to one process at a time. The server holds this lock on the data folder
 * while it runs; commands that open the database directly take it too, and refuse while another holds it,
 * rather than corrupt it. The lock is a folder (`skillproof.lock`, made atomically) whose holder writes its pid
 * and host into it: a holder on this machine whose pid is gone (`kill -9`, a crash, a power cut) is known dead
 * at once and its lock is broken, so a restart never waits; a holder that stopped touching the lock for 10 s
 * (another host, a frozen process) goes stale as before.
 */
export interface LockHolder {
  pid: number;
  /** The server's address, or the command holding the lock. */
  url: string;
  startedAt: string;
  hostname?: string;
}

const lockOptions = { stale: 10_000, update: 3_000 };
const lockTarget = (dataDir: string) => path.join(dataDir, 'skillproof');
const lockFolder = (dataDir: string) => path.join(dataDir, 'skillproof.lock');
const holderFile = (dataDir: string) => path.join(lockFolder(dataDir), 'holder.json');

/** Data folders this process holds: a holder with our own pid is only alive when it is one of these. */
const heldHere = new Set<string>();

export class DataLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? holder.url.startsWith('http')
        ? `a Skillproof server (pid ${holder.pid}, ${holder.url})`
        : `a Skillproof command (pid ${holder.pid}, ${holder.url})`
      : 'another Skillproof process';
    super(`The database in ${dataDir} is in use by ${who}. Stop it first, or run this command through it.`);
  }
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(holderFile(dataDir), 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs on this machine (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A holder known to be dead: it wrote its pid from this host, and no process has that pid now. A pid equal to
 * ours belongs to an earlier process of the same number (a container restarted as pid 1) unless we hold the lock.
 */
function deadHolder(dataDir: string, holder: LockHolder | undefined): boolean {
  if (!holder || holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(path.resolve(dataDir));
  return !processAlive(holder.pid);
}

/**
 * Breaks the lock of a dead holder: the folder is renamed away (atomic, so of two processes breaking it at once
 * only one succeeds), then removed. Returns false when the lock had changed hands meanwhile.
 */
function breakDeadLock(dataDir: string, dead: LockHolder): boolean {
  const aside = `${lockFolder(dataDir)}.dead-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(lockFolder(dataDir), aside);
  } catch {
    return false;
  }
  let moved: LockHolder | undefined;
  try {
    moved = JSON.parse(readFileSync(path.join(aside, 'holder.json'), 'utf8')) as LockHolder;
  } catch {
    moved = undefined;
  }
  rmSync(aside, { recursive: true, force: true });
  return moved?.pid === dead.pid && moved.startedAt === dead.startedAt;
}

function takeLock(dataDir: string, onCompromised?: (error: Error) => void) {
  return lockfile.lock(lockTarget(dataDir), {
    ...lockOptions,
    realpath: false,
    ...(onCompromised ? { onCompromised } : {}),
  });
}

/** Locks the data folder and records who holds it, breaking a dead holder's lock; explains a live holder. */
async function lock(
  dataDir: string,
  who: string,
  onCompromised?: (error: Error) => void,
): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await takeLock(dataDir, onCompromised);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const holder = readHolder(dataDir);
    if (code === 'ENOTEMPTY') {
      // A stale lock (untouched for 10 s) that still names its holder: proper-lockfile removes only empty ones.
      rmSync(holderFile(dataDir), { force: true });
      release = await takeLock(dataDir, onCompromised);
    } else if (code === 'ELOCKED' && holder && deadHolder(dataDir, holder) && breakDeadLock(dataDir, holder)) {
      release = await takeLock(dataDir, onCompromised).catch((again: NodeJS.ErrnoException) => {
        throw again.code === 'ELOCKED' ? new DataLockedError(dataDir, readHolder(dataDir)) : again;
      });
    } else if (code === 'ELOCKED') {
      throw new DataLockedError(dataDir, holder);
    } else {
      throw error;
    }
  }
  const key = path.resolve(dataDir);
  heldHere.add(key);
  const holder: LockHolder = { pid: process.pid, url: who, startedAt: new Date().toISOString(), hostname: hostname() };
  writeFileSync(holderFile(dataDir), JSON.stringify(holder));
  return async () => {
    heldHere.delete(key);
    try {
      unlinkSync(holderFile(dataDir));
    } catch {
      // Already gone (a compromised lock).
    }
    await release();
  };
}

/** Takes the lock for a server; throws DataLockedError when another live process holds it. */
export async function acquireDataLock(
  dataDir: string,
  url: string,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  return lock(dataDir, url, onCompromised);
}

/** For commands that open the database briefly: holds the lock for the duration of `work`. */
export async function withDataLock<T>(dataDir: string, work: () => Promise<T>, command = 'skillproof'): Promise<T> {
  const release = await lock(dataDir, command);
  try {
    return await work();
  } finally {
    await release();
  }
}
