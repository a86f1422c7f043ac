import { itemKey } from './identity.js'
import { isReplyTo, REPLY_TEXT_MAX, signedReplyTarget } from './replies.js'
import { createHttpClient, type HttpHeaders, type HttpOptions } from './http.js'
import { FeedError, parseFeedText, type ParsedItem } from './parse.js'
import { linksUnder, pageInReplyTo } from './page-reply.js'
import { checkSignatures, updateKeys, type SignatureContext } from './signatures.js'
import { plainText, textAsHtml } from './text.js'
import type { FeedRecord, NetworkItem, NetworkStore } from './store.js'

/** One feed to read: its URL, and what the follow list says about it. */
export interface FollowedFeed {
  url: string
  title?: string
  siteUrl?: string
  description?: string
}

export interface FetchOptions extends Omit<HttpOptions, 'userAgent'> {
  /**
   * The reader's own site, named in the User-Agent so publishers know who is asking. Items that
   * answer one of its posts (`inReplyTo` under it) are kept whole as text, past `maxItemsPerFeed`.
   */
  siteUrl?: string
  userAgent?: string
  /** Ask even hosts that said to wait (Retry-After) and feeds still fresh (max-age). */
  force?: boolean
  /** Items kept per feed, newest first. Default 100. */
  maxItemsPerFeed?: number
  now?: () => Date
  /** Called after each feed, for a progress line. */
  onProgress?: (done: number, total: number, outcome: FeedOutcome) => void
}

export interface FeedOutcome {
  url: string
  state: 'fetched' | 'not modified' | 'skipped' | 'failed'
  /** Why it failed or was skipped. */
  reason?: string
  itemsNew: number
  verified: number
  unsigned: number
  failed: number
  /** The domain whose keys were found replaced in this fetch. */
  keysReplaced?: string
}

export interface FetchSummary {
  feeds: FeedOutcome[]
  fetched: number
  notModified: number
  skipped: number
  failed: number
  itemsNew: number
  verified: number
  unsigned: number
  itemsFailed: number
}

/**
 * Reads every feed, verifies its signed items and writes each feed's new state to the store. One feed
 * failing never stops the others: it is reported, and its last good items stay in the store.
 */
export async function fetchFeeds(feeds: readonly FollowedFeed[], store: NetworkStore, options: FetchOptions = {}): Promise<FetchSummary> {
  const http = createHttpClient({ ...options, userAgent: options.userAgent ?? userAgent(options.siteUrl) })
  const ctx: SignatureContext = { http, allowHttp: options.allowPrivateNetwork === true || (options.allowAddresses?.length ?? 0) > 0, documents: new Map() }
  const outcomes: FeedOutcome[] = []
  let done = 0
  try {
    await Promise.all(feeds.map(async (feed) => {
      let outcome: FeedOutcome
      try {
        outcome = await fetchOne(feed, store, ctx, options)
      } catch (error) {
        outcome = { ...empty(feed.url, 'failed'), reason: (error as Error).message }
      }
      outcomes.push(outcome)
      options.onProgress?.(++done, feeds.length, outcome)
    }))
  } finally {
    await http.close()
  }
  const order = new Map(feeds.map((f, i) => [f.url, i]))
  outcomes.sort((a, b) => (order.get(a.url) ?? 0) - (order.get(b.url) ?? 0))
  const count = (state: FeedOutcome['state']) => outcomes.filter((o) => o.state === state).length
  const sum = (field: 'itemsNew' | 'verified' | 'unsigned' | 'failed') => outcomes.reduce((n, o) => n + o[field], 0)
  return {
    feeds: outcomes, fetched: count('fetched'), notModified: count('not modified'), skipped: count('skipped'), failed: count('failed'),
    itemsNew: sum('itemsNew'), verified: sum('verified'), unsigned: sum('unsigned'), itemsFailed: sum('failed'),
  }
}

export function userAgent(siteUrl: string | undefined): string {
  return `Signet/0.1 (feed fetcher; +${siteUrl ?? 'https://github.com/signet'})`
}

function empty(url: string, state: FeedOutcome['state']): FeedOutcome {
  return { url, state, itemsNew: 0, verified: 0, unsigned: 0, failed: 0 }
}

