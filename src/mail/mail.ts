import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, OutboxState } from '../platform/db/schema.js';
import { conflict, notFound } from '../platform/errors.js';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.js';
import { mailErrorText, type MailMessage, type MailTransport } from '../platform/mail/transport.js';

export const mailJobName = 'mail.send';

export const outboxStates = [
  'kept',
  'pending',
  'queued',
  'retrying',
  'sent',
  'dead',
] as const satisfies readonly OutboxState[];

/** What logs may say about a message: its id and state, never its text (links are secrets) or the SMTP password. */
export interface MailLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MailDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  /** Absent: messages stay in the outbox (state `pending`) and nothing is sent. */
  transport?: MailTransport | undefined;
  /** The SMTP URL, so its password can be taken out of error texts. */
  smtpUrl?: string | undefined;
  /** Retries after the first attempt before a message is dead (pg-boss backs off from 1 s to 60 s). */
  retryLimit?: number;
  /** How often a worker looks for messages other processes wrote (claim notices from bulk runs). */
  sweepIntervalMs?: number;
  logger?: MailLogger | undefined;
}

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

const sweepBatch = 200;

/**
 * Mail: notices are written to the outbox (by this module or by a capability's own transaction), and when
 * SMTP is configured each is delivered by a job of its own (`mail.send`, keyed by the message, so it is sent
 * once however often it is queued), retried with backoff and finally marked `dead` for an admin to see and
 * retry. Without SMTP the outbox is where notices stay.
 */
export function createMail(deps: MailDeps) {
  const { db, queue, transport } = deps;
  const retryLimit = deps.retryLimit ?? 10;
  const now = sql<Date>`now()`;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;
  let again = false;

  const job: JobDefinition<{ outboxId: string }> = {
    name: mailJobName,
    retryLimit,
    expireInSeconds: 120,
    async handler({ outboxId }, { attempt }) {
      if (!transport) throw new Error('No SMTP server is configured');
      const row = await db
        .selectFrom('outbox')
        .select(['to_email', 'subject', 'text', 'state'])
        .where('id', '=', outboxId)
        .executeTakeFirst();
      if (!row || row.state === 'sent' || row.state === 'kept') return { skipped: true };
      try {
        const { messageId } = await transport.send({ to: row.to_email, subject: row.subject, text: row.text });
        await db
          .updateTable('outbox')
          .set((eb) => ({
            state: 'sent',
            attempts: eb('attempts', '+', 1),
            sent_at: now,
            last_error: null,
            updated_at: now,
          }))
          .where('id', '=', outboxId)
          .execute();
        deps.logger?.info({ outboxId, attempt: attempt + 1 }, 'mail sent');
        return { messageId };
      } catch (error) {
        const dead = attempt >= retryLimit;
        const text = mailErrorText(error, deps.smtpUrl ?? '');
        await db
          .updateTable('outbox')
          .set((eb) => ({
            state: dead ? 'dead' : 'retrying',
            attempts: eb('attempts', '+', 1),
            last_error: text,
            updated_at: now,
          }))
          .where('id', '=', outboxId)
          .execute();
        deps.logger?.warn({ outboxId, attempt: attempt + 1, dead, error: text }, 'mail not sent');
        // The job's recorded error is the cleaned text too; the original (which may quote the server's
        // greeting or the login) is left behind on purpose.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(text);
      }
    },
  };

  /** Queues a job for each pending message; returns how many were queued. Safe to run in many processes at once. */
  async function sweepOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'attempts'])
        .where('state', '=', 'pending')
        .orderBy('created_at')
        .limit(sweepBatch)
        .execute();
      if (rows.length === 0) return total;
      // The job first, then the state: a crash in between leaves the message pending, and queuing it again
      // finds the same job (its key names the message and how often it was tried).
      for (const row of rows) {
        await queue.enqueue(mailJobName, { outboxId: row.id }, { key: `${row.id}:${row.attempts}` });
      }
      await db
        .updateTable('outbox')
        .set({ state: 'queued', updated_at: now })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .where('state', '=', 'pending')
        .execute();
      total += rows.length;
      if (rows.length < sweepBatch) return total;
    }
  }

  /** One sweep at a time per process; a request for another while one runs runs once more after it. */
  function sweep(): Promise<number> {
    if (!transport) return Promise.resolve(0);
    if (sweeping) {
      again = true;
      return sweeping;
    }
    sweeping = (async () => {
      let queued = 0;
      try {
        do {
          again = false;
          queued += await sweepOnce();
        } while (again);
      } finally {
        sweeping = undefined;
      }
      return queued;
    })();
    return sweeping;
  }

  function kick(): void {
    if (!transport) return;
    sweep().catch((error: unknown) =>
      deps.logger?.warn({ error: error instanceof Error ? error.message : String(error) }, 'mail sweep failed'),
    );
  }

  /** Writes a message to the outbox and, with SMTP, has it sent. */
  async function send(message: MailMessage & { orgId?: string | null }): Promise<string> {
    const id = randomUUID();
    await db
      .insertInto('outbox')
      .values({
        id,
        org_id: message.orgId ?? null,
        to_email: message.to,
        subject: message.subject,
        text: message.text,
        claim_id: null,
      })
      .execute();
    kick();
    return id;
  }

  async function list(options: { state?: OutboxState | undefined; limit?: number } = {}): Promise<OutboxEntry[]> {
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
      .limit(options.limit ?? 100);
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
  }

  async function counts(): Promise<Record<OutboxState, number>> {
    const rows = await db
      .selectFrom('outbox')
      .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('state')
      .execute();
    const result = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>;
    for (const row of rows) result[row.state] = Number(row.n);
    return result;
  }

  /**
   * Sends a dead message again (after the SMTP server or the address was fixed); without SMTP it waits in the
   * outbox like any new message.
   */
  async function retry(id: string): Promise<void> {
    const row = await db.selectFrom('outbox').select('state').where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('That message');
    if (row.state !== 'dead') throw conflict(`Only a dead message can be sent again; this one is ${row.state}.`);
    await db
      .updateTable('outbox')
      .set({ state: 'pending', updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'dead')
      .execute();
    kick();
  }

  return {
    /** Whether messages are delivered (SMTP configured) or kept in the outbox. */
    delivers: transport !== undefined,
    job,
    send,
    sweep,
    kick,
    list,
    counts,
    retry,
    /** Sweeps now and then in a worker process, for messages other processes wrote. */
    startSweeping(): void {
      if (!transport || timer) return;
      timer = setInterval(kick, deps.sweepIntervalMs ?? 5000);
      timer.unref();
      kick();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping?.catch(() => undefined);
      transport?.close();
    },
  };
}

export type Mail = ReturnType<typeof createMail>;
