import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The embedded database belongs to one process at a time. The server holds this lock on the data folder
 * while it runs; commands that open the database directly take it too, and refuse while another holds it,
 * rather than corrupt it. The lock is a folder (`skillproof.lock`, made atomically) whose holder writes its pid
 * and host into it: a holder on this machine whose pid is gone (`kill -9`, a crash, a power cut) is known dead
 * at once and its lock is broken, so a restart never waits; a live holder on this machine is never broken, even
 * when a long synchronous stretch kept it from touching the lock; one on another host that stopped touching the
 * lock for 10 s goes stale as before.
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

/** Whether the holder file names this very lock of this process. */
const isOurs = (dataDir: string, mine: LockHolder) => {
  const now = readHolder(dataDir);
  return now?.pid === mine.pid && now.startedAt === mine.startedAt;
};

/** Locks the data folder and records who holds it, breaking a dead holder's lock; explains a live holder. */
async function lock(
  dataDir: string,
  who: string,
  onCompromised?: (error: Error) => void,
): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const mine: LockHolder = { pid: process.pid, url: who, startedAt: new Date().toISOString(), hostname: hostname() };
  // proper-lockfile calls this when it could not touch the lock for 10 s. A long synchronous stretch (the embedded
  // database's first start on a busy machine) does that without anyone else taking the lock: processes on this
  // host never take a live holder's lock, so while the folder still names us, the lock is ours.
  const compromised = (error: Error) => {
    if (isOurs(dataDir, mine)) return;
    if (onCompromised) return onCompromised(error);
    console.error(`The lock on ${dataDir} was taken by another process (${error.message}); stopping.`);
    process.exit(1);
  };
  const take = () =>
    lockfile.lock(lockTarget(dataDir), { ...lockOptions, realpath: false, onCompromised: compromised });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const holder = readHolder(dataDir);
    const liveHere = holder !== undefined && holder.hostname === hostname() && !deadHolder(dataDir, holder);
    if (code === 'ENOTEMPTY' && !liveHere) {
      // A stale lock (untouched for 10 s) that still names its holder: proper-lockfile removes only empty ones.
      rmSync(holderFile(dataDir), { force: true });
      release = await take();
    } else if (code === 'ELOCKED' && holder && deadHolder(dataDir, holder) && breakDeadLock(dataDir, holder)) {
      release = await take().catch((again: NodeJS.ErrnoException) => {
        throw again.code === 'ELOCKED' ? new DataLockedError(dataDir, readHolder(dataDir)) : again;
      });
    } else if (code === 'ELOCKED' || code === 'ENOTEMPTY') {
      throw new DataLockedError(dataDir, holder);
    } else {
      throw error;
    }
  }
  const key = path.resolve(dataDir);
  heldHere.add(key);
  writeFileSync(holderFile(dataDir), JSON.stringify(mine));
  return async () => {
    heldHere.delete(key);
    const ours = isOurs(dataDir, mine);
    if (ours) rmSync(holderFile(dataDir), { force: true });
    try {
      await release();
    } catch (error) {
      // Released already: by proper-lockfile after a stall (see `compromised`), or by an earlier call of this
      // function. The folder is ours to remove only while it still names us; otherwise there is nothing to do.
      if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
      if (ours) rmSync(lockFolder(dataDir), { recursive: true, force: true });
    }
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
