import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../platform/config.js';

/**
 * The master key that seals issuer private keys: 32 bytes from SKILLPROOF_MASTER_KEY (base64 or hex). For
 * development, when it is absent, one is generated once and kept in the data folder, with a warning: in
 * production the key belongs in a secret store, apart from the database it protects.
 */
export function loadMasterKey(
  value: string | undefined,
  dataDir: string,
  warn: (message: string) => void = (message) => console.warn(message),
): Buffer {
  if (value) {
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) throw new ConfigError('SKILLPROOF_MASTER_KEY must be 32 bytes, as 64 hex digits or base64.');
    return key;
  }
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) return loadMasterKey(readFileSync(file, 'utf8').trim(), dataDir, warn);
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  warn(
    `SKILLPROOF_MASTER_KEY is not set: generated a development master key in ${file}. ` +
      'Set SKILLPROOF_MASTER_KEY in production and keep it apart from the database.',
  );
  return key;
}
