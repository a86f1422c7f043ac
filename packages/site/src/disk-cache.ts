import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { createCache, type BuildCache, type RenderedHtml } from './cache.js';
import type { Heading } from '@signet/markdown';
import type { SignedEnvelope } from '@signet/sign';

/** The cache lives in the site's `.signet/cache/`: deleting that folder always gives a cold build. */
export const CACHE_DIR = path.join('.signet', 'cache');
const FILE = 'build.bin';
const MAGIC = Buffer.from('SIGNETC5');
// Entries per serialized chunk: small enough that saving a 100,000-post cache never holds a second
// copy of it in memory, large enough that V8's serializer runs in long stretches.
const CHUNK = 2000;
// The command line's bundle last: it carries its own copies of the packages before it, which an
// installed command line does not have beside it, so its version and time stand for theirs.
const PACKAGES = ['@signet/site', '@signet/markdown', '@signet/sign', '@signet/theme', '@signet/feeds', '@signet/content', '@signet/config', '@signet/keys', '@signet/cli/bundle'];

// `entries` and `signed` hold objects of this process (parsed entries): they stay in memory. Of each
// page only its signature is stored: its bytes are in the output folder the same build wrote (see
// `BuildCache.build`).
type MapName = 'markdown' | 'envelopes';
const MAPS: MapName[] = ['markdown', 'envelopes'];
const PAGES = 'pages';

/**
 * What every cached value also depends on beyond its own key: the version of each package that made
 * it (and, for a workspace build, when that package was last compiled) and the Node version (the
 * serialization format). A cache made under any other stamp is not read.
 */
export function cacheStamp(extra: string[] = []): string {
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256').update(`format 3\0${process.version}\0`);
  for (const name of PACKAGES) {
    try {
      const entry = require.resolve(name);
      // The package.json nearest the entry, wherever in the package it lies (dist/, dist/bundle/).
      let dir = path.dirname(entry);
      while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
      hash.update(`${name}@${pkg.version ?? '?'}@${statSync(entry).mtimeMs}\0`);
    } catch {
      hash.update(`${name}@missing\0`);
    }
  }
  for (const part of extra) hash.update(`${part}\0`);
  return hash.digest('base64');
}

/**
 * Makes `.signet/cache/`, with a `.gitignore` in `.signet/` when there is none yet: a site signed with
 * a key from the environment may have no `.signet/` of its own, and its cache must not end up in git.
 */
export function makeCacheDir(root: string): string {
  const dir = path.join(root, CACHE_DIR);
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(root, '.signet', '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Secret keys and caches: never commit this folder.\n*\n');
  return dir;
}

export function cacheFile(root: string): string {
  return path.join(root, CACHE_DIR, FILE);
}

/**
 * Writes a cache file as a build goes: pages as they are made, then the other maps. Nothing written
 * is kept in memory. Any failure (read-only site folder, full disk) only means no cache is saved:
 * the next build is slower, never wrong.
 *
 * Layout: MAGIC, SHA-256 of the rest, then length-prefixed V8-serialized chunks: first the stamp,
 * then the build's id, then `[map name, [key, value][]]` chunks and `['pages', [path, signature][]]`
 * chunks. The checksum means a truncated or damaged file is noticed before any of it is used.
 */
export interface CacheWriter {
  page(outputPath: string, signature: string): void;
  entries(name: MapName, entries: Iterable<[string, unknown]>): void;
  /** Completes the file and puts it in place of the old one. */
  finish(): void;
  /** Drops the file being written; the old one stays. */
  abort(): void;
}

export function openCacheWriter(root: string, stamp: string, build: string): CacheWriter {
  const file = cacheFile(root);
  const temp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    makeCacheDir(root);
    fd = openSync(temp, 'w');
  } catch {
    fd = undefined;
  }
  const hash = createHash('sha256');
  let position = MAGIC.length + 32;
  let pages: [string, string][] = [];
  const fail = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(temp, { force: true });
  };
  const write = (parts: Buffer[]) => {
    if (fd === undefined) return;
    try {
      // Part by part: joining them first copied every chunk once more.
      for (const data of parts) {
        hash.update(data);
        for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, position + done);
        position += data.length;
      }
    } catch {
      fail();
    }
  };
  const chunk = (value: unknown): Buffer[] => {
    const body = serialize(value);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    return [head, body];
  };
  const flushPages = () => {
    if (pages.length === 0) return;
    write(chunk([PAGES, pages]));
    pages = [];
  };
  write([...chunk(stamp), ...chunk(build)]);
  return {
    page(outputPath, signature) {
      if (fd === undefined) return;
      pages.push([outputPath, signature]);
      if (pages.length >= CHUNK) flushPages();
    },
    entries(name, entries) {
      flushPages();
      let batch: [string, unknown][] = [];
      for (const entry of entries) {
        batch.push(name === 'markdown' ? [entry[0], packHtml(entry[1] as RenderedHtml)] : name === 'envelopes' ? [entry[0], withoutHtml(entry[1] as SignedEnvelope)] : entry);
        if (batch.length === CHUNK) {
          write(chunk([name, batch]));
          batch = [];
        }
      }
      if (batch.length > 0) write(chunk([name, batch]));
    },
    finish() {
      flushPages();
      if (fd === undefined) return;
      try {
        writeSync(fd, Buffer.concat([MAGIC, hash.digest()]), 0, MAGIC.length + 32, 0);
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
        renameSync(temp, file);
      } catch {
        fail();
      }
    },
    abort: fail,
  };
}

