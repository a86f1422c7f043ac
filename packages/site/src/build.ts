import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type SiteConfig } from '@signet/config';
import type { ContentSet, Entry, Warning } from '@signet/content';
import type { FeedChannel, FeedItem } from '@signet/feeds';
import { resolveSigningKey, type SigningKey } from '@signet/keys';
import { createDidDocument, didDocumentPath, didWebFromUrl, embedJson, type SignedEnvelope } from '@signet/sign';
import type { Renderer } from '@signet/theme';
import { contentModule, feeds, theme } from './lazy.js';
import { createCache, type BuildCache } from './cache.js';
import { keyIdentity, recordSignature, reuseOrPlan, signingContext, type PendingSignature } from './envelope.js';
import { collectTags, paginate, type Listing, type Tag } from './listings.js';
import { collectOutput, type OutputFile, type OutputSink } from './output.js';
import { writeHeaders, writeRobots, type SitemapEntry } from './seo.js';
import { siteUrls, type SiteUrls } from './urls.js';
import { feedLinks, postView, type PostView, type SiteView } from './view.js';
import { signatureOf } from './memo.js';
import { deriver, type Derive } from './derived.js';
import { intern } from './reuse.js';
import { cacheStamp, loadDiskCache, openCacheWriter, type CacheWriter } from './disk-cache.js';
import { finishJobs, runJobs, startJobs, threadCount, warmWorkers, type LayoutJob, type MarkdownJob, type StartedJobs } from './parallel.js';

export interface BuildOptions {
  /** The site folder (holding signet.config.yaml). */
  root: string;
  drafts?: boolean;
  future?: boolean;
  /** Output folder; defaults to the config's `dirs.out` (dist). */
  outDir?: string;
  /** Decides which posts are "future"; defaults to now. Never written into the output. */
  now?: Date;
  env?: Record<string, string | undefined>;
  /** Reused between builds by `signet dev`; a fresh one otherwise. */
  cache?: BuildCache;
  /** Extra files to publish, such as the verification badge script. */
  extraFiles?: OutputFile[];
  /** Threads for Markdown rendering; 1 renders on the calling thread only. Defaults to one per core. */
  threads?: number;
  /**
   * Read and save the cache in the site's `.signet/cache/`. Defaults to true when no `cache` is
   * given; the output is byte-identical either way.
   */
  diskCache?: boolean;
  /**
   * Says that a content file is as it was in the previous build with the same `cache`, so its entry
   * is reused without reading it: `signet dev` knows this from its watcher. Without it, every file
   * is read and hashed.
   */
  unchanged?: (file: string) => boolean;
  /** Folder listings to reuse and fill, as `loadContent` of `@signet/content` takes them. */
  listings?: Map<string, string[]>;
  /** Called once the content is read, before anything is rendered, with how many entries it holds. */
  onContent?: (entries: number) => void;
}

export interface BuildResult {
  files: OutputFile[];
  config: SiteConfig;
  warnings: Warning[];
  /** Where the signing key came from, when the user should hear about it. */
  keyNotice: string | undefined;
  /**
   * `reused`: output files taken from an earlier build (the cache, or the output folder) instead of
   * made. `layouts`: pages this thread made with a compiled layout and with LiquidJS (workers' not
   * counted).
   */
  stats: {
    posts: number; pages: number; feeds: number; files: number; reused?: number; steps: { name: string; ms: number }[];
    markdown?: MarkdownStats; layouts?: { compiled: number; liquid: number };
  };
}

/** How the Markdown of a build was rendered: how many files (cache misses), on how many threads. */
export interface MarkdownStats {
  rendered: number;
  threads: number;
  /** Files rendered by worker threads rather than the calling thread. */
  byWorkers: number;
}

