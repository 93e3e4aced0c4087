import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** API tokens saved by `skillproof login`, one per server URL, readable only by the user. */
export interface SavedLogin {
  token: string;
  tokenId: string;
  email: string;
}

/** The file: the instance of the last login (`current`) and a login per instance URL. */
interface SavedLogins {
  current?: string;
  logins: Record<string, SavedLogin>;
}

function file(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'skillproof', 'credentials.json');
}

function readAll(): SavedLogins {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file(), 'utf8'));
  } catch {
    return { logins: {} };
  }
  if (!value || typeof value !== 'object') return { logins: {} };
  const saved = value as Partial<SavedLogins> & Record<string, unknown>;
  if (saved.logins && typeof saved.logins === 'object') {
    return { ...(typeof saved.current === 'string' ? { current: saved.current } : {}), logins: saved.logins };
  }
  // The first format: the logins by URL, with no remembered instance.
  return { logins: value as Record<string, SavedLogin> };
}

function writeAll(all: SavedLogins): void {
  mkdirSync(path.dirname(file()), { recursive: true, mode: 0o700 });
  writeFileSync(file(), JSON.stringify(all, null, 2), { mode: 0o600 });
  chmodSync(file(), 0o600);
}

export function savedLogin(url: string): SavedLogin | undefined {
  return readAll().logins[url];
}

/** The instance of the last `skillproof login`, while its login is saved. */
export function rememberedUrl(): string | undefined {
  const all = readAll();
  return all.current && all.logins[all.current] ? all.current : undefined;
}

/** Saves a login and makes its instance the one later commands talk to; `undefined` forgets it. */
export function saveLogin(url: string, login: SavedLogin | undefined): void {
  const all = readAll();
  if (login) {
    all.logins[url] = login;
    all.current = url;
  } else {
    delete all.logins[url];
    if (all.current === url) delete all.current;
  }
  writeAll(all);
}
