import type { ContentView, Shown } from './compare.js'
import { contentView, resolveUrl } from './compare.js'
import { verifyItem } from './feed.js'
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
 * what the page shows (canonical link and, when it marks them as an h-entry, title, date and text).
 */
export async function verifyPage(urlOrHtml: string, options: VerifyOptions = {}): Promise<PageResult> {
  const source = await readSource(urlOrHtml, options)
  const page = readPage(source.text, source.url)
  const checked = await verifyItem(page, 'The page', source.url === undefined ? options : { ...options, sourceUrl: source.url })
  return source.url === undefined ? checked : { ...checked, source: source.url }
}

export interface PageItem {
  envelopes: unknown[]
  shown: Shown
}

/** The envelope text(s) and visible fields of a post page. */
export function readPage(html: string, pageUrl?: string): PageItem {
  const tokens = tokenizeHtml(html)
  const envelopes: unknown[] = []
  const shown: Shown = {}
  let canonical: string | undefined
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.type !== 'start') continue
    if (t.name === 'script' && t.attrs.id === 'signed-envelope') {
      const text = tokens[i + 1]
      envelopes.push(text?.type === 'text' ? text.text : '')
    } else if (t.name === 'link' && canonical === undefined && (t.attrs.rel ?? '').toLowerCase().split(/\s+/).includes('canonical') && t.attrs.href) {
      canonical = pageUrl === undefined ? t.attrs.href : resolveUrl(t.attrs.href, pageUrl)
    }
  }
  if (canonical !== undefined) shown.url = canonical
  const entry = tokens.findIndex((t) => hasClass(t, 'h-entry'))
  if (entry !== -1) Object.assign(shown, readEntry(tokens.slice(entry, closingIndex(tokens, entry)), canonical ?? pageUrl))
  return { envelopes, shown }
}

// Microformats h-entry: p-name, dt-published, e-content. The content's relative links are resolved
// against the canonical URL (the address the envelope signs), not where the copy was found.
function readEntry(tokens: HtmlToken[], base: string | undefined): Shown {
  const shown: Shown = {}
  const find = (name: string) => tokens.findIndex((t) => hasClass(t, name))
  const name = find('p-name')
  if (name !== -1) shown.title = textBetween(tokens, name)
  const published = tokens[find('dt-published')]
  if (published?.type === 'start') shown.date = published.attrs.datetime ?? textBetween(tokens, find('dt-published'))
  const content = find('e-content')
  if (content !== -1 && base !== undefined) shown.content = viewBetween(tokens, content, base)
  return shown
}

function textBetween(tokens: HtmlToken[], start: number): string {
  return tokens.slice(start + 1, closingIndex(tokens, start) - 1).map((t) => (t.type === 'text' ? t.text : '')).join('')
}

function viewBetween(tokens: HtmlToken[], start: number, base: string): ContentView {
  const inner = tokens.slice(start + 1, closingIndex(tokens, start) - 1)
  return contentView(inner, base)
}
