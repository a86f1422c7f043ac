import path from 'node:path';
import type { Entry } from '@signet/content';
import type { RenderedHtml } from '../cache.js';
import { feeds, markdown } from '../lazy.js';
import { runJobs, threadCount, type MarkdownJob } from '../parallel.js';
import { detached } from '../reuse.js';
import { allEntries, JOB_SLICE, SIGN_CHUNK, type Context } from './context.js';
import { withPictures } from './images.js';

/**
 * Renders every entry's Markdown the cache does not hold. With `rendered`, a chunk at a time, each
 * chunk's entries handed to it once their HTML is in `ctx.html` (the cached ones first).
 */
export function renderAllMarkdown(ctx: Context, rendered?: (entries: Entry[]) => void): void {
  const { trustHtml } = ctx.config.markdown;
  const missing: { entry: Entry; cacheKey: string; job: MarkdownJob }[] = [];
  const cached: Entry[] = [];
  for (const entry of allEntries(ctx)) {
    const cacheKey = ctx.derive.markdownKey(entry);
    ctx.used?.markdown.add(cacheKey);
    const html = ctx.cache.markdown.get(cacheKey);
    if (html) {
      ctx.html.set(entry, html.links === undefined ? html : withPictures(ctx, entry, linked(ctx, entry, cacheKey, html)));
      if (html.summaryHtml !== undefined) summaryFromMore(entry, html.summaryHtml);
      cached.push(entry);
    } else {
      missing.push({ entry, cacheKey, job: { body: entry.body, trustHtml, baseUrl: ctx.derive.url(entry), source: entry.source } });
    }
  }
  rendered?.(cached);
  const threads = threadCount(ctx.threads, missing.length, 'markdown');
  let byWorkers = 0;
  const chunk = rendered ? SIGN_CHUNK : JOB_SLICE;
  for (let start = 0; start < missing.length; start += chunk) {
    const part = missing.slice(start, start + chunk);
    const results = runJobs('markdown', part.map((m) => m.job), threads);
    byWorkers += results.byWorkers;
    part.forEach(({ entry, cacheKey }, i) => {
      const result = results.results[i]!;
      // Most posts have no relative link, so both renderings are equal: keep one string, not two.
      const shared = result.feedHtml === result.html ? Object.assign({}, result, { feedHtml: result.html }) : result;
      ctx.cache.markdown.set(cacheKey, shared);
      if (shared.summaryHtml !== undefined) summaryFromMore(entry, shared.summaryHtml);
      ctx.html.set(entry, shared.links === undefined ? shared : withPictures(ctx, entry, linked(ctx, entry, cacheKey, shared)));
    });
    rendered?.(part.map((m) => m.entry));
  }
  ctx.markdownStats = { rendered: missing.length, threads, byWorkers };
}

/**
 * A post without a `summary` whose Markdown has a `<!--more-->` line is summarised by the text
 * before it, as in Hugo and Jekyll: listings, feeds, the description and the signed envelope then all
 * show that text. Set before the post is signed.
 */
function summaryFromMore(entry: Entry, summaryHtml: string): void {
  if (entry.summary) return;
  const text = feeds().htmlText(summaryHtml);
  if (text !== '') entry.summary = text;
}

/**
 * An entry whose Markdown has relative links or images: noted for the link check, and, when it links
 * to Markdown sources (`[x](hello-world.md)`, `../posts/x.md`), rendered again with those links
 * pointing at the sources' URLs, as Hugo's `ref` and Zola's `@/` do. The Markdown is not rendered with
 * every URL at hand: few posts link to sources, and a worker would need every entry's URL.
 */
function linked(ctx: Context, entry: Entry, cacheKey: string, rendered: RenderedHtml): RenderedHtml {
  const targets = markdownTargets(ctx, entry, rendered.links!);
  if (targets === undefined) {
    ctx.linked.push({ entry, links: rendered.links! });
    return rendered;
  }
  const json = JSON.stringify(targets);
  ctx.retargeted.set(entry, json);
  const key = `${cacheKey}|${json}`;
  ctx.used?.markdown.add(key);
  let made = ctx.cache.markdown.get(key);
  if (made === undefined) {
    made = markdown().renderMarkdown(entry.body, { trustHtml: ctx.config.markdown.trustHtml, baseUrl: ctx.derive.url(entry), retarget: targets });
    ctx.cache.markdown.set(key, made);
  }
  // Checked and reported as written, each source link where it now points.
  ctx.linked.push({ entry, links: rendered.links!, retargets: targets });
  return made;
}

