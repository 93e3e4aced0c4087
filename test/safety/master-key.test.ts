import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { RefusedToStart } from '../../src/platform/errors.js';
import { createPlatform } from '../../src/app/platform.js';
import { startServer } from '../../src/app/server.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-master-key-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const config = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({ PORT: '0', SKILLPROOF_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });

/** Starts a server once so the database holds sealed issuer keys (the instance's, made on first use). */
async function withSealedKeys(dataDir: string, env: Record<string, string> = {}) {
  const platform = await createPlatform(config(dataDir, env));
  await platform.keys.didDocument(null);
  await platform.close();
}

describe('a missing or wrong master key', () => {
  it('refuses to start when master.key is gone, and writes no replacement', async () => {
    const dataDir = tempDir();
    await withSealedKeys(dataDir);
    const keyFile = path.join(dataDir, 'master.key');
    expect(existsSync(keyFile)).toBe(true);
    unlinkSync(keyFile);
    const start = startServer(config(dataDir), { print: () => {}, workers: false });
    await expect(start).rejects.toThrow(RefusedToStart);
    await expect(start).rejects.toThrow(/master key is missing.*issuer key.*will not make a new key/s);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('refuses to start when SKILLPROOF_MASTER_KEY is not the key the stored keys were sealed with', async () => {
    const dataDir = tempDir();
    const right = randomBytes(32).toString('hex');
    await withSealedKeys(dataDir, { SKILLPROOF_MASTER_KEY: right });
    const wrong = config(dataDir, { SKILLPROOF_MASTER_KEY: randomBytes(32).toString('hex') });
    await expect(startServer(wrong, { print: () => {}, workers: false })).rejects.toThrow(
      /SKILLPROOF_MASTER_KEY does not open 1 of the 1 issuer keys/,
    );
    // The right key still starts: nothing was changed by the refusal.
    const again = await createPlatform(config(dataDir, { SKILLPROOF_MASTER_KEY: right }));
    await again.close();
  });

  it('`skillproof serve` prints the reason, without a stack trace, and exits 1', async () => {
    const dataDir = tempDir();
    await withSealedKeys(dataDir);
    const keyFile = path.join(dataDir, 'master.key');
    const original = readFileSync(keyFile, 'utf8');
    unlinkSync(keyFile);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        DATABASE_URL: '',
        SKILLPROOF_MASTER_KEY: '',
        SKILLPROOF_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('The master key is missing');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(keyFile)).toBe(false);
    expect(original).toMatch(/^[0-9a-f]{64}\n$/);
  });
});
