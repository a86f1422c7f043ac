import type { Entry, EntryCache } from '@signet/content';
import type { RenderedMarkdown } from '@signet/markdown';
import type { SignedEnvelope } from '@signet/sign';

/**
 * What a build can reuse from an earlier one. Every value is keyed by a hash of all it depends on,
 * so a hit is always correct; `signet dev` keeps one of these in memory between rebuilds, and the
 * on-disk cache stores the same maps between runs.
 */
export interface BuildCache {
  /**
   * `entry hash | trustHtml | base URL` → rendered Markdown; with `| targets` (JSON) after it, the same
   * rendered with its links to Markdown sources pointing at those sources' URLs.
   */
  markdown: Map<string, RenderedHtml>;
  /**
   * `envelope hash | key` → signed envelope. Kept as data, not JSON text: the on-disk cache stores it
   * with V8's serializer, and a build then neither writes nor parses each post's HTML as JSON again.
   */
  envelopes: Map<string, SignedEnvelope>;
  /**
   * output path → the signature of its inputs and the bytes made from them. A cache read from disk
   * holds no bytes: the page is in the output folder written by the build that saved the cache
   * (`build`), and is copied from there when that folder is known to be as that build left it.
   */
  pages: Map<string, { signature: string; contents: string | undefined }>;
  /** The id of the build that saved this cache to disk. */
  build?: string;
  /**
   * file → its parsed entry, keyed by the file's bytes and the settings it depends on: a rebuild
   * parses only the files that changed. Kept in memory only (not in the on-disk cache).
   */
  entries: EntryCache;
  /**
   * A post's entry → what it was signed from and the envelope. An entry object is reused only for the
   * same file bytes and settings, so with the same feed HTML, URL and signing context the item to sign
   * is the same: a rebuild skips making and hashing it. In memory only, like `entries`.
   */
  signed: WeakMap<Entry, SignedPost>;
  /**
   * The maps a build fills with each entry's HTML and envelope (`Context.html`, `Context.envelopes`),
   * kept for the next build when the cache outlives one: every entry is set again, but setting a key
   * that is there costs a twentieth of adding it to a fresh map, which for 10,000 entries cost each
   * save in `signet dev` ~6 ms. Weak, so entries gone with their files go too. In memory only.
   */
  held: { html: WeakMap<Entry, RenderedHtml>; envelopes: WeakMap<Entry, SignedEnvelope> };
}

/** An entry's rendered Markdown, as `renderMarkdown` of `@signet/markdown` returns it. */
export type RenderedHtml = RenderedMarkdown;

export interface SignedPost {
  feedHtml: string;
  url: string;
  /** The key, the DID and the config fields the envelope item is made from. */
  context: string;
  /** The key of the envelope in `envelopes`. */
  cacheKey: string;
  envelope: SignedEnvelope;
}

export function createCache(): BuildCache {
  return { markdown: new Map(), envelopes: new Map(), pages: new Map(), entries: new Map(), signed: new WeakMap(), held: { html: new WeakMap(), envelopes: new WeakMap() } };
}