export const MARKDOWN_SOURCE = /^[^?#]*\.(md|markdown)(?=$|[?#])/i;

/**
 * Each link of `links` to a Markdown source of the site → the URL of its page: relative to the
 * linking file's folder, or with a leading `/` to the content folder. Undefined when there is none.
 */
function markdownTargets(ctx: Context, entry: Entry, links: string[]): Record<string, string> | undefined {
  let targets: Record<string, string> | undefined;
  for (const link of links) {
    const file = MARKDOWN_SOURCE.exec(link)?.[0];
    if (file === undefined) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(file);
    } catch {
      continue;
    }
    const source = decoded.startsWith('/')
      ? path.posix.join(ctx.config.dirs.content.split(path.sep).join('/'), decoded)
      : path.posix.join(path.posix.dirname(entry.source), decoded);
    const target = sourcesOf(ctx).get(source);
    if (target !== undefined) (targets ??= {})[file] = ctx.urls.link(target.urlPath);
  }
  return targets;
}

const sources = new WeakMap<Context, Map<string, Entry>>();

/** Every entry by its source path (`content/posts/a.md`), made once, when a post first needs it. */
function sourcesOf(ctx: Context): Map<string, Entry> {
  let made = sources.get(ctx);
  if (made === undefined) sources.set(ctx, (made = new Map(allEntries(ctx).map((entry) => [path.posix.normalize(entry.source), entry]))));
  return made;
}

/**
 * Whether posts are signed on workers while this thread renders the Markdown of the next ones. When
 * the build picks the threads, Markdown stays on this thread below 10,000 entries a thread (see
 * AUTO_MIN_JOBS_PER_THREAD): two threads each warming their own JIT for the Markdown pipeline gain
 * little on two cores. Ed25519 is native and its code small, so the other core signs what this thread
 * has rendered, and the sign step's time goes under the Markdown step's. A build given a thread count
 * keeps the two steps apart.
 */
export function signsWhileRendering(ctx: Context): boolean {
  if (ctx.threads !== undefined) return false;
  return threadCount(undefined, allEntries(ctx).length, 'markdown') === 1 && threadCount(undefined, ctx.content.posts.length, 'sign') > 1;
}

/**
 * When the cache (and so each entry) is this build's own, writes the rendered Markdown to the cache
 * file at once and keeps each post's HTML in `ctx.html` only, and lets each file's text go: its
 * Markdown is rendered. On a large site this is much of what memory would otherwise hold.
 */
export function spillMarkdown(ctx: Context): void {
  if (!ctx.cacheWriter || !ctx.used) return;
  const { markdown } = ctx.cache;
  ctx.cacheWriter.entries('markdown', [...ctx.used.markdown].map((key) => [key, markdown.get(key)]));
  markdown.clear();
  ctx.used.markdown.clear();
  const entries = allEntries(ctx);
  // Below many thousand entries, the file texts their strings keep alive are a few MB: copying every
  // string costs more time than that memory is worth.
  const detach = entries.length >= DETACH_FROM;
  for (const entry of entries) {
    entry.body = '';
    if (!detach) continue;
    // What is read from the front matter; the rest (paths, hash) was made apart from the text.
    entry.title = entry.title && detached(entry.title);
    entry.summary = entry.summary && detached(entry.summary);
    entry.author = entry.author && detached(entry.author);
    entry.layout = entry.layout && detached(entry.layout);
    detachStrings(entry.data, 2);
  }
}

const DETACH_FROM = 10_000;

function detachStrings(record: Record<string, unknown> | unknown[], depth: number): void {
  const keys = Array.isArray(record) ? record.keys() : Object.keys(record);
  for (const key of keys) {
    const value = (record as Record<string | number, unknown>)[key];
    if (typeof value === 'string') (record as Record<string | number, unknown>)[key] = detached(value);
    else if (depth > 0 && value !== null && typeof value === 'object' && !(value instanceof Date)) detachStrings(value as Record<string, unknown>, depth - 1);
  }
}

