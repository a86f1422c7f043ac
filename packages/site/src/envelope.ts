import { hash } from 'node:crypto';
import type { SiteConfig } from '@signet/config';
import type { Entry } from '@signet/content';
import { embedJson, FUNDING_ABOUT, normalizeHtml, signEnvelope, type EnvelopeItem, type Proof, type Reference, type ReferenceField, type SignedEnvelope } from '@signet/sign';
import { nodeSha256, nodeSign } from '@signet/sign/node';
import type { SigningKey } from '@signet/keys';
import type { BuildCache, SignedPost } from './cache.js';
import { utcSeconds } from './view.js';

const EPOCH = '1970-01-01T00:00:00Z';

/** A post as a JSON Feed 1.1 item: the one canonical record every format is rendered from. */
export function toEnvelopeItem(entry: Entry, feedHtml: string, url: string, config: SiteConfig, references?: Partial<Record<ReferenceField, Reference>>): EnvelopeItem {
  const normalized = normalizeHtml(feedHtml);
  const item: EnvelopeItem = {
    id: url,
    url,
    // The same string when normalizing changed nothing, so a large site holds it once.
    content_html: normalized === feedHtml ? feedHtml : normalized,
    date_published: entry.date ? utcSeconds(entry.date) : EPOCH,
    authors: [config.author.url ? { name: entry.author ?? config.author.name, url: config.author.url } : { name: entry.author ?? config.author.name }],
    language: config.language,
  };
  // An envelope leaves out what a post does not have; `title: ""` is no title (signing refuses "").
  if (entry.title) item.title = entry.title.normalize('NFC');
  if (entry.summary) item.summary = entry.summary.normalize('NFC');
  if (entry.updated) item.date_modified = utcSeconds(entry.updated);
  if (entry.tags.length > 0) item.tags = entry.tags.map((tag) => tag.normalize('NFC'));
  // Signed, so that a host or aggregator that swaps a payment link is caught.
  if (entry.funding !== false && (config.funding || entry.funding)) item._funding = { about: FUNDING_ABOUT, links: [...(config.funding ?? []), ...(entry.funding ?? [])] };
  if (references) Object.assign(item, references);
  return item;
}

/** Signs an item, or reuses the envelope signed for exactly the same item and key. */
export function signItem(item: EnvelopeItem, key: SigningKey, did: string, cache: BuildCache, used?: Set<string>): SignedEnvelope {
  const cacheKey = envelopeCacheKey(item, keyIdentity(key, did));
  used?.add(cacheKey);
  const cached = cachedEnvelope(cache, cacheKey, item);
  if (cached) return cached;
  const envelope = signWithKey(item, `${did}#${key.id}`, key.seed);
  cache.envelopes.set(cacheKey, envelope);
  return envelope;
}

/**
 * The envelope the cache holds for `item` (under `cacheKey`), with the item's HTML: the key hashes that
 * HTML, so the envelope's is the item's. One read from the cache file has none of its own (see
 * disk-cache.ts), and one from memory then shares the string the build holds anyway, so a large site
 * keeps each post's HTML once.
 */
function cachedEnvelope(cache: BuildCache, cacheKey: string, item: EnvelopeItem): SignedEnvelope | undefined {
  const envelope = cache.envelopes.get(cacheKey);
  if (envelope) envelope.content_html = item.content_html;
  return envelope;
}

/** The signing key's part of an envelope's cache key: the DID URL of the key and its public key. */
export function keyIdentity(key: SigningKey, did: string): string {
  return `${did}#${key.id}\0${key.publicKeyMultibase}`;
}

function envelopeCacheKey(item: EnvelopeItem, identity: string): string {
  // The HTML is hashed as it is rather than JSON-escaped first: it is most of the item, and escaping
  // it cost more than the hash. Its length goes before it, so no two items hash the same bytes.
  const { content_html: html, ...fields } = item;
  return hash('sha256', `${JSON.stringify(fields)}\0${html.length}\0${html}\0${identity}`, 'base64');
}

/** Everything besides the entry, its feed HTML and URL that an envelope is made from. */
export function signingContext(config: SiteConfig, key: SigningKey, did: string): string {
  const context = [did, key.id, key.publicKeyMultibase, config.author.name, config.author.url, config.language];
  return JSON.stringify(config.funding ? [...context, config.funding] : context);
}

/**
 * What one post needs before its envelope exists: an item to sign, and its cache key when the build
 * needed that to look for the envelope (the signing thread makes it otherwise).
 */
export interface PendingSignature {
  item: EnvelopeItem;
  cacheKey?: string;
}

/**
 * Hands back the envelope of an earlier build when the entry object (same file bytes and settings),
 * its feed HTML, URL and the signing context are all the same as then, or when the envelope cache
 * holds one for exactly this item and key; otherwise says what must be signed.
 */
export function reuseOrPlan(entry: Entry, feedHtml: string, url: string, config: SiteConfig, key: SigningKey, did: string, cache: BuildCache, used: Set<string> | undefined, context: string, references?: Partial<Record<ReferenceField, Reference>>): { envelope: SignedEnvelope } | { pending: PendingSignature } {
  const memo = cache.signed.get(entry);
  // A reference's stored target can change while the file does not: such entries are keyed by their item.
  if (memo && entry.references === undefined && memo.feedHtml === feedHtml && memo.url === url && memo.context === context && cache.envelopes.has(memo.cacheKey)) {
    used?.add(memo.cacheKey);
    return { envelope: memo.envelope };
  }
  const item = toEnvelopeItem(entry, feedHtml, url, config, references);
  // With no envelopes cached (a cold build) there is nothing to look up: the key is made where the
  // item is signed, across threads, rather than here.
  if (cache.envelopes.size === 0) return { pending: { item } };
  const cacheKey = envelopeCacheKey(item, keyIdentity(key, did));
  used?.add(cacheKey);
  const envelope = cachedEnvelope(cache, cacheKey, item);
  if (!envelope) return { pending: { item, cacheKey } };
  remember(entry, { feedHtml, url, context, cacheKey, envelope }, cache, used);
  return { envelope };
}

