import { randomUUID } from 'node:crypto';
import { DomainError, conflict, notFound } from '../platform/errors.js';
import type { JobDefinition, JobQueue } from '../platform/jobs/queue.js';
import { mailErrorText, type MailMessage, type MailTransport } from '../platform/mail/transport.js';
import type { MailStore, OutboxEntry, OutboxState } from './store.js';

export { outboxStates, type OutboxEntry } from './store.js';

export const mailJobName = 'mail.send';

/** What logs may say about a message: its id and state, never its text (links are secrets) or the SMTP password. */
export interface MailLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MailDeps {
  store: MailStore;
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
  /** Whether the user is an instance admin: the outbox (who was sent what, and when) is theirs alone. */
  isAdmin: (userId: string) => Promise<boolean>;
}

const sweepBatch = 200;

/**
 * Mail: notices are written to the outbox (by this module or by a capability's own transaction), and when
 * SMTP is configured each is delivered by a job of its own (`mail.send`, keyed by the message, so it is sent
 * once however often it is queued), retried with backoff and finally marked `dead` for an admin to see and
 * retry. Without SMTP the outbox is where notices stay.
 */
export function createMail(deps: MailDeps) {
  const { store, queue, transport } = deps;
  const retryLimit = deps.retryLimit ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;
  let again = false;

  const job: JobDefinition<{ outboxId: string }> = {
    name: mailJobName,
    retryLimit,
    expireInSeconds: 120,
    async handler({ outboxId }, { attempt }) {
      if (!transport) throw new Error('No SMTP server is configured');
      const row = await store.message(outboxId);
      if (!row || row.state === 'sent' || row.state === 'kept') return { skipped: true };
      try {
        const { messageId } = await transport.send({ to: row.to_email, subject: row.subject, text: row.text });
        await store.markSent(outboxId);
        deps.logger?.info({ outboxId, attempt: attempt + 1 }, 'mail sent');
        return { messageId };
      } catch (error) {
        const dead = attempt >= retryLimit;
        const text = mailErrorText(error, deps.smtpUrl ?? '');
        await store.markFailed(outboxId, dead, text);
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
      const rows = await store.pending(sweepBatch);
      if (rows.length === 0) return total;
      // The job first, then the state: a crash in between leaves the message pending, and queuing it again
      // finds the same job (its key names the message and how often it was tried).
      for (const row of rows) {
        await queue.enqueue(mailJobName, { outboxId: row.id }, { key: `${row.id}:${row.attempts}` });
      }
      await store.markQueued(rows.map((r) => r.id));
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
    await store.insert({
      id,
      orgId: message.orgId ?? null,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    kick();
    return id;
  }

  /**
   * The outbox names every recipient and subject of the instance: it is its admins' to see and retry, checked
   * here as well as on the routes, so no route or other caller shows or resends it for anyone else.
   */
  async function asAdmin(userId: string) {
    if (!(await deps.isAdmin(userId))) {
      throw new DomainError('forbidden', 'Only an instance admin may see or retry the outbox.');
    }
  }

  async function list(
    userId: string,
    options: { state?: OutboxState | undefined; limit?: number } = {},
  ): Promise<OutboxEntry[]> {
    await asAdmin(userId);
    return store.list({ state: options.state, limit: options.limit ?? 100 });
  }

  async function counts(userId: string) {
    await asAdmin(userId);
    return store.counts();
  }

  /**
   * Sends a dead message again (after the SMTP server or the address was fixed); without SMTP it waits in the
   * outbox like any new message.
   */
  async function retry(userId: string, id: string): Promise<void> {
    await asAdmin(userId);
    const state = await store.state(id);
    if (!state) throw notFound('That message');
    if (state !== 'dead') throw conflict(`Only a dead message can be sent again; this one is ${state}.`);
    await store.revive(id);
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