interface Context {
  config: SiteConfig;
  content: ContentSet;
  urls: SiteUrls;
  renderer: Renderer;
  key: SigningKey;
  did: string;
  cache: BuildCache;
  site: SiteView;
  siteSignature: string;
  html: Map<Entry, { html: string; feedHtml: string }>;
  /**
   * Each entry as layouts see it, made once for the listings it is in and, unless workers render the
   * pages (a large site), for its page too; undefined once nothing is to reuse them.
   */
  views: Map<Entry, PostView> | undefined;
  envelopes: Map<Entry, SignedEnvelope>;
  out: OutputSink;
  /**
   * The cache file being written, when the cache is this build's own: pages and new envelopes go
   * straight into it instead of staying in memory until the build ends.
   */
  cacheWriter: CacheWriter | undefined;
  /** Where a page saved by the cache can be copied from (see `PreviousOutput`), when it can. */
  previousFile: ((outputPath: string) => string | undefined) | undefined;
  /** The sitemap's entries: pages, then listings (made first, but listed after). */
  sitemap: SitemapEntry[];
  listingSitemap: SitemapEntry[];
  feedCount: number;
  threads: number | undefined;
  markdownStats: MarkdownStats;
  reused: number;
  /**
   * Pages in output order, waiting for `renderLayouts` to render those with a job. They are handed
   * to `out` in this order, so the output does not depend on which pages came from the cache.
   */
  queue: QueuedPage[];
  /** Queued pages not yet handed to workers. */
  unstarted: QueuedPage[];
  /** Queued pages already handed to workers, which render them while this thread queues more. */
  started: { pages: QueuedPage[]; jobs: StartedJobs<'layout'> }[];
  /** Pages queued by this build so far: whether workers are worth using. */
  queued: number;
  /**
   * Whether this thread renders every layout of the build, as it does below many thousand pages: each
   * page is then rendered as soon as its data is made and goes to the output at once, instead of
   * waiting in the queue (its data and text outliving young-generation collections, which copy them).
   */
  layoutsHere: boolean;
  /** Cache keys this build used: whatever else is in the cache is dropped when the build ends. */
  used: { markdown: Set<string>; envelopes: Set<string>; pages: Set<string> };
  /** URLs, cache keys and signatures, taken from the build before when their inputs are the same. */
  derive: Derive;
  tags: Tag[] | undefined;
}

/**
 * Builds a site in memory: content in, a list of output files out. The steps run in order and are
 * timed; nothing touches the output folder (see `buildSiteToDisk`).
 */
export function buildSite(options: BuildOptions): BuildResult {
  return buildSiteUntil(options).result;
}

/**
 * The output folder an earlier build wrote: its pages are copied rather than rendered again when the
 * cache saved by that same build (`build`, its id) says they were made from the same inputs.
 */
export interface PreviousOutput {
  build: string;
  /** The file the earlier build wrote for `outputPath`, if it is still as that build left it. */
  file(outputPath: string): string | undefined;
}

/**
 * `buildSite`, also saying until when its result holds: the date of the first post held back as
 * "future", after which the same inputs give another site (Infinity when there is none), and the id
 * its saved cache carries.
 */
