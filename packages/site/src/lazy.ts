import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a package on first use instead of at start-up. A rebuild with nothing to do never needs the
 * Markdown pipeline or the template engine, which take most of the start-up time. Synchronous
 * (`require` of an ES module), so `buildSite` stays synchronous.
 */
function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

// Each `require` names its package literally: the command line's bundle (packages/cli/scripts/bundle.mjs)
// resolves them to its own copies, and one loaded twice would not recognise the other's classes.
export const contentModule = lazy(() => require('@signet/content') as typeof import('@signet/content'));
export const markdown = lazy(() => require('@signet/markdown') as typeof import('@signet/markdown'));
export const theme = lazy(() => require('@signet/theme') as typeof import('@signet/theme'));
export const feeds = lazy(() => require('@signet/feeds') as typeof import('@signet/feeds'));
// Loaded (with sharp) only when a site has an image.
export const images = lazy(() => require('@signet/images') as typeof import('@signet/images'));
export const networkRead = lazy(() => require('@signet/network/read') as typeof import('@signet/network/read'));
