import { NAMESPACE_URI } from '@signet/sign'
import type { Shown } from './compare.js'
import type { FeedFormat, FeedItem } from './feed.js'
import { VerifyInputError } from './source.js'
import { childrenNamed, firstChild, parseXml, textOf, XmlError } from './xml.js'
import type { XmlElement } from './xml.js'
import { htmlText } from './compare.js'

const ATOM = 'http://www.w3.org/2005/Atom'
const CONTENT = 'http://purl.org/rss/1.0/modules/content/'
const PODCAST = 'https://podcastindex.org/namespace/1.0'

/** The `href` of every Atom `<link rel="payment">` child. */
function paymentLinks(element: XmlElement): string[] {
  return childrenNamed(element, ATOM, 'link').filter((l) => (l.attrs.rel ?? '').split(/\s+/).includes('payment')).map((l) => l.attrs.href ?? '')
}

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

function texts(element: XmlElement, ns: string, local: string): string[] {
  return childrenNamed(element, ns, local).map(textOf)
}

function rssItem(item: XmlElement): FeedItem {
  const shown: Shown = {
    titles: texts(item, '', 'title'),
    urls: texts(item, '', 'link'),
    ids: texts(item, '', 'guid'),
    dates: texts(item, '', 'pubDate'),
    dateForm: 'rfc822',
    contents: texts(item, CONTENT, 'encoded'),
    // RSS descriptions are HTML; a summary is compared by its text.
    summaries: texts(item, '', 'description').map(htmlText),
    payments: [...paymentLinks(item), ...childrenNamed(item, PODCAST, 'funding').map((f) => f.attrs.url ?? '')],
  }
  return { envelopes: envelopes(item), shown }
}

function atomEntry(entry: XmlElement): FeedItem {
  const problems: string[] = []
  const contents: string[] = []
  for (const content of childrenNamed(entry, ATOM, 'content')) {
    // Only escaped HTML is the signed content_html; text, xhtml, other types and src= would show other things.
    if (content.attrs.type === 'html' && content.attrs.src === undefined) contents.push(textOf(content))
    else problems.push(`has a <content${content.attrs.type === undefined ? '' : ` type="${content.attrs.type}"`}${content.attrs.src === undefined ? '' : ' src'}>; signed content is shown only as type="html".`)
  }
  const shown: Shown = {
    titles: childrenNamed(entry, ATOM, 'title').map(atomText),
    urls: childrenNamed(entry, ATOM, 'link').filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate').map((l) => l.attrs.href ?? ''),
    ids: texts(entry, ATOM, 'id'),
    dates: texts(entry, ATOM, 'published'),
    dateForm: 'rfc3339',
    contents,
    summaries: childrenNamed(entry, ATOM, 'summary').map(atomText),
    payments: paymentLinks(entry),
    problems,
  }
  return { envelopes: envelopes(entry), shown }
}

/** The text an Atom text construct shows (RFC 4287 §3.1): text as is, html and xhtml reduced to their text. */
function atomText(element: XmlElement): string {
  const type = element.attrs.type ?? 'text'
  return type === 'html' ? htmlText(textOf(element)) : textOf(element)
}
