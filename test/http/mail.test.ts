import { Writable } from 'node:stream';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrg,
  createTestApp,
  publishAchievement,
  request,
  signUp,
  uniqueEmail,
  type Client,
  type TestApp,
} from '../helpers/app.js';

/**
 * Mail by SMTP against a real SMTP server in this process (smtp-server): what arrives (headers, links), retries
 * after the server refuses, the dead state admins see and retry, and no secret in any log line.
 */
const smtpPassword = 'smtp-Secret-9f2c1';
const received: ParsedMail[] = [];
/** Recipients the server refuses (temporarily: 451) a number of times before accepting. */
const refuseTimes = new Map<string, number>();
/** Recipients the server refuses for good (550) until removed. */
const refuseAlways = new Set<string>();
const logLines: string[] = [];

let server: SMTPServer;
let t: TestApp;
let admin: Client;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const mailTo = (email: string) =>
  waitFor(`mail to ${email}`, async () =>
    received.find((m) => [m.to].flat().some((to) => to?.value.some((v) => v.address === email))),
  );
const outboxRow = (email: string) =>
  t.platform.database.db
    .selectFrom('outbox')
    .select(['id', 'state', 'attempts', 'last_error', 'text'])
    .where('to_email', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();

beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === smtpPassword) return callback(null, { user: 'mailer' });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      const email = address.address;
      if (refuseAlways.has(email)) {
        return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      }
      const left = refuseTimes.get(email) ?? 0;
      if (left > 0) {
        refuseTimes.set(email, left - 1);
        return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      }
      return callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  t = await createTestApp({
    env: {
      SKILLPROOF_SMTP_URL: `smtp://mailer:${smtpPassword}@127.0.0.1:${port}`,
      SKILLPROOF_MAIL_FROM: 'Skillproof Test <no-reply@skillproof.test>',
    },
    platform: { logger, mail: { retryLimit: 2, sweepIntervalMs: 200 } },
  });
  await t.platform.queue.work();
  t.platform.mail.startSweeping();
  admin = await signUp(t.app, 'Ada Admin');
  await t.platform.accounts.grantInstanceAdmin(admin.email);
}, 120_000);

