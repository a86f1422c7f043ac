/**
 * Replies to the reader's own posts, from what `signet fetch` stored: which items answer a post of
 * the site, and which of them a page may show. Read by the build (synchronously, offline) through
 * `@signet/network/read`, so nothing here touches the network.
 */
import { normaliseIfUrl } from './identity.js'
import type { DomainRecord, FeedRecord } from './store.js'

/** The longest reply text kept (characters); a longer one is cut between words. */
export const REPLY_TEXT_MAX = 5000

/** The file at the site's root that hides the replies of domains still followed. */
export const MUTE_FILE = 'mute.txt'

/** `signed`: verified replies only (the default); `followed`: unsigned ones from followed sites too; `none`. */
export type RepliesPolicy = 'signed' | 'followed' | 'none'

/** One reply as a page shows it: text and http(s) links only. */
export interface Reply {
  /** The reply's own page. */
  url: string
  /** Its title, when it has one, and its text (plain). */
  title?: string
  text: string
  /** ISO date: published, else when the store first saw it. */
  date: string
  /** The author's site: its host (with the port when it has one), its home page and its feed's title. */
  host: string
  siteUrl: string
  siteTitle?: string
  /** The domain whose key it verified against; absent for an unsigned reply. */
  signedBy?: string
}

/** Whether `target` is a post under `siteUrl` (scheme, `www.`, fragment and trailing slash aside). */
export function isReplyTo(target: string | undefined, siteUrl: string | undefined): boolean {
  if (target === undefined || siteUrl === undefined) return false
  const site = normaliseIfUrl(siteUrl)
  const post = normaliseIfUrl(target)
  return post === site || post.startsWith(site + '/')
}

/** The URL a signed envelope's `in_reply_to` names (spec §4.5), if it names one. */
export function signedReplyTarget(envelope: string): string | undefined {
  try {
    const reference = (JSON.parse(envelope) as { in_reply_to?: { url?: unknown } }).in_reply_to
    const url = reference?.url
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined
  } catch {
    return undefined
  }
}

/** The key a reply's target and a post's URL are matched by. */
export function replyKey(url: string): string {
  return normaliseIfUrl(url)
}

export interface MuteList {
  /** Lower-case hosts: `example.com` (and its subdomains, any port) or `example.com:8080` (exactly). */
  domains: string[]
  /** Lines that are not a domain, for a warning. */
  problems: { line: number; message: string }[]
}

