import { Parser } from 'htmlparser2'
import type { HttpClient } from './http.js'
import { FeedError, parseFeedText, type FeedFormat, type ParsedFeed } from './parse.js'

/** What `signet follow <url>` found for a site. */
export interface Discovery {
  /** The chosen feed: JSON Feed over Atom over RSS. */
  feedUrl: string
  format: FeedFormat
  siteUrl: string
  title?: string
  description?: string
  /** Every feed found, in the order of preference. */
  feeds: { url: string; format: FeedFormat; title?: string }[]
  /** Whether the site publishes /.well-known/did.json (so its posts can be signed). */
  didJson: boolean
}

export class DiscoveryError extends Error {}

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json', 'application/rdf+xml', 'text/xml', 'application/xml'])
const FALLBACKS = ['/feed.xml', '/atom.xml', '/feed.json', '/index.xml']
const RANK: Record<FeedFormat, number> = { json: 0, atom: 1, rss: 2, rdf: 3 }

/**
 * Finds a site's feeds: the URL itself when it is a feed; else `<link rel="alternate">` of a feed type
 * in the page (rel as a token list, relative hrefs, `<base>`) and in the HTTP `Link` header; else the
 * usual paths. Each candidate is fetched and parsed, so only real feeds are offered.
 */
export async function discoverFeeds(url: string, http: HttpClient): Promise<Discovery> {
  const page = await http.get(url, { accept: 'text/html, application/feed+json, application/atom+xml, application/rss+xml, */*;q=0.5' })
  if (!page.ok || page.status !== 200) throw new DiscoveryError(page.ok ? `${url} answered 304 to an unconditional request` : page.reason)
  const own = tryParse(page.text, page.url)
  // A feed followed by its own URL names its site; when it does not, its origin is the site.
  let siteUrl = own ? own.siteUrl ?? new URL('/', page.url).href : page.url
  let pageTitle: string | undefined
  const found = new Map<string, { url: string; format: FeedFormat; title?: string; parsed: ParsedFeed }>()
  if (own) found.set(page.url, { url: page.url, format: own.format, ...(own.title ? { title: own.title } : {}), parsed: own })
  else {
    const links = [...linkHeader(page.headers.link, page.url), ...htmlLinks(page.text, page.url)]
    pageTitle = links.find((l) => l.title !== undefined && l.kind === 'title')?.title
    const candidates = links.filter((l) => l.kind === 'feed').map((l) => l.href)
    const tries = candidates.length > 0 ? candidates : FALLBACKS.map((p) => new URL(p, page.url).href)
    const fetched = await Promise.all([...new Set(tries)].map(async (href) => {
      const r = await http.get(href, { accept: 'application/feed+json, application/atom+xml, application/rss+xml, */*;q=0.5' })
      return r.ok && r.status === 200 ? { href: r.url, parsed: tryParse(r.text, r.url) } : undefined
    }))
    for (const f of fetched) if (f?.parsed && !found.has(f.href)) found.set(f.href, { url: f.href, format: f.parsed.format, ...(f.parsed.title ? { title: f.parsed.title } : {}), parsed: f.parsed })
    siteUrl = page.url
  }
  const feeds = [...found.values()].sort((a, b) => RANK[a.format] - RANK[b.format])
  const best = feeds[0]
  if (!best) throw new DiscoveryError(`no feed found at ${url}: no <link rel="alternate"> of a feed type, and none of ${FALLBACKS.join(', ')} is a feed`)
  const did = await http.get(new URL('/.well-known/did.json', siteUrl).href, { accept: 'application/did+json, application/json' })
  let didJson = false
  if (did.ok && did.status === 200) {
    try {
      didJson = typeof (JSON.parse(did.text) as { id?: unknown }).id === 'string'
    } catch {
      didJson = false
    }
  }
  const title = best.parsed.title ?? pageTitle
  return {
    feedUrl: best.url, format: best.format, siteUrl: best.parsed.siteUrl ?? siteUrl,
    ...(title ? { title } : {}), ...(best.parsed.description ? { description: best.parsed.description } : {}),
    feeds: feeds.map(({ url, format, title }) => ({ url, format, ...(title ? { title } : {}) })), didJson,
  }
}

