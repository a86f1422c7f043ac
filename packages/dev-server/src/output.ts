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
 * server keeps serving the last good site even while a static file is being rewritten.
 */
export function readOutput(files: OutputFile[], copied: CopiedFiles): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  const used = new Set<string>();
  for (const file of files) {
    if ('from' in file) {
      used.add(file.from);
      out.set(file.path, readCopied(file.from, copied));
    } else {
      out.set(file.path, file.contents);
    }
  }
  for (const source of copied.keys()) if (!used.has(source)) copied.delete(source);
  return out;
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
