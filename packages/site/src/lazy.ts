import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a package on first use instead of at start-up. A rebuild with nothing to do never needs the
 * Markdown pipeline or the template engine, which take most of the start-up time. Synchronous
 * (`require` of an ES module), so `buildSite` stays synchronous.
 */
export function lazy<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
