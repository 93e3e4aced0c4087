import path from 'node:path';

/** Everything the platform reads from the environment, parsed once and validated. */
export interface Config {
  /** TCP port of the HTTP server. */
  port: number;
  /** Interface to bind; `0.0.0.0` in containers. */
  host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database and other local state. */
  dataDir: string;
  /** Public base URL of this instance, used in links and DIDs. */
  publicUrl: string;
  logLevel: string;
  /** How long a sign-in lasts. */
  sessionTtlHours: number;
  /** Trust X-Forwarded-* headers (set when running behind a TLS-terminating proxy). */
  trustProxy: boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** SKILLPROOF_MASTER_KEY as given (sealing issuer keys); a development key is made when absent. */
  masterKey: string | undefined;
  /** Outbound fetches (foreign DIDs, status lists, credential URLs): allow private addresses / plain http. */
  fetchAllowPrivate: boolean;
  fetchAllowHttp: boolean;
  /** The deadline for one outbound fetch in all (redirects included), in milliseconds. */
  fetchTimeoutMs: number;
  /** Client addresses exempt from rate limits (an internal verification service, a load test). */
  rateLimitAllowList?: string[];
  /** SKILLPROOF_SMTP_URL: deliver notices by SMTP; absent, they stay in the outbox. */
  smtpUrl?: string | undefined;
  /** The From header of the mail this instance sends. */
  mailFrom?: string;
  /** Failed sign-ins per account email within `signInLockMinutes` before sign-in is refused for it. */
  signInFailuresPerAccount?: number;
  signInLockMinutes?: number;
  /** How long audit log entries are kept, in days (SKILLPROOF_AUDIT_RETENTION_DAYS). */
  auditRetentionDays?: number;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const flag = (value: string | undefined) => value === '1' || value === 'true';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const publicUrl = (env.SKILLPROOF_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`SKILLPROOF_PUBLIC_URL is not a URL: "${publicUrl}"`);
  }
  const smtpUrl = env.SKILLPROOF_SMTP_URL || undefined;
  if (smtpUrl) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(smtpUrl);
    } catch {
      parsed = undefined;
    }
    // The URL itself is never repeated: it may hold the SMTP password.
    if (!parsed || !['smtp:', 'smtps:'].includes(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError('SKILLPROOF_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
    }
  }
  const mailFrom = env.SKILLPROOF_MAIL_FROM || `Skillproof <no-reply@${new URL(publicUrl).hostname}>`;
  if (!/^[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) {
    throw new ConfigError(`SKILLPROOF_MAIL_FROM must be an address or "Name <address>", got "${mailFrom}"`);
  }
  return {
    port,
    host,
    databaseUrl,
    dataDir: path.resolve(env.SKILLPROOF_DATA_DIR || 'data'),
    publicUrl,
    // A line per request is what an operator wants in production; on a developer's machine it buries the warnings.
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'production' ? 'info' : 'warn'),
    sessionTtlHours: integer(env, 'SKILLPROOF_SESSION_TTL_HOURS', 24 * 14, 1, 24 * 365),
    trustProxy: flag(env.SKILLPROOF_TRUST_PROXY),
    bodyLimitBytes: integer(env, 'SKILLPROOF_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    masterKey: env.SKILLPROOF_MASTER_KEY || undefined,
    fetchAllowPrivate: flag(env.SKILLPROOF_FETCH_ALLOW_PRIVATE),
    fetchAllowHttp: flag(env.SKILLPROOF_FETCH_ALLOW_HTTP),
    fetchTimeoutMs: integer(env, 'SKILLPROOF_FETCH_TIMEOUT_MS', 5_000, 100, 120_000),
    rateLimitAllowList: (env.SKILLPROOF_RATE_LIMIT_ALLOW ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    smtpUrl,
    mailFrom,
    signInFailuresPerAccount: integer(env, 'SKILLPROOF_SIGN_IN_FAILURES_PER_ACCOUNT', 10, 1, 1000),
    signInLockMinutes: integer(env, 'SKILLPROOF_SIGN_IN_LOCK_MINUTES', 15, 1, 24 * 60),
    auditRetentionDays: integer(env, 'SKILLPROOF_AUDIT_RETENTION_DAYS', 730, 30, 36_500),
  };
}
