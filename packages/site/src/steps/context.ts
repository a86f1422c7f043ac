/**
 * What every build step reads and fills: the site, its content, the caches, and where output goes.
 * The steps are plain functions of this one record, run in order by `buildSiteUntil` (build.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { suggest, type SiteConfig } from '@signet/config';
import type { ContentSet, Entry, Warning } from '@signet/content';
import type { SigningKey } from '@signet/keys';
import { didDocumentPath, didWebFromUrl, type SignedEnvelope } from '@signet/sign';
import type { Renderer } from '@signet/theme';
import { STRING_KEYS, themeStrings } from '@signet/theme/strings';
import type { BuildCache, RenderedHtml } from '../cache.js';
import type { CacheWriter } from '../disk-cache.js';
import { deriver, type Derive } from '../derived.js';
import { collectTags, type Tag } from '../listings.js';
import { signatureOf } from '../memo.js';
import type { OutputFile, OutputSink } from '../output.js';
import type { LayoutJob, StartedJobs } from '../parallel.js';
import type { SitemapEntry } from '../seo.js';
import { siteIcon } from '../icons.js';
import { readSiteData } from '../site-data.js';
import { siteUrls, type SiteUrls } from '../urls.js';
import { postView, type PostView, type SiteView } from '../view.js';
import { FOLLOWING_FILE } from './network.js';
import type { ResolvedReferences } from './references.js';
import type { PostReplies } from './replies.js';
import type { FeedRecord, DomainRecord, FollowEntry } from '@signet/network/read';

/** How the Markdown of a build was rendered: how many files (cache misses), on how many threads. */
export interface MarkdownStats {
  rendered: number;
  threads: number;
  /** Files rendered by worker threads rather than the calling thread. */
  byWorkers: number;
}

export interface Context {
  config: SiteConfig;
  content: ContentSet;
  urls: SiteUrls;
  renderer: Renderer;
  key: SigningKey;
  did: string;
  cache: BuildCache;
  site: SiteView;
  siteSignature: string;
  html: WeakMap<Entry, RenderedHtml>;
  /**
   * Each entry as layouts see it, made once for the listings it is in and, unless workers render the
   * pages (a large site), for its page too; undefined once nothing is to reuse them.
   */
  views: Map<Entry, PostView> | undefined;
  envelopes: WeakMap<Entry, SignedEnvelope>;
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
  /**
   * Cache keys this build used: whatever else is in the cache is dropped when the build ends.
   * Undefined for a cache that outlives the build (`signet dev`'s), which is pruned now and then
   * instead (see `pruneCache`): filling three sets of 10,000 keys cost every rebuild ~10 ms.
   */
  used: { markdown: Set<string>; envelopes: Set<string>; pages: Set<string> } | undefined;
  /** URLs, cache keys and signatures, taken from the build before when their inputs are the same. */
  derive: Derive;
  tags: Tag[] | undefined;
  /** What the build has to tell the user beyond the content's own warnings. */
  notes: Warning[];
  /** Each entry with relative links and images, and those (checked once the output is known). */
  linked: { entry: Entry; links: string[]; retargets?: Record<string, string> }[];
  /** Entries whose links to Markdown sources were pointed at their URLs: the targets, as JSON. */
  retargeted: Map<Entry, string>;
  /** Entries that point at other posts (`in_reply_to` …), resolved from the store; undefined when none does. */
  references: Map<Entry, ResolvedReferences> | undefined;
  /** The follow list and the stored fetches, once read (steps/network.ts); undefined until then. */
  network: NetworkInputs | undefined;
  /** Replies to show, by the key of the post they answer (steps/replies.ts); undefined when there are none. */
  replies: Map<string, PostReplies> | undefined;
}

export interface NetworkInputs {
  entries: FollowEntry[];
  store: { feeds: FeedRecord[]; domains: DomainRecord[] };
}

/** `outlives`: the cache is kept for later builds (`signet dev`), not dropped when this one ends. */
export function createContext(config: SiteConfig, content: ContentSet, renderer: Renderer, key: SigningKey, cache: BuildCache, outlives: boolean, extraFiles: OutputFile[], out: OutputSink, imagesSignature?: string): Context {
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
    author: config.author.avatar ? { ...config.author, avatar: urls.link(config.author.avatar) } : config.author,
    feeds: { rss: urls.absolute('feed.xml'), atom: urls.absolute('atom.xml'), json: urls.absolute('feed.json') },
    feedPaths: { rss: urls.link('feed.xml'), atom: urls.link('atom.xml'), json: urls.link('feed.json') },
    didDocumentPath: urls.link(didDocumentPath(config.url)),
    menu,
    badgeScript: badge?.path,
    params: config.params ?? {},
    data: readSiteData(config.root) ?? {},
    strings: themeStrings(config.language, config.strings),
  };
  if (config.funding) site.funding = config.funding;
  if (config.monetization) site.monetization = config.monetization;
  if (config.webmention?.endpoint) site.webmention = config.webmention.endpoint;
  const profile = profilePage(config, content, urls);
  if (profile) site.profilePath = profile;
  const icon = siteIcon(config, urls);
  if (icon) site.icon = icon;
  // One check for a site that follows nobody; the network step does the rest (steps/network.ts).
  if (existsSync(path.join(config.root, FOLLOWING_FILE))) site.blogroll = urls.link('blogroll.opml');
  // A site's images are part of it: every page may show the names of an image's copies.
  const siteSignature = imagesSignature === undefined ? signatureOf(renderer.hash, JSON.stringify(site), JSON.stringify(config)) : signatureOf(renderer.hash, JSON.stringify(site), JSON.stringify(config), imagesSignature);
  return {
    config, content, urls, renderer, key, did, cache, site, siteSignature, notes: unknownStrings(config),
    html: new WeakMap(), views: new Map(), envelopes: new WeakMap(), out, cacheWriter: undefined, previousFile: undefined, sitemap: [], listingSitemap: [], feedCount: 0,
    threads: undefined, markdownStats: { rendered: 0, threads: 1, byWorkers: 0 }, reused: 0, queue: [], unstarted: [], started: [], queued: 0, layoutsHere: false,
    used: outlives ? undefined : { markdown: new Set(), envelopes: new Set(), pages: new Set() },
    derive: deriver(cache, siteSignature, urls, config.markdown.trustHtml, outlives), tags: undefined, linked: [], retargeted: new Map(), references: undefined,
    network: undefined, replies: undefined,
  };
}