export function buildSiteUntil(
  options: BuildOptions,
  resolved?: { config: SiteConfig; key: SigningKey | undefined; out?: OutputSink; previous?: PreviousOutput },
): { result: BuildResult; validUntil: number; build: string } {
  const steps: { name: string; ms: number }[] = [];
  const step = <T>(name: string, run: () => T): T => {
    const start = performance.now();
    const result = run();
    steps.push({ name, ms: performance.now() - start });
    return result;
  };
  // A config and key the caller already has are reused: reading them twice is wasted work, and
  // resolving the key twice would make a first build's notice say "signed with" instead of "made".
  const config = resolved?.config ?? step('config', () => loadConfig(options.root));
  const key = resolved?.key ?? step('key', () => resolveSigningKey(config.root, options.env ?? process.env));
  const threads = options.threads ?? threadsFromEnv(options.env ?? process.env);
  const useDisk = options.diskCache ?? options.cache === undefined;
  const stamp = useDisk ? cacheStamp() : '';
  const cache = options.cache ?? (useDisk ? step('load cache', () => loadDiskCache(config.root, stamp)) : undefined) ?? createCache();
  const { content, validUntil } = step('content', () => loadPublished(config, options, threads, cache.markdown.size === 0));
  options.onContent?.(content.posts.length + content.pages.length);
  const renderer = step('layouts', () => theme().createRenderer(path.join(config.root, config.dirs.layouts)));
  const build = randomUUID();
  const writer = useDisk ? openCacheWriter(config.root, stamp, build) : undefined;
  const collected = resolved?.out ? undefined : collectOutput();
  resolved?.out?.expect?.(content.posts.length + content.pages.length);
  const ctx = createContext(config, content, renderer, key, cache, options.extraFiles ?? [], resolved?.out ?? collected!);
  // A cache made for this build is dropped when it ends: what it must keep goes to the file instead.
  ctx.cacheWriter = options.cache ? undefined : writer;
  const previous = resolved?.previous;
  if (previous && previous.build === cache.build) ctx.previousFile = previous.file;
  ctx.threads = threads;
  try {
    step('check layouts', () => checkLayouts(ctx));
    // Signed while this thread renders: the Markdown of the posts after them, then the pages of the
    // posts before them, so that neither thread waits for the other.
    let signer: ReturnType<typeof startSigning> | undefined;
    if (signsWhileRendering(ctx)) {
      step('markdown and sign', () => {
        signer = startSigning(ctx);
        renderAllMarkdown(ctx, signer.add);
        spillMarkdown(ctx);
      });
    } else {
      step('markdown', () => {
        renderAllMarkdown(ctx);
        spillMarkdown(ctx);
      });
      step('sign', () => signPosts(ctx));
    }
    ctx.layoutsHere = threadCount(ctx.threads, layoutPages(ctx), 'layout') === 1;
    // Listings need no signature: made first, they give the signing thread a head start on the pages.
    step('listings', () => renderListings(ctx));
    // At 100,000 posts, keeping every view for the pages too took the peak from 923 to 1,042 MiB.
    if (!ctx.layoutsHere) ctx.views = undefined;
    step('pages', () => {
      renderEntries(ctx, signer?.settleUntil);
      signer?.finish();
    });
    step('render', () => {
      renderLayouts(ctx);
      // Only the feeds are left, and they read envelopes: a large site's HTML can go.
      ctx.html.clear();
      ctx.views = undefined;
    });
    step('feeds', () => renderFeeds(ctx));
    step('sitemap and keys', () => renderSiteFiles(ctx));
    step('assets', () => addAssets(ctx, options.extraFiles ?? []));
    pruneCache(ctx);
  } catch (error) {
    writer?.abort();
    throw error;
  }
  if (writer) step('save cache', () => saveCache(ctx, writer));
  return {
    result: {
      files: collected?.files ?? [],
      config,
      warnings: content.warnings,
      keyNotice: key.notice,
      stats: { posts: content.posts.length, pages: content.pages.length, feeds: ctx.feedCount, files: ctx.out.paths.length, reused: ctx.reused, steps, markdown: ctx.markdownStats, layouts: { ...renderer.counts } },
    },
    validUntil,
    build,
  };
}

/**
 * Completes the cache file. A build's own cache wrote its pages, Markdown and new envelopes as it
 * went, and adds the envelopes it reused; a cache that outlives the build is saved whole.
 */
function saveCache(ctx: Context, writer: CacheWriter): void {
  if (!ctx.cacheWriter) {
    for (const [outputPath, { signature }] of ctx.cache.pages) writer.page(outputPath, signature);
    writer.entries('markdown', ctx.cache.markdown);
  }
  writer.entries('envelopes', ctx.cache.envelopes);
  writer.finish();
}

