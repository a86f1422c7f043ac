import { statSync } from 'node:fs';
import type { FSWatcher } from 'chokidar';

/** How far a folder's change time must lie behind a read of it before that time is trusted. */
const SETTLED_MS = 2000;

type ReadFolder = (this: unknown, directory: string, initialAdd: boolean, wh: unknown, target: unknown, ...rest: unknown[]) => unknown;

function folderStamp(directory: string): { key: string; settled: boolean } | undefined {
  try {
    const stats = statSync(directory, { bigint: true });
    return { key: `${stats.mtimeNs}:${stats.ctimeNs}:${stats.ino}`, settled: Date.now() - Number(stats.ctimeMs) > SETTLED_MS };
  } catch {
    return undefined;
  }
}

/**
 * chokidar reads a whole folder again (listing it and calling lstat on every entry) whenever anything
 * in it changes, to find entries that came or went (chokidar issue #1028): saving one post in a folder
 * of 10,000 costs the main thread more than the rebuild, and delays the save's own event. A folder's
 * change time moves whenever an entry comes or goes, so such a read is skipped when the folder's
 * stamp is the one it had at its last read and was already older than `SETTLED_MS` then (on a file
 * system with coarse times, a later change in the same tick would otherwise go unseen).
 *
 * This wraps a private method of chokidar 5 and changes nothing if it is not there. What a skipped
 * read could have found, the dev server also finds when it reads every file once the site is quiet.
 */
export function skipUnchangedFolderReads(watcher: FSWatcher): void {
  const handler = (watcher as unknown as { _nodeFsHandler?: { _handleRead?: ReadFolder } })._nodeFsHandler;
  const read = handler?._handleRead;
  if (!handler || typeof read !== 'function') return;
  const lastRead = new Map<string, string>();
  handler._handleRead = function (directory, initialAdd, wh, target, ...rest) {
    const stamp = folderStamp(directory);
    if (!initialAdd && target === undefined && stamp !== undefined && lastRead.get(directory) === stamp.key) return undefined;
    if (stamp?.settled) lastRead.set(directory, stamp.key);
    else lastRead.delete(directory);
    return read.call(this, directory, initialAdd, wh, target, ...rest);
  };
}
