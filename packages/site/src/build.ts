/**
 * The build: a flat list of named, timed steps, each a module of ./steps/ (load, markdown, sign,
 * listings, pages, feeds, site files, assets) working on one shared `Context`. This file only runs them
 * in order and keeps the cache file.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type SiteConfig } from '@signet/config';
import type { Entry, Warning } from '@signet/content';
import { resolveSigningKey, type SigningKey } from '@signet/keys';
import { theme } from './lazy.js';
import { createCache, type BuildCache } from './cache.js';
import { collectOutput, type OutputFile, type OutputSink } from './output.js';
import { cacheStamp, loadDiskCache, openCacheWriter, type CacheWriter } from './disk-cache.js';
import { threadCount } from './parallel.js';
import { cacheOutlivesBuild, createContext, streamsPages, type Context, type MarkdownStats } from './steps/context.js';
import { loadPublished, threadsFromEnv } from './steps/load.js';
import { renderAllMarkdown, signsWhileRendering, spillMarkdown } from './steps/markdown.js';
import { signAhead, signPosts, startSigning } from './steps/sign.js';
import { layoutPages, renderLayouts } from './steps/emit.js';
import { renderListings } from './steps/listings.js';
import { renderArchive } from './steps/archive.js';
import { checkLayouts, renderEntries } from './steps/pages.js';
import { renderFeeds } from './steps/feeds.js';
import { renderSiteFiles } from './steps/site-files.js';
import { renderNetwork } from './steps/network.js';
import { renderTombstones } from './steps/tombstones.js';
import { resolveReferences } from './steps/references.js';
import { resolveReplies } from './steps/replies.js';
import { addAssets } from './steps/assets.js';
import { checkFragments, checkLinks } from './steps/links.js';
import { checkGeneratedUrls } from './steps/generated.js';
import { pruneCache } from './steps/prune.js';
import { checkAltText, hasImages, prepareImages, useImages, type ImageStats } from './steps/images.js';

export type { MarkdownStats };

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
  /**
   * Publish an image whose responsive copies are not made yet as its stripped copy alone, and make
   * the copies in the background (`result.imagesPending`): `signet dev` never waits for encoding.
   */
  deferImageCopies?: boolean;
  /** Called once the content files are found, before they are read, with how many there are. */
  onFiles?: (files: number) => void;
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
   * With `deferImageCopies`: settles (never rejects) once the responsive copies this build went
   * without are in the cache, when a build then would publish them.
   */
  imagesPending?: Promise<void>;
  /**
   * `reused`: output files taken from an earlier build (the cache, or the output folder) instead of
   * made. `layouts`: pages this thread made with a compiled layout and with LiquidJS (workers' not
   * counted).
   */
  stats: {
    posts: number; pages: number; feeds: number; files: number; reused?: number; steps: { name: string; ms: number }[];
    markdown?: MarkdownStats; layouts?: { compiled: number; liquid: number };
    /** Drafts and future posts this build left out (the summary says so). */
    leftOut?: { drafts: number; future: number };
    /** Images published, encoded by this build (not from the cache), and what metadata they lost. */
    images?: ImageStats;
  };
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
  // The writing thread starts now, before `onContent`: the command lowers the priority of every
  // thread there is then (see priority.ts), and this one was left at the build thread's own.
  resolved?.out?.expect?.(content.posts.length + content.pages.length);
  options.onContent?.(content.posts.length + content.pages.length);
  const images = hasImages(content) ? step('images', () => prepareImages(config, content, options.deferImageCopies)) : undefined;
  const renderer = step('layouts', () => theme().createRenderer(path.join(config.root, config.dirs.layouts)));
  const build = randomUUID();
  const writer = useDisk ? openCacheWriter(config.root, stamp, build) : undefined;
  const collected = resolved?.out ? undefined : collectOutput();
  const ctx = createContext(config, content, renderer, key, cache, options.cache !== undefined, options.extraFiles ?? [], resolved?.out ?? collected!, images?.signature);
  if (images) useImages(ctx, images);
  // A cache made for this build is dropped when it ends: what it must keep goes to the file instead.
  ctx.cacheWriter = options.cache ? undefined : writer;
  if (options.cache) {
    ctx.html = cache.held.html;
    ctx.envelopes = cache.held.envelopes;
  }
  const previous = resolved?.previous;
  if (previous && previous.build === cache.build) ctx.previousFile = previous.file;
  ctx.threads = threads;
  try {
    step('check layouts', () => checkLayouts(ctx));
    step('check URLs', () => checkGeneratedUrls(ctx, options.extraFiles ?? []));
    resolveReferences(ctx);
    if (ctx.site.blogroll !== undefined) step('replies', () => resolveReplies(ctx));
    ctx.layoutsHere = threadCount(ctx.threads, layoutPages(ctx), 'layout') === 1;
    // Signed while this thread renders: the Markdown of the posts after them, then the pages of the
    // posts before them, so that neither thread waits for the other. A site made page by page signs
    // its posts just ahead of their pages instead (signAhead).
    let signer: { settleUntil: (entry: Entry, index: number) => void; finish: () => void } | undefined;
    if (signsWhileRendering(ctx)) {
      step('markdown and sign', () => {
        const signing = startSigning(ctx);
        signer = signing;
        renderAllMarkdown(ctx, signing.add);
        spillMarkdown(ctx);
      });
    } else {
      step('markdown', () => {
        renderAllMarkdown(ctx);
        spillMarkdown(ctx);
      });
      if (!streamsPages(ctx)) step('sign', () => signPosts(ctx));
    }
    if (images) checkAltText(ctx);
    if (ctx.linked.length > 0) step('fragments', () => checkFragments(ctx));
    // Listings need no signature: made first, they give the signing thread a head start on the pages.
    // A site made page by page makes them with its posts' pages: they come back for the pages step.
    const listings = step('listings', () => renderListings(ctx));
    step('archive', () => renderArchive(ctx));
    // A very large site made step by step (only in `signet dev`: a site made page by page lets each
    // view go itself) does not keep every view for its pages too: in a build of 100,000 posts made so
    // on 2026-11-26, that took the peak from 923 to 1,042 MiB.
    if (!ctx.layoutsHere && cacheOutlivesBuild(ctx)) ctx.views = undefined;
    step('pages', () => {
      signer ??= streamsPages(ctx) ? signAhead(ctx) : undefined;
      renderEntries(ctx, signer?.settleUntil, listings);
      signer?.finish();
    });
    step('render', () => {
      renderLayouts(ctx);
      // Only the feeds are left, and they read envelopes: a large site's HTML can go.
      if (!cacheOutlivesBuild(ctx)) ctx.html = new WeakMap();
      ctx.views = undefined;
    });
    step('feeds', () => renderFeeds(ctx));
    step('network', () => renderNetwork(ctx));
    step('tombstones', () => renderTombstones(ctx));
    step('sitemap and keys', () => renderSiteFiles(ctx));
    step('assets', () => addAssets(ctx, options.extraFiles ?? []));
    if (ctx.linked.length > 0) step('links', () => checkLinks(ctx));
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
      warnings: ctx.notes.length === 0 ? content.warnings : [...content.warnings, ...ctx.notes],
      keyNotice: key.notice,
      ...(images?.pending ? { imagesPending: images.pending } : {}),
      stats: { posts: content.posts.length, pages: content.pages.length, feeds: ctx.feedCount, files: ctx.out.paths.length, reused: ctx.reused, steps, markdown: ctx.markdownStats, layouts: { ...renderer.counts }, leftOut: content.leftOut, ...(images ? { images: images.stats } : {}) },
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
