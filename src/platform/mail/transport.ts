import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/** One plain-text message to one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Something that delivers mail: SMTP in production, a recorder in tests. */
export interface MailTransport {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface SmtpSettings {
  /** `smtp://user:password@host:587` (STARTTLS when the server offers it) or `smtps://…:465`. */
  url: string;
  /** The From header: `Skillproof <no-reply@example.org>`. */
  from: string;
  /** Give up on a connection, greeting or silent socket after this long (default 15 s). */
  timeoutMs?: number;
}

/** The SMTP URL with its password replaced, fit for logs and messages. */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'smtp://(unreadable URL)';
  }
}

/** An error text without the SMTP password or user, whatever the library put in it. */
export function mailErrorText(error: unknown, url: string): string {
  let text = error instanceof Error ? error.message : String(error);
  try {
    const parsed = new URL(url);
    for (const secret of [parsed.password, decodeURIComponent(parsed.password)]) {
      if (secret) text = text.split(secret).join('***');
    }
  } catch {
    // An unreadable URL has no password to hide.
  }
  return text.slice(0, 500);
}

/**
 * SMTP delivery with nodemailer: one pooled connection, plain text, and headers that tell autoresponders
 * the message was generated. The library logs nothing (its logger stays off), so neither the password nor a
 * message's links reach the logs.
 */
export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  const timeout = settings.timeoutMs ?? 15_000;
  const url = new URL(settings.url);
  const options: SMTPPool.Options = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    ...(url.port ? { port: Number(url.port) } : {}),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // `?requireTLS=true` refuses a server that offers no STARTTLS; `?tlsInsecure=true` accepts a self-signed
    // certificate (a relay on a closed network).
    requireTLS: url.searchParams.get('requireTLS') === 'true',
    ...(url.searchParams.get('tlsInsecure') === 'true' ? { tls: { rejectUnauthorized: false } } : {}),
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    logger: false,
    debug: false,
  };
  const transporter = nodemailer.createTransport(options, { from: settings.from });
  return {
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close() {
      transporter.close();
    },
  };
}