/**
 * A post's rendered Markdown as an array: its words, its page HTML, then what it has beyond that
 * (feed HTML, listing HTML, links, headings, summary; 0 for none, trailing ones left out). The page
 * and feed HTML are most often the same string, which V8's serializer would write twice.
 */
type PackedHtml = [number, string, ...(string | string[] | Heading[] | 0)[]];

function packHtml(value: RenderedHtml): PackedHtml {
  const packed: PackedHtml = [value.words, value.html, value.feedHtml === value.html ? 0 : value.feedHtml, value.listingHtml ?? 0, value.links ?? 0, value.headings ?? 0, value.summaryHtml ?? 0];
  while (packed.length > 2 && packed[packed.length - 1] === 0) packed.pop();
  return packed;
}

function unpackHtml(value: unknown): RenderedHtml {
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string') throw new Error('not rendered Markdown');
  const [words, html, feedHtml, listingHtml, links, headings, summaryHtml] = value as [number, string, ...unknown[]];
  const rendered: RenderedHtml = { html, feedHtml: typeof feedHtml === 'string' ? feedHtml : html, words };
  if (typeof listingHtml === 'string') rendered.listingHtml = listingHtml;
  if (Array.isArray(links)) rendered.links = links as string[];
  if (Array.isArray(headings)) rendered.headings = headings as Heading[];
  if (typeof summaryHtml === 'string') rendered.summaryHtml = summaryHtml;
  return rendered;
}

/**
 * An envelope as the file keeps it: its HTML left out (an empty string, so the fields keep their
 * order), as its cache key hashes that HTML and the build that finds it has the same string in hand
 * (envelope.ts puts it back). The file held each post's HTML twice, and a two-byte string (a post
 * with one character past Latin-1) takes two bytes a character: 82 MB for 4,000 rich posts, whose
 * serialising, hashing and writing took the build's thread ~0.5 s.
 */
function withoutHtml(envelope: SignedEnvelope): SignedEnvelope {
  return Object.assign({}, envelope, { content_html: '' });
}

/** Saves a whole cache at once, as a build does piece by piece. */
export function saveDiskCache(root: string, stamp: string, cache: BuildCache, build: string): void {
  const writer = openCacheWriter(root, stamp, build);
  for (const [outputPath, { signature }] of cache.pages) writer.page(outputPath, signature);
  for (const name of MAPS) writer.entries(name, cache[name]);
  writer.finish();
}

/**
 * The cache saved by an earlier build with the same stamp, or undefined: missing, damaged or stale.
 * The file is read a piece at a time and checked whole before the cache is handed out.
 */
export function loadDiskCache(root: string, stamp: string): BuildCache | undefined {
  let fd: number;
  try {
    fd = openSync(cacheFile(root), 'r');
  } catch {
    return undefined;
  }
  const read = (position: number, length: number): Buffer => {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const got = readSync(fd, buffer, done, length - done, position + done);
      if (got === 0) throw new Error('cache file ended early');
      done += got;
    }
    return buffer;
  };
  try {
    const size = fstatSync(fd).size;
    const start = MAGIC.length + 32;
    if (size < start) throw new Error('too short');
    const head = read(0, start);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache');
    const hash = createHash('sha256');
    let position = start;
    const take = (): unknown => {
      if (position + 4 > size) throw new Error('truncated');
      const lengthBytes = read(position, 4);
      const length = lengthBytes.readUInt32LE(0);
      if (position + 4 + length > size) throw new Error('truncated');
      const body = read(position + 4, length);
      hash.update(lengthBytes).update(body);
      position += 4 + length;
      return deserialize(body);
    };
    if (take() !== stamp) throw new Error('stale');
    const cache = createCache();
    const build = take();
    if (typeof build !== 'string') throw new Error('no build id');
    cache.build = build;
    while (position < size) {
      const [name, entries] = take() as [string, unknown[]];
      if (name === PAGES) {
        for (const [outputPath, signature] of entries as [string, string][]) cache.pages.set(outputPath, { signature, contents: undefined });
      } else if ((MAPS as string[]).includes(name)) {
        const map = cache[name as MapName] as Map<string, unknown>;
        for (const [key, value] of entries as [string, unknown][]) map.set(key, name === 'markdown' ? unpackHtml(value) : value);
      } else {
        throw new Error('unknown chunk');
      }
    }
    if (!hash.digest().equals(head.subarray(MAGIC.length, start))) throw new Error('damaged');
    return cache;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
