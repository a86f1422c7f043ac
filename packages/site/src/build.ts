import path from 'node:path';
import { loadConfig, type SiteConfig } from '@signet/config';
import type { ContentSet, Entry, Warning } from '@signet/content';
import type { FeedChannel, FeedItem } from '@signet/feeds';
import { resolveSigningKey, type SigningKey } from '@signet/keys';
import { createDidDocument, didDocumentPath, didWebFromUrl, embedJson, type SignedEnvelope } from '@signet/sign';
import type { Renderer } from '@signet/theme';
import { lazy } from './lazy.js';
import { createCache, type BuildCache } from './cache.js';
import { recordSignature, reuseOrPlan, signingContext, type PendingSignature } from './envelope.js';
import { collectTags, paginate, type Listing, type Tag } from './listings.js';
import type { OutputFile } from './output.js';
import { writeHeaders, writeRobots, type SitemapEntry } from './seo.js';
import { siteUrls, type SiteUrls } from './urls.js';
import { feedLinks, postView, type PostView, type SiteView } from './view.js';
import { memoRender, signatureOf } from './memo.js';
import { deriver, type Derive } from './derived.js';
import { intern } from './reuse.js';
import { cacheStamp, loadDiskCache, saveDiskCache } from './disk-cache.js';
import { finishJobs, renderMarkdownJobs, runJobs, startJobs, threadCount, warmWorkers, type LayoutJob, type MarkdownJob, type StartedJobs } from './parallel.js';

const contentModule = lazy<typeof import('@signet/content')>('@signet/content');
const feeds = lazy<typeof import('@signet/feeds')>('@signet/feeds');
const theme = lazy<typeof import('@signet/theme')>('@signet/theme');

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
}

export interface BuildResult {
  files: OutputFile[];
  config: SiteConfig;
  warnings: Warning[];
  /** Where the signing key came from, when the user should hear about it. */
  keyNotice: string | undefined;
  stats: { posts: number; pages: number; feeds: number; files: number; steps: { name: string; ms: number }[]; markdown?: MarkdownStats };
}

/** How the Markdown of a build was rendered: how many files (cache misses), on how many threads. */
export interface MarkdownStats {
  rendered: number;
  threads: number;
  /** Files rendered by worker threads rather than the calling thread. */
  byWorkers: number;
}

interface PendingPage {
  file: { path: string; contents: string };
  signature: string;
  job: LayoutJob;
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
  envelopes: Map<Entry, SignedEnvelope>;
  files: OutputFile[];
  sitemap: SitemapEntry[];
  feedCount: number;
  threads: number | undefined;
  markdownStats: MarkdownStats;
  /** Pages whose layout is still to be rendered: their files are filled in by `renderLayouts`. */
  pending: PendingPage[];
  /** Queued pages already handed to workers, which render them while this thread queues more. */
  started: { pages: PendingPage[]; jobs: StartedJobs<'layout'> }[];
  /** Pages queued by this build so far: whether workers are worth using. */
  queued: number;
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
 * `buildSite`, also saying until when its result holds: the date of the first post held back as
 * "future", after which the same inputs give another site. Infinity when there is none.
 */
export function buildSiteUntil(options: BuildOptions, resolved?: { config: SiteConfig; key: SigningKey | undefined }): { result: BuildResult; validUntil: number } {
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
  const renderer = step('layouts', () => theme().createRenderer(path.join(config.root, config.dirs.layouts)));
  const ctx = createContext(config, content, renderer, key, cache, options.extraFiles ?? []);
  ctx.threads = threads;
  step('check layouts', () => checkLayouts(ctx));
  step('markdown', () => renderAllMarkdown(ctx));
  step('sign', () => signPosts(ctx));
  step('pages', () => renderEntries(ctx));
  step('listings', () => renderListings(ctx));
  step('render', () => renderLayouts(ctx));
  step('feeds', () => renderFeeds(ctx));
  step('sitemap and keys', () => renderSiteFiles(ctx));
  step('assets', () => addAssets(ctx, options.extraFiles ?? []));
  pruneCache(ctx);
  if (useDisk) step('save cache', () => saveDiskCache(config.root, stamp, cache));
  return {
    result: {
      files: ctx.files,
      config,
      warnings: content.warnings,
      keyNotice: key.notice,
      stats: { posts: content.posts.length, pages: content.pages.length, feeds: ctx.feedCount, files: ctx.files.length, steps, markdown: ctx.markdownStats },
    },
    validUntil,
  };
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
    const count = threadCount(threads, files.length);
    // Every post will be rendered: workers load the Markdown pipeline and the layouts while this
    // thread reads the content (a worker starts too slowly to read much of it anyway).
    if (cold) warmWorkers(count, ['markdown', 'layout']);
    return runJobs('entry', files, count, { config }).results;
  };
  const hints = { unchanged: options.unchanged, listings: options.listings };
  const all = contentModule().loadContent(config, { drafts: options.drafts, future: true, now, entryCache, readEntries, ...hints });
  if (options.future) return { content: all, validUntil: Infinity };
  const upcoming = all.posts.filter((post) => post.date !== undefined && post.date.getTime() > now.getTime()).map((post) => post.date!.getTime());
  if (upcoming.length === 0) return { content: all, validUntil: Infinity };
  return { content: contentModule().loadContent(config, { drafts: options.drafts, future: false, now, entryCache, ...hints }), validUntil: Math.min(...upcoming) };
}

