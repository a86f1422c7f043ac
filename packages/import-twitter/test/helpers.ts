import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

export const FIXTURE = fileURLToPath(new URL('./fixtures/archive/', import.meta.url));

const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'signet-import-twitter-'));
  made.push(dir);
  return dir;
}

export async function cleanTemp(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A writable copy of the fixture archive folder. */
export async function copyFixture(): Promise<string> {
  const dir = join(await tempDir(), 'archive');
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** Every file under `dir`, as text keyed by relative path (binary files included, read as latin1). */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const tree = new Map<string, Buffer>();
  for (const name of await listFiles(dir)) tree.set(name, await readFile(join(dir, name)));
  return tree;
}

/** A file to zip: its bytes, or already deflated (`packed`) with the size and CRC of what it inflates to. */
export type ZipFile = { name: string; data: Buffer } | { name: string; packed: Buffer; size: number; crc: number };

/**
 * A minimal zip writer (deflate, UTF-8 names) so tests can zip the fixture the way Twitter/X ships
 * archives, without a zip dependency. `prefix` nests everything in a top folder.
 */
export async function zipFolder(folder: string, zipPath: string, prefix = '', extra: ZipFile[] = []): Promise<void> {
  const files: ZipFile[] = [];
  for (const rel of await listFiles(folder)) files.push({ name: prefix + rel, data: await readFile(join(folder, rel)) });
  await writeZip(zipPath, [...files, ...extra]);
}

export async function writeZip(zipPath: string, files: ZipFile[]): Promise<void> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const packed = 'data' in file ? deflateRawSync(file.data) : file.packed;
    const size = 'data' in file ? file.data.length : file.size;
    const crc = 'data' in file ? crc32(file.data) : file.crc;
    const name = Buffer.from(file.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = centrals.length / 2;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  await writeFile(zipPath, Buffer.concat([...locals, directory, end]));
}

/** `bytes` zero bytes, deflated, as a zip entry named `name`: they inflate about 1,000 times. */
export function zeros(name: string, bytes: number): ZipFile {
  const data = Buffer.alloc(bytes);
  return { name, packed: deflateRawSync(data), size: bytes, crc: crc32(data) };
}

export const ID = (n: number): string => `13000000000000${String(n).padStart(5, '0')}`;
