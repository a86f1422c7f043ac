import type { SiteConfig } from '@signet/config';
import type { ContentSet } from '@signet/content';
import type { BuildOptions } from '../build.js';
import { contentModule } from '../lazy.js';
import { runJobs, threadCount, warmWorkers } from '../parallel.js';

/** `SIGNET_THREADS=1` turns worker threads off (or sets how many threads to use). */
export function threadsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const value = Number(env.SIGNET_THREADS);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/**
 * Loads the content with future posts, and again without them only when there are some: the common
 * case parses each file once and still learns when the output will change by itself.
 */
export function loadPublished(config: SiteConfig, options: BuildOptions, threads: number | undefined, cold: boolean): { content: ContentSet; validUntil: number } {
  const now = options.now ?? new Date();
  // The second load, when there is one, takes every entry from the first.
  const entryCache = options.cache?.entries ?? new Map();
  const readEntries = (files: string[]) => {
    options.onFiles?.(files.length);
    // Every post will be rendered and signed: the workers that will help start, and load the Markdown
    // pipeline and the layouts when they will render some, while this thread reads the content.
    if (cold) {
      const kinds = (['markdown', 'layout', 'sign'] as const).filter((kind) => threadCount(threads, files.length, kind) > 1);
      warmWorkers(Math.max(1, ...kinds.map((kind) => threadCount(threads, files.length, kind))), kinds.filter((kind) => kind !== 'sign'));
    }
    return runJobs('entry', files, threadCount(threads, files.length, 'entry'), { config }).results;
  };
  const hints = { unchanged: options.unchanged, listings: options.listings };
  const all = contentModule().loadContent(config, { drafts: options.drafts, future: true, now, entryCache, readEntries, ...hints });
  if (options.future) return { content: all, validUntil: Infinity };
  const upcoming = all.posts.filter((post) => post.date !== undefined && post.date.getTime() > now.getTime()).map((post) => post.date!.getTime());
  if (upcoming.length === 0) return { content: all, validUntil: Infinity };
  return { content: contentModule().loadContent(config, { drafts: options.drafts, future: false, now, entryCache, ...hints }), validUntil: Math.min(...upcoming) };
}