function createContext(config: SiteConfig, content: ContentSet, renderer: Renderer, key: SigningKey, cache: BuildCache, extraFiles: OutputFile[]): Context {
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
    html: new Map(), envelopes: new Map(), files: [], sitemap: [], feedCount: 0,
    threads: undefined, markdownStats: { rendered: 0, threads: 1, byWorkers: 0 }, pending: [], started: [], queued: 0, used: { markdown: new Set(), envelopes: new Set(), pages: new Set() },
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

function renderAllMarkdown(ctx: Context): void {
  const { trustHtml } = ctx.config.markdown;
  const missing: { entry: Entry; cacheKey: string; job: MarkdownJob }[] = [];
  for (const entry of allEntries(ctx)) {
    const cacheKey = ctx.derive.markdownKey(entry);
    ctx.used.markdown.add(cacheKey);
    const rendered = ctx.cache.markdown.get(cacheKey);
    if (rendered) ctx.html.set(entry, rendered);
    else missing.push({ entry, cacheKey, job: { body: entry.body, trustHtml, baseUrl: ctx.derive.url(entry) } });
  }
  const threads = threadCount(ctx.threads, missing.length);
  const { results: rendered, byWorkers } = renderMarkdownJobs(missing.map((m) => m.job), threads);
  ctx.markdownStats = { rendered: missing.length, threads, byWorkers };
  missing.forEach(({ entry, cacheKey }, i) => {
    const result = rendered[i]!;
    // Most posts have no relative link, so both renderings are equal: keep one string, not two.
    const shared = result.feedHtml === result.html ? { html: result.html, feedHtml: result.html } : result;
    ctx.cache.markdown.set(cacheKey, shared);
    ctx.html.set(entry, shared);
  });
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

/** Reuses every envelope it can, then signs the rest at once, across threads when there are many. */
function signPosts(ctx: Context): void {
  // Interned: each post compares it with the context its envelope was signed in.
  const context = intern(signingContext(ctx.config, ctx.key, ctx.did));
  const pending: { post: Entry; feedHtml: string; url: string; plan: PendingSignature }[] = [];
  for (const post of ctx.content.posts) {
    const feedHtml = ctx.html.get(post)!.feedHtml;
    const url = ctx.derive.url(post);
    const outcome = reuseOrPlan(post, feedHtml, url, ctx.config, ctx.key, ctx.did, ctx.cache, ctx.used.envelopes, context);
    if ('envelope' in outcome) ctx.envelopes.set(post, outcome.envelope);
    else pending.push({ post, feedHtml, url, plan: outcome.pending });
  }
  const verificationMethod = `${ctx.did}#${ctx.key.id}`;
  const jobs = pending.map((p) => ({ item: p.plan.item, verificationMethod, seed: ctx.key.seed }));
  const { results } = runJobs('sign', jobs, threadCount(ctx.threads, jobs.length));
  pending.forEach((p, i) => ctx.envelopes.set(p.post, recordSignature(p.post, p.feedHtml, p.url, context, p.plan, results[i]!, ctx.cache)));
}

function view(ctx: Context, entry: Entry): PostView {
  return postView(entry, ctx.html.get(entry)!.html, ctx.config, ctx.urls);
}

function emit(ctx: Context, outputPath: string, signature: string, render: () => string): void {
  ctx.used.pages.add(outputPath);
  ctx.files.push({ path: outputPath, contents: memoRender(ctx.cache, outputPath, signature, render) });
}

/**
 * Queues a page made from a layout, unless the cache has it for the same inputs. `data` is only
 * built on a miss. All queued pages are rendered at once, across threads, by `renderLayouts`.
 */
function emitLayout(ctx: Context, outputPath: string, signature: string, layout: string, data: () => object): void {
  ctx.used.pages.add(outputPath);
  const cached = ctx.cache.pages.get(outputPath);
  if (cached && cached.signature === signature) {
    ctx.files.push({ path: outputPath, contents: cached.contents });
    return;
  }
  const file = { path: outputPath, contents: '' };
  ctx.files.push(file);
  ctx.pending.push({ file, signature, job: { layout, data: data() } });
  ctx.queued++;
  // Workers start on queued pages in chunks, rendering them while this thread makes the next pages' data.
  if (ctx.pending.length >= LAYOUT_CHUNK) startLayouts(ctx);
  // Rendering in slices bounds the memory held by queued page data on very large sites.
  if (ctx.started.length * LAYOUT_CHUNK >= LAYOUT_SLICE) renderLayouts(ctx);
}

const LAYOUT_CHUNK = 500;
const LAYOUT_SLICE = 8000;

function startLayouts(ctx: Context): void {
  if (ctx.pending.length === 0) return;
  const layoutsDir = path.join(ctx.config.root, ctx.config.dirs.layouts);
  const jobs = startJobs('layout', ctx.pending.map((p) => p.job), threadCount(ctx.threads, ctx.queued), { layoutsDir, renderer: ctx.renderer });
  ctx.started.push({ pages: ctx.pending, jobs });
  ctx.pending = [];
}

function renderLayouts(ctx: Context): void {
  startLayouts(ctx);
  for (const { pages, jobs } of ctx.started) {
    const { results } = finishJobs(jobs);
    pages.forEach(({ file, signature }, i) => {
      file.contents = results[i]!;
      ctx.cache.pages.set(file.path, { signature, contents: file.contents });
    });
  }
  ctx.started = [];
}

function renderEntries(ctx: Context): void {
  const siteFeeds = feedLinks(ctx.config.title, ctx.site.feeds);
  for (const entry of [...ctx.content.posts, ...ctx.content.pages]) {
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
  }
}

function renderListing(ctx: Context, views: Map<Entry, PostView>, listing: Listing, page: Record<string, unknown>, feeds: ReturnType<typeof feedLinks>, layout: string): void {
  const pageJson = JSON.stringify(page);
  // A post is in several listings (home, each of its tags): one view object serves them all, and is
  // copied once to a worker that renders several of those listing pages.
  const viewOf = (post: Entry) => {
    let postView = views.get(post);
    if (!postView) views.set(post, (postView = view(ctx, post)));
    return postView;
  };
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
    ctx.sitemap.push({ url, lastmod: undefined });
  }
}

function renderListings(ctx: Context): void {
  const { config, content } = ctx;
  const home = content.home;
  const homeHtml = home ? ctx.html.get(home)!.html : undefined;
  const views = new Map<Entry, PostView>();
  renderListing(ctx, views, { urlPath: '/', posts: content.posts }, {
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
    renderListing(ctx, views, { urlPath, posts: tag.posts }, {
      kind: 'tag', title: `#${tag.name}`, heading: `Posts tagged #${tag.name}`, description: `Posts tagged ${tag.name} on ${config.title}`,
    }, [...feedLinks(`${config.title}: #${tag.name}`, tagFeeds), ...feedLinks(config.title, ctx.site.feeds)], 'list');
  }
  const tagViews = tags.map((tag) => ({ name: tag.name, path: ctx.urls.link(`/tags/${tag.slug}/`), count: tag.posts.length }));
  emitLayout(ctx, 'tags/index.html', signatureOf(ctx.siteSignature, 'tags', JSON.stringify(tagViews)), 'tags', () => (
    { site: ctx.site, tags: tagViews, page: { kind: 'tags', title: 'Tags', url: ctx.urls.absolute('/tags/'), feeds: feedLinks(config.title, ctx.site.feeds) } }
  ));
  ctx.sitemap.push({ url: ctx.urls.absolute('/tags/'), lastmod: undefined });
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
  ctx.files.push({ path: 'sitemap.xml', contents: ctx.derive.sitemap(ctx.sitemap) });
  ctx.files.push({ path: 'robots.txt', contents: writeRobots(ctx.urls.absolute('sitemap.xml')) });
  const didPath = didDocumentPath(config.url);
  ctx.files.push({ path: didPath, contents: `${JSON.stringify(createDidDocument(ctx.did, ctx.key.registry.keys), null, 2)}\n` });
  const feedPaths = ctx.files.filter((f) => (f.path.endsWith('.xml') || f.path.endsWith('.json')) && /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(f.path)).map((f) => ctx.urls.link(f.path));
  ctx.files.push({ path: '_headers', contents: writeHeaders([ctx.urls.link(didPath), ...feedPaths]) });
}

function addAssets(ctx: Context, extraFiles: OutputFile[]): void {
  for (const asset of theme().themeAssets()) ctx.files.push({ path: asset.outputPath, from: asset.file });
  for (const asset of ctx.content.assets) ctx.files.push({ path: asset.outputPath, from: asset.file });
  ctx.files.push(...extraFiles);
}
