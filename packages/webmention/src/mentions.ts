import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Parser } from 'htmlparser2'
import { createHttpClient, plainText, userAgent, type HttpClient, type HttpOptions } from '@signet/network'
import { MENTIONS_FILE, readMentions, type Mention, type MentionsFile } from './read.js'

export { MENTIONS_FILE, readMentions } from './read.js'
export type { Mention, MentionsFile } from './read.js'

export interface ImportOptions extends Omit<HttpOptions, 'userAgent'> {
  root: string
  /** The receiver's JSON (`webmention.feed`). */
  feedUrl: string
  /** Added as `token=` to the feed URL; never printed. */
  token?: string
  siteUrl: string
  /** At most this many mentions are read (default 500, newest first as the receiver lists them). */
  max?: number
  now?: () => Date
  http?: HttpClient
}

export interface ImportSummary {
  listed: number
  verified: number
  /** Mentions not stored: the source is gone or no longer links the target, or the item is not one. */
  rejected: { source: string; target: string; reason: string }[]
  /** Kept from the last import: their source could not be read this time. */
  kept: number
}

const PROPERTIES = ['in-reply-to', 'like-of', 'repost-of', 'bookmark-of', 'mention-of']
const MAX_TEXT = 2000

/**
 * Reads the receiver's mentions and keeps those whose source, read again now, links the target on
 * this site. A source that answers 404 or 410, or no longer links, is dropped; one that cannot be read
 * this time keeps its last verified record. Throws only when the receiver's JSON cannot be read.
 */
export async function importMentions(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? (() => new Date())
  const http = options.http ?? createHttpClient({ ...options, userAgent: userAgent(options.siteUrl) })
  const redact = (text: string): string => (options.token ? text.split(options.token).join('…') : text)
  try {
    const feedUrl = new URL(options.feedUrl)
    if (options.token) feedUrl.searchParams.set('token', options.token)
    const answer = await http.get(feedUrl.href, { accept: 'application/json, application/jf2feed+json' })
    if (!answer.ok || answer.status !== 200) throw new Error(redact(answer.ok ? `${options.feedUrl} answered ${answer.status}` : answer.reason))
    let feed: unknown
    try {
      feed = JSON.parse(answer.text)
    } catch {
      throw new Error(`${options.feedUrl} is not JSON`)
    }
    const children = (feed as { children?: unknown }).children
    if (!Array.isArray(children)) throw new Error(`${options.feedUrl} is not a jf2 feed (no "children" list)`)
    const base = options.siteUrl.endsWith('/') ? options.siteUrl : `${options.siteUrl}/`
    const previous = new Map(readMentions(options.root).mentions.map((m) => [`${m.source} ${m.target}`, m]))
    const summary: ImportSummary = { listed: 0, verified: 0, rejected: [], kept: 0 }
    const candidates = new Map<string, Omit<Mention, 'verified'>>()
    for (const child of children.slice(0, options.max ?? 500)) {
      summary.listed += 1
      const m = candidate(child)
      if (typeof m === 'string') {
        summary.rejected.push({ source: sourceOf(child), target: '', reason: m })
        continue
      }
      if (!m.target.startsWith(base)) {
        summary.rejected.push({ source: m.source, target: m.target, reason: `its target is not on ${base}` })
        continue
      }
      candidates.set(`${m.source} ${m.target}`, m)
    }
    const mentions: Mention[] = []
    await Promise.all([...candidates.entries()].map(async ([key, m]) => {
      const check = await linksTo(m.source, m.target, http)
      if (check === true) {
        mentions.push({ ...m, verified: now().toISOString() })
        summary.verified += 1
      } else if (check.transient && previous.has(key)) {
        mentions.push(previous.get(key)!)
        summary.kept += 1
      } else {
        summary.rejected.push({ source: m.source, target: m.target, reason: check.reason })
      }
    }))
    mentions.sort((a, b) => a.target.localeCompare(b.target) || (a.published ?? '').localeCompare(b.published ?? '') || a.source.localeCompare(b.source))
    writeMentions(options.root, { version: 1, fetched: now().toISOString(), mentions })
    return summary
  } finally {
    if (!options.http) await http.close()
  }
}

function writeMentions(root: string, data: MentionsFile): void {
  const file = path.join(root, MENTIONS_FILE)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(`${file}.tmp`, `${JSON.stringify(data, null, 1)}\n`)
  renameSync(`${file}.tmp`, file)
}

/** A jf2 entry as a mention to check, or why it is not one. */
function candidate(child: unknown): Omit<Mention, 'verified'> | string {
  if (typeof child !== 'object' || child === null) return 'not an entry'
  const c = child as Record<string, unknown>
  const source = webUrl(c['wm-source']) ?? webUrl(c.url)
  if (!source) return 'no http(s) source'
  const property = typeof c['wm-property'] === 'string' && PROPERTIES.includes(c['wm-property']) ? c['wm-property'] : 'mention-of'
  const target = webUrl(c['wm-target']) ?? webUrl(c[property])
  if (!target) return 'no http(s) target'
  const out: Omit<Mention, 'verified'> = { source, target, property }
  const author = c.author as Record<string, unknown> | undefined
  if (author && typeof author === 'object') {
    const name = typeof author.name === 'string' ? plainText(author.name).slice(0, 200) : undefined
    const url = webUrl(author.url)
    if (name || url) out.author = { ...(name ? { name } : {}), ...(url ? { url } : {}) }
  }
  if (typeof c.published === 'string' && !Number.isNaN(Date.parse(c.published))) out.published = new Date(c.published).toISOString()
  const content = c.content as Record<string, unknown> | undefined
  const raw = content && typeof content === 'object' ? (typeof content.text === 'string' ? content.text : typeof content.html === 'string' ? plainText(content.html) : undefined) : typeof c.summary === 'string' ? c.summary : undefined
  const text = raw?.replace(/\s+/g, ' ').trim()
  if (text) out.text = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text
  return out
}

function sourceOf(child: unknown): string {
  const c = (child ?? {}) as Record<string, unknown>
  return webUrl(c['wm-source']) ?? webUrl(c.url) ?? '(no source)'
}

function webUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether the source, read now, links the target (§3.2.2): in HTML, an `href` or `src` that is the
 * target once resolved (fragments aside); in any other text, the target's URL written out.
 */
async function linksTo(source: string, target: string, http: HttpClient): Promise<true | { reason: string; transient: boolean }> {
  const page = await http.get(source, { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5' })
  if (!page.ok) {
    const gone = page.status === 404 || page.status === 410
    return { reason: gone ? `${source} is gone (HTTP ${page.status})` : page.reason, transient: !gone && (page.status === undefined || page.status >= 500 || page.status === 429) }
  }
  if (page.status !== 200) return { reason: `${source} answered ${page.status}`, transient: true }
  const wanted = withoutFragment(target)
  const type = page.headers['content-type'] ?? ''
  if (!/html/i.test(type)) return page.text.includes(target) ? true : { reason: `${source} does not mention ${target}`, transient: false }
  let found = false
  const parser = new Parser({
    onopentag(_name, attrs) {
      if (found) return
      for (const value of [attrs.href, attrs.src]) {
        if (value === undefined) continue
        try {
          if (withoutFragment(new URL(value.trim(), page.url).href) === wanted) found = true
        } catch {
          // Not a URL.
        }
      }
    },
  }, { decodeEntities: true })
  parser.end(page.text)
  return found ? true : { reason: `${source} does not link ${target}`, transient: false }
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#')
  return hash === -1 ? url : url.slice(0, hash)
}
