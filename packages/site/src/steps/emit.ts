import path from 'node:path';
import { finishJobs, startJobs, threadCount } from '../parallel.js';
import { tagsOf, type Context, type QueuedPage } from './context.js';

/**
 * The page made before for `outputPath` from the same inputs (`signature`): its bytes, from an
 * in-memory cache, or the file the previous build wrote, for a cache read from disk.
 */
function cachedPage(ctx: Context, outputPath: string, signature: string): { contents: string } | { from: string } | undefined {
  ctx.used?.pages.add(outputPath);
  const cached = ctx.cache.pages.get(outputPath);
  if (!cached || cached.signature !== signature) return undefined;
  if (cached.contents !== undefined) {
    ctx.reused++;
    return { contents: cached.contents };
  }
  const from = ctx.previousFile?.(outputPath);
  if (from === undefined) return undefined;
  ctx.reused++;
  return { from };
}

/** Remembers a page for later builds: in the cache file being written, else in the cache. */
function keepPage(ctx: Context, outputPath: string, signature: string, contents: string | undefined, fromCache: boolean): void {
  if (ctx.cacheWriter) ctx.cacheWriter.page(outputPath, signature);
  else if (!fromCache) ctx.cache.pages.set(outputPath, { signature, contents });
}

/**
 * Renders an output only when its inputs changed since the build that filled the cache. This is how
 * `signet dev` rebuilds just the pages, listings and feeds a saved post appears in, while running the
 * very same code as a full build.
 */
export function emit(ctx: Context, outputPath: string, signature: string, render: () => string): void {
  const cached = cachedPage(ctx, outputPath, signature);
  const made = cached ?? { contents: render() };
  keepPage(ctx, outputPath, signature, 'contents' in made ? made.contents : undefined, cached !== undefined);
  ctx.out.add({ path: outputPath, ...made });
}

/**
 * Queues a page made from a layout, unless the cache has it for the same inputs. `data` is only
 * built on a miss. Queued pages are rendered together, across threads, by `renderLayouts`.
 */
export function emitLayout(ctx: Context, outputPath: string, signature: string, layout: string, data: () => object): void {
  const cached = cachedPage(ctx, outputPath, signature);
  if (cached !== undefined) {
    keepPage(ctx, outputPath, signature, undefined, true);
    if (ctx.queue.length === 0) ctx.out.add({ path: outputPath, ...cached });
    else ctx.queue.push({ path: outputPath, contents: '', ...cached, signature, job: undefined });
    return;
  }
  if (ctx.layoutsHere && ctx.queue.length === 0) {
    const contents = ctx.renderer.render(layout, data());
    keepPage(ctx, outputPath, signature, contents, false);
    ctx.out.add({ path: outputPath, contents });
    return;
  }
  const page: QueuedPage = { path: outputPath, contents: '', signature, job: { layout, data: data() } };
  ctx.queue.push(page);
  ctx.unstarted.push(page);
  ctx.queued++;
  // Workers start on queued pages in chunks, rendering them while this thread makes the next pages' data.
  if (ctx.unstarted.length >= LAYOUT_CHUNK) startLayouts(ctx);
  // Rendering in slices bounds the memory held by queued pages and their data on very large sites.
  if (ctx.queue.length >= LAYOUT_SLICE) renderLayouts(ctx);
}

const LAYOUT_CHUNK = 500;
const LAYOUT_SLICE = 2000;

function startLayouts(ctx: Context): void {
  if (ctx.unstarted.length === 0) return;
  const layoutsDir = path.join(ctx.config.root, ctx.config.dirs.layouts);
  const jobs = startJobs('layout', ctx.unstarted.map((p) => p.job!), threadCount(ctx.threads, ctx.queued, 'layout'), { layoutsDir, renderer: ctx.renderer });
  ctx.started.push({ pages: ctx.unstarted, jobs });
  ctx.unstarted = [];
}

export function renderLayouts(ctx: Context): void {
  startLayouts(ctx);
  for (const { pages, jobs } of ctx.started) {
    const { results } = finishJobs(jobs);
    pages.forEach((page, i) => {
      page.contents = results[i]!;
      page.job = undefined;
      keepPage(ctx, page.path, page.signature, page.contents, false);
    });
  }
  ctx.started = [];
  for (const page of ctx.queue) ctx.out.add(page.from === undefined ? { path: page.path, contents: page.contents } : { path: page.path, from: page.from });
  ctx.queue = [];
}

/** How many pages the build makes from layouts, at most (each one a cache miss). */
export function layoutPages(ctx: Context): number {
  const listingPages = (posts: number) => Math.max(1, Math.ceil(posts / ctx.config.postsPerPage));
  const tagPages = tagsOf(ctx).reduce((sum, tag) => sum + listingPages(tag.posts.length), 0);
  // Posts, pages, the home listing, the tag listings, the tag index and the 404 page.
  return ctx.content.posts.length + ctx.content.pages.length + listingPages(ctx.content.posts.length) + tagPages + 2;
}

