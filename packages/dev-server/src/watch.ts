import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { CONFIG_FILES, type DirsConfig } from '@signet/config';

/** The key registry beside the config; a rotated key changes every signature and did.json. */
const REGISTRY_FILE = 'signet.keys.json';

/**
 * Decides what in a site folder is worth a rebuild: the config, the key registry, and everything in
 * the content, layouts and static folders except hidden files (editor swap files, `.DS_Store`), which
 * the build skips too. Folders on the way to a watched folder pass so chokidar can descend into them.
 */
export function isWatched(root: string, dirs: Pick<DirsConfig, 'content' | 'layouts' | 'static'>, file: string): boolean {
  const relative = path.relative(root, file);
  if (relative === '') return true;
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  if ((CONFIG_FILES as readonly string[]).includes(relative) || relative === REGISTRY_FILE) return true;
  for (const dir of [dirs.content, dirs.layouts, dirs.static].map((d) => path.normalize(d))) {
    if (dir.startsWith(relative + path.sep)) return true;
    if (relative === dir) return true;
    if (relative.startsWith(dir + path.sep)) {
      return !relative.slice(dir.length + 1).split(path.sep).some((part) => part.startsWith('.'));
    }
  }
  return false;
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
  watcher.on('all', (event, file) => onChange(event, path.relative(root, file) || '.'));
  watcher.on('error', onError);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close() };
}
