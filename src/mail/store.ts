import { sql, type Kysely } from 'kysely';
import type { Database, OutboxState } from '../platform/db/schema.js';

export type { OutboxState } from '../platform/db/schema.js';

export const outboxStates = [
  'kept',
  'pending',
  'queued',
  'retrying',
  'sent',
  'dead',
] as const satisfies readonly OutboxState[];

/** An outbox message as instance admins see it: where it stands, never its text (which holds single-use links). */
export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  orgId: string | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/** The SQL behind the outbox. */
export function createMailStore(db: Kysely<Database>) {
  const now = sql<Date>`now()`;
  return {
    async message(id: string) {
      return db
        .selectFrom('outbox')
        .select(['to_email', 'subject', 'text', 'state'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async markSent(id: string): Promise<void> {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          state: 'sent',
          attempts: eb('attempts', '+', 1),
          sent_at: now,
          last_error: null,
          updated_at: now,
        }))
        .where('id', '=', id)
        .execute();
    },

    async markFailed(id: string, dead: boolean, error: string): Promise<void> {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          state: dead ? 'dead' : 'retrying',
          attempts: eb('attempts', '+', 1),
          last_error: error,
          updated_at: now,
        }))
        .where('id', '=', id)
        .execute();
    },

    /** The oldest pending messages, at most `limit`. */
    async pending(limit: number) {
      return db
        .selectFrom('outbox')
        .select(['id', 'attempts'])
        .where('state', '=', 'pending')
        .orderBy('created_at')
        .limit(limit)
        .execute();
    },

    /** Marks those of the messages still pending as queued. */
    async markQueued(ids: string[]): Promise<void> {
      await db
        .updateTable('outbox')
        .set({ state: 'queued', updated_at: now })
        .where('id', 'in', ids)
        .where('state', '=', 'pending')
        .execute();
    },

    async insert(message: { id: string; orgId: string | null; to: string; subject: string; text: string }) {
      await db
        .insertInto('outbox')
        .values({
          id: message.id,
          org_id: message.orgId,
          to_email: message.to,
          subject: message.subject,
          text: message.text,
          claim_id: null,
        })
        .execute();
    },

    async list(options: { state?: OutboxState | undefined; limit: number }): Promise<OutboxEntry[]> {
      let query = db
        .selectFrom('outbox')
        .select([
          'id',
          'to_email',
          'subject',
          'org_id',
          'state',
          'attempts',
          'last_error',
          'created_at',
          'updated_at',
          'sent_at',
        ])
        .orderBy('updated_at', 'desc')
        .orderBy('id')
        .limit(options.limit);
      if (options.state) query = query.where('state', '=', options.state);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        to: r.to_email,
        subject: r.subject,
        orgId: r.org_id,
        state: r.state,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at),
        sentAt: r.sent_at ? new Date(r.sent_at) : null,
      }));
    },

    async counts(): Promise<Record<OutboxState, number>> {
      const rows = await db
        .selectFrom('outbox')
        .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('state')
        .execute();
      const result = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>;
      for (const row of rows) result[row.state] = Number(row.n);
      return result;
    },

    async state(id: string): Promise<OutboxState | undefined> {
      const row = await db.selectFrom('outbox').select('state').where('id', '=', id).executeTakeFirst();
      return row?.state;
    },

    /** A dead message back to pending (only if it is still dead). */
    async revive(id: string): Promise<void> {
      await db
        .updateTable('outbox')
        .set({ state: 'pending', updated_at: now })
        .where('id', '=', id)
        .where('state', '=', 'dead')
        .execute();
    },
  };
}

export type MailStore = ReturnType<typeof createMailStore>;
