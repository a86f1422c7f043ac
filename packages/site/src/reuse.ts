import type { BuildCache } from './cache.js';

/**
 * Values kept by key from one build to the next with the same cache, for `signet dev`. A key the
 * build before did not use is forgotten, so a long session holds only what its last build used.
 */
export interface Carried<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

export function perBuild<T>(): { begin(cache: BuildCache): Carried<T> } {
  const generations = new WeakMap<BuildCache, { previous: Map<string, T>; current: Map<string, T> }>();
  return {
    begin(cache) {
      const state = { previous: generations.get(cache)?.current ?? new Map<string, T>(), current: new Map<string, T>() };
      generations.set(cache, state);
      return {
        get(key) {
          const value = state.current.get(key) ?? state.previous.get(key);
          if (value !== undefined) state.current.set(key, value);
          return value;
        },
        set: (key, value) => void state.current.set(key, value),
      };
    },
  };
}

const recent = new Map<string, string>();

/**
 * The same string object for equal strings, also across builds: a rebuild compares what it made
 * from an entry with what the build before made, and comparing one string object with itself
 * takes no time, where two equal copies are compared character by character.
 */
export function intern(value: string): string {
  const known = recent.get(value);
  if (known !== undefined) return known;
  if (recent.size >= 1024) recent.clear();
  recent.set(value, value);
  return value;
}

/**
 * An equal copy of `text` of its own. V8 keeps a substring as a view into the string it was cut from:
 * a post's title parsed from its front matter keeps the whole file's text alive, an excerpt its whole
 * first paragraph (slicing a concatenation makes V8 copy it flat first).
 */
export function detached(text: string): string {
  return `${text}\0`.slice(0, -1);
}