/** `mute.txt`: one domain a line (a URL is read as its host); `#` starts a comment. */
export function parseMuteList(text: string): MuteList {
  const out: MuteList = { domains: [], problems: [] }
  text.split(/\r?\n/).forEach((raw, index) => {
    // Cut with indexOf, not `/#.*$/`: a pattern like that is quadratic on a long run of `#` (the regex audit).
    const comment = raw.indexOf('#')
    const line = (comment === -1 ? raw : raw.slice(0, comment)).trim().toLowerCase()
    if (line === '') return
    // A URL is read as its host; `www.` is left aside, as it is when matching.
    const hostAndPath = line.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    const slash = hostAndPath.indexOf('/')
    const bare = slash === -1 ? hostAndPath : hostAndPath.slice(0, slash)
    let host: string | undefined
    try {
      host = /^[^\s@?#]+$/.test(bare) ? new URL(`http://${bare}/`).host : undefined
    } catch {
      host = undefined
    }
    if (host === undefined || !host.includes('.') && !host.includes(':') && host !== 'localhost') {
      out.problems.push({ line: index + 1, message: `"${raw.trim()}" is not a domain: write one domain a line, such as example.com` })
      return
    }
    out.domains.push(host.replace(/^www\./, ''))
  })
  return out
}

function muted(host: string, domains: readonly string[]): boolean {
  const hostname = host.replace(/:\d+$/, '').replace(/^www\./, '')
  return domains.some((d) => (d.includes(':') ? d === host.replace(/^www\./, '') : hostname === d || hostname.endsWith(`.${d}`)))
}

export interface RepliesInput {
  /** Every stored feed record (the build reads the store once). */
  feeds: readonly FeedRecord[]
  domains: readonly DomainRecord[]
  /** The feed URLs the follow list names now: a record of a feed since unfollowed is left out. */
  following: readonly string[]
  muted: readonly string[]
  policy: RepliesPolicy
  /** The site's own base URL: only replies to its posts count. */
  siteUrl: string
  /**
   * Replies an external Webmention receiver took, each source already read again and found to link
   * its target (`signet fetch`): unsigned, so shown only under `followed`, and only from the site of
   * a followed feed.
   */
  mentions?: readonly ReceivedReply[]
}

/** A received Webmention reply, as `@signet/webmention` stores it: text and http(s) URLs only. */
export interface ReceivedReply {
  source: string
  target: string
  text?: string
  published?: string
  verified: string
}

/**
 * The replies a site shows, by the post they answer (`replyKey` of its URL), oldest first. Only items
 * of followed feeds, from the feed's own site, that answer a post of this site: verified ones (with
 * keys the domain was trusted with), and unsigned ones too under `followed`. An item that failed
 * verification never shows, nor anything from a muted domain.
 */
export function selectReplies(input: RepliesInput): Map<string, Reply[]> {
  const out = new Map<string, Reply[]>()
  if (input.policy === 'none') return out
  /** Files a reply under the post it answers, once: a feed item and a mention may be the same page. */
  const add = (target: string, reply: Reply) => {
    const key = replyKey(target)
    const list = out.get(key)
    if (list === undefined) out.set(key, [reply])
    else if (!list.some((r) => r.url === reply.url)) list.push(reply)
  }
  const followed = new Set(input.following)
  const replaced = new Set(input.domains.filter((d) => d.keysReplaced).map((d) => d.domain))
  for (const feed of input.feeds) {
    if (!followed.has(feed.url)) continue
    const hosts = new Set([feed.url, feed.finalUrl, feed.siteUrl].map(hostOf).filter((h): h is string => h !== undefined))
    for (const item of feed.items) {
      if (item.text === undefined || item.url === undefined || !isReplyTo(item.inReplyTo, input.siteUrl)) continue
      const host = hostOf(item.url)
      // A feed speaks for its own site only: an aggregator's item from another domain is not that domain's reply.
      if (host === undefined || !hosts.has(host) || muted(host, input.muted)) continue
      const signed = item.status === 'verified' && item.domain !== undefined && item.keyChanged !== true && !replaced.has(item.domain)
      if (item.status === 'failed' || (!signed && input.policy !== 'followed')) continue
      const reply: Reply = { url: item.url, text: item.text, date: item.date ?? item.firstSeen, host, siteUrl: webUrl(feed.siteUrl) ?? new URL('/', item.url).href }
      if (item.title !== undefined) reply.title = item.title
      if (feed.title !== undefined) reply.siteTitle = feed.title
      if (signed) reply.signedBy = item.domain
      add(item.inReplyTo!, reply)
    }
  }
  if (input.policy === 'followed' && input.mentions && input.mentions.length > 0) {
    // The followed feeds' sites, by host: a mention speaks for the site its source is on.
    const sites = new Map<string, FeedRecord>()
    for (const feed of input.feeds) {
      if (!followed.has(feed.url)) continue
      for (const url of [feed.url, feed.finalUrl, feed.siteUrl]) {
        const host = hostOf(url)
        if (host !== undefined && !sites.has(host)) sites.set(host, feed)
      }
    }
    for (const mention of input.mentions) {
      const host = hostOf(mention.source)
      const feed = host === undefined ? undefined : sites.get(host)
      if (feed === undefined || muted(host!, input.muted) || !mention.text || !isReplyTo(mention.target, input.siteUrl)) continue
      const reply: Reply = { url: mention.source, text: mention.text, date: mention.published ?? mention.verified, host: host!, siteUrl: webUrl(feed.siteUrl) ?? new URL('/', mention.source).href }
      if (feed.title !== undefined) reply.siteTitle = feed.title
      add(mention.target, reply)
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.date.localeCompare(b.date) || a.url.localeCompare(b.url))
  return out
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

function webUrl(value: string | undefined): string | undefined {
  return value !== undefined && /^https?:\/\//i.test(value) ? value : undefined
}
