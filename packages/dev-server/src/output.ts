import { readFileSync, statSync } from 'node:fs';
import type { OutputFile } from '@signet/site';

/** The built site as the server holds it: output path (`posts/a/index.html`) → bytes. */
export type SiteFiles = ReadonlyMap<string, string | Uint8Array>;

/** What one rebuild did to the output, as output paths. */
export interface OutputChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Bytes of copied files, reused while the file's size and modification time stay the same. */
export type CopiedFiles = Map<string, { mtimeMs: number; size: number; bytes: Uint8Array }>;

/**
 * Turns a build's file list into the map the server answers from. Copied files are read here, so the
 * server keeps serving the last good site even while a static file is being rewritten; `reported`
 * ones (the watcher saw them change) are read again even when their size and time look the same.
 */
export function readOutput(files: OutputFile[], copied: CopiedFiles, reported?: ReadonlySet<string>): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  const used = new Set<string>();
  for (const file of files) {
    if ('from' in file) {
      used.add(file.from);
      if (reported?.has(file.from)) copied.delete(file.from);
      out.set(file.path, readCopied(file.from, copied));
    } else {
      out.set(file.path, file.contents);
    }
  }
  for (const source of copied.keys()) if (!used.has(source)) copied.delete(source);
  return out;
}

/** What the server answers from, and the build's file list it was made from. */
export interface ServedOutput {
  files: Map<string, string | Uint8Array>;
  list: OutputFile[];
  /** Whether every output path of `list` is a different one. */
  distinct: boolean;
}

/**
 * Brings the served output up to a new build's file list and says what changed; nothing changes when
 * a copied file cannot be read. A rebuild that added or removed nothing lists the same paths in the
 * same order, most of them with the very same strings as before, so the lists are compared position by
 * position and only changed files touch the map. `trusted`: copied files not `reported` are as they
 * were (the watcher would have said), so they are not looked at again.
 */
export function updateOutput(
  current: ServedOutput | undefined,
  list: OutputFile[],
  copied: CopiedFiles,
  reported: ReadonlySet<string>,
  trusted: boolean,
): { output: ServedOutput; changes: OutputChanges } {
  if (!current || !current.distinct || !samePaths(current.list, list)) {
    const files = readOutput(list, copied, reported);
    return { output: { files, list, distinct: files.size === list.length }, changes: diffOutput(current?.files ?? new Map(), files) };
  }
  const updates: [string, string | Uint8Array][] = [];
  for (let i = 0; i < list.length; i += 1) {
    const file = list[i]!;
    const before = current.list[i]!;
    let bytes: string | Uint8Array;
    if ('from' in file) {
      if (trusted && !reported.has(file.from) && copied.has(file.from)) continue;
      if (reported.has(file.from)) copied.delete(file.from);
      bytes = readCopied(file.from, copied);
    } else {
      if ('contents' in before && before.contents === file.contents) continue;
      bytes = file.contents;
    }
    if (!sameBytes(current.files.get(file.path)!, bytes)) updates.push([file.path, bytes]);
  }
  for (const [path, bytes] of updates) current.files.set(path, bytes);
  current.list = list;
  return { output: current, changes: { added: [], removed: [], changed: updates.map(([path]) => path) } };
}

function samePaths(a: OutputFile[], b: OutputFile[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.path !== y.path || ('from' in x) !== ('from' in y) || ('from' in x && 'from' in y && x.from !== y.from)) return false;
  }
  return true;
}

function readCopied(source: string, copied: CopiedFiles): Uint8Array {
  const stats = statSync(source);
  const known = copied.get(source);
  if (known && known.mtimeMs === stats.mtimeMs && known.size === stats.size) return known.bytes;
  const bytes = readFileSync(source);
  copied.set(source, { mtimeMs: stats.mtimeMs, size: stats.size, bytes });
  return bytes;
}

export function sameBytes(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Compares two builds byte for byte. Unchanged pages are usually the very same string, which is quick. */
export function diffOutput(before: SiteFiles, after: SiteFiles): OutputChanges {
  const changes: OutputChanges = { added: [], removed: [], changed: [] };
  for (const [file, bytes] of after) {
    const old = before.get(file);
    if (old === undefined) changes.added.push(file);
    else if (!sameBytes(old, bytes)) changes.changed.push(file);
  }
  for (const file of before.keys()) if (!after.has(file)) changes.removed.push(file);
  return changes;
}

export function changeCount(changes: OutputChanges): number {
  return changes.added.length + changes.removed.length + changes.changed.length;
}
