import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { createCache, type BuildCache, type RenderedHtml } from './cache.js';
import type { Heading } from '@signet/markdown';
import type { SignedEnvelope } from '@signet/sign';

/** The cache lives in the site's `.signet/cache/`: deleting that folder always gives a cold build. */
export const CACHE_DIR = path.join('.signet', 'cache');
const FILE = 'build.bin';
const MAGIC = Buffer.from('SIGNETC6');
// After MAGIC: the CRC-32 of the rest (little-endian), in a field of this many bytes.
const CHECK = 4;
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
  const hash = createHash('sha256').update(`format 4\0${process.version}\0`);
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
 * Layout: MAGIC, CRC-32 of the rest, then length-prefixed chunks, V8-serialized but one: first the
 * stamp, then the build's id, then `['envelopes', [key, value][]]`, `['pages', [path, signature][]]`
 * and rendered Markdown: `['markdown', fields[]]` followed by a chunk of the UTF-8 text its fields
 * measure out (see `textPacker`). The checksum means a truncated or damaged file is noticed before any
 * of it is used (CRC-32: a cache is not a secret, and SHA-256 of 60 MB took ~40 ms a build).
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
  let check = 0;
  let position = MAGIC.length + CHECK;
  let pages: [string, string][] = [];
  const text = textPacker();
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
        check = crc32(data, check);
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
      let batch: unknown[] = [];
      const flush = () => {
        if (batch.length === 0) return;
        write(chunk([name, batch]));
        if (name === 'markdown') write(text.take());
        batch = [];
      };
      for (const entry of entries) {
        if (name === 'markdown') {
          const fields = text.pack(entry[0], entry[1] as RenderedHtml);
          if (fields) batch.push(fields);
        } else batch.push(name === 'envelopes' ? [entry[0], withoutHtml(entry[1] as SignedEnvelope)] : entry);
        // Text goes out a megabyte at a time, so its buffer stays that size and is reused.
        if (batch.length === CHUNK || text.size() >= TEXT_CHUNK) flush();
      }
      flush();
    },
    finish() {
      flushPages();
      if (fd === undefined) return;
      try {
        const head = Buffer.alloc(MAGIC.length + CHECK);
        MAGIC.copy(head);
        head.writeUInt32LE(check, MAGIC.length);
        writeSync(fd, head, 0, head.length, 0);
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
 * A post's rendered Markdown as the file keeps it: its key, words, links and headings in a V8 chunk,
 * and its HTML (page, then feed, listing and summary HTML when it has them) as UTF-8 in a chunk of
 * text after it, each field giving the text's length in bytes (-1: the feed HTML is the page's, or
 * there is none). V8's serializer wrote a string with one character past Latin-1 (a footnote's `↩`)
 * as two bytes a character and into fresh memory each chunk: 60 MB for 4,000 rich posts, ~0.4 s of
 * the build's thread to serialise, checksum and write. The text is encoded into one buffer, reused.
 */
type PackedHtml = [key: string, words: number, html: number, feed: number, listing: number, summary: number, links: string[] | 0, headings: Heading[] | 0];

interface TextPacker {
  /** The fields of one entry, its text added to the chunk being made; undefined when it cannot be kept. */
  pack(key: string, value: RenderedHtml): PackedHtml | undefined;
  /** The chunk of text packed since the last call, length-prefixed, in the reused buffer. */
  take(): Buffer[];
  /** Bytes of text packed since the last `take`. */
  size(): number;
}

const TEXT_CHUNK = 1 << 20;

function textPacker(): TextPacker {
  let buffer = Buffer.allocUnsafe(2 * TEXT_CHUNK);
  let used = 0;
  const add = (text: string): number => {
    // At most three bytes a UTF-16 unit.
    while (used + text.length * 3 > buffer.length) {
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, used);
      buffer = larger;
    }
    const written = buffer.write(text, used, 'utf8');
    used += written;
    return written;
  };
  return {
    pack(key, value) {
      // A lone surrogate has no UTF-8 form: such an entry is left to be rendered again.
      if (!wellFormed(value.html) || !wellFormed(value.feedHtml) || !wellFormed(value.listingHtml) || !wellFormed(value.summaryHtml)) return undefined;
      return [key, value.words, add(value.html), value.feedHtml === value.html ? -1 : add(value.feedHtml), value.listingHtml === undefined ? -1 : add(value.listingHtml), value.summaryHtml === undefined ? -1 : add(value.summaryHtml), value.links ?? 0, value.headings ?? 0];
    },
    take() {
      const head = Buffer.alloc(4);
      head.writeUInt32LE(used);
      const body = buffer.subarray(0, used);
      used = 0;
      return [head, body];
    },
    size: () => used,
  };
}

/** Whether `text` (if any) has no lone surrogate (String.prototype.isWellFormed, Node 20). */
function wellFormed(text: string | undefined): boolean {
  return text === undefined || (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The rendered Markdown of `fields`, its text read from `text` at `at`; returns it and where the next entry's text starts. */
function unpackHtml(fields: unknown, text: Buffer, at: number): [RenderedHtml, number] {
  if (!Array.isArray(fields) || fields.length !== 8 || typeof fields[1] !== 'number') throw new Error('not rendered Markdown');
  const [, words, html, feed, listing, summary, links, headings] = fields as PackedHtml;
  const read = (length: number): string => {
    if (!Number.isInteger(length) || length < 0 || at + length > text.length) throw new Error('rendered Markdown past its text');
    const value = text.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  const page = read(html);
  const rendered: RenderedHtml = { html: page, feedHtml: feed === -1 ? page : read(feed), words };
  if (listing !== -1) rendered.listingHtml = read(listing);
  if (summary !== -1) rendered.summaryHtml = read(summary);
  if (Array.isArray(links)) rendered.links = links;
  if (Array.isArray(headings)) rendered.headings = headings;
  return [rendered, at];
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
    const start = MAGIC.length + CHECK;
    if (size < start) throw new Error('too short');
    const head = read(0, start);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache');
    let check = 0;
    let position = start;
    const takeBytes = (): Buffer => {
      if (position + 4 > size) throw new Error('truncated');
      const lengthBytes = read(position, 4);
      const length = lengthBytes.readUInt32LE(0);
      if (position + 4 + length > size) throw new Error('truncated');
      const body = read(position + 4, length);
      check = crc32(body, crc32(lengthBytes, check));
      position += 4 + length;
      return body;
    };
    const take = (): unknown => deserialize(takeBytes());
    if (take() !== stamp) throw new Error('stale');
    const cache = createCache();
    const build = take();
    if (typeof build !== 'string') throw new Error('no build id');
    cache.build = build;
    while (position < size) {
      const [name, entries] = take() as [string, unknown[]];
      if (name === PAGES) {
        for (const [outputPath, signature] of entries as [string, string][]) cache.pages.set(outputPath, { signature, contents: undefined });
      } else if (name === 'markdown') {
        const text = takeBytes();
        let at = 0;
        for (const fields of entries) {
          const [rendered, next] = unpackHtml(fields, text, at);
          cache.markdown.set((fields as PackedHtml)[0], rendered);
          at = next;
        }
        if (at !== text.length) throw new Error('rendered Markdown shorter than its text');
      } else if (name === 'envelopes') {
        for (const [key, value] of entries as [string, SignedEnvelope][]) cache.envelopes.set(key, value);
      } else {
        throw new Error('unknown chunk');
      }
    }
    if (check !== head.readUInt32LE(MAGIC.length)) throw new Error('damaged');
    return cache;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
