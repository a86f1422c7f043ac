import { createHash } from 'node:crypto';

/** A short hash of everything an output depends on. */
export function signatureOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('base64');
}

