import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../platform/config.js';
import { RefusedToStart } from '../platform/errors.js';

/** Where the master key came from: the environment, or the development key file in the data folder. */
export interface MasterKey {
  key: Buffer;
  source: string;
}

export interface MasterKeyOptions {
  /** How many sealed private keys the database holds: a key file is only ever made for a database with none. */
  sealedKeys?: number;
  warn?: (message: string) => void;
}

function parse(value: string, name: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64.`);
  return key;
}

export const masterKeyFile = (dataDir: string) => path.join(dataDir, 'master.key');

/**
 * The master key that seals issuer private keys: 32 bytes from SKILLPROOF_MASTER_KEY (base64 or hex). For
 * development, when it is absent, one is kept in the data folder, with a warning: in production the key belongs
 * in a secret store, apart from the database it protects. A key file is generated only for a database that holds
 * no sealed keys yet: when keys are stored and the file is gone, a new key could open none of them, so this
 * refuses to start instead of writing a replacement next to them.
 */
export function loadMasterKey(value: string | undefined, dataDir: string, options: MasterKeyOptions = {}): MasterKey {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (value) return { key: parse(value, 'SKILLPROOF_MASTER_KEY'), source: 'SKILLPROOF_MASTER_KEY' };
  const file = masterKeyFile(dataDir);
  if (existsSync(file))
    return { key: parse(readFileSync(file, 'utf8').trim(), `The master key in ${file}`), source: file };
  const sealed = options.sealedKeys ?? 0;
  if (sealed > 0) {
    throw new RefusedToStart(
      `The master key is missing: SKILLPROOF_MASTER_KEY is not set and ${file} does not exist, yet the database ` +
        `holds ${sealed} issuer key${sealed === 1 ? '' : 's'} sealed with a master key. Skillproof will not start ` +
        'and will not make a new key (it could open none of them). Set SKILLPROOF_MASTER_KEY to the key they were ' +
        `sealed with, or put it back in ${file} from your backup.`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // `wx`: never overwrite a key file that appeared meanwhile.
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  warn(
    `SKILLPROOF_MASTER_KEY is not set: generated a development master key in ${file}. ` +
      'Set SKILLPROOF_MASTER_KEY in production and keep it apart from the database.',
  );
  return { key, source: file };
}

/**
 * Refuses to start when the master key does not open the stored keys: every issuance would fail otherwise.
 * `total` and `failed` come from trying every sealed key (`Keys.checkSealed`).
 */
export function assertMasterKeyOpens(source: string, result: { total: number; failed: number }): void {
  if (result.failed === 0) return;
  const where = source === 'SKILLPROOF_MASTER_KEY' ? 'SKILLPROOF_MASTER_KEY' : `The master key in ${source}`;
  throw new RefusedToStart(
    `${where} does not open ${result.failed} of the ${result.total} issuer keys stored in the database: it is not ` +
      'the key they were sealed with (or the stored keys were altered). Skillproof will not start, since signing ' +
      'would fail. Use the master key these keys were sealed with, from your backup of it.',
  );
}
