import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataLock, DataLockedError, withDataLock } from '../../src/platform/data-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  children.forEach((child) => child.kill('SIGKILL'));
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** Another process that takes the server's lock on the folder and keeps it until killed. */
async function holdLockInChild(dataDir: string): Promise<ChildProcess> {
  const script = `
    import { acquireDataLock } from './src/platform/data-lock.ts';
    await acquireDataLock(${JSON.stringify(dataDir)}, 'http://127.0.0.1:1', () => {});
    console.log('locked');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

describe('the data folder lock', () => {
  it('refuses while a live process holds it, naming that process', async () => {
    const dataDir = tempDir();
    const child = await holdLockInChild(dataDir);
    const refused = withDataLock(dataDir, async () => 'ran');
    await expect(refused).rejects.toThrow(DataLockedError);
    await expect(withDataLock(dataDir, async () => 'ran')).rejects.toThrow(
      `in use by a Skillproof server (pid ${child.pid}, http://127.0.0.1:1)`,
    );
    child.kill('SIGKILL');
  });

  it('starts at once after the holder was killed with SIGKILL, rather than blaming the dead process', async () => {
    const dataDir = tempDir();
    const child = await holdLockInChild(dataDir);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Well within the 10 s after which the lock would go stale on its own.
    const started = Date.now();
    const release = await acquireDataLock(dataDir, 'http://127.0.0.1:2', () => {});
    expect(Date.now() - started).toBeLessThan(2_000);
    // Held now by this process: another taker is refused, naming us.
    await expect(withDataLock(dataDir, async () => 'ran')).rejects.toThrow(`(pid ${process.pid}, http://127.0.0.1:2)`);
    await release();
    expect(await withDataLock(dataDir, async () => 'ran')).toBe('ran');
  });
});
