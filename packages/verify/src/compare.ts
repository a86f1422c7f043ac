import { tokenizeHtml } from './html.js'
import type { HtmlToken } from './html.js'
import { bodyParts } from './page-body.js'

// Spec §7.4–§7.6: how what a feed item or page shows is compared with the envelope it carries.

/** What a feed item or page shows, read from the format's own fields. Each list holds every occurrence. */
export interface Shown {
  urls?: string[]
  ids?: string[]
  /** Titles as text (an Atom `type="html"` title already reduced to its text). */
  titles?: string[]
  /** Dates as the format writes them. */
  dates?: string[]
  /** RSS writes RFC 822 dates; every other format RFC 3339. */
  dateForm?: 'rfc822' | 'rfc3339'
  /** Full content as exact HTML (feeds). */
  contents?: string[]
  /** Summaries and excerpts as plain text (RSS description, Atom summary, JSON Feed summary and content_text). */
  summaries?: string[]
  /** A page's `.e-content` inside, as tokens (normalised against the envelope's url when compared). */
  bodyTokens?: HtmlToken[]
  /** Or already normalised (page-body.ts), as the badge does with the browser's parser. */
  body?: string[]
  /** The post's funding links' URLs, every one the format shows (spec §4.4). */
  payments?: string[]
  /** A page: what the envelope has, the page must show (a missing element is a difference, not a pass). */
  strict?: boolean
  /** What reading the item found wrong on its own: a required element missing, doubled or hiding text. */
  problems?: string[]
}

export interface SignedFields {
  id: string
  url: string
  title?: string
  summary?: string
  content_html: string
  date_published: string
  _funding?: { links?: { url?: unknown }[] }
}

export function squash(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim()
}

export function resolveUrl(value: string, base: string): string {
  try {
    return new URL(value.trim(), base).href
  } catch {
    return value.trim()
  }
}

function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC')
}

function sameUrl(a: string, b: string): boolean {
  return resolveUrl(a, 'https://invalid.invalid/') === resolveUrl(b, 'https://invalid.invalid/')
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const RFC822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(GMT|UT|Z|[+-]\d{4})$/
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/**
 * Milliseconds since the epoch of a date as the format writes it, or NaN. Parsed by hand: JavaScript's
 * Date.parse reads the years 0–99 of an RFC 822 date as 1900–1999 or 2000–2049.
 */
export function readDate(text: string, form: 'rfc822' | 'rfc3339'): number {
  const value = text.trim()
  let parts: number[]
  let zone: string
  if (form === 'rfc822') {
    const m = RFC822.exec(value)
    const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1
    if (!m || month === -1) return NaN
    parts = [Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0]
    zone = m[7]!
  } else {
    const m = RFC3339.exec(value)
    if (!m) return NaN
    const fraction = m[7] ? Number(m[7]) * 1000 : 0
    parts = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fraction]
    zone = m[8]!
  }
  const [year, month, day, hour, minute, second, ms] = parts as [number, number, number, number, number, number, number]
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN
  const date = new Date(0)
  date.setUTCFullYear(year, month, day)
  if (date.getUTCDate() !== day) return NaN
  date.setUTCHours(hour, minute, second, ms)
  const offset = /^[+-]/.test(zone) ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) : 0
  return date.getTime() - offset * 60_000
}

/**
 * One sentence per visible field that differs from the envelope; [] when all agree.
 * `expectedBody` is the envelope content normalised by the caller (the badge uses the browser's parser).
 */
