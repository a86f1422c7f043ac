import { statSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { CONFIG_FILES, type DirsConfig } from '@signet/config';
import { skipUnchangedFolderReads } from './folder-reads.js';

/** The key registry beside the config; a rotated key changes every signature and did.json. */
const REGISTRY_FILE = 'signet.keys.json';
/** The follow list and what `signet fetch` stored: the network pages and replies are made from them. */
const FOLLOWING_FILE = 'following.opml';
/** The domains whose replies are hidden. */
const MUTE_FILE = 'mute.txt';
const NETWORK_DIR = path.join('.signet', 'network');
/** The site's data files (`site.data` in layouts). */
const DATA_DIR = 'data';

/**
 * Decides what in a site folder is worth a rebuild: the config, the key registry, the follow list, the
 * mute list and the stored fetches (`.signet/network/`), and everything in
 * the content, layouts, static and data folders except hidden files (editor swap files, `.DS_Store`), which
 * the build skips too. Folders on the way to a watched folder pass so chokidar can descend into them.
 */
export function isWatched(root: string, dirs: Pick<DirsConfig, 'content' | 'layouts' | 'static'>, file: string): boolean {
  const relative = path.relative(root, file);
  if (relative === '') return true;
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  if ((CONFIG_FILES as readonly string[]).includes(relative) || relative === REGISTRY_FILE || relative === FOLLOWING_FILE || relative === MUTE_FILE) return true;
  if (relative === NETWORK_DIR || NETWORK_DIR.startsWith(relative + path.sep)) return true;
  // A record is written to a temporary file and renamed into place: only the finished file counts.
  if (relative.startsWith(NETWORK_DIR + path.sep)) return !relative.endsWith('.tmp');
  for (const dir of [dirs.content, dirs.layouts, dirs.static, DATA_DIR].map((d) => path.normalize(d))) {
    if (dir.startsWith(relative + path.sep)) return true;
    if (relative === dir) return true;
    if (relative.startsWith(dir + path.sep)) {
      return !relative.slice(dir.length + 1).split(path.sep).some((part) => part.startsWith('.'));
    }
  }
  return false;
}

/** How long chokidar 5 swallows repeated `change` events of one file. */
const CHANGE_THROTTLE_MS = 50;

function stamp(file: string): string {
  try {
    const stats = statSync(file, { bigint: true });
    return `${stats.mtimeNs}:${stats.size}:${stats.ino}`;
  } catch {
    return 'missing';
  }
}

export interface SiteWatcher {
  close(): Promise<void>;
}

/**
 * Watches a site folder and calls `onChange` with each changed path relative to the root. chokidar 5
 * has no globs, so the filter is a function; `atomic` turns editors' write-and-rename saves into one
 * change, and awaitWriteFinish stays off because its 2 s wait would defeat live reload.
 */
export async function watchSite(
  root: string,
  dirs: Pick<DirsConfig, 'content' | 'layouts' | 'static'>,
  onChange: (event: string, relative: string) => void,
  onError: (error: unknown) => void,
): Promise<SiteWatcher> {
  const watcher: FSWatcher = watch(root, {
    ignored: (file: string) => !isWatched(root, dirs, file),
    ignoreInitial: true,
    atomic: true,
    awaitWriteFinish: false,
    persistent: true,
  });
  skipUnchangedFolderReads(watcher);
  const rechecks = new Map<string, NodeJS.Timeout>();
  watcher.on('all', (event, file) => {
    onChange(event, path.relative(root, file) || '.');
    // chokidar drops any further `change` of the same file for 50 ms after one it reports, so a
    // second quick save would be lost. Look again once that window has passed. Each reported change
    // opens a window of its own, so it gets its own look (replacing an earlier one, whose window
    // this change already covers): one look per burst would miss a save in a later window.
    if (event !== 'change') return;
    clearTimeout(rechecks.get(file));
    const seen = stamp(file);
    rechecks.set(file, setTimeout(() => {
      rechecks.delete(file);
      if (stamp(file) !== seen) onChange('change', path.relative(root, file));
    }, CHANGE_THROTTLE_MS + 25));
  });
  watcher.on('error', onError);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    close: () => {
      for (const timer of rechecks.values()) clearTimeout(timer);
      rechecks.clear();
      return watcher.close();
    },
  };
}