async function fetchOne(feed: FollowedFeed, store: NetworkStore, ctx: SignatureContext, options: FetchOptions): Promise<FeedOutcome> {
  const now = (options.now ?? (() => new Date()))()
  const stamp = now.toISOString()
  const old: FeedRecord = (await store.readFeed(feed.url)) ?? { url: feed.url, items: [] }
  if (options.force !== true) {
    if (old.retryAfter && Date.parse(old.retryAfter) > now.getTime()) return { ...empty(feed.url, 'skipped'), reason: `the host asked to wait until ${old.retryAfter} (--force asks anyway)` }
    if (old.freshUntil && Date.parse(old.freshUntil) > now.getTime()) return { ...empty(feed.url, 'skipped'), reason: `still fresh until ${old.freshUntil} (Cache-Control max-age)` }
  }
  const response = await ctx.http.get(feed.url, {
    ...(old.etag ? { etag: old.etag } : {}),
    ...(old.lastModified ? { lastModified: old.lastModified } : {}),
    accept: 'application/feed+json, application/atom+xml, application/rss+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  })
  const record: FeedRecord = { ...old, lastFetched: stamp }
  delete record.retryAfter
  if (!response.ok) {
    record.lastError = response.reason
    if ((response.status === 429 || response.status === 503) && response.headers?.['retry-after']) {
      const until = retryAfter(response.headers['retry-after'], now)
      if (until) {
        record.retryAfter = until
        record.lastError += ` (asked to wait until ${until})`
      }
    }
    await store.writeFeed(record)
    return { ...empty(feed.url, 'failed'), reason: record.lastError }
  }
  refreshValidators(record, response.headers, now)
  record.finalUrl = response.url
  if (response.status === 304) {
    delete record.lastError
    record.lastSuccess = stamp
    await store.writeFeed(record)
    return empty(feed.url, 'not modified')
  }
  let parsed
  try {
    parsed = parseFeedText(response.text, response.url)
  } catch (error) {
    if (!(error instanceof FeedError)) throw error
    record.lastError = `${response.url}: ${error.message}`
    // A broken body must not be taken as "not modified" next time.
    delete record.etag
    delete record.lastModified
    await store.writeFeed(record)
    return { ...empty(feed.url, 'failed'), reason: record.lastError }
  }
  const seen = new Map<string, string>()
  for (const item of old.items) {
    const id = envelopeId(item.envelope)
    if (id) seen.set(id, item.firstSeen)
  }
  const signatures = await checkSignatures(response.text, response.url, ctx, (id) => seen.get(id))
  let domain = signatures.did ? await store.readDomain(signatures.did.host) : undefined
  let keysReplaced: string | undefined
  if (signatures.did) {
    const wasReplaced = domain?.keysReplaced === true
    domain = updateKeys(domain, signatures.did.host, signatures.did.keys, stamp)
    if (domain.keysReplaced && !wasReplaced) keysReplaced = domain.domain
    await store.writeDomain(domain)
  }
  const oldByKey = new Map(old.items.map((i) => [i.key, i]))
  const outcome = empty(feed.url, 'fetched')
  const fresh: NetworkItem[] = parsed.items.map((p, index) => {
    const key = itemKey(p)
    const before = oldByKey.get(key)
    if (!before) outcome.itemsNew++
    const item: NetworkItem = { key, firstSeen: before?.firstSeen ?? stamp, status: 'unsigned' }
    for (const field of ['id', 'url', 'title', 'summary', 'date', 'inReplyTo'] as const) if (p[field] !== undefined) item[field] = p[field]
    const envelope = signatures.envelopes[index]
    const result = signatures.results[index]
    if (envelope !== undefined && result) {
      item.envelope = envelope
      if (result.status === 'verified') {
        item.status = 'verified'
        // What a signed post answers is what it signed, whatever the feed says around it.
        const target = signedReplyTarget(envelope)
        if (target === undefined) delete item.inReplyTo
        else item.inReplyTo = target
        if (result.domain) item.domain = result.domain
        if (result.keyId) item.keyId = result.keyId
        const key = result.keyId && signatures.did?.keyOf[result.keyId]
        if (domain?.keysReplaced && (!key || !domain.knownKeys.includes(key))) item.keyChanged = true
      } else if (result.status !== 'unsigned') {
        item.status = 'failed'
        item.reason = `${result.status}: ${result.reasons.join(' ')}`
      }
    }
    if (isReplyTo(item.inReplyTo, options.siteUrl)) {
      // A reply to the reader is shown whole under the post it answers: its signed text when it verified.
      const text = plainText((item.status === 'verified' ? signedHtml(envelope) : undefined) ?? p.body ?? '', REPLY_TEXT_MAX)
      if (text) item.text = text
    }
    outcome[item.status === 'failed' ? 'failed' : item.status]++
    return item
  })
  await repliesFromPages(fresh, parsed.items, oldByKey, ctx, options.siteUrl)
  const keys = new Set(fresh.map((i) => i.key))
  const gone = await deletedReplies(old.items.filter((i) => !keys.has(i.key) && isReplyTo(i.inReplyTo, options.siteUrl)), ctx)
  const kept = [...fresh, ...old.items.filter((i) => !keys.has(i.key) && !gone.has(i.key))]
  kept.sort((a, b) => (b.date ?? b.firstSeen).localeCompare(a.date ?? a.firstSeen))
  const max = options.maxItemsPerFeed ?? 100
  Object.assign(record, {
    format: parsed.format,
    // Replies to the reader's posts stay while they exist, however far down the feed they fall.
    items: [...kept.slice(0, max), ...kept.slice(max).filter((i) => isReplyTo(i.inReplyTo, options.siteUrl))],
    lastSuccess: stamp,
  })
  for (const field of ['title', 'siteUrl', 'description'] as const) {
    const value = parsed[field] ?? feed[field]
    if (value !== undefined) record[field] = value
  }
  delete record.lastError
  await store.writeFeed(record)
  return keysReplaced ? { ...outcome, keysReplaced } : outcome
}

/**
 * Replies to the reader that left their feed: those whose page now answers 404 or 410 were deleted
 * (a Webmention-style tombstone); any other answer, or none, keeps them (the feed may just have moved on).
 */
async function deletedReplies(items: NetworkItem[], ctx: SignatureContext): Promise<Set<string>> {
  const gone = new Set<string>()
  await Promise.all(items.map(async (item) => {
    if (item.url === undefined) return
    const response = await ctx.http.get(item.url, { accept: 'text/html, */*;q=0.5' })
    if (!response.ok && (response.status === 404 || response.status === 410)) gone.add(item.key)
  }))
  return gone
}

/**
 * A new unsigned item whose feed does not say what it answers, but whose text links to one of the
 * reader's posts, has its page read once: its h-entry's `u-in-reply-to` says whether it is a reply.
 */
async function repliesFromPages(fresh: NetworkItem[], parsed: readonly ParsedItem[], old: Map<string, NetworkItem>, ctx: SignatureContext, siteUrl: string | undefined): Promise<void> {
  if (siteUrl === undefined) return
  await Promise.all(fresh.map(async (item, index) => {
    const body = parsed[index]?.body
    if (item.status !== 'unsigned' || item.inReplyTo !== undefined || item.url === undefined || old.has(item.key)) return
    if (!linksUnder(body, siteUrl, (url) => isReplyTo(url, siteUrl))) return
    const response = await ctx.http.get(item.url, { accept: 'text/html, application/xhtml+xml;q=0.9' })
    const target = response.ok && response.status === 200 ? pageInReplyTo(response.text, response.url) : undefined
    if (!isReplyTo(target, siteUrl)) return
    item.inReplyTo = target
    const text = plainText(body ?? '', REPLY_TEXT_MAX)
    if (text) item.text = text
  }))
}

/** The signed HTML of an envelope (or its text, escaped). */
function signedHtml(envelope: string | undefined): string | undefined {
  if (envelope === undefined) return undefined
  try {
    const e = JSON.parse(envelope) as { content_html?: unknown; content_text?: unknown }
    if (typeof e.content_html === 'string') return e.content_html
    if (typeof e.content_text === 'string') return textAsHtml(e.content_text)
  } catch {
    // a verified envelope is JSON; nothing to show otherwise
  }
  return undefined
}

/** ETag and Last-Modified are kept separately and both refreshed on every 200 and 304. */
function refreshValidators(record: FeedRecord, headers: HttpHeaders, now: Date): void {
  if (headers.etag) record.etag = headers.etag
  if (headers['last-modified']) record.lastModified = headers['last-modified']
  const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(headers['cache-control'] ?? '')?.[1]
  // A day at most: a misconfigured header must not silence a feed for months.
  if (maxAge !== undefined) record.freshUntil = new Date(now.getTime() + Math.min(Number(maxAge), 86_400) * 1000).toISOString()
  else delete record.freshUntil
}

function retryAfter(value: string, now: Date): string | undefined {
  const seconds = /^\s*(\d+)\s*$/.exec(value)?.[1]
  const at = seconds !== undefined ? now.getTime() + Number(seconds) * 1000 : Date.parse(value)
  if (Number.isNaN(at)) return undefined
  // A week at most, for the same reason.
  return new Date(Math.min(at, now.getTime() + 7 * 86_400_000)).toISOString()
}

function envelopeId(envelope: string | undefined): string | undefined {
  if (!envelope) return undefined
  try {
    const id = (JSON.parse(envelope) as { id?: unknown }).id
    return typeof id === 'string' ? id : undefined
  } catch {
    return undefined
  }
}