export function compareShown(where: string, shown: Shown, signed: SignedFields, expectedBody?: string[]): string[] {
  const out: string[] = [...(shown.problems ?? []).map((p) => `${where} ${p}`)]
  if (shown.strict) {
    const missing = [
      shown.urls?.length ? '' : 'a <link rel="canonical">',
      shown.titles?.length || signed.title === undefined ? '' : 'its title (class p-name)',
      shown.dates?.length ? '' : 'its date (class dt-published)',
      shown.body || shown.bodyTokens ? '' : 'its content (class e-content)',
    ].filter(Boolean)
    // Only when the page is an h-entry at all; a page without one has said so already.
    if (missing.length > 0 && out.length === 0) out.push(`${where} does not show ${missing.join(', ')}, so it cannot be compared with what was signed.`)
  }
  const quote = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 77) + '…' : s)
  const once = <T>(name: string, values: T[] | undefined): T | undefined => {
    if (values === undefined || values.length === 0) return undefined
    if (values.length > 1) out.push(`${where} shows ${values.length} ${name}s; one is allowed, so a reader may show one that was not signed.`)
    return values[0]
  }
  for (const url of shown.urls ?? []) {
    if (!sameUrl(url, signed.url)) out.push(`${where} shows a different link than the one signed (shown ${quote(url)}, signed ${quote(signed.url)}).`)
  }
  const id = once('id', shown.ids)
  if (id !== undefined && id.trim() !== signed.id) {
    out.push(`${where} shows a different id than the one signed (shown ${quote(id)}, signed ${quote(signed.id)}).`)
  }
  const title = once('title', shown.titles)
  if (title !== undefined && squash(title) !== squash(signed.title ?? '')) {
    out.push(signed.title === undefined
      ? `${where} shows a title (${quote(title)}), but the post was signed without one.`
      : `${where} shows a different title than the one signed (shown ${quote(title)}, signed ${quote(signed.title)}).`)
  }
  const date = once('date', shown.dates)
  if (date !== undefined) {
    const time = readDate(date, shown.dateForm ?? 'rfc3339')
    if (Number.isNaN(time)) out.push(`${where} shows a date that cannot be read as ${shown.dateForm === 'rfc822' ? 'RFC 822' : 'RFC 3339'} (${quote(date)}).`)
    else if (time !== Date.parse(signed.date_published)) {
      out.push(`${where} shows a different date than the one signed (shown ${quote(date.trim())}, signed ${quote(signed.date_published)}).`)
    }
  }
  const content = once('content', shown.contents)
  if (content !== undefined && normalize(content) !== signed.content_html) {
    out.push(`${where} shows a different text than the one signed${firstDifference(normalize(content), signed.content_html)}.`)
  }
  for (const summary of shown.summaries ?? []) {
    const problem = summaryProblem(summary, signed)
    if (problem) out.push(`${where} ${problem}`)
  }
  if (shown.payments !== undefined && shown.payments.length > 0) {
    const problem = fundingProblem(shown.payments, signed)
    if (problem) out.push(`${where} ${problem}`)
  }
  const body = shown.body ?? (shown.bodyTokens && bodyParts(shown.bodyTokens, signed.url))
  if (body !== undefined) {
    const want = expectedBody ?? bodyParts(tokenizeHtml(signed.content_html), signed.url)
    const at = body.findIndex((token, i) => token !== want[i])
    if (at !== -1 || body.length !== want.length) {
      const i = at === -1 ? body.length : at
      out.push(`${where} shows a different text than the one signed (at its part ${i + 1}: shown ${quote(body[i] ?? '(nothing)')}, signed ${quote(want[i] ?? '(nothing)')}).`)
    }
  }
  return out
}

/**
 * The funding links a format shows must be the signed ones (spec §4.4): a swapped payment link sends a
 * reader's money elsewhere though the post itself is unchanged.
 */
function fundingProblem(payments: string[], signed: SignedFields): string | undefined {
  const links = Array.isArray(signed._funding?.links) ? signed._funding.links : []
  const want = new Set(links.map((link) => (typeof link?.url === 'string' ? resolveUrl(link.url, 'https://invalid.invalid/') : '')))
  const shown = new Set(payments.map((url) => resolveUrl(url, 'https://invalid.invalid/')))
  const other = [...shown].filter((url) => !want.has(url))
  const missing = [...want].filter((url) => !shown.has(url))
  if (other.length === 0 && missing.length === 0) return undefined
  return other.length > 0
    ? `shows funding links that were not signed (${other.map((url) => JSON.stringify(url)).join(', ')}; signed ${[...want].map((url) => JSON.stringify(url)).join(', ') || 'none'}).`
    : `shows funding links without the signed ${missing.map((url) => JSON.stringify(url)).join(', ')}.`
}

/**
 * A summary shows the envelope's `summary` when it has one; otherwise it is an excerpt: the text of
 * content_html cut short, perhaps ending in "…". Anything else is text a reader would see unsigned.
 */
function summaryProblem(summary: string, signed: SignedFields): string | undefined {
  const shown = squash(summary)
  if (shown === '') return undefined
  if (signed.summary !== undefined) {
    return shown === squash(signed.summary) ? undefined : `shows a different summary than the one signed (shown ${JSON.stringify(shown.slice(0, 80))}, signed ${JSON.stringify(squash(signed.summary).slice(0, 80))}).`
  }
  // Not /\s*…$/, which is tried from every space of a long one: quadratic on remote text.
  const excerpt = shown.endsWith('…') ? shown.slice(0, -1).trimEnd() : shown
  const text = squash(htmlText(signed.content_html))
  return text.startsWith(excerpt) ? undefined : `shows a summary that is not the start of the signed text${firstDifference(excerpt, text)}.`
}

// Phrasing elements whose tags are dropped without a space (spec §7.4): `<em>two</em>.` reads `two.`.
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var'])

/** The text of HTML as the spec defines it for summaries: every other tag a space, character references decoded. */
export function htmlText(html: string): string {
  return tokenizeHtml(html).map((t) => (t.type === 'text' ? t.text : INLINE.has(t.name) ? '' : ' ')).join('')
}

function firstDifference(shown: string, signed: string): string {
  let i = 0
  while (i < shown.length && shown[i] === signed[i]) i++
  const from = Math.max(0, i - 20)
  return ` (from character ${i + 1}: shown ${JSON.stringify(shown.slice(from, i + 30))}, signed ${JSON.stringify(signed.slice(from, i + 30))})`
}
