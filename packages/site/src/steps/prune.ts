import type { Entry } from '@signet/content';
import { allEntries, type Context } from './context.js';

/**
 * Drops what this build did not use, so neither `signet dev`'s cache nor the saved one keeps growing.
 * A build's own cache knows what it used (`ctx.used`). A cache that outlives the build is pruned only
 * once it holds an eighth more than the build needs, from what the entries and output say was used:
 * each save in `signet dev` leaves one page's Markdown, envelope and so on behind, and working out
 * what was used costs about what filling the sets did.
 */
export function pruneCache(ctx: Context): void {
  const { used } = ctx;
  if (used === undefined) {
    const entries = allEntries(ctx);
    pruneBeyond(ctx.cache.markdown, entries.length + ctx.retargeted.size, () => markdownKeysUsed(ctx, entries));
    pruneBeyond(ctx.cache.envelopes, ctx.content.posts.length, () => envelopeKeysUsed(ctx));
    pruneBeyond(ctx.cache.pages, ctx.out.paths.length, () => new Set(ctx.out.paths));
    return;
  }
  for (const name of ['markdown', 'envelopes', 'pages'] as const) {
    const map: Map<string, unknown> = ctx.cache[name];
    const keys = used[name];
    // Every key used is in the map by now, so equal sizes mean there is nothing to drop.
    if (map.size === keys.size) continue;
    dropUnused(map, keys);
  }
}

function pruneBeyond(map: Map<string, unknown>, needed: number, usedKeys: () => Set<string>): void {
  if (map.size > needed + Math.max(32, needed >> 3)) dropUnused(map, usedKeys());
}

function dropUnused(map: Map<string, unknown>, used: Set<string>): void {
  // forEach: for…of over the keys made an iterator result per key, and these maps hold one per post.
  map.forEach((_, key) => {
    if (!used.has(key)) map.delete(key);
  });
}

/** The cache keys of the entries' Markdown, and of those rendered again with links retargeted (steps/markdown.ts). */
function markdownKeysUsed(ctx: Context, entries: Entry[]): Set<string> {
  const keys = new Set<string>();
  for (const entry of entries) {
    const key = ctx.derive.markdownKey(entry);
    keys.add(key);
    const retargeted = ctx.retargeted.get(entry);
    if (retargeted !== undefined) keys.add(`${key}|${retargeted}`);
  }
  return keys;
}

/** Each signed post's envelope: the signing step remembers its key for the post (`cache.signed`). */
function envelopeKeysUsed(ctx: Context): Set<string> {
  const keys = new Set<string>();
  for (const post of ctx.content.posts) {
    const memo = ctx.cache.signed.get(post);
    if (memo !== undefined) keys.add(memo.cacheKey);
  }
  return keys;
}
