import { CliError, exitCodes } from './errors.js';
import { rememberedUrl, savedLogin } from './credentials.js';

export const defaultUrl = 'http://localhost:3000';

/** The instance a command talks to: --url, then SKILLPROOF_URL, then the one of the last login, then the default. */
export function instanceUrl(given?: string): string {
  const url = given || process.env.SKILLPROOF_URL || rememberedUrl() || defaultUrl;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new CliError(
      `${url} is not the address of a Skillproof instance (http:// or https://…).`,
      exitCodes.badInput,
    );
  }
  return url.replace(/\/+$/, '');
}

export interface ApiOptions {
  /** --url; see `instanceUrl` for what is used without it. */
  url?: string | undefined;
  /** Explicit token; otherwise SKILLPROOF_TOKEN, then the one saved by `skillproof login`. */
  token?: string | undefined;
  /** Send no credentials (sign-up and sign-in must not act as whoever is logged in). */
  anonymous?: boolean;
}

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** A small client for a running instance's HTTP API, turning problem responses into CLI errors. */
export function apiClient(options: ApiOptions) {
  const base = instanceUrl(options.url);
  const token = options.anonymous
    ? undefined
    : options.token || process.env.SKILLPROOF_TOKEN || savedLogin(base)?.token;

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; data: T; headers: Headers }> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    const raw = body instanceof Uint8Array;
    if (body !== undefined)
      headers['content-type'] = raw ? (extraHeaders['content-type'] ?? 'application/octet-stream') : 'application/json';
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: raw ? (body as Uint8Array) : JSON.stringify(body) }),
      });
    } catch {
      throw new CliError(`No Skillproof server answers at ${base}. Start one with \`skillproof serve\` or pass --url.`);
    }
    const text = await response.text();
    const data = text ? (JSON.parse(text) as T) : (undefined as T);
    if (!response.ok) {
      const problem = (data ?? {}) as ProblemBody;
      const fields = problem.errors?.map((e) => `  ${e.field}: ${e.message}`).join('\n');
      const message = [problem.detail ?? problem.title ?? `HTTP ${response.status}`, fields].filter(Boolean).join('\n');
      const code =
        response.status === 400 || response.status === 409 || response.status === 413 || response.status === 422
          ? exitCodes.badInput
          : exitCodes.failure;
      throw new CliError(message, code);
    }
    return { status: response.status, data, headers: response.headers };
  }

  return {
    base,
    hasToken: Boolean(token),
    request,
    get: <T>(path: string) => request<T>('GET', path).then((r) => r.data),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}).then((r) => r.data),
    /** Posts a file as it is (a CSV upload), with its media type. */
    upload: <T>(path: string, bytes: Uint8Array, type: string) =>
      request<T>('POST', path, bytes, { 'content-type': type }).then((r) => r.data),
    delete: (path: string) => request<void>('DELETE', path).then(() => undefined),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
