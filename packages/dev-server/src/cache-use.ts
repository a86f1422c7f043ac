import type { BuildCache } from '@signet/site';

/** How many entries of each cache map one rebuild had to make: what it actually re-rendered or signed. */
export type CacheWrites = Record<string, number>;

export interface CacheUse {
  /** Starts counting for a new build. */
  begin(): void;
  writes(): CacheWrites;
  /** Drops what the last (good) build did not use, so edits do not pile up old renders in memory. */
  prune(): void;
}

/**
 * Watches which cache entries a build reads or writes. The cache maps are keyed by hashes of their
 * inputs, so every edit adds entries; without pruning, a day of saving the same post keeps every
 * version of it. Pruning only removes entries, so a later build at worst renders them again.
 */
export function useCache(cache: BuildCache): CacheUse {
  const maps: { name: string; map: Map<unknown, unknown>; used: Set<unknown>; writes: number }[] = [];
  for (const [name, value] of Object.entries(cache)) {
    if (!(value instanceof Map)) continue;
    const entry = { name, map: value as Map<unknown, unknown>, used: new Set<unknown>(), writes: 0 };
    const { get, has, set } = entry.map;
    entry.map.get = (key) => {
      entry.used.add(key);
      return get.call(entry.map, key);
    };
    entry.map.has = (key) => {
      entry.used.add(key);
      return has.call(entry.map, key);
    };
    entry.map.set = (key, item) => {
      entry.used.add(key);
      entry.writes += 1;
      return set.call(entry.map, key, item);
    };
    maps.push(entry);
  }
  return {
    begin() {
      for (const entry of maps) {
        entry.used.clear();
        entry.writes = 0;
      }
    },
    writes: () => Object.fromEntries(maps.map((entry) => [entry.name, entry.writes])),
    prune() {
      for (const entry of maps) {
        for (const key of [...entry.map.keys()]) if (!entry.used.has(key)) entry.map.delete(key);
      }
    },
  };
}
