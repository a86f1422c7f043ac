import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes notes without ever leaving one half-written: everything is first written into a hidden
 * staging folder inside `into` (same file system, so renames are atomic), and only when all of it is
 * there does each note move into place. On failure the staging folder goes and nothing else changed.
 */
export interface Staging {
  folder(id: string): string;
  /** Moves a staged note into `into`: a whole new folder, or an updated index.md plus new media. */
  commit(id: string, replace: boolean): Promise<void>;
  discard(): Promise<void>;
}

export async function openStaging(into: string): Promise<Staging> {
  const created = await mkdir(into, { recursive: true });
  const root = join(into, `.signet-import-${randomBytes(6).toString('hex')}`);
  await mkdir(root);
  return {
    // Many thousands of tiny files: synchronous calls skip a thread-pool round trip per call, which
    // made the whole import about twice as fast.
    folder(id) {
      const dir = join(root, id);
      mkdirSync(dir);
      return dir;
    },
    async commit(id, replace) {
      const staged = join(root, id);
      if (!replace) return renameSync(staged, join(into, id));
      const target = join(into, id);
      const present = new Set(await readdir(target));
      for (const name of await readdir(staged)) {
        if (name !== 'index.md' && !present.has(name)) await rename(join(staged, name), join(target, name));
      }
      await rename(join(staged, 'index.md'), join(target, 'index.md'));
    },
    async discard() {
      await rm(root, { recursive: true, force: true });
      // Remove `into` only if this import created it and left it empty.
      if (created !== undefined) await rmdir(into).catch(() => undefined);
    },
  };
}

export async function existingNotes(into: string): Promise<Set<string>> {
  const entries = await readdir(into, { withFileTypes: true }).catch(() => []);
  return new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
}

export function readExisting(into: string, id: string): string | undefined {
  try {
    return readFileSync(join(into, id, 'index.md'), 'utf8');
  } catch {
    return undefined;
  }
}

export function writeText(file: string, text: string): void {
  writeFileSync(file, text, { flag: 'wx' });
}

/**
 * Runs `task` over `items` with at most `limit` in flight. After a failure no new task starts, and the
 * first error is thrown only once every running task has settled, so nothing writes after cleanup.
 */
export async function eachLimit<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
