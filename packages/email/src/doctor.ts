import { promises as dns } from 'node:dns';
import { loadConfig } from '@signet/config';
import { emailConfig } from './message.js';

/** The one DNS question the doctor asks; injectable so tests never query real DNS. */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

export interface Check {
  name: string;
  /** `ok`; `missing` (the record is absent or wrong: a fix is given); `unknown` (could not check: offline or DNS failed). */
  result: 'ok' | 'missing' | 'unknown';
  detail: string;
}

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

async function txt(resolver: TxtResolver, name: string, timeoutMs: number): Promise<string[] | 'none' | 'unknown'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const records = await Promise.race([
      resolver.resolveTxt(name),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), timeoutMs);
      }),
    ]);
    return records.map((parts) => parts.join(''));
  } catch (error) {
    return NO_RECORD.has((error as NodeJS.ErrnoException).code ?? '') ? 'none' : 'unknown';
  } finally {
    clearTimeout(timer);
  }
}

export interface DoctorOptions {
  root: string;
  env?: Record<string, string | undefined>;
  resolver?: TxtResolver;
  timeoutMs?: number;
}

/**
 * Looks up what Gmail's and Yahoo's sender rules (February 2024) ask of the From domain — SPF, DKIM
 * at the configured selector, DMARC — and checks the one-click unsubscribe is set up. Offline, each
 * lookup says it could not check instead of guessing.
 */
export async function emailDoctor(options: DoctorOptions): Promise<Check[]> {
  const env = options.env ?? process.env;
  const config = emailConfig(loadConfig(options.root));
  const { domain, dkimSelector, unsubscribeUrl } = config.email;
  const resolver = options.resolver ?? dns;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const checks: Check[] = [];
  const unknown = (name: string, record: string): Check => ({ name, result: 'unknown', detail: `could not look up ${record} (offline, or DNS did not answer); check it again when online` });

  const spf = await txt(resolver, domain, timeoutMs);
  if (spf === 'unknown') checks.push(unknown('SPF', `the TXT records of ${domain}`));
  else {
    const record = spf === 'none' ? undefined : spf.find((r) => /^v=spf1(\s|$)/i.test(r));
    checks.push(record
      ? { name: 'SPF', result: 'ok', detail: record }
      : { name: 'SPF', result: 'missing', detail: `${domain} has no SPF record: add a TXT record "v=spf1 include:<your mail provider> -all" (your provider documents the include)` });
  }

  const selector = env.SIGNET_DKIM_SELECTOR || dkimSelector;
  if (!selector) {
    checks.push({ name: 'DKIM', result: 'missing', detail: 'no DKIM selector: set `email.dkimSelector` to the selector your provider (or SIGNET_DKIM_PRIVATE_KEY) signs with' });
  } else {
    const name = `${selector}._domainkey.${domain}`;
    const dkim = await txt(resolver, name, timeoutMs);
    if (dkim === 'unknown') checks.push(unknown('DKIM', name));
    else {
      const record = dkim === 'none' ? undefined : dkim.find((r) => /(^|;)\s*p=[A-Za-z0-9+/=]{40,}/.test(r));
      checks.push(record
        ? { name: 'DKIM', result: 'ok', detail: `${name} holds a public key` }
        : { name: 'DKIM', result: 'missing', detail: `no DKIM key at ${name}: publish "v=DKIM1; k=rsa; p=<public key>" there (2048-bit RSA recommended)` });
    }
  }

  const dmarc = await txt(resolver, `_dmarc.${domain}`, timeoutMs);
  if (dmarc === 'unknown') checks.push(unknown('DMARC', `_dmarc.${domain}`));
  else {
    const record = dmarc === 'none' ? undefined : dmarc.find((r) => /^v=DMARC1\s*;/i.test(r));
    checks.push(record && /;\s*p=(none|quarantine|reject)\b/i.test(record)
      ? { name: 'DMARC', result: 'ok', detail: record }
      : { name: 'DMARC', result: 'missing', detail: `no DMARC policy at _dmarc.${domain}: add a TXT record "v=DMARC1; p=none; rua=mailto:<you>@${domain}" at least` });
  }

  checks.push(unsubscribeUrl
    ? { name: 'One-click unsubscribe', result: env.SIGNET_UNSUBSCRIBE_SECRET ? 'ok' : 'missing', detail: env.SIGNET_UNSUBSCRIBE_SECRET ? `${unsubscribeUrl} (RFC 8058)` : 'SIGNET_UNSUBSCRIBE_SECRET is not set, so no one-click links can be made' }
    : { name: 'One-click unsubscribe', result: 'missing', detail: 'only mailto: unsubscribe: Gmail and Yahoo require one-click (RFC 8058) from bulk senders (5,000 a day); set `email.unsubscribeUrl` to an https endpoint' });
  return checks;
}
