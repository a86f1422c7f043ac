import type { BuildCache } from '@signet/site';

/** How many entries of each cache map one rebuild had to make: what it actually re-rendered or signed. */
export type CacheWrites = Record<string, number>;

export interface CacheUse {
  /** Starts counting for a new build. */
  begin(): void;
  writes(): CacheWrites;
}

/**
 * Counts the cache entries a build writes, so the terminal line can say what was redone (Markdown
 * rendered, posts signed, pages rendered) rather than only which outputs ended up different.
 */
export function countCacheWrites(cache: BuildCache): CacheUse {
  const maps: { name: string; writes: number }[] = [];
  for (const [name, value] of Object.entries(cache)) {
    // Re-read entries are not work worth a word: a changed post shows up as Markdown rendered.
    if (!(value instanceof Map) || name === 'entries') continue;
    const map = value as Map<unknown, unknown>;
    const entry = { name, writes: 0 };
    const set = map.set;
    map.set = (key, item) => {
      entry.writes += 1;
      return set.call(map, key, item);
    };
    maps.push(entry);
  }
  return {
    begin() {
      for (const entry of maps) entry.writes = 0;
    },
    writes: () => Object.fromEntries(maps.map((entry) => [entry.name, entry.writes])),
  };
}
