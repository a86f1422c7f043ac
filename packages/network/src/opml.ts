import { generateOpml, parseOpml } from 'feedsmith'
import { normaliseIfUrl } from './identity.js'

/** One followed site as the follow list holds it. */
export interface FollowEntry {
  /** The feed (OPML xmlUrl). Absent for reader exports that only name the site. */
  url?: string
  /** The site (OPML htmlUrl). */
  siteUrl?: string
  title?: string
  description?: string
  /** The parent outlines' texts, outermost first. */
  category: string[]
}

export class OpmlError extends Error {}

type Outline = { text?: string; title?: string; type?: string; xmlUrl?: string; htmlUrl?: string; description?: string; outlines?: Outline[] }

/** Every feed of an OPML document (a follow list or any reader's export), nested categories flattened. */
export function readFollowList(text: string): FollowEntry[] {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new OpmlError('the OPML file declares a DOCTYPE or entities, which are refused')
  let opml
  try {
    opml = parseOpml(text)
  } catch (error) {
    throw new OpmlError(`not a readable OPML file (${(error as Error).message})`)
  }
  const out: FollowEntry[] = []
  const visit = (outlines: Outline[] | undefined, category: string[]) => {
    for (const o of outlines ?? []) {
      const url = o.xmlUrl?.trim()
      const siteUrl = o.htmlUrl?.trim()
      if (url || (siteUrl && !o.outlines?.length)) {
        const entry: FollowEntry = { category }
        if (url) entry.url = url
        if (siteUrl) entry.siteUrl = siteUrl
        const title = (o.title ?? o.text)?.trim()
        if (title) entry.title = title
        if (o.description?.trim()) entry.description = o.description.trim()
        out.push(entry)
      }
      if (o.outlines?.length) visit(o.outlines, [...category, (o.text ?? o.title ?? '').trim()].filter(Boolean))
    }
  }
  visit(opml.body?.outlines as Outline[] | undefined, [])
  return out
}

