import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../platform/db/schema.js';
import type { AuditEntry, AuditQuery, AuditStore, NewAuditEntry } from './audit.js';

const toEntry = (row: Selectable<AuditLogTable>): AuditEntry => ({
  id: row.id,
  at: row.at,
  action: row.action,
  outcome: row.outcome,
  actor: { kind: row.actor_kind, userId: row.actor_user_id, email: row.actor_email },
  orgId: row.org_id,
  target: row.target,
  details: row.details,
  ip: row.ip,
  userAgent: row.user_agent,
});

/** The audit log's SQL: inserts and reads; the one delete is the retention purge. */
export function createAuditStore(db: Kysely<Database>): AuditStore {
  return {
    async insert(entry: NewAuditEntry) {
      const row = await db
        .insertInto('audit_log')
        .values({
          id: randomUUID(),
          action: entry.action,
          outcome: entry.outcome ?? 'done',
          actor_kind: entry.actor.kind,
          actor_user_id: entry.actor.userId,
          actor_email: entry.actor.email,
          org_id: entry.orgId ?? null,
          target: entry.target ?? null,
          details: JSON.stringify(entry.details ?? {}),
          ip: entry.ip ?? null,
          user_agent: entry.userAgent?.slice(0, 500) ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },

    async list(query: AuditQuery) {
      let select = db.selectFrom('audit_log').selectAll();
      if (query.orgId) select = select.where('org_id', '=', query.orgId);
      if (query.action) {
        const action = query.action;
        select = action.endsWith('.')
          ? select.where(sql<boolean>`starts_with(action, ${action})`)
          : select.where('action', '=', action);
      }
      if (query.since) select = select.where('at', '>=', query.since);
      if (query.until) select = select.where('at', '<', query.until);
      if (query.before) {
        const { at, id } = query.before;
        select = select.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
      }
      const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
      return rows.map(toEntry);
    },

    async find(id: string) {
      const row = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toEntry(row) : undefined;
    },

    async purgeBefore(cutoff: Date) {
      return db.transaction().execute(async (trx) => {
        // The table's trigger lets a delete through only in a transaction that declares itself the purge.
        await sql`select set_config('skillproof.audit_purge', 'on', true)`.execute(trx);
        const result = await trx.deleteFrom('audit_log').where('at', '<', cutoff).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
    },
  };
}