/**
 * A signed item: its cache key and its proof. Only these cross back from a worker; the thread that
 * made the item puts the envelope together.
 */
export interface SignedForCache {
  cacheKey: string;
  proof: Proof;
  /**
   * The envelope as a page embeds it (`embedJson`): made by the thread that signed it, off the build's
   * own; from a worker, as bytes (see `packPageJson`). Undefined when the page makes it (see
   * `signForCache`).
   */
  json: string | PageJsonBytes | undefined;
}

/** A page JSON's text in a buffer a worker handed over: Latin-1 when every character fits, else UTF-16. */
export interface PageJsonBytes {
  bytes: Uint8Array;
  at: number;
  length: number;
  wide: boolean;
}

const PAST_LATIN1 = /[^\0-\xff]/;

/**
 * Puts the page JSON of a worker's signed results into one buffer, to be transferred with them rather
 * than copied: as strings they were read into the build's heap as they arrived and lived there until
 * each post's page was made, ~10 KB a post with code and footnotes (40 MB at 4,000 posts, copied by the
 * collector and promoted). As bytes they stay outside the heap until a page reads its own.
 */
export function packPageJson(results: [number, unknown][]): ArrayBuffer | undefined {
  let size = 0;
  const texts: { result: SignedForCache; text: string; wide: boolean }[] = [];
  for (const [, result] of results) {
    if (result === null || typeof (result as SignedForCache).json !== 'string') continue;
    const text = (result as SignedForCache).json as string;
    const wide = PAST_LATIN1.test(text);
    texts.push({ result: result as SignedForCache, text, wide });
    size += wide ? text.length * 2 : text.length;
  }
  if (texts.length === 0) return undefined;
  const buffer = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const { result, text, wide } of texts) {
    const length = buffer.write(text, at, wide ? 'utf16le' : 'latin1');
    result.json = { bytes: buffer, at, length, wide };
    at += length;
  }
  return buffer.buffer as ArrayBuffer;
}

// Each new envelope's page JSON, from its signing until its page takes it.
const pageJson = new WeakMap<SignedEnvelope, string | PageJsonBytes>();

/**
 * The envelope as its page embeds it. Made where it was signed when it was signed in this build
 * (a worker, while this thread makes pages: 15 µs a post of JSON and escaping), and taken: a page is
 * made once a build, and `signet dev` keeps envelopes for the next one.
 */
export function envelopePageJson(envelope: SignedEnvelope): string {
  const made = pageJson.get(envelope);
  if (made === undefined) return embedJson(envelope);
  pageJson.delete(envelope);
  if (typeof made === 'string') return made;
  const { bytes, at, length, wide } = made;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(wide ? 'utf16le' : 'latin1', at, at + length);
}

/**
 * What a post was signed from, for the next build of a cache that outlives this one (`signet dev`:
 * `used` is undefined). A build's own cache ends with it, and the memo would only hold every post's
 * HTML and envelope until then, long after its page was made.
 */
function remember(entry: Entry, signed: SignedPost, cache: BuildCache, used: Set<string> | undefined): void {
  if (used === undefined) cache.signed.set(entry, signed);
}

/** Records an envelope signed for `reuseOrPlan`'s pending item, and returns it. */
export function recordSignature(entry: Entry, feedHtml: string, url: string, context: string, pending: PendingSignature, signed: SignedForCache, cache: BuildCache, used: Set<string> | undefined): SignedEnvelope {
  used?.add(signed.cacheKey);
  // Object.assign, not `{ ...item, proof }`: V8 makes that several times slower for an object this size.
  const envelope: SignedEnvelope = Object.assign({}, pending.item, { proof: signed.proof });
  cache.envelopes.set(signed.cacheKey, envelope);
  remember(entry, { feedHtml, url, context, cacheKey: signed.cacheKey, envelope }, cache, used);
  if (signed.json !== undefined) pageJson.set(envelope, signed.json);
  return envelope;
}

/**
 * Signs one item with node:crypto and keys it for the cache: the same function on the main thread
 * and in workers. With `pageJson`, also makes the envelope as its page embeds it; without, the page
 * makes that itself.
 */
export function signForCache(item: EnvelopeItem, verificationMethod: string, seed: Uint8Array, identity: string, pageJson: boolean): SignedForCache {
  const envelope = signWithKey(item, verificationMethod, seed);
  return { cacheKey: envelopeCacheKey(item, identity), proof: envelope.proof, json: pageJson ? embedJson(envelope) : undefined };
}

/** `created` is the post's own date (modified, else published), never the clock, so rebuilds are byte-identical. */
function signWithKey(item: EnvelopeItem, verificationMethod: string, seed: Uint8Array): SignedEnvelope {
  return signEnvelope(item, { seed, verificationMethod, created: item.date_modified ?? item.date_published, sign: nodeSign, sha256: nodeSha256 });
}