/** `SIGNET_THREADS=1` turns worker threads off (or sets how many threads to use). */
function threadsFromEnv(env: Record<string, string | undefined>): number | undefined {
  const value = Number(env.SIGNET_THREADS);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

/**
 * Loads the content with future posts, and again without them only when there are some: the common
 * case parses each file once and still learns when the output will change by itself.
 */
function loadPublished(config: SiteConfig, options: BuildOptions, threads: number | undefined, cold: boolean): { content: ContentSet; validUntil: number } {
  const now = options.now ?? new Date();
  // The second load, when there is one, takes every entry from the first.
  const entryCache = options.cache?.entries ?? new Map();
  const readEntries = (files: string[]) => {
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

function createContext(config: SiteConfig, content: ContentSet, renderer: Renderer, key: SigningKey, cache: BuildCache, extraFiles: OutputFile[], out: OutputSink): Context {
  const urls = siteUrls(config);
  const did = didWebFromUrl(config.url);
  const menu = content.pages
    .filter((page) => page.data.menu !== false && page.urlPath.split('/').filter(Boolean).length === 1)
    .sort((a, b) => Number(a.data.weight ?? 0) - Number(b.data.weight ?? 0) || (a.title ?? '').localeCompare(b.title ?? '', 'en'))
    .map((page) => ({ title: page.title ?? page.slug, path: urls.link(page.urlPath) }));
  const badge = extraFiles.find((file) => file.path.endsWith('signet-badge.js'));
  const site: SiteView = {
    title: config.title,
    url: config.url,
    base: urls.base,
    host: urls.host,
    language: config.language,
    description: config.description,
    author: config.author,
    feeds: { rss: urls.absolute('feed.xml'), atom: urls.absolute('atom.xml'), json: urls.absolute('feed.json') },
    didDocumentPath: urls.link(didDocumentPath(config.url)),
    menu,
    badgeScript: badge?.path,
  };
  const siteSignature = signatureOf(renderer.hash, JSON.stringify(site), JSON.stringify(config));
  return {
    config, content, urls, renderer, key, did, cache, site, siteSignature,
    html: new Map(), views: new Map(), envelopes: new Map(), out, cacheWriter: undefined, previousFile: undefined, sitemap: [], listingSitemap: [], feedCount: 0,
    threads: undefined, markdownStats: { rendered: 0, threads: 1, byWorkers: 0 }, reused: 0, queue: [], unstarted: [], started: [], queued: 0, layoutsHere: false,
    used: { markdown: new Set(), envelopes: new Set(), pages: new Set() },
    derive: deriver(cache, siteSignature, urls, config.markdown.trustHtml), tags: undefined,
  };
}

/** Every tag with its posts, made once per build for the listings and the feeds. */
function tagsOf(ctx: Context): Tag[] {
  ctx.tags ??= collectTags(ctx.content.posts);
  return ctx.tags;
}

function layoutOf(entry: Entry): string {
  return entry.layout ?? (entry.kind === 'post' ? 'post' : entry.kind === 'home' ? 'list' : 'page');
}

function allEntries(ctx: Context): Entry[] {
  return [...(ctx.content.home ? [ctx.content.home] : []), ...ctx.content.posts, ...ctx.content.pages];
}

function checkLayouts(ctx: Context): void {
  for (const entry of allEntries(ctx)) {
    if (entry.layout !== undefined) ctx.renderer.check(entry.layout, entry.source, 1);
  }
}

/**
 * Renders every entry's Markdown the cache does not hold. With `rendered`, a chunk at a time, each
 * chunk's entries handed to it once their HTML is in `ctx.html` (the cached ones first).
 */
function renderAllMarkdown(ctx: Context, rendered?: (entries: Entry[]) => void): void {
  const { trustHtml } = ctx.config.markdown;
  const missing: { entry: Entry; cacheKey: string; job: MarkdownJob }[] = [];
  const cached: Entry[] = [];
  for (const entry of allEntries(ctx)) {
    const cacheKey = ctx.derive.markdownKey(entry);
    ctx.used.markdown.add(cacheKey);
    const html = ctx.cache.markdown.get(cacheKey);
    if (html) {
      ctx.html.set(entry, html);
      cached.push(entry);
    } else {
      missing.push({ entry, cacheKey, job: { body: entry.body, trustHtml, baseUrl: ctx.derive.url(entry) } });
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
      const shared = result.feedHtml === result.html ? { html: result.html, feedHtml: result.html } : result;
      ctx.cache.markdown.set(cacheKey, shared);
      ctx.html.set(entry, shared);
    });
    rendered?.(part.map((m) => m.entry));
  }
  ctx.markdownStats = { rendered: missing.length, threads, byWorkers };
}

/**
 * Whether posts are signed on workers while this thread renders the Markdown of the next ones. When
 * the build picks the threads, Markdown stays on this thread below 10,000 entries a thread (see
 * AUTO_MIN_JOBS_PER_THREAD): two threads each warming their own JIT for the Markdown pipeline gain
 * little on two cores. Ed25519 is native and its code small, so the other core signs what this thread
 * has rendered, and the sign step's time goes under the Markdown step's. A build given a thread count
 * keeps the two steps apart.
 */
function signsWhileRendering(ctx: Context): boolean {
  if (ctx.threads !== undefined) return false;
  return threadCount(undefined, allEntries(ctx).length, 'markdown') === 1 && threadCount(undefined, ctx.content.posts.length, 'sign') > 1;
}

// Posts signed together while the Markdown of the next ones renders.
const SIGN_CHUNK = 500;

/**
 * When the cache (and so each entry) is this build's own, writes the rendered Markdown to the cache
 * file at once and keeps each post's HTML in `ctx.html` only, and lets each file's text go: its
 * Markdown is rendered. On a large site this is much of what memory would otherwise hold.
 */
function spillMarkdown(ctx: Context): void {
  if (!ctx.cacheWriter) return;
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

/**
 * V8 keeps a substring as a view into the string it was cut from: a post's title or date parsed from
 * its front matter keeps the whole file's text alive. Each string is replaced with an equal copy of
 * its own (slicing a concatenation makes V8 copy it flat first).
 */
function detached(text: string): string {
  return `${text}\0`.slice(0, -1);
}

function detachStrings(record: Record<string, unknown> | unknown[], depth: number): void {
  const keys = Array.isArray(record) ? record.keys() : Object.keys(record);
  for (const key of keys) {
    const value = (record as Record<string | number, unknown>)[key];
    if (typeof value === 'string') (record as Record<string | number, unknown>)[key] = detached(value);
    else if (depth > 0 && value !== null && typeof value === 'object' && !(value instanceof Date)) detachStrings(value as Record<string, unknown>, depth - 1);
  }
}

/**
 * The posts the feeds hold: each site's and tag's newest. Once its page is made, a post's envelope is
 * read only by the feeds.
 */
function feedPosts(ctx: Context): Set<Entry> {
  const { posts } = ctx.content;
  const inFeeds = new Set(posts.slice(0, ctx.config.feed.items));
  for (const tag of tagsOf(ctx)) for (const post of tag.posts.slice(0, ctx.config.feed.items)) inFeeds.add(post);
  return inFeeds;
}

/** Drops what this build did not use, so neither `signet dev`'s cache nor the saved one keeps growing. */
function pruneCache(ctx: Context): void {
  for (const name of ['markdown', 'envelopes', 'pages'] as const) {
    const map: Map<string, unknown> = ctx.cache[name];
    const used = ctx.used[name];
    // Every key used is in the map by now, so equal sizes mean there is nothing to drop.
    if (map.size === used.size) continue;
    // forEach: for…of over the keys made an iterator result per key, and these maps hold one per post.
    map.forEach((_, key) => {
      if (!used.has(key)) map.delete(key);
    });
  }
}

/**
 * Reuses every envelope it can, then signs the rest together, across threads when there are many. A
 * very large site goes a slice of posts at a time, so that only one slice's items and JSON are held.
 */
function signPosts(ctx: Context): void {
  const signer = startSigning(ctx);
  const { posts } = ctx.content;
  for (let start = 0; start < posts.length; start += JOB_SLICE) {
    signer.add(posts.slice(start, start + JOB_SLICE));
    signer.settle();
  }
  signer.finish();
}

/**
 * Signs posts in batches: `add` reuses what it can and starts the rest on the workers, which sign
 * them while this thread does other work; `settle` waits for the batches started, this thread
 * helping with what no worker has taken yet, and `settleUntil` for those up to one post's; `finish`
 * settles them all.
 */
function startSigning(ctx: Context): { add: (entries: Entry[]) => void; settle: () => void; settleUntil: (entry: Entry) => void; finish: () => void } {
  // Interned: each post compares it with the context its envelope was signed in.
  const context = intern(signingContext(ctx.config, ctx.key, ctx.did));
  const signing = { verificationMethod: `${ctx.did}#${ctx.key.id}`, seed: ctx.key.seed, identity: keyIdentity(ctx.key, ctx.did) };
  const posts = new Set(ctx.content.posts);
  type Pending = { post: Entry; feedHtml: string; url: string; plan: PendingSignature };
  const started: { pending: Pending[]; jobs: StartedJobs<'sign'> }[] = [];
  /** Takes in the signatures of the first `count` chunks started, waiting for them if need be. */
  const settle = (count = started.length) => {
    for (const { pending, jobs } of started.splice(0, count)) {
      const { results } = finishJobs(jobs);
      pending.forEach((p, i) => ctx.envelopes.set(p.post, recordSignature(p.post, p.feedHtml, p.url, context, p.plan, results[i]!, ctx.cache, ctx.used.envelopes)));
      if (ctx.cacheWriter) {
        // This build's own cache need not hold the new envelopes: the file keeps them.
        ctx.cacheWriter.entries('envelopes', results.map((r) => [r.cacheKey, ctx.cache.envelopes.get(r.cacheKey)!]));
        for (const r of results) ctx.cache.envelopes.delete(r.cacheKey);
      }
    }
  };
  const add = (entries: Entry[]) => {
    let pending: Pending[] = [];
    // Handed over a chunk at a time: the workers start on the first posts while this thread makes
    // the items of the next (10,000 at once left them idle ~50 ms, then sent them all in one copy).
    const start = () => {
      if (pending.length === 0) return;
      started.push({ pending, jobs: startJobs('sign', pending.map((p) => p.plan.item), threadCount(ctx.threads, pending.length, 'sign'), { signing }) });
      pending = [];
    };
    for (const post of entries) {
      if (!posts.has(post)) continue;
      const feedHtml = ctx.html.get(post)!.feedHtml;
      const url = ctx.derive.url(post);
      const outcome = reuseOrPlan(post, feedHtml, url, ctx.config, ctx.key, ctx.did, ctx.cache, ctx.used.envelopes, context);
      if ('envelope' in outcome) ctx.envelopes.set(post, shareHtml(outcome.envelope, feedHtml));
      else pending.push({ post, feedHtml, url, plan: outcome.pending });
      if (pending.length === SIGN_CHUNK) start();
    }
    start();
  };
  /** Waits for `entry`'s envelope, if it is a post being signed: chunks are settled in the order they were started. */
  const settleUntil = (entry: Entry) => {
    while (started.length > 0 && posts.has(entry) && !ctx.envelopes.has(entry)) settle(1);
  };
  const finish = () => {
    settle();
    // Its memo of each post's envelope serves a later build only.
    if (ctx.cacheWriter) ctx.cache.signed = new WeakMap();
  };
  return { add, settle: () => settle(), settleUntil, finish };
}

// Jobs cross to a worker as a copy, all of a call's at once: running a very large site's jobs in
// slices bounds what a worker holds at a time.
const JOB_SLICE = 20_000;

/**
 * An envelope read from the cache file has its own copy of the post's HTML; the copy is swapped for the
 * equal string the build holds anyway, so a large site keeps each post's HTML once.
 */
function shareHtml(envelope: SignedEnvelope, feedHtml: string): SignedEnvelope {
  if (envelope.content_html === feedHtml) envelope.content_html = feedHtml;
  return envelope;
}

/**
 * The entry as layouts see it. A post is on its own page and in several listings (home, each of its
 * tags): one view object serves them all while `ctx.views` is kept, and is copied once to a worker
 * that renders several of those listing pages.
 */
function view(ctx: Context, entry: Entry): PostView {
  let made = ctx.views?.get(entry);
  if (!made) {
    made = postView(entry, ctx.html.get(entry)!.html, ctx.config, ctx.urls);
    ctx.views?.set(entry, made);
  }
  return made;
}

/**
 * The page made before for `outputPath` from the same inputs (`signature`): its bytes, from an
 * in-memory cache, or the file the previous build wrote, for a cache read from disk.
 */
function cachedPage(ctx: Context, outputPath: string, signature: string): { contents: string } | { from: string } | undefined {
  ctx.used.pages.add(outputPath);
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
function emit(ctx: Context, outputPath: string, signature: string, render: () => string): void {
  const cached = cachedPage(ctx, outputPath, signature);
  const made = cached ?? { contents: render() };
  keepPage(ctx, outputPath, signature, 'contents' in made ? made.contents : undefined, cached !== undefined);
  ctx.out.add({ path: outputPath, ...made });
}

/**
 * Queues a page made from a layout, unless the cache has it for the same inputs. `data` is only
 * built on a miss. Queued pages are rendered together, across threads, by `renderLayouts`.
 */
function emitLayout(ctx: Context, outputPath: string, signature: string, layout: string, data: () => object): void {
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

/**
 * A page in output order; `job` until its layout is rendered, when `contents` is filled in. `from`:
 * a file of the previous output to copy instead.
 */
interface QueuedPage {
  path: string;
  contents: string;
  from?: string;
  signature: string;
  job: LayoutJob | undefined;
}

function startLayouts(ctx: Context): void {
  if (ctx.unstarted.length === 0) return;
  const layoutsDir = path.join(ctx.config.root, ctx.config.dirs.layouts);
  const jobs = startJobs('layout', ctx.unstarted.map((p) => p.job!), threadCount(ctx.threads, ctx.queued, 'layout'), { layoutsDir, renderer: ctx.renderer });
  ctx.started.push({ pages: ctx.unstarted, jobs });
  ctx.unstarted = [];
}

function renderLayouts(ctx: Context): void {
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
function layoutPages(ctx: Context): number {
  const listingPages = (posts: number) => Math.max(1, Math.ceil(posts / ctx.config.postsPerPage));
  const tagPages = tagsOf(ctx).reduce((sum, tag) => sum + listingPages(tag.posts.length), 0);
  // Posts, pages, the home listing, the tag listings, the tag index and the 404 page.
  return ctx.content.posts.length + ctx.content.pages.length + listingPages(ctx.content.posts.length) + tagPages + 2;
}

function renderEntries(ctx: Context, signed?: (entry: Entry) => void): void {
  const siteFeeds = feedLinks(ctx.config.title, ctx.site.feeds);
  const inFeeds = feedPosts(ctx);
  for (const entry of [...ctx.content.posts, ...ctx.content.pages]) {
    signed?.(entry);
    const envelope = ctx.envelopes.get(entry);
    const layout = layoutOf(entry);
    // The envelope's JSON is made only for a page that is rendered: a rebuild reuses most pages.
    const proof = envelope?.proof.proofValue ?? '';
    const { signature, url } = ctx.derive.page(entry, layout, proof);
    emitLayout(ctx, entry.outputPath, signature, layout, () => ({
      site: ctx.site,
      page: {
        ...view(ctx, entry), description: entry.summary ?? ctx.config.description, language: ctx.config.language, feeds: siteFeeds,
        envelopeJson: envelope ? embedJson(envelope) : undefined,
      },
    }));
    ctx.sitemap.push({ url, lastmod: envelope ? envelope.date_modified ?? envelope.date_published : undefined });
    // The listings are made: nothing reads this entry's HTML again, nor its envelope unless a feed
    // holds it. Let go now, they are not all held until the last page of a large site.
    ctx.html.delete(entry);
    if (!inFeeds.has(entry)) ctx.envelopes.delete(entry);
  }
}

function renderListing(ctx: Context, listing: Listing, page: Record<string, unknown>, feeds: ReturnType<typeof feedLinks>, layout: string): void {
  const pageJson = JSON.stringify(page);
  const viewOf = (post: Entry) => view(ctx, post);
  for (const part of paginate(listing, ctx.config.postsPerPage)) {
    const outputPath = `${part.urlPath.replace(/^\//, '')}index.html`;
    const { signature, url } = ctx.derive.listingPage(outputPath, layout, pageJson, part);
    emitLayout(ctx, outputPath, signature, layout, () => ({
      site: ctx.site,
      page: { ...page, content: part.page === 1 ? page.content : undefined, url, path: ctx.urls.link(part.urlPath), feeds },
      posts: part.posts.map(viewOf),
      pagination: {
        page: part.page,
        pages: part.pages,
        newer: part.newer && ctx.urls.link(part.newer),
        older: part.older && ctx.urls.link(part.older),
      },
    }));
    ctx.listingSitemap.push({ url, lastmod: undefined });
  }
}

function renderListings(ctx: Context): void {
  const { config, content } = ctx;
  const home = content.home;
  const homeHtml = home ? ctx.html.get(home)!.html : undefined;
  renderListing(ctx, { urlPath: '/', posts: content.posts }, {
    kind: 'home',
    title: home?.title ?? config.title,
    description: home?.summary ?? config.description,
    heading: home ? 'Latest posts' : undefined,
    content: homeHtml,
    source: home?.hash,
  }, feedLinks(config.title, ctx.site.feeds), home ? layoutOf(home) : 'list');
  const tags = tagsOf(ctx);
  for (const tag of tags) {
    const urlPath = `/tags/${tag.slug}/`;
    const tagFeeds = { rss: ctx.urls.absolute(`${urlPath}feed.xml`), atom: ctx.urls.absolute(`${urlPath}atom.xml`), json: ctx.urls.absolute(`${urlPath}feed.json`) };
    renderListing(ctx, { urlPath, posts: tag.posts }, {
      kind: 'tag', title: `#${tag.name}`, heading: `Posts tagged #${tag.name}`, description: `Posts tagged ${tag.name} on ${config.title}`,
    }, [...feedLinks(`${config.title}: #${tag.name}`, tagFeeds), ...feedLinks(config.title, ctx.site.feeds)], 'list');
  }
  const tagViews = tags.map((tag) => ({ name: tag.name, path: ctx.urls.link(`/tags/${tag.slug}/`), count: tag.posts.length }));
  emitLayout(ctx, 'tags/index.html', signatureOf(ctx.siteSignature, 'tags', JSON.stringify(tagViews)), 'tags', () => (
    { site: ctx.site, tags: tagViews, page: { kind: 'tags', title: 'Tags', url: ctx.urls.absolute('/tags/'), feeds: feedLinks(config.title, ctx.site.feeds) } }
  ));
  ctx.listingSitemap.push({ url: ctx.urls.absolute('/tags/'), lastmod: undefined });
  emitLayout(ctx, '404.html', signatureOf(ctx.siteSignature, '404'), '404', () => (
    { site: ctx.site, page: { kind: 'error', title: 'Not found', url: ctx.urls.absolute('/404.html'), feeds: feedLinks(config.title, ctx.site.feeds) } }
  ));
}

function writeFeedSet(ctx: Context, dir: string, title: string, description: string, homePagePath: string, posts: Entry[]): void {
  const items: FeedItem[] = posts.slice(0, ctx.config.feed.items).map((post) => ctx.envelopes.get(post)!);
  const channel: FeedChannel = {
    title,
    description,
    language: ctx.config.language,
    homePageUrl: ctx.urls.absolute(homePagePath),
    urls: { rss: ctx.urls.absolute(`${dir}feed.xml`), atom: ctx.urls.absolute(`${dir}atom.xml`), json: ctx.urls.absolute(`${dir}feed.json`) },
    author: ctx.config.author,
    fullContent: ctx.config.feed.fullContent,
  };
  const signature = signatureOf(ctx.siteSignature, JSON.stringify(channel), ...items.map((item) => item.proof.proofValue));
  const base = dir.replace(/^\//, '');
  emit(ctx, `${base}feed.xml`, signature, () => feeds().writeRss(channel, items));
  emit(ctx, `${base}atom.xml`, signature, () => feeds().writeAtom(channel, items));
  emit(ctx, `${base}feed.json`, signature, () => feeds().writeJsonFeed(channel, items));
  ctx.feedCount += 3;
}

function renderFeeds(ctx: Context): void {
  const { config, content } = ctx;
  writeFeedSet(ctx, '/', config.title, config.description, '/', content.posts);
  for (const tag of tagsOf(ctx)) {
    writeFeedSet(ctx, `/tags/${tag.slug}/`, `${config.title}: #${tag.name}`, `Posts tagged ${tag.name}`, `/tags/${tag.slug}/`, tag.posts);
  }
}

function renderSiteFiles(ctx: Context): void {
  const { config } = ctx;
  ctx.out.add({ path: 'sitemap.xml', contents: ctx.derive.sitemap([...ctx.sitemap, ...ctx.listingSitemap]) });
  ctx.out.add({ path: 'robots.txt', contents: writeRobots(ctx.urls.absolute('sitemap.xml')) });
  const didPath = didDocumentPath(config.url);
  ctx.out.add({ path: didPath, contents: `${JSON.stringify(createDidDocument(ctx.did, ctx.key.registry.keys), null, 2)}\n` });
  const feedPaths = ctx.out.paths.filter((p) => /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(p)).map((p) => ctx.urls.link(p));
  ctx.out.add({ path: '_headers', contents: writeHeaders([ctx.urls.link(didPath), ...feedPaths]) });
}

function addAssets(ctx: Context, extraFiles: OutputFile[]): void {
  for (const asset of theme().themeAssets()) ctx.out.add({ path: asset.outputPath, from: asset.file });
  for (const asset of ctx.content.assets) ctx.out.add({ path: asset.outputPath, from: asset.file });
  for (const file of extraFiles) ctx.out.add(file);
}
