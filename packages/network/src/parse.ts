import { parseFeed } from 'feedsmith'
import { plainText, textAsHtml } from './text.js'

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json'

/** One item as the feed shows it, reduced to text: nothing of its HTML is kept. */
export interface ParsedItem {
  id?: string
  url?: string
  title?: string
  summary?: string
  date?: string
  /** The post this item answers, when the feed says so (Atom threading). */
  inReplyTo?: string
  /** The item's own text (for the content-hash identity of items with neither id nor link). */
  content?: string
  /** Its whole text as HTML (the full content before a summary), read only for a reply to the reader. */
  body?: string
}

export interface ParsedFeed {
  format: FeedFormat
  title?: string
  siteUrl?: string
  description?: string
  items: ParsedItem[]
}

export class FeedError extends Error {}

/**
 * Reads RSS 0.9x/1.0/2.0, Atom 1.0 or JSON Feed 1.0/1.1. XML with a DOCTYPE or an entity declaration
 * is refused before any parser sees it: entities are never expanded (billion laughs, external files).
 */
export function parseFeedText(text: string, base: string): ParsedFeed {
  const start = text.replace(/^\uFEFF/, '').trimStart()
  if (start.startsWith('<') && /<!DOCTYPE|<!ENTITY/i.test(text)) throw new FeedError('the feed declares a DOCTYPE or entities, which are refused (they can expand without bound or read other files)')
  let parsed
  try {
    parsed = parseFeed(text)
  } catch (error) {
    throw new FeedError(`not a readable RSS, Atom or JSON feed (${(error as Error).message})`)
  }
  const abs = (href: string | undefined) => {
    if (!href?.trim()) return undefined
    try {
      // Only web links: a feed's javascript: or data: URL never reaches a page.
      const url = new URL(href.trim(), base)
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
    } catch {
      return undefined
    }
  }
  const item = (i: { id?: string; url?: string; title?: string; html?: string; body?: string; date?: string; inReplyTo?: string }): ParsedItem => {
    const out: ParsedItem = {}
    if (i.id?.trim()) out.id = i.id.trim()
    const url = abs(i.url)
    if (url) out.url = url
    const title = i.title === undefined ? '' : plainText(i.title, 200)
    if (title) out.title = title
    if (i.html) {
      out.content = i.html
      const summary = plainText(i.html)
      if (summary) out.summary = summary
    }
    const body = i.body ?? i.html
    if (body) out.body = body
    const date = isoDate(i.date)
    if (date) out.date = date
    const reply = abs(i.inReplyTo)
    if (reply) out.inReplyTo = reply
    return out
  }
  const { format, feed } = parsed
  if (format === 'json') {
    const items = feed.items ?? []
    const replies = jsonInReplyTo(text, items.length)
    return {
      format,
      ...text3(feed.title, abs(feed.home_page_url), feed.description),
      items: items.map((i, index) => item({
        id: i.id, url: i.url, title: i.title, html: i.summary ?? i.content_html ?? i.content_text, body: i.content_html ?? (i.content_text === undefined ? undefined : textAsHtml(i.content_text)),
        date: i.date_published ?? i.date_modified, inReplyTo: replies[index],
      })),
    }
  }
  if (format === 'atom') {
    const alternate = (links: { href?: string; rel?: string }[] | undefined) => (links ?? []).find((l) => (l.rel ?? 'alternate') === 'alternate')?.href
    return {
      format,
      ...text3(feed.title?.value, abs(alternate(feed.links)), feed.subtitle?.value),
      items: (feed.entries ?? []).map((e) => item({
        id: e.id, url: alternate(e.links), title: e.title?.value, html: e.summary?.value ?? e.content?.value, body: e.content?.value, date: e.published ?? e.updated,
        inReplyTo: e.thr?.inReplyTos?.[0]?.href ?? e.thr?.inReplyTos?.[0]?.ref,
      })),
    }
  }
  if (format === 'rdf') {
    return {
      format,
      ...text3(feed.title, abs(feed.link), feed.description),
      items: (feed.items ?? []).map((i) => item({ id: i.rdf?.about, url: i.link, title: i.title, html: i.description ?? i.content?.encoded, date: i.dc?.dates?.[0] })),
    }
  }
  return {
    format,
    ...text3(feed.title, abs(feed.link), feed.description),
    items: (feed.items ?? []).map((i) => item({
      id: i.guid?.value, url: i.link, title: i.title, html: i.description ?? i.content?.encoded, body: i.content?.encoded, date: i.pubDate ?? i.dc?.dates?.[0],
      inReplyTo: i.thr?.inReplyTos?.[0]?.href ?? i.thr?.inReplyTos?.[0]?.ref,
    })),
  }
}

/**
 * JSON Feed has no field for the post an item answers; Signet's feeds write the signed envelope's
 * `in_reply_to` (`{ url, … }`, spec §4.5) on the item, and a plain URL there is read the same way.
 * The feed parser drops members it does not know, so they are read from the JSON by position.
 */
function jsonInReplyTo(text: string, count: number): (string | undefined)[] {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return []
  }
  const items = (raw as { items?: unknown }).items
  if (!Array.isArray(items) || items.length !== count) return []
  return items.map((i: unknown) => {
    const value = (i as { in_reply_to?: unknown } | null)?.in_reply_to
    const url = typeof value === 'string' ? value : (value as { url?: unknown } | null | undefined)?.url
    return typeof url === 'string' ? url : undefined
  })
}

function text3(title: string | undefined, siteUrl: string | undefined, description: string | undefined) {
  const out: { title?: string; siteUrl?: string; description?: string } = {}
  const t = title === undefined ? '' : plainText(title, 200)
  if (t) out.title = t
  if (siteUrl) out.siteUrl = siteUrl
  const d = description === undefined ? '' : plainText(description, 300)
  if (d) out.description = d
  return out
}

function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}
