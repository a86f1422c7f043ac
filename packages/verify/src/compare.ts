import { tokenizeHtml } from './html.js'
import type { HtmlToken } from './html.js'

/** Post content reduced to what survives any faithful rendering: its words and its links. */
export interface ContentView {
  text: string
  links: string[]
}

/** What a feed item or page shows, read from the format's own fields (spec §7.4). */
export interface Shown {
  url?: string
  id?: string
  title?: string
  /** A date as the format writes it (RFC 822 in RSS, RFC 3339 elsewhere). */
  date?: string
  /** Exact HTML (feeds) or a content view (pages, whose links are relative). */
  content?: string | ContentView
}

export interface SignedFields {
  id: string
  url: string
  title?: string
  content_html: string
  date_published: string
}

const LINK_ATTRIBUTES = ['href', 'src', 'action', 'poster', 'cite']

/** The words (whitespace collapsed) and resolved links of an HTML fragment. */
export function contentView(html: string | HtmlToken[], base: string): ContentView {
  const text: string[] = []
  const links: string[] = []
  for (const token of typeof html === 'string' ? tokenizeHtml(html) : html) {
    if (token.type === 'text') text.push(token.text)
    else if (token.type === 'start') {
      // Tag boundaries count as spaces so both sides agree however the markup is laid out.
      text.push(' ')
      for (const name of LINK_ATTRIBUTES) {
        const value = token.attrs[name]
        if (value !== undefined) links.push(resolveUrl(value, base))
      }
    } else text.push(' ')
  }
  return { text: squash(text.join('')), links }
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

/**
 * One sentence per visible field that differs from the envelope; [] when all agree.
 * `expected` is the envelope content's view when the caller computed it another way (the badge uses the DOM).
 */
export function compareShown(where: string, shown: Shown, signed: SignedFields, expected?: ContentView): string[] {
  const out: string[] = []
  const quote = (s: string) => JSON.stringify(s.length > 80 ? s.slice(0, 77) + '…' : s)
  if (shown.url !== undefined && !sameUrl(shown.url, signed.url)) {
    out.push(`${where} shows a different link than the one signed (shown ${quote(shown.url)}, signed ${quote(signed.url)}).`)
  }
  if (shown.id !== undefined && shown.id.trim() !== signed.id) {
    out.push(`${where} shows a different id than the one signed (shown ${quote(shown.id)}, signed ${quote(signed.id)}).`)
  }
  if (shown.title !== undefined && squash(shown.title) !== squash(signed.title ?? '')) {
    out.push(`${where} shows a different title than the one signed (shown ${quote(shown.title)}, signed ${quote(signed.title ?? '')}).`)
  }
  if (shown.date !== undefined) {
    const time = Date.parse(shown.date.trim())
    if (Number.isNaN(time)) out.push(`${where} shows a date that cannot be read (${quote(shown.date)}).`)
    else if (Math.floor(time / 1000) !== Date.parse(signed.date_published) / 1000) {
      out.push(`${where} shows a different date than the one signed (shown ${quote(shown.date.trim())}, signed ${quote(signed.date_published)}).`)
    }
  }
  if (typeof shown.content === 'string') {
    if (normalize(shown.content) !== signed.content_html) out.push(`${where} shows a different text than the one signed${firstDifference(normalize(shown.content), signed.content_html)}.`)
  } else if (shown.content !== undefined) {
    const want = expected ?? contentView(signed.content_html, signed.url)
    if (shown.content.text !== want.text) out.push(`${where} shows a different text than the one signed${firstDifference(shown.content.text, want.text)}.`)
    else if (shown.content.links.join('\n') !== want.links.join('\n')) {
      const at = shown.content.links.findIndex((l, i) => l !== want.links[i])
      const link = shown.content.links[at === -1 ? shown.content.links.length : at]
      out.push(`${where} shows different links in the text than the ones signed (shown ${quote(link ?? '(none)')}, signed ${quote(want.links[at === -1 ? shown.content.links.length : at] ?? '(none)')}).`)
    }
  }
  return out
}

function firstDifference(shown: string, signed: string): string {
  let i = 0
  while (i < shown.length && shown[i] === signed[i]) i++
  const from = Math.max(0, i - 20)
  return ` (from character ${i + 1}: shown ${JSON.stringify(shown.slice(from, i + 30))}, signed ${JSON.stringify(signed.slice(from, i + 30))})`
}
