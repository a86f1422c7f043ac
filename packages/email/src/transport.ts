import { createRequire } from 'node:module';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { SignetError } from '@signet/config';
import { redact } from './address.js';
import type { LetterSettings } from './message.js';

// nodemailer's own reader of connection URLs (host, port, secure, auth, `tls.*` query options), so a
// URL means here what it means to nodemailer.
const { parseConnectionUrl } = createRequire(import.meta.url)('nodemailer/lib/shared/index.js') as { parseConnectionUrl(url: string): Record<string, unknown> };

/** What sending needs of a transport: nodemailer's, or a test's. */
export interface Transport {
  sendMail(message: Mail.Options): Promise<unknown>;
  close(): void;
}

/**
 * The SMTP transport from SIGNET_SMTP_URL (`smtp://user:pass@host:587`; `smtps://` for TLS from the
 * start). One pooled connection, reopened when a server drops it; STARTTLS whenever the server offers
 * it (nodemailer's default). The URL is never shown: it holds the password.
 */
export function smtpTransport(env: Record<string, string | undefined>, settings: LetterSettings, timeouts: { connectionMs?: number; socketMs?: number } = {}): Transport {
  const url = env.SIGNET_SMTP_URL;
  if (!url) {
    throw new SignetError('SIGNET_SMTP_URL is not set', {
      hint: 'Set it to your mail server, such as smtp://user:password@smtp.example.com:587 (in CI, from a secret). It is never read from a file in the site.',
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SignetError('SIGNET_SMTP_URL is not a URL', { hint: 'Write it as smtp://user:password@host:587 (URL-encode special characters in the password).' });
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new SignetError(`SIGNET_SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`, { hint: 'For example smtp://user:password@smtp.example.com:587.' });
  }
  return nodemailer.createTransport({
    ...parseConnectionUrl(url),
    pool: true,
    maxConnections: 1,
    maxMessages: 500,
    connectionTimeout: timeouts.connectionMs ?? 30_000,
    greetingTimeout: timeouts.connectionMs ?? 30_000,
    socketTimeout: timeouts.socketMs ?? 60_000,
    dkim: settings.dkim,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}


/** How one failed attempt is handled. */
export type Outcome = 'retry' | 'permanent' | 'fatal';

export interface SmtpFailure {
  outcome: Outcome;
  code: number | string;
  reason: string;
}

/**
 * 5xx for a recipient or the message: permanent for that address. 4xx, a dropped connection or a
 * timeout: tried again. A refused login, sender or TLS certificate: nothing can be sent, so the run
 * stops. The reason is redacted: servers quote addresses.
 */
export function classify(error: unknown): SmtpFailure {
  const e = error as { responseCode?: number; code?: string; command?: string; message?: string };
  const reason = redact(String(e.message ?? error).split('\n')[0]!).slice(0, 300);
  const code = e.responseCode ?? e.code ?? 'error';
  if (e.code === 'EAUTH' || e.command === 'AUTH PLAIN' || e.command === 'AUTH LOGIN' || (e.command === 'MAIL FROM' && (e.responseCode ?? 0) >= 500)) return { outcome: 'fatal', code, reason };
  if (e.code === 'ETLS' || /certificate|self[- ]signed/i.test(reason)) return { outcome: 'fatal', code, reason };
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { outcome: 'permanent', code, reason };
  return { outcome: 'retry', code, reason };
}
