import { hash as digest } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { findContacts, SignetError, type SiteConfig } from '@signet/config';
import type { Asset, ContentSet, Entry, Warning } from './entry.js';
import { optionalText, parseBoolean, parseAudience, parseFunding, parseDate, parseReferences, parseTags, signedText, warnMisspeltKeys } from './fields.js';
import { parseFrontMatter } from './front-matter.js';
import { decodeSource } from './text.js';
import { followLink, walkRoot, type LinkRules } from './links.js';
import { fillPermalink, outputPathOf, safeUrlPath } from './url.js';

/**
 * The largest post source read: a post is signed, and its signed envelope, which carries the whole
 * HTML, may be at most 1 MiB (`MAX_ENVELOPE_BYTES` in @signet/sign).
 */
const MAX_POST_BYTES = 1024 * 1024;

export interface LoadOptions {
  /** Include posts with `draft: true`. */
  drafts?: boolean;
  /** Include posts dated after `now`. */
  future?: boolean;
  /** Include `audience: members` posts (letters sent by email only; never part of the site). */
  members?: boolean;
  /** The moment that decides what is "future"; defaults to the current time. */
  now?: Date;
  /**
   * Entries read by an earlier call, reused when a file's bytes and the settings they depend on are
   * the same: `signet dev` keeps one so that saving one post does not parse every other.
   */
  entryCache?: EntryCache;
  /**
   * Reads many files at once (on other threads, say): called with the files `entryCache` holds nothing
   * for, it gives for each what `readEntry` gives, or undefined to have the file read here instead.
   */
  readEntries?: (files: string[]) => (EntryResult | undefined)[];
  /**
   * Says that a file is as it was when `entryCache` got its entry, which is then reused without
   * reading the file. `signet dev` knows this from its watcher; without it every file is read and
   * hashed.
   */
  unchanged?: (file: string) => boolean;
  /**
   * Folder listings (as `walkFiles` makes them) to reuse, filled with each folder this call lists:
   * `signet dev` keeps one and empties it when a file or folder comes or goes.
   */
  listings?: Map<string, string[]>;
}

export type EntryResult = { entry: Entry; warnings: Warning[] };

/** file → its entry, the hash of the bytes it was read from, and the settings it depends on. */
export type EntryCache = Map<string, { hash: string; settings: string; result: EntryResult }>;

/** What every entry depends on besides its file's bytes. */
function entrySettings(config: SiteConfig): string {
  return [config.root, config.dirs.content, config.permalink, config.title, ...(config.publicContacts ?? [])].join('\0');
}

/** Reads a file's entry, or takes it from the cache when nothing it depends on has changed. */
function readEntryCached(file: string, config: SiteConfig, options: LoadOptions, settings: string): EntryResult {
  const cache = options.entryCache;
  if (!cache) return readEntry(file, config);
  const cached = cache.get(file);
  if (cached && cached.settings === settings && options.unchanged?.(file)) return cached.result;
  const source = readSource(file);
  const hash = digest('sha256', source, 'hex');
  if (cached && cached.settings === settings && cached.hash === hash) return cached.result;
  const result = readEntry(file, config, source, hash);
  cache.set(file, { hash, settings, result });
  return result;
}

/** The entries of the files the cache holds nothing for, read at once by `options.readEntries`. */
function readAhead(files: string[], config: SiteConfig, options: LoadOptions, settings: string): Map<string, EntryResult> {
  const read = new Map<string, EntryResult>();
  if (!options.readEntries) return read;
  const unknown = files.filter((file) => !options.entryCache?.has(file));
  const results = options.readEntries(unknown);
  unknown.forEach((file, i) => {
    const result = results[i];
    if (!result) return;
    read.set(file, result);
    options.entryCache?.set(file, { hash: result.entry.hash, settings, result });
  });
  return read;
}

const MARKDOWN = /\.(md|markdown)$/i;

/** What `walkFiles` leaves out of `content/`: every dot file and folder. */
export function isDotName(name: string): boolean {
  return name.startsWith('.');
}

/**
 * What is never published from `static/`: version control, the operating system's litter, editor
 * backups and Signet's own state. Every other dot file is published: an identity site needs
 * `.well-known/` (webfinger, atproto-did, nostr.json), GitHub Pages needs `.nojekyll`.
 */
