import { safeCsv } from '../issuance/bulk.js';

/**
 * The audit log of sensitive actions: revocations and suspensions, key rotations and retirements, role grants
 * and removals, instance-admin grants, trust-registry changes, sign-ins and account secrets, exports of personal
 * data (and, when hiring's blind review lands, reveals). Each entry says who (an account, or a command run on the
 * server), when, what, on which organization and from where (address and user agent). Entries are only ever
 * appended: the database refuses to change them, and deletes only those older than the retention period, in the
 * purge this module runs. An organization's owners read its entries; instance admins read them all.
 */

export interface AuditActor {
  /** session or token: an account over HTTP; anonymous: nobody signed in (a failed sign-in); command: the CLI. */
  kind: 'session' | 'token' | 'anonymous' | 'command';
  userId: string | null;
  email: string | null;
}

export interface NewAuditEntry {
  action: string;
  /** done, or refused (a failed sign-in): most actions are recorded only when they happen. */
  outcome?: 'done' | 'refused';
  actor: AuditActor;
  orgId?: string | null;
  /** What the action was on (`credentialId=…`, an email, a registry name). */
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry {
  id: string;
  at: Date;
  action: string;
  outcome: 'done' | 'refused';
  actor: AuditActor;
  orgId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditQuery {
  /** Only this organization's entries (owners); absent, every entry (instance admins). */
  orgId?: string;
  /** An action, or a family of them (`credential.` matches every credential action). */
  action?: string;
  since?: Date;
  until?: Date;
  /** Entries older than this one (the `id` of the last entry of the previous page). */
  before?: { at: Date; id: string };
  limit: number;
}

export interface AuditStore {
  insert(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  find(id: string): Promise<AuditEntry | undefined>;
  /** Deletes entries older than `cutoff` (the only delete the database allows); returns how many. */
  purgeBefore(cutoff: Date): Promise<number>;
}

export interface AuditDeps {
  store: AuditStore;
  /** Entries older than this are purged (at most once an hour, when something is recorded). */
  retentionDays: number;
  now?: () => Date;
}

export interface Audit {
  record(entry: NewAuditEntry): Promise<AuditEntry>;
  list(query: AuditQuery): Promise<AuditEntry[]>;
  find(id: string): Promise<AuditEntry | undefined>;
  /** Deletes what is past the retention period now; returns how many entries went. */
  purgeExpired(): Promise<number>;
  retentionDays: number;
}

const hourMs = 3_600_000;

export function createAudit({ store, retentionDays, now = () => new Date() }: AuditDeps): Audit {
  let lastPurge = 0;
  const purgeExpired = () => store.purgeBefore(new Date(now().getTime() - retentionDays * 24 * hourMs));
  return {
    retentionDays,
    async record(entry) {
      const recorded = await store.insert(entry);
      if (now().getTime() - lastPurge > hourMs) {
        lastPurge = now().getTime();
        await purgeExpired();
      }
      return recorded;
    },
    list: (query) => store.list(query),
    find: (id) => store.find(id),
    purgeExpired,
  };
}

export const auditCsvColumns = [
  'id',
  'at',
  'action',
  'outcome',
  'actor_kind',
  'actor_user_id',
  'actor_email',
  'org_id',
  'target',
  'ip',
  'user_agent',
  'details',
] as const;

/** The entries as CSV for spreadsheets (cells that would run as formulas are neutralized). */
export function auditCsv(entries: AuditEntry[]): string {
  const rows = entries.map((e) => [
    e.id,
    e.at.toISOString(),
    e.action,
    e.outcome,
    e.actor.kind,
    e.actor.userId,
    e.actor.email,
    e.orgId,
    e.target,
    e.ip,
    e.userAgent,
    JSON.stringify(e.details),
  ]);
  return safeCsv([...auditCsvColumns], rows);
}