afterAll(async () => {
  await t.platform.mail.stop();
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('mail by SMTP', () => {
  it('sends the sign-up confirmation with its headers and link, and the link confirms', async () => {
    const email = uniqueEmail('smtp');
    const client = await signUp(t.app, 'Sam Smtp', email, { confirm: false });
    const mail = await mailTo(email);
    expect(mail.from?.value).toEqual([{ address: 'no-reply@skillproof.test', name: 'Skillproof Test' }]);
    expect(mail.subject).toBe('Confirm your email address for Skillproof');
    expect(mail.messageId).toMatch(/@skillproof\.test>$/);
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const link = /https:\/\/skillproof\.test\/confirm-email#([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/confirm-email',
      payload: { token: link![1] },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await request(t.app, client, 'GET', '/api/session')).json().user.emailConfirmed).toBe(true);
    const row = await waitFor('sent state', async () => {
      const found = await outboxRow(email);
      return found?.state === 'sent' ? found : undefined;
    });
    expect(row).toMatchObject({ attempts: 1, last_error: null });
  });

  it('delivers claim notices a capability wrote in its own transaction', async () => {
    const owner = await signUp(t.app, 'Owner');
    const orgId = await createOrg(t.app, owner, 'Mail Academy');
    const achievementId = await publishAchievement(t.app, owner, orgId);
    const email = uniqueEmail('claim');
    const awarded = await request(t.app, owner, 'POST', `/api/orgs/${orgId}/achievements/${achievementId}/awards`, {
      email,
    });
    expect(awarded.statusCode).toBe(201);
    const mail = await mailTo(email);
    const claimLink = await t.platform.bulk.claimLink(awarded.json().credential.id);
    expect(mail.text).toContain(claimLink);
  }, 60_000);

  it('retries after the server refuses, then sends', async () => {
    const email = uniqueEmail('retry');
    refuseTimes.set(email, 2);
    await signUp(t.app, 'Ray Retry', email, { confirm: false });
    const mail = await mailTo(email);
    expect(mail.subject).toBe('Confirm your email address for Skillproof');
    const row = await waitFor('sent state', async () => {
      const found = await outboxRow(email);
      return found?.state === 'sent' ? found : undefined;
    });
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBeNull();
    expect(refuseTimes.get(email)).toBe(0);
  }, 60_000);

  it('marks a message dead after its retries, shows it to admins without its text, and sends it on retry', async () => {
    const email = uniqueEmail('dead');
    refuseAlways.add(email);
    await signUp(t.app, 'Dee Dead', email, { confirm: false });
    const dead = await waitFor('dead state', async () => {
      const found = await outboxRow(email);
      return found?.state === 'dead' ? found : undefined;
    });
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toContain('550');

    const listing = await request(t.app, admin, 'GET', '/api/admin/outbox?state=dead');
    expect(listing.statusCode).toBe(200);
    const body = listing.json();
    expect(body.delivers).toBe(true);
    expect(body.counts.dead).toBeGreaterThanOrEqual(1);
    const entry = body.messages.find((m: { id: string }) => m.id === dead.id);
    expect(entry).toMatchObject({ to: email, state: 'dead', attempts: 3 });
    expect(entry.lastError).toContain('550');
    // Admins see where a message stands, never its single-use link.
    expect(listing.body).not.toContain('confirm-email#');
    expect((await request(t.app, admin, 'GET', '/api/admin/outbox?state=nonsense')).statusCode).toBe(400);
    // A limit is taken as the query's text gives it; out of range is a 400.
    const one = await request(t.app, admin, 'GET', '/api/admin/outbox?limit=1');
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().messages).toHaveLength(1);
    for (const limit of ['0', '501', 'ten']) {
      expect((await request(t.app, admin, 'GET', `/api/admin/outbox?limit=${limit}`)).statusCode).toBe(400);
    }
    const learner = await signUp(t.app, 'Not Admin');
    expect((await request(t.app, learner, 'GET', '/api/admin/outbox')).statusCode).toBe(403);

    // Sent is not dead: retrying it is refused; the dead one goes once the address works.
    const sent = (await request(t.app, admin, 'GET', '/api/admin/outbox?state=sent')).json().messages[0];
    expect((await request(t.app, admin, 'POST', `/api/admin/outbox/${sent.id}/retry`)).statusCode).toBe(409);
    expect((await request(t.app, admin, 'POST', '/api/admin/outbox/not-a-uuid/retry')).statusCode).toBe(400);
    refuseAlways.delete(email);
    const retried = await request(t.app, admin, 'POST', `/api/admin/outbox/${dead.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(202);
    await mailTo(email);
    const row = await waitFor('sent state', async () => {
      const found = await outboxRow(email);
      return found?.state === 'sent' ? found : undefined;
    });
    expect(row.attempts).toBe(4);
  }, 90_000);

  it('writes no secret to the logs: not the SMTP password, not a link token, not a message text', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    const everything = logLines.join('\n');
    expect(everything).toContain('mail sent');
    expect(everything).toContain('mail not sent');
    expect(everything).not.toContain(smtpPassword);
    const rows = await t.platform.database.db.selectFrom('outbox').select(['text', 'last_error']).execute();
    for (const row of rows) {
      for (const token of row.text.match(/[A-Za-z0-9_-]{43}/g) ?? []) expect(everything).not.toContain(token);
      expect(row.last_error ?? '').not.toContain(smtpPassword);
    }
    const runs = await t.platform.database.db.selectFrom('job_runs').select(['error', 'result']).execute();
    expect(JSON.stringify(runs)).not.toContain(smtpPassword);
  });
});
