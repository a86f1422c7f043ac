import { NAMESPACE_URI } from '@signet/sign'
import type { Shown } from './compare.js'
import type { FeedFormat, FeedItem } from './feed.js'
import { VerifyInputError } from './source.js'
import { childrenNamed, firstChild, parseXml, textOf, XmlError } from './xml.js'
import type { XmlElement } from './xml.js'
import { decodeEntities, tokenizeHtml } from './html.js'

const ATOM = 'http://www.w3.org/2005/Atom'
const CONTENT = 'http://purl.org/rss/1.0/modules/content/'

/** Items of an RSS 2.0 or Atom 1.0 feed; the envelope element is matched by namespace URI. */
export function readXmlFeed(text: string): { format: FeedFormat; items: FeedItem[] } {
  let root: XmlElement
  try {
    root = parseXml(text)
  } catch (error) {
    if (error instanceof XmlError) throw new VerifyInputError(`the feed is not well-formed XML (${error.message})`)
    throw error
  }
  if (root.ns === '' && root.local === 'rss') {
    const channel = firstChild(root, '', 'channel')
    if (!channel) throw new VerifyInputError('the RSS feed has no <channel>')
    return { format: 'rss', items: childrenNamed(channel, '', 'item').map(rssItem) }
  }
  if (root.ns === ATOM && root.local === 'feed') return { format: 'atom', items: childrenNamed(root, ATOM, 'entry').map(atomEntry) }
  throw new VerifyInputError(`this XML is neither RSS 2.0 nor Atom 1.0 (its root element is <${root.local}>${root.ns ? ` in ${root.ns}` : ''})`)
}

function envelopes(element: XmlElement): unknown[] {
  return childrenNamed(element, NAMESPACE_URI, 'envelope').map(textOf)
}

function set(shown: Shown, field: keyof Shown, element: XmlElement | undefined, value = element && textOf(element)): void {
  if (value !== undefined) shown[field] = value
}

function rssItem(item: XmlElement): FeedItem {
  const shown: Shown = {}
  set(shown, 'title', firstChild(item, '', 'title'))
  set(shown, 'url', firstChild(item, '', 'link'))
  set(shown, 'id', firstChild(item, '', 'guid'))
  set(shown, 'date', firstChild(item, '', 'pubDate'))
  set(shown, 'content', firstChild(item, CONTENT, 'encoded') ?? firstChild(item, '', 'description'))
  return { envelopes: envelopes(item), shown }
}

function atomEntry(entry: XmlElement): FeedItem {
  const shown: Shown = {}
  const title = firstChild(entry, ATOM, 'title')
  if (title) shown.title = title.attrs.type === 'html' ? htmlText(textOf(title)) : textOf(title)
  const links = childrenNamed(entry, ATOM, 'link')
  const alternate = links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate')
  set(shown, 'url', undefined, alternate?.attrs.href)
  set(shown, 'id', firstChild(entry, ATOM, 'id'))
  set(shown, 'date', firstChild(entry, ATOM, 'published'))
  const content = firstChild(entry, ATOM, 'content')
  // Only escaped HTML content is comparable with content_html; xhtml and text are other renderings.
  if (content && content.attrs.type === 'html') shown.content = textOf(content)
  return { envelopes: envelopes(entry), shown }
}

function htmlText(html: string): string {
  return tokenizeHtml(html).map((t) => (t.type === 'text' ? t.text : '')).join('') || decodeEntities(html)
}
