import path from 'node:path';
import type { DirsConfig } from '@signet/config';

/** How the next build reads the content: only what the watcher reported, or everything. */
export interface ReadPlan {
  /** Every file is read and hashed, every folder listed. */
  full: boolean;
  /** For `buildSite`: a content file not reported since the last good build is taken from the cache. */
  unchanged: ((file: string) => boolean) | undefined;
  /** For `buildSite`: folder listings kept while no file or folder came or went. */
  listings: Map<string, string[]>;
  /** Every file reported since the last good build (absolute paths): copied files among them are read again. */
  reported: ReadonlySet<string>;
}

export interface ChangeLog {
  /** A watcher event, with the path relative to the site folder. */
  note(event: string, relative: string): void;
  /** The next build reads everything: the first build, `rebuild()`, a check. */
  readAll(): void;
  plan(): ReadPlan;
  /** After a build: a good one has seen every reported change; a failed one may not have read them all. */
  built(ok: boolean): void;
}

/**
 * Keeps what the watcher reported since the last good build, so a rebuild reads only those files.
 * Content and static files that changed, came or went are enough to know; a change to the config,
 * the key registry or a layout, or a folder that came or went, makes the next build read everything.
 */
export function createChangeLog(root: string, dirs: () => Pick<DirsConfig, 'content' | 'static'>): ChangeLog {
  const changed = new Set<string>();
  const listings = new Map<string, string[]>();
  let full = true;
  return {
    note(event, relative) {
      changed.add(path.join(root, relative));
      if (event !== 'change') listings.clear();
      const { content, static: staticDir } = dirs();
      const inside = [content, staticDir].some((dir) => relative.startsWith(path.normalize(dir) + path.sep));
      if (!inside || !['add', 'change', 'unlink'].includes(event)) full = true;
    },
    readAll() {
      full = true;
    },
    plan() {
      if (full) listings.clear();
      return { full, unchanged: full ? undefined : (file) => !changed.has(file), listings, reported: changed };
    },
    built(ok) {
      if (!ok) return;
      changed.clear();
      full = false;
    },
  };
}
