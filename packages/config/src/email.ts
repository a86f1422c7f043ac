import type { EmailConfig } from './schema.js';

/** What `validateConfig` lends a nested group: a text value (undefined when absent; anything else fails) and failing at a key. */
export interface EmailChecks {
  text(path: string[]): string | undefined;
  fail(path: string[], message: string, hint: string): never;
}

export const EMAIL_KEYS = ['from', 'unsubscribeUrl', 'unsubscribeMailto', 'dkimSelector'];

const ADDRESS = /^[^\s@<>",;:()[\]\\]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

/** `Name <a@b.c>` or `a@b.c` → the address, or undefined when it is not one. */
export function addressOf(value: string): string | undefined {
  const angled = /^[^<>]*<([^<>]+)>\s*$/.exec(value.trim());
  const address = (angled ? angled[1]! : value).trim();
  return ADDRESS.test(address) ? address : undefined;
}

/** The same domain, or one inside the other (`example.com` and `blog.example.com`): the organisational alignment DMARC asks for. */
export function sameSite(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** The `email:` group: who letters come from and how readers leave the list. Secrets never live here. */
export function emailConfig(group: Record<string, unknown>, siteHost: string, check: EmailChecks): EmailConfig {
  const from = check.text(['email', 'from']);
  if (from === undefined) check.fail(['email'], '`email.from` is missing', 'Add `from: "Your Name <letters@your.domain>"` under `email:`.');
  const address = addressOf(from);
  if (!address) check.fail(['email', 'from'], `\`email.from\` must be an address such as "Name <letters@your.domain>", not "${from}"`, 'Write the name, then the address in angle brackets.');
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!sameSite(domain, siteHost)) {
    check.fail(['email', 'from'], `\`email.from\` must be on the site's domain (${siteHost}), not ${domain}`, 'Letters from another domain fail SPF, DKIM and DMARC alignment and land in spam. Use an address at your own domain.');
  }
  const result: EmailConfig = { from: from.trim(), address, domain: domain.toLowerCase() };
  const url = check.text(['email', 'unsubscribeUrl']);
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.protocol !== 'https:' || parsed.hash) {
      check.fail(['email', 'unsubscribeUrl'], `\`email.unsubscribeUrl\` must be an https:// address without a #fragment, not "${url}"`, 'One-click unsubscribe (RFC 8058) works over https only.');
    }
    result.unsubscribeUrl = parsed.href;
  }
  const mailto = check.text(['email', 'unsubscribeMailto']);
  if (mailto !== undefined) {
    if (!addressOf(mailto) || mailto.includes('<')) check.fail(['email', 'unsubscribeMailto'], `\`email.unsubscribeMailto\` must be a plain address, not "${mailto}"`, 'For example `unsubscribeMailto: unsubscribe@your.domain`.');
    result.unsubscribeMailto = mailto.trim();
  }
  const selector = check.text(['email', 'dkimSelector']);
  if (selector !== undefined) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(selector)) check.fail(['email', 'dkimSelector'], `\`email.dkimSelector\` must be a DNS label such as "signet", not "${selector}"`, 'It names the TXT record <selector>._domainkey.<your domain>.');
    result.dkimSelector = selector;
  }
  return result;
}