function tryParse(text: string, base: string): ParsedFeed | undefined {
  try {
    return parseFeedText(text, base)
  } catch (error) {
    if (error instanceof FeedError) return undefined
    throw error
  }
}

type Found = { kind: 'feed'; href: string; title?: string } | { kind: 'title'; title: string; href?: undefined }

/** `<link rel="alternate" type="…" href="…">` of feed types in a page, and its `<title>`. */
export function htmlLinks(html: string, pageUrl: string): Found[] {
  const out: Found[] = []
  const raw: { href: string; title?: string }[] = []
  let base = pageUrl
  let inTitle = false
  let title = ''
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'base' && attrs.href) base = resolve(attrs.href, pageUrl) ?? base
      if (name === 'title') inTitle = true
      if (name !== 'link') return
      const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/)
      const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim()
      if (rel.includes('alternate') && FEED_TYPES.has(type) && attrs.href?.trim()) raw.push({ href: attrs.href.trim(), ...(attrs.title ? { title: attrs.title } : {}) })
    },
    ontext(text) {
      if (inTitle) title += text
    },
    onclosetag(name) {
      if (name === 'title') inTitle = false
    },
  }, { decodeEntities: true })
  parser.end(html.slice(0, 512 * 1024))
  for (const r of raw) {
    const href = resolve(r.href, base)
    if (href) out.push({ kind: 'feed', href, ...(r.title ? { title: r.title } : {}) })
  }
  if (title.trim()) out.push({ kind: 'title', title: title.replace(/\s+/g, ' ').trim() })
  return out
}

/** Feed links in an HTTP `Link` header: `</feed.atom>; rel="alternate"; type="application/atom+xml"`. */
export function linkHeader(value: string | undefined, pageUrl: string): Found[] {
  if (!value) return []
  const out: Found[] = []
  for (const link of linkValues(value)) {
    const rel = (link.params.rel ?? '').toLowerCase().split(/\s+/)
    const type = (link.params.type ?? '').toLowerCase()
    const href = resolve(link.target, pageUrl)
    if (href && rel.includes('alternate') && FEED_TYPES.has(type)) out.push({ kind: 'feed', href })
  }
  return out
}

function resolve(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/**
 * The links of a `Link` header (RFC 8288): each `<target>` and its `; name=value` parameters (names in
 * lower case, quoted values unquoted), read in one pass. A pattern for the whole header was tried
 * from every position of a header that never closes a `<`, in quadratic time.
 */
export function linkValues(value: string): { target: string; params: Record<string, string> }[] {
  const out: { target: string; params: Record<string, string> }[] = []
  let at = 0
  while (at < value.length) {
    const open = value.indexOf('<', at)
    if (open === -1) break
    const close = value.indexOf('>', open + 1)
    if (close === -1) break
    const link = { target: value.slice(open + 1, close), params: {} as Record<string, string> }
    out.push(link)
    at = close + 1
    // Parameters up to the comma that ends this link (commas inside quotes do not).
    while (at < value.length && value[at] !== ',') {
      if (value[at] !== ';') {
        at += 1
        continue
      }
      const eq = value.indexOf('=', at + 1)
      const stop = nextOf(value, at + 1, ';,')
      if (eq === -1 || eq > stop) {
        at = stop
        continue
      }
      const name = value.slice(at + 1, eq).trim().toLowerCase()
      let start = eq + 1
      while (value[start] === ' ' || value[start] === '\t') start += 1
      let text: string
      if (value[start] === '"') {
        const quote = value.indexOf('"', start + 1)
        const end = quote === -1 ? value.length : quote
        text = value.slice(start + 1, end)
        at = quote === -1 ? value.length : quote + 1
      } else {
        const end = nextOf(value, start, ';,')
        text = value.slice(start, end)
        at = end
      }
      if (/^[\w*-]+$/.test(name) && !(name in link.params)) link.params[name] = text.trim()
    }
    at += 1
  }
  return out
}

/** The index of the first of `chars` in `value` from `from`, or its length. */
function nextOf(value: string, from: number, chars: string): number {
  for (let i = from; i < value.length; i++) if (chars.includes(value[i]!)) return i
  return value.length
}
