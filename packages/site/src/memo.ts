import { createHash } from 'node:crypto';
import type { BuildCache } from './cache.js';

/** A short hash of everything an output depends on. */
export function signatureOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('base64');
}

/**
 * Renders an output only when its inputs changed since the build that filled `cache`. This is how
 * `signet dev` rebuilds just the pages, listings and feeds a saved post appears in, while running the
 * very same code as a full build.
 */
export function memoRender(cache: BuildCache, outputPath: string, signature: string, render: () => string): string {
  const cached = cache.pages.get(outputPath);
  if (cached && cached.signature === signature) return cached.contents;
  const contents = render();
  cache.pages.set(outputPath, { signature, contents });
  return contents;
}
