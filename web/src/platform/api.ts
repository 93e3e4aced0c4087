/** The web app's only way to the server: JSON over the HTTP API, problems turned into ApiError. */
// The same types the server's domain uses; type-only, so no server code reaches the bundle.
import type { Membership, User } from '../../../src/accounts/store.js';
export type { Member, Membership, Organization, User } from '../../../src/accounts/store.js';
export type { Role } from '../../../src/accounts/roles.js';

export interface Session {
  user: User;
  memberships: Membership[];
  csrfToken: string | null;
  /** An instance admin (manages the registry of trusted issuers). */
  isAdmin: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return request<T>(
    method,
    path,
    body === undefined ? undefined : { type: 'application/json', content: JSON.stringify(body) },
  );
}

/** Sends a file as it is (a CSV, say), for routes that take the bytes rather than JSON. */
export function upload<T>(path: string, file: Blob, type: string): Promise<T> {
  return request<T>('POST', path, { type, content: file });
}

async function request<T>(method: string, path: string, body?: { type: string; content: BodyInit }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body) headers['content-type'] = body.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body ? { body: body.content } : {}),
  });
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(
      response.status,
      data.type ?? '',
      data.detail ?? data.title ?? `The server answered ${response.status}.`,
      data.errors ?? [],
    );
  }
  return data as T;
}