export function isNeverPublished(name: string): boolean {
  return NEVER_PUBLISHED.test(name);
}

const NEVER_PUBLISHED = /^(?:\.git.*|\.svn|\.hg.*|\.bzr|\.signet|\.DS_Store|\._.*|Thumbs\.db|desktop\.ini|\.#.*|#.*#|.*~|\..*\.sw[a-p])$/i;

/**
 * Every file under `dir`, sorted so that builds are deterministic. Names `skip` says yes to (dot
 * files and folders, by default) are left out, and listed in `skipped` (folders with a `/`).
 * Symbolic links are followed as `links` allows (see `followLink`), and keep their own names.
 */
export function walkFiles(dir: string, links: LinkRules = { root: dir }, skip: (name: string) => boolean = isDotName, skipped?: string[]): string[] {
  const out: string[] = [];
  const walked = walkRoot(dir, links);
  if (walked === undefined) return out;
  const visit = (current: string, ancestors: string[]) => {
    let items;
    try {
      items = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of items) {
      const full = path.join(current, item.name);
      if (skip(item.name)) {
        skipped?.push(toPosix(path.relative(dir, full)) + (item.isDirectory() ? '/' : ''));
        continue;
      }
      if (item.isDirectory()) visit(full, ancestors);
      else if (item.isFile()) out.push(full);
      else if (item.isSymbolicLink()) {
        const target = followLink(full, walked, ancestors, links);
        if (target?.kind === 'file') out.push(full);
        else if (target?.kind === 'folder') visit(full, [...ancestors, target.real]);
      }
    }
  };
  visit(dir, [walked]);
  return out;
}

function toPosix(p: string): string {
  // Two calls a file: splitting and joining a path that is already POSIX took a 4,000-post build ~25 ms.
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

let scratch = Buffer.allocUnsafe(1 << 16);

/**
 * A file's bytes, in a buffer reused by the next call: a build reads thousands of small files once
 * each, and `readFileSync` also asked each one's size and made each its own buffer (4,000 posts:
 * 26 ms more, the first time through).
 */
function readSource(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const larger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(larger, 0, 0, length);
        scratch = larger;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

const contentDirs = new WeakMap<SiteConfig, string>();

/** The content folder's absolute path, joined once per config rather than once per file. */
function contentDirOf(config: SiteConfig): string {
  let dir = contentDirs.get(config);
  if (dir === undefined) contentDirs.set(config, (dir = path.join(config.root, config.dirs.content)));
  return dir;
}

/**
 * `path.relative(dir, file)` for the usual case of a plain path inside `dir`, without resolving both
 * (two `path.relative` calls were a tenth of reading a post); anything else goes to `path.relative`.
 */
function relativeTo(dir: string, file: string): string {
  const rest = file.startsWith(dir + path.sep) ? file.slice(dir.length + 1) : '';
  const plain = rest !== '' && !rest.startsWith('.') && !rest.startsWith(path.sep) && !rest.includes(`${path.sep}.`) && !rest.includes(path.sep + path.sep) && isPlainDir(dir);
  return plain ? rest : path.relative(dir, file);
}

const plainDirs = new Map<string, boolean>();

/** An absolute path as `path.resolve` gives it (a build asks about the same two folders for every file). */
function isPlainDir(dir: string): boolean {
  let plain = plainDirs.get(dir);
  if (plain === undefined) {
    plain = path.resolve(dir) === dir;
    if (plainDirs.size > 64) plainDirs.clear();
    plainDirs.set(dir, plain);
  }
  return plain;
}

/** Reads one Markdown file into an Entry. Throws a SignetError naming the file and line on bad input. */
export function readEntry(file: string, config: SiteConfig, source: Buffer = readSource(file), hash = digest('sha256', source, 'hex')): { entry: Entry; warnings: Warning[] } {
  const contentDir = contentDirOf(config);
  const relative = toPosix(relativeTo(contentDir, file));
  const display = toPosix(relativeTo(config.root, file));
  const warnings: Warning[] = [];
  const decoded = decodeSource(source, display, warnings);
  const fm = parseFrontMatter(decoded, display);
  for (const { value, line } of findContacts(decoded, config.publicContacts)) {
    warnings.push({ file: display, line, message: `${value} looks like an email address or phone number: it would be published beside your pen name. Remove it, write it as a \`mailto:\` link if you mean it, or list it under \`publicContacts:\` in the config` });
  }
  const data = fm.data;
  warnMisspeltKeys(data, fm, display, warnings);
  const withoutExt = relative.replace(MARKDOWN, '');
  const isIndex = path.posix.basename(withoutExt) === 'index';
  const dirPath = isIndex ? path.posix.dirname(withoutExt) : withoutExt;
  const date = parseDate(data.date, 'date', fm, display);
  const kind = relative === 'index.md' || relative === 'index.markdown' ? 'home' : date || relative.startsWith('posts/') ? 'post' : 'page';
  if (kind === 'post' && !date) {
    throw new SignetError('a post under posts/ needs a `date`', { file: display, line: 1, hint: 'Add `date: YYYY-MM-DD` to its front matter, or move it out of posts/ to make it a page.' });
  }
  if (kind === 'post' && source.length > MAX_POST_BYTES) {
    throw new SignetError(`the post is ${(source.length / 1024 / 1024).toFixed(1)} MiB; a signed post can be at most 1 MiB`, {
      file: display,
      line: 1,
      hint: 'Split it into several posts, or link to the large part (a file in the post\'s folder) instead of including it.',
    });
  }
  const rawSlug = optionalText(data.slug, 'slug', fm, display);
  const slug = rawSlug !== undefined ? safeUrlPath(rawSlug, display, fm.lineOf('slug'), 'slug').replace(/^\/|\/$/g, '') : path.posix.basename(dirPath === '.' ? '' : dirPath);
  const permalink = optionalText(data.permalink, 'permalink', fm, display);
  let urlPath: string;
  if (kind === 'home') urlPath = '/';
  else if (permalink !== undefined) urlPath = safeUrlPath(permalink, display, fm.lineOf('permalink'), 'permalink');
  else if (kind === 'post') {
    const parent = path.posix.dirname(dirPath);
    const pathValue = rawSlug !== undefined ? (parent === '.' ? slug : `${parent}/${slug}`) : dirPath;
    urlPath = safeUrlPath(fillPermalink(config.permalink, { date, slug, path: pathValue }), display, undefined, 'permalink');
  } else {
    const parent = path.posix.dirname(dirPath);
    urlPath = safeUrlPath(rawSlug !== undefined ? `${parent === '.' ? '' : parent}/${slug}/` : `/${dirPath}/`, display, undefined, 'slug');
  }
  const text = (key: string) => {
    const value = optionalText(data[key], key, fm, display);
    return value === undefined ? undefined : signedText(value, key, fm, display, warnings);
  };
  let title = text('title');
  if (title !== undefined && title.trim() === '') title = undefined;
  if (title === undefined && kind === 'page') {
    title = slug.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()) || config.title;
    warnings.push({ file: display, line: 1, message: `no \`title\` in the front matter; using "${title}"` });
  }
  const entry: Entry = {
    kind,
    source: display,
    file,
    hash,
    title: title?.trim(),
    date,
    updated: parseDate(data.updated, 'updated', fm, display),
    draft: parseBoolean(data.draft, 'draft', fm, display),
    tags: parseTags(data.tags, fm, display, warnings),
    summary: text('summary'),
    author: text('author'),
    layout: optionalText(data.layout, 'layout', fm, display),
    audience: parseAudience(data.audience, fm, display),
    email: data.email === undefined ? true : parseBoolean(data.email, 'email', fm, display),
    slug,
    urlPath,
    outputPath: outputPathOf(urlPath),
    body: fm.body,
    bodyLine: fm.bodyLine,
    data,
    bundleDir: isIndex && kind !== 'home' ? path.dirname(file) : undefined,
  };
  // Added after, not spread into the literal: V8 builds the rest of a literal after a spread slowly.
  if (data.funding !== undefined) entry.funding = parseFunding(data.funding, fm, display);
  const references = parseReferences(data, fm, display);
  if (references) entry.references = references;
  return { entry, warnings };
}

/** Newest first; ties broken by URL so the order never depends on the file system. */
export function comparePosts(a: Entry, b: Entry): number {
  const diff = (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0);
  return diff !== 0 ? diff : a.urlPath < b.urlPath ? -1 : a.urlPath > b.urlPath ? 1 : 0;
}

// Per entry cache: the entries and copied files whose outputs the last call found unique.
const lastClaims = new WeakMap<EntryCache, { entries: Entry[]; assets: Asset[] }>();

/**
 * Whether the same files claim the same outputs as in the last call with this entry cache that
 * passed `checkUniqueOutputs`: a rebuild after a post was edited in place need not check again.
 */
function sameClaims(cache: EntryCache | undefined, entries: Entry[], assets: Asset[]): boolean {
  const last = cache && lastClaims.get(cache);
  if (!last || last.entries.length !== entries.length || last.assets.length !== assets.length) return false;
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    const before = last.entries[i]!;
    if (entry !== before && (entry.outputPath !== before.outputPath || entry.source !== before.source)) return false;
  }
  for (let i = 0; i < assets.length; i += 1) {
    if (assets[i]!.file !== last.assets[i]!.file || assets[i]!.outputPath !== last.assets[i]!.outputPath) return false;
  }
  return true;
}

// Per entry cache: the posts' files in the order they were read, and the order sorting put them in.
const lastOrder = new WeakMap<EntryCache, { files: string[]; order: number[] }>();

/**
 * Newest first. With an entry cache and the same files as the last call, the sort starts from the
 * last call's order, which only a changed post can break, so it takes about one pass instead of a
 * full sort; the result is the same either way, as `comparePosts` is a total order.
 */
function sortPosts(posts: Entry[], cache: EntryCache | undefined): Entry[] {
  const last = cache && lastOrder.get(cache);
  const same = last !== undefined && last.files.length === posts.length && posts.every((post, i) => post.file === last.files[i]);
  const order = same ? last.order.slice() : posts.map((_, i) => i);
  order.sort((a, b) => comparePosts(posts[a]!, posts[b]!));
  if (cache) lastOrder.set(cache, { files: posts.map((post) => post.file), order });
  return order.map((i) => posts[i]!);
}

/** Fails when two entries, or an entry and a copied file, would write the same output file. */
export function checkUniqueOutputs(entries: Entry[], assets: Asset[], assetSource: (asset: Asset) => string): void {
  const seen = new Map<string, string>();
  const claim = (output: string, source: string) => {
    const other = seen.get(output);
    if (other !== undefined) {
      throw new SignetError(`${source} and ${other} both want the URL /${output.replace(/index\.html$/, '')}`, {
        file: source,
        hint: `Give one of them a different \`slug\` or \`permalink\` in its front matter, or rename it.`,
      });
    }
    seen.set(output, source);
  };
  for (const entry of entries) claim(entry.outputPath, entry.source);
  for (const asset of assets) claim(asset.outputPath, assetSource(asset));
}

/** Reads the whole `content/` folder: posts, pages, the home introduction and files to copy. */
export function loadContent(config: SiteConfig, options: LoadOptions = {}): ContentSet {
  const contentDir = path.join(config.root, config.dirs.content);
  const nowMs = (options.now ?? new Date()).getTime();
  const walk = (dir: string): string[] => {
    const listed = options.listings?.get(dir) ?? walkFiles(dir, { root: config.root, outside: config.dirs.followLinksOutside });
    options.listings?.set(dir, listed);
    return listed;
  };
  const files = walk(contentDir);
  const entries: Entry[] = [];
  const excludedBundles: string[] = [];
  const leftOut = { drafts: 0, future: 0 };
  // The config's own warnings (an http: url) come first, so a build prints them with the content's.
  const warnings: Warning[] = config.warnings ? [...config.warnings] : [];
  const untitled: string[] = [];
  const settings = entrySettings(config);
  const markdownFiles = files.filter((f) => MARKDOWN.test(f));
  const readAlready = readAhead(markdownFiles, config, options, settings);
  for (const file of markdownFiles) {
    // A file read ahead without a result failed there: reading it again here throws its error, in file order.
    const result = readAlready.get(file) ?? readEntryCached(file, config, options, settings);
    if (result.warnings.length > 0) warnings.push(...result.warnings);
    const { entry } = result;
    const draft = entry.draft && !options.drafts;
    const future = entry.kind === 'post' && entry.date !== undefined && entry.date.getTime() > nowMs && !options.future;
    if (draft || future || (entry.audience === 'members' && !options.members)) {
      if (draft) leftOut.drafts++;
      else if (future) leftOut.future++;
      // A left-out bundle's images must not be published either.
      if (entry.bundleDir) excludedBundles.push(entry.bundleDir + path.sep);
      continue;
    }
    // Notes an importer wrote (they say where from) are untitled on purpose.
    if (entry.kind === 'post' && entry.title === undefined && entry.data.twitter === undefined) untitled.push(entry.source);
    entries.push(entry);
  }
  // Every file read is in the cache now, so a larger cache holds files that were deleted or renamed:
  // forget them, so a long `signet dev` session does not grow.
  if (options.entryCache && options.entryCache.size > markdownFiles.length) {
    const present = new Set(files);
    for (const file of options.entryCache.keys()) if (!present.has(file)) options.entryCache.delete(file);
  }
  if (untitled.length > 0) {
    const shown = untitled.slice(0, 3).join(', ') + (untitled.length > 3 ? `, and ${untitled.length - 3} more` : '');
    warnings.push({ file: untitled[0]!, message: `${untitled.length} post(s) have no \`title\` and are shown as untitled notes: ${shown}` });
  }
  const assets = assetsOf(files.filter((f) => !MARKDOWN.test(f) && !excludedBundles.some((dir) => f.startsWith(dir))), entries, contentDir);
  const staticDir = path.join(config.root, config.dirs.static);
  for (const file of staticFiles(staticDir, { root: config.root, outside: config.dirs.followLinksOutside }, options.listings, warnings, config.dirs.static)) assets.push({ file, outputPath: toPosix(path.relative(staticDir, file)) });
  if (!sameClaims(options.entryCache, entries, assets)) {
    checkUniqueOutputs(entries, assets, (asset) => toPosix(path.relative(config.root, asset.file)));
  }
  if (options.entryCache) lastClaims.set(options.entryCache, { entries, assets });
  return {
    posts: sortPosts(entries.filter((e) => e.kind === 'post'), options.entryCache),
    pages: entries.filter((e) => e.kind === 'page').sort((a, b) => (a.urlPath < b.urlPath ? -1 : 1)),
    home: entries.find((e) => e.kind === 'home'),
    assets,
    warnings,
    leftOut,
  };
}

/**
 * The files of `static/`, dot files included, and a warning naming what is never published. The
 * listing (and what it left out) is reused like any other folder's.
 */
function staticFiles(dir: string, links: LinkRules, listings: Map<string, string[]> | undefined, warnings: Warning[], shown: string): string[] {
  const skippedKey = `${dir}\0skipped`;
  let files = listings?.get(dir);
  let skipped = listings?.get(skippedKey);
  if (files === undefined || skipped === undefined) {
    skipped = [];
    files = walkFiles(dir, links, isNeverPublished, skipped);
    listings?.set(dir, files);
    listings?.set(skippedKey, skipped);
  }
  if (skipped.length > 0) {
    const names = skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? `, and ${skipped.length - 5} more` : '');
    warnings.push({ file: shown, message: `left out ${skipped.length} file(s) that are never published (version control, system and editor files): ${names}` });
  }
  return files;
}

/** Files beside a bundle's `index.md` follow the entry's URL; other files keep their content path. */
export function assetsOf(files: string[], entries: Entry[], contentDir: string): Asset[] {
  const bundles = entries.filter((e) => e.bundleDir !== undefined).sort((a, b) => b.bundleDir!.length - a.bundleDir!.length);
  return files.map((file) => {
    const bundle = bundles.find((e) => file.startsWith(e.bundleDir! + path.sep));
    if (bundle) {
      const base = bundle.outputPath.slice(0, bundle.outputPath.lastIndexOf('/') + 1);
      return { file, outputPath: base + toPosix(path.relative(bundle.bundleDir!, file)) };
    }
    return { file, outputPath: toPosix(path.relative(contentDir, file)) };
  });
}
