import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { createCache, type BuildCache } from './cache.js';

/** The cache lives in the site's `.signet/cache/`: deleting that folder always gives a cold build. */
export const CACHE_DIR = path.join('.signet', 'cache');
const FILE = 'build.bin';
const MAGIC = Buffer.from('SIGNETC1');
// Entries per serialized chunk: small enough that saving a 100,000-post cache never holds a second
// copy of it in memory, large enough that V8's serializer runs in long stretches.
const CHUNK = 2000;
const PACKAGES = ['@signet/site', '@signet/markdown', '@signet/sign', '@signet/theme', '@signet/feeds', '@signet/content', '@signet/config', '@signet/keys'];

// `entries` and `signed` hold objects of this process (parsed entries): they stay in memory.
type MapName = 'markdown' | 'envelopes' | 'pages';
const MAPS: MapName[] = ['markdown', 'envelopes', 'pages'];

/**
 * What every cached value also depends on beyond its own key: the version of each package that made
 * it (and, for a workspace build, when that package was last compiled) and the Node version (the
 * serialization format). A cache made under any other stamp is not read.
 */
export function cacheStamp(extra: string[] = []): string {
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256').update(`format 1\0${process.version}\0`);
  for (const name of PACKAGES) {
    try {
      const entry = require.resolve(name);
      const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
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
 * Layout: MAGIC, SHA-256 of the rest, then length-prefixed V8-serialized chunks: first the stamp,
 * then `[map name, [key, value][]]` chunks. The checksum means a truncated or damaged file is
 * noticed before any of it is used.
 */
export function saveDiskCache(root: string, stamp: string, cache: BuildCache): void {
  const file = cacheFile(root);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    makeCacheDir(root);
    const fd = openSync(temp, 'w');
    try {
      const hash = createHash('sha256');
      writeSync(fd, Buffer.alloc(MAGIC.length + 32));
      let position = MAGIC.length + 32;
      const put = (value: unknown) => {
        const body = serialize(value);
        const head = Buffer.alloc(4);
        head.writeUInt32LE(body.length);
        for (const part of [head, body]) {
          hash.update(part);
          writeSync(fd, part, 0, part.length, position);
          position += part.length;
        }
      };
      put(stamp);
      for (const name of MAPS) {
        let chunk: [string, unknown][] = [];
        for (const entry of cache[name]) {
          chunk.push(entry);
          if (chunk.length === CHUNK) {
            put([name, chunk]);
            chunk = [];
          }
        }
        if (chunk.length > 0) put([name, chunk]);
      }
      writeSync(fd, Buffer.concat([MAGIC, hash.digest()]), 0, MAGIC.length + 32, 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written (read-only site folder, full disk) only makes the next build slower.
    rmSync(temp, { force: true });
  }
}

/** The cache saved by an earlier build with the same stamp, or undefined: missing, damaged or stale. */
export function loadDiskCache(root: string, stamp: string): BuildCache | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile(root));
  } catch {
    return undefined;
  }
  const start = MAGIC.length + 32;
  if (data.length < start || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (!createHash('sha256').update(data.subarray(start)).digest().equals(data.subarray(MAGIC.length, start))) return undefined;
  try {
    const cache = createCache();
    let offset = start;
    const take = (): unknown => {
      const length = data.readUInt32LE(offset);
      const value: unknown = deserialize(data.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
      return value;
    };
    if (take() !== stamp) return undefined;
    while (offset < data.length) {
      const [name, entries] = take() as [MapName, [string, never][]];
      if (!MAPS.includes(name)) return undefined;
      const map = cache[name] as Map<string, unknown>;
      for (const [key, value] of entries) map.set(key, value);
    }
    return cache;
  } catch {
    return undefined;
  }
}
