import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** API tokens saved by `skillproof login`, one per server URL, readable only by the user. */
export interface SavedLogin {
  token: string;
  tokenId: string;
  email: string;
}

function file(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'skillproof', 'credentials.json');
}

function readAll(): Record<string, SavedLogin> {
  try {
    return JSON.parse(readFileSync(file(), 'utf8')) as Record<string, SavedLogin>;
  } catch {
    return {};
  }
}

export function savedLogin(url: string): SavedLogin | undefined {
  return readAll()[url];
}

export function saveLogin(url: string, login: SavedLogin | undefined): void {
  const all = readAll();
  if (login) all[url] = login;
  else delete all[url];
  mkdirSync(path.dirname(file()), { recursive: true, mode: 0o700 });
  writeFileSync(file(), JSON.stringify(all, null, 2), { mode: 0o600 });
  chmodSync(file(), 0o600);
}