/**
 * A `strings:` key the theme has no word for is probably misspelt: the config cannot tell (it does not
 * know the theme), so the build warns, at the key's line.
 */
function unknownStrings(config: SiteConfig): Warning[] {
  if (!config.strings) return [];
  return Object.keys(config.strings).filter((key) => !STRING_KEYS.includes(key)).map((key) => {
    const guess = suggest(key, STRING_KEYS);
    return {
      file: config.file ?? 'signet.config.yaml', line: config.stringLines?.[key],
      message: `the theme has no string \`strings.${key}\`: ${guess ? `did you mean \`strings.${guess}\`?` : `its keys are ${STRING_KEYS.join(', ')}.`}`,
    };
  });
}

/**
 * The posts that are signed and go into feeds and the sitemap: all of them, less the drafts a
 * preview build (`--drafts`) shows on its pages only.
 */
export function withoutDrafts(posts: Entry[]): Entry[] {
  return posts.some((post) => post.draft) ? posts.filter((post) => !post.draft) : posts;
}

/** Every tag with its posts, made once per build for the listings and the feeds. */
export function tagsOf(ctx: Context): Tag[] {
  ctx.tags ??= collectTags(ctx.content.posts);
  return ctx.tags;
}

export function layoutOf(entry: Entry): string {
  return entry.layout ?? (entry.kind === 'post' ? 'post' : entry.kind === 'home' ? 'list' : 'page');
}

/**
 * Whether the cache outlives this build (`signet dev`'s, given by the caller): it then holds every
 * entry's HTML and envelope anyway, and is pruned now and then rather than to what this build used.
 */
export function cacheOutlivesBuild(ctx: Context): boolean {
  return ctx.used === undefined;
}

/**
 * Whether the posts' pages and the listings' are made in one pass, post by post, each post's HTML,
 * view and envelope let go once the last page that shows it is made: for a site whose layouts render
 * on workers too (a very large one, or a build given threads) and whose cache ends with the build.
 * Made apart, the listings held every post's view and HTML at once (and the posts all their
 * envelopes): the build's peak memory at 100,000 posts. The output is the same either way.
 */
export function streamsPages(ctx: Context): boolean {
  return !ctx.layoutsHere && !cacheOutlivesBuild(ctx);
}

export function allEntries(ctx: Context): Entry[] {
  return [...(ctx.content.home ? [ctx.content.home] : []), ...ctx.content.posts, ...ctx.content.pages];
}

// Jobs cross to a worker as a copy, all of a call's at once: running a very large site's jobs in
// slices bounds what a worker holds at a time.
export const JOB_SLICE = 20_000;

/**
 * The entry as layouts see it. A post is on its own page and in several listings (home, each of its
 * tags): one view object serves them all while `ctx.views` is kept, and is copied once to a worker
 * that renders several of those listing pages.
 */
export function view(ctx: Context, entry: Entry): PostView {
  let made = ctx.views?.get(entry);
  if (!made) {
    // Shown on other pages of the site (listings): relative URLs made site-relative. A page's own
    // data puts its `html` back.
    const rendered = ctx.html.get(entry)!;
    made = postView(entry, rendered.listingHtml ?? rendered.html, rendered.words, ctx.config, ctx.urls);
    ctx.views?.set(entry, made);
  }
  return made;
}

/**
 * A page in output order; `job` until its layout is rendered, when `contents` is filled in. `from`:
 * a file of the previous output to copy instead.
 */
export interface QueuedPage {
  path: string;
  contents: string;
  from?: string;
  signature: string;
  job: LayoutJob | undefined;
}

// Posts signed together while the Markdown of the next ones renders.
export const SIGN_CHUNK = 500;


/** The page that carries the author's h-card: the one `author.url` names, else /about/; none without either. */
function profilePage(config: SiteConfig, content: ContentSet, urls: ReturnType<typeof siteUrls>): string | undefined {
  const wanted = config.author.url;
  const own = wanted ? content.pages.find((page) => urls.absolute(page.urlPath) === wanted) : undefined;
  const page = own ?? content.pages.find((p) => p.urlPath === '/about/');
  return page && urls.link(page.urlPath);
}
