import type { Shown } from './compare.js'
import { resolveUrl } from './compare.js'
import { checkItem } from './feed.js'
import { closingIndex, hasClass, tokenizeHtml } from './html.js'
import type { HtmlToken } from './html.js'
import { readSource } from './source.js'
import type { VerifyOptions, VerifyResult } from './types.js'

export interface PageResult extends VerifyResult {
  /** Where the page was read from, when known. */
  source?: string
}

/**
 * Verifies the post page given as HTML or as an http(s) URL to fetch: its `#signed-envelope`, then
 * what the page shows (spec §7.5): canonical link, and the h-entry's title, date and content.
 */
export async function verifyPage(urlOrHtml: string, options: VerifyOptions = {}): Promise<PageResult> {
  const source = await readSource(urlOrHtml, options)
  const page = readPage(source.text, source.url)
  const { result: checked, value } = await checkItem(page, 'The page', source.url === undefined ? options : { ...options, sourceUrl: source.url })
  const final = source.url === undefined ? checked : { ...checked, source: source.url }
  if (value) options.onEnvelope?.(value, final)
  return final
}

export interface PageItem {
  envelopes: unknown[]
  shown: Shown
  /** A problem with the envelope element itself, which makes the page malformed. */
  problem?: string
}

/** Attributes that hide or restyle what is inside the element that carries them. */
const HIDING = ['hidden', 'style']

/** The envelope text(s) and visible fields of a post page. */
export function readPage(html: string, pageUrl?: string): PageItem {
  const tokens = tokenizeHtml(html)
  const envelopes: unknown[] = []
  const shown: Shown = { strict: true, urls: [], dateForm: 'rfc3339', problems: [] }
  let problem: string | undefined
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.type !== 'start') continue
    if (t.attrs.id === 'signed-envelope') {
      const text = tokens[i + 1]
      envelopes.push(text?.type === 'text' ? text.text : '')
      // Found by id, but only a JSON script element holds text that no HTML parser decodes.
      if (t.name !== 'script' || (t.attrs.type ?? '').trim().toLowerCase() !== 'application/json') {
        problem = `The element with id "signed-envelope" is <${t.name}${t.attrs.type === undefined ? '' : ` type="${t.attrs.type}"`}>; it must be <script type="application/json">.`
      }
    } else if (t.name === 'link' && (t.attrs.rel ?? '').toLowerCase().split(/\s+/).includes('canonical')) {
      const href = t.attrs.href ?? ''
      shown.urls!.push(pageUrl === undefined ? href : resolveUrl(href, pageUrl))
    } else if (t.name === 'link' && (t.attrs.rel ?? '').toLowerCase().split(/\s+/).includes('payment')) {
      // The page's funding links (spec §4.4) are compared with the signed ones.
      ;(shown.payments ??= []).push(pageUrl === undefined ? (t.attrs.href ?? '') : resolveUrl(t.attrs.href ?? '', pageUrl))
    }
  }
  readEntry(tokens, shown)
  return problem === undefined ? { envelopes, shown } : { envelopes, shown, problem }
}

// Microformats h-entry: exactly one, with p-name (when titled), dt-published and e-content. Classes
// inside the e-content belong to the signed content and are not read as the page's own.
function readEntry(tokens: HtmlToken[], shown: Shown): void {
  const problems = shown.problems!
  const entries = outside(tokens, 0, tokens.length, 'h-entry')
  if (entries.length === 0) return void problems.push('marks no h-entry, so its title, date and text cannot be compared with the signed ones.')
  if (entries.length > 1) problems.push(`has ${entries.length} h-entry elements; a post page has one.`)
  const entry = entries[0]!
  const entryEnd = closingIndex(tokens, entry)
  const contents = outside(tokens, entry, entryEnd, 'e-content')
  const content = contents[0]
  const inner = content === undefined ? undefined : [content, closingIndex(tokens, content)] as const
  const mine = (name: string) => outside(tokens, entry, entryEnd, name).filter((i) => !inner || i < inner[0] || i >= inner[1])
  shown.titles = mine('p-name').map((i) => textBetween(tokens, i))
  shown.dates = mine('dt-published').map((i) => {
    const t = tokens[i]!
    return t.type === 'start' ? t.attrs.datetime ?? '' : ''
  })
  if (contents.length > 1) problems.push(`has ${contents.length} e-content elements; a post page has one.`)
  for (const at of [entry, ...(content === undefined ? [] : [content])]) {
    const t = tokens[at]!
    const attribute = t.type === 'start' ? HIDING.find((name) => name in t.attrs) : undefined
    if (attribute) problems.push(`hides or restyles its post (its ${hasClass(t, 'h-entry') ? 'h-entry' : 'e-content'} element has a ${attribute} attribute).`)
  }
  if (inner) shown.bodyTokens = tokens.slice(inner[0] + 1, inner[1] - 1)
}

/** Start tags with class `name` in [from, to), skipping those nested inside an earlier match. */
function outside(tokens: HtmlToken[], from: number, to: number, name: string): number[] {
  const found: number[] = []
  for (let i = from; i < to; i++) {
    if (!hasClass(tokens[i]!, name)) continue
    found.push(i)
    i = closingIndex(tokens, i) - 1
  }
  return found
}

function textBetween(tokens: HtmlToken[], start: number): string {
  return tokens.slice(start + 1, closingIndex(tokens, start) - 1).map((t) => (t.type === 'text' ? t.text : '')).join('')
}
