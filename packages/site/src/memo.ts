import { hash } from 'node:crypto';

/**
 * A short hash of everything an output depends on: each part followed by a NUL. One-shot `hash` over
 * the joined text gives the same digest as a Hash object fed part by part, without a native call per
 * part (a build signs every page it makes this way).
 */
export function signatureOf(...parts: string[]): string {
  return hash('sha256', parts.length === 0 ? '' : `${parts.join('\0')}\0`, 'base64');
}
