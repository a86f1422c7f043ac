import { createHash } from 'node:crypto';

// One address as a reader would type it: no spaces, quotes, angle brackets or line breaks, which could
// otherwise smuggle headers or extra recipients into a message.
// The domain is dot-separated labels, each non-empty (a class holding the dot made it quadratic).
const ADDRESS = /^[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"'.]+(?:\.[^\s@<>()[\]\\,;:"'.]+)+$/;

export function isAddress(value: string): boolean {
  return ADDRESS.test(value) && value.length <= 254;
}

/** How two spellings of one address are told to be the same: case-insensitively, as people expect. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * What the ledger keeps instead of an address: the ledger may travel (a CI cache), and a hash says
 * "this reader has this post" without saying who the reader is.
 */
export function addressKey(address: string): string {
  return createHash('sha256').update(normalizeAddress(address)).digest('hex').slice(0, 32);
}

const NOT_IN_ADDRESS = new Set([...' \t\n\r\f\v<>()[]"\',;:']);

/**
 * A server's reply with every address in it replaced, so it can be shown or stored: each `@` with the
 * address characters on both sides of it. (A pattern tried from every character of a long word
 * before an `@` took quadratic time.)
 */
export function redact(text: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at < from) continue;
    let start = at;
    while (start > from && !NOT_IN_ADDRESS.has(text[start - 1]!) && !/\s/.test(text[start - 1]!)) start -= 1;
    let end = at + 1;
    while (end < text.length && !NOT_IN_ADDRESS.has(text[end]!) && !/\s/.test(text[end]!)) end += 1;
    if (start === at || end === at + 1) continue;
    out += `${text.slice(from, start)}<address>`;
    from = end;
    at = end - 1;
  }
  return out + text.slice(from);
}
