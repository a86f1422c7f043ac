import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { TwitterImportError } from './errors.js';

/** An archive, zipped or extracted, seen as files named like `data/tweets.js` from its root. */
export interface ArchiveSource {
  /** Every file of the archive's `data/` folder and `data/tweets_media/`. */
  names: Set<string>;
  /** Streams a text file as decoded chunks. */
  text(name: string): AsyncIterable<string>;
  /** Copies a file out of the archive. */
  copy(name: string, destination: string): Promise<void>;
  close(): void;
}

const NOT_AN_ARCHIVE =
  'Pass the .zip downloaded from Twitter/X (Settings → Your account → Download an archive of your data) ' +
  'or the folder it was extracted to.';

export async function openSource(source: string): Promise<ArchiveSource> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new TwitterImportError(`${source} does not exist. ${NOT_AN_ARCHIVE}`);
  return info.isDirectory() ? openFolder(source) : openZip(source);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function openFolder(folder: string): Promise<ArchiveSource> {
  let root = folder;
  if (!(await isDir(join(folder, 'data')))) {
    // An archive extracted into a folder of its own name, one level down.
    const subdirs = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory());
    const inner = subdirs.length === 1 && subdirs[0] ? join(folder, subdirs[0].name) : undefined;
    if (!inner || !(await isDir(join(inner, 'data')))) {
      throw new TwitterImportError(`${folder} is not a Twitter archive: it has no data/ folder. ${NOT_AN_ARCHIVE}`);
    }
    root = inner;
  }
  const names = new Set<string>();
  for (const name of await listFiles(join(root, 'data'))) names.add(`data/${name}`);
  for (const name of await listFiles(join(root, 'data', 'tweets_media'))) names.add(`data/tweets_media/${name}`);
  return {
    names,
    async *text(name) {
      const stream = createReadStream(join(root, name), { encoding: 'utf8', highWaterMark: 1 << 20 });
      for await (const chunk of stream) yield chunk as string;
    },
    copy: (name, destination) => copyFile(join(root, name), destination),
    close: () => undefined,
  };
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function damaged(zip: string, detail: string): TwitterImportError {
  return new TwitterImportError(
    `${zip} is not a readable zip file (${detail}). Download the archive again, or extract it with ` +
      'another tool and pass the folder instead.',
  );
}

async function openZip(zip: string): Promise<ArchiveSource> {
  const zipfile = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, file) => {
      if (error) reject(damaged(zip, error.message));
      else resolve(file);
    });
  });
  let entries: Map<string, Entry>;
  try {
    entries = await readEntries(zipfile, zip);
  } catch (error) {
    zipfile.close();
    throw error;
  }
  // Archives zipped again by hand often carry one extra top folder.
  const prefix = [...entries.keys()]
    .map((name) => /^(?:[^/]+\/)?(?=data\/)/.exec(name)?.[0])
    .find((found) => found !== undefined);
  if (prefix === undefined) {
    zipfile.close();
    throw new TwitterImportError(`${zip} is not a Twitter archive: it has no data/ folder. ${NOT_AN_ARCHIVE}`);
  }
  const byName = new Map<string, Entry>();
  for (const [name, entry] of entries) {
    if (!name.startsWith(prefix) || name.endsWith('/')) continue;
    const inner = name.slice(prefix.length);
    if (/^data\/[^/]+$/.test(inner) || /^data\/tweets_media\/[^/]+$/.test(inner)) byName.set(inner, entry);
  }
  try {
    checkInflation(zip, byName, zipfile.fileSize);
  } catch (error) {
    zipfile.close();
    throw error;
  }
  const open = (name: string): Promise<Readable> =>
    new Promise((resolve, reject) => {
      const entry = byName.get(name);
      if (!entry) return reject(new TwitterImportError(`${zip}: ${name} is missing from the archive.`));
      zipfile.openReadStream(entry, (error, stream) => (error ? reject(damaged(zip, `${name}: ${error.message}`)) : resolve(stream)));
    });
  return {
    names: new Set(byName.keys()),
    async *text(name) {
      const stream = await open(name);
      stream.setEncoding('utf8');
      try {
        for await (const chunk of stream) yield chunk as string;
      } catch (error) {
        throw error instanceof TwitterImportError ? error : damaged(zip, `${name}: ${(error as Error).message}`);
      }
    },
    async copy(name, destination) {
      const stream = await open(name);
      await pipeline(stream, createWriteStream(destination)).catch((error: Error) => {
        throw damaged(zip, `${name}: ${error.message}`);
      });
    },
    close: () => zipfile.close(),
  };
}

/**
 * What the entries of a zip may inflate to. yauzl stops any entry at the size its directory declares
 * (`validateEntrySizes`), so checking the declared sizes bounds what is read and written.
 */
export const ZIP_LIMITS = {
  /** One file: Twitter/X keeps videos of up to 512 MB, and a busy account's tweets.js has hundreds of MB. */
  entryBytes: 2 * 1024 ** 3,
  /**
   * How many times its stored size a file past `ratioFrom` may inflate to, and all the files read
   * together the zip's own size: JSON deflates about 10 times, photos and videos hardly at all, while
   * a zip bomb inflates about 1,000 times (DEFLATE's most), or far more by sharing its data between entries.
   */
  ratio: 200,
  ratioFrom: 1024 ** 2,
} as const;

function size(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Refuses, before anything is read or written, a zip whose files would inflate past `ZIP_LIMITS`. */
function checkInflation(zip: string, entries: Map<string, Entry>, zipBytes: number): void {
  const refuse = (what: string) =>
    new TwitterImportError(
      `${zip}: ${what}, more than a Twitter/X archive holds: it looks like a zip bomb, and nothing was written. ` +
        'Download the archive again from Twitter/X.',
    );
  let total = 0;
  for (const [name, entry] of entries) {
    const { uncompressedSize: inflated, compressedSize: stored } = entry;
    if (inflated > ZIP_LIMITS.entryBytes) throw refuse(`${name} would inflate to ${size(inflated)}, past the ${size(ZIP_LIMITS.entryBytes)} a file may have`);
    if (inflated > ZIP_LIMITS.ratioFrom && inflated > stored * ZIP_LIMITS.ratio) {
      throw refuse(`${name} would inflate from ${size(stored)} to ${size(inflated)} (${Math.round(inflated / Math.max(stored, 1))} times)`);
    }
    total += inflated;
  }
  if (total > ZIP_LIMITS.ratioFrom && total > zipBytes * ZIP_LIMITS.ratio) {
    throw refuse(`its files would inflate from ${size(zipBytes)} to ${size(total)} (${Math.round(total / Math.max(zipBytes, 1))} times)`);
  }
}

function readEntries(zipfile: ZipFile, zip: string): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zipfile.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zipfile.readEntry();
    });
    zipfile.on('end', () => resolve(entries));
    zipfile.on('error', (error: Error) => reject(damaged(zip, error.message)));
    zipfile.readEntry();
  });
}
