import { createHash } from 'node:crypto';

// One address as a reader would type it: no spaces, quotes, angle brackets or line breaks, which could
// otherwise smuggle headers or extra recipients into a message.
const ADDRESS = /^[^\s@<>()[\]\\,;:"']+@[^\s@<>()[\]\\,;:"']+\.[^\s@<>()[\]\\,;:"']+$/;

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

const ANY_ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/** A server's reply with every address in it replaced, so it can be shown or stored. */
export function redact(text: string): string {
  return text.replace(ANY_ADDRESS, '<address>');
}