/** A new, empty follow list. */
export function emptyFollowList(title: string): string {
  // feedsmith writes no OPML without outlines, so an empty list is this fixed text.
  return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n    <title>${esc(title)}</title>\n  </head>\n  <body>\n  </body>\n</opml>\n`
}

/** A public copy of the follow list (a blogroll): the same feeds, written fresh, without comments. */
export function blogrollOpml(title: string, entries: readonly FollowEntry[], ownerUrl?: string): string {
  const outline = (e: FollowEntry & { url: string }) => ({
    type: 'rss', text: e.title ?? e.siteUrl ?? e.url, xmlUrl: e.url,
    ...(e.title ? { title: e.title } : {}), ...(e.siteUrl ? { htmlUrl: e.siteUrl } : {}), ...(e.description ? { description: e.description } : {}),
  })
  const feeds = entries.filter((e): e is FollowEntry & { url: string } => e.url !== undefined)
  if (feeds.length === 0) return emptyFollowList(title)
  return generateOpml({ head: { title, ...(ownerUrl ? { ownerId: ownerUrl } : {}) }, body: { outlines: feeds.map(outline) } })
}

/** True when the two feed URLs are the same feed (scheme, `www.` and trailing slash aside). */
export function sameFeed(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normaliseIfUrl(a) === normaliseIfUrl(b)
}

/**
 * Adds one `<outline type="rss">` line to the follow list as a text edit, so the rest of the file
 * (comments, order, hand-written attributes) stays byte for byte. With a category, the line goes at
 * the end of the top-level outline of that text, made if missing.
 */
export function addOutline(text: string, entry: FollowEntry & { url: string }, category?: string): string {
  const close = text.lastIndexOf('</body>')
  if (close < 0) throw new OpmlError('the OPML file has no <body>')
  const line = (indent: string) => `${indent}<outline type="rss" text="${esc(entry.title ?? entry.siteUrl ?? entry.url)}"${entry.title ? ` title="${esc(entry.title)}"` : ''} xmlUrl="${esc(entry.url)}"${entry.siteUrl ? ` htmlUrl="${esc(entry.siteUrl)}"` : ''}${entry.description ? ` description="${esc(entry.description)}"` : ''}/>\n`
  const bodyIndent = indentBefore(text, close)
  const childIndent = bodyIndent + '  '
  if (category) {
    const block = findCategory(text, category)
    if (block) return text.slice(0, lineStart(text, block.closeAt)) + line(indentBefore(text, block.closeAt) + '  ') + text.slice(lineStart(text, block.closeAt))
    const open = `${childIndent}<outline text="${esc(category)}">\n${line(childIndent + '  ')}${childIndent}</outline>\n`
    return text.slice(0, lineStart(text, close)) + open + text.slice(lineStart(text, close))
  }
  const at = lineStart(text, close)
  if (at === close - bodyIndent.length) return text.slice(0, at) + line(childIndent) + text.slice(at)
  // `</body>` shares its line with something else: put the new line just before it.
  return text.slice(0, close) + '\n' + line(childIndent) + text.slice(close)
}

/**
 * Removes the self-closing outline(s) whose xmlUrl (or, failing that, htmlUrl) is `url`, with their
 * line when they stand alone on it. Returns the new text and how many were removed.
 */
export function removeOutline(text: string, url: string): { text: string; removed: number } {
  let removed = 0
  let out = text
  const tags = tagsOf(text).filter((tag) => /^<outline\b/.test(tag[0]) && tag[0].endsWith('/>')).reverse()
  for (const tag of tags) {
    const attrs = attributes(tag[0])
    if (!sameFeed(attrs.xmlUrl, url) && !(attrs.xmlUrl === undefined && sameFeed(attrs.htmlUrl, url))) continue
    let start = tag.index
    let end = start + tag[0].length
    const from = lineStart(out, start)
    const to = out.indexOf('\n', end)
    if (/^\s*$/.test(out.slice(from, start)) && /^\s*$/.test(out.slice(end, to < 0 ? out.length : to))) {
      start = from
      end = to < 0 ? out.length : to + 1
    }
    out = out.slice(0, start) + out.slice(end)
    removed++
  }
  return { text: out, removed }
}

function findCategory(text: string, name: string): { closeAt: number } | undefined {
  let depth = 0
  let target = -1
  for (const token of tagsOf(text)) {
    const t = token[0]
    if (t === '</body>') break
    if (/^<\/outline\s*>$/.test(t)) {
      depth--
      if (depth === target) return { closeAt: token.index }
      continue
    }
    if (!/^<outline\b/.test(t) || t.endsWith('/>')) continue
    if (depth === 0 && target < 0 && attributes(t).text === name && attributes(t).xmlUrl === undefined) target = 0
    depth++
  }
  return undefined
}

/**
 * Every tag of `text` (`<` to the next `>`) with where it starts, found with indexOf: patterns for
 * one kind of tag were tried from every `<` of a file of unclosed tags, in quadratic time.
 */
function tagsOf(text: string): { 0: string; index: number }[] {
  const out: { 0: string; index: number }[] = []
  for (let at = text.indexOf('<'); at !== -1;) {
    const end = text.indexOf('>', at + 1)
    if (end === -1) break
    out.push({ 0: text.slice(at, end + 1), index: at })
    at = text.indexOf('<', end + 1)
  }
  return out
}

const NAME = /[\w:-]+/y
const VALUE = /\s*=\s*(?:"([^"]*)"|'([^']*)')/y

/** A tag's quoted attributes, each name read once (a pattern retried inside every name was quadratic). */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (let at = 0; at < tag.length;) {
    NAME.lastIndex = at
    const name = NAME.exec(tag)
    if (!name) {
      at += 1
      continue
    }
    VALUE.lastIndex = NAME.lastIndex
    const value = VALUE.exec(tag)
    if (value) {
      out[name[0]] = unesc(value[1] ?? value[2] ?? '')
      at = VALUE.lastIndex
    } else {
      at = NAME.lastIndex
    }
  }
  return out
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1
}

function indentBefore(text: string, at: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, at), at))?.[0] ?? ''
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function unesc(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (all, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec))
    if (hex) return String.fromCodePoint(parseInt(hex, 16))
    return ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name.toLowerCase()] ?? all
  })
}
