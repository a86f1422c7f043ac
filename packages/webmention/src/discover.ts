import { Parser } from 'htmlparser2'
import { linkValues, type HttpClient } from '@signet/network'

/** Where a target takes Webmentions, or why none was found. */
export type Discovered =
  | { endpoint: string; target: string }
  | { endpoint?: undefined; target: string; reason: string; failed: boolean }

const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i
/** Enough of a page for its head and body's first links; an endpoint further down is not looked for. */
const MAX_HTML = 1024 * 1024

/**
 * Finds a target's Webmention endpoint as the W3C Recommendation (§3.1.2) says: the target is fetched
 * (redirects followed); the first `Link` header link with `rel` webmention wins, else the first
 * `<link>` or `<a>` element with `rel` webmention and an `href`, in document order, in an HTML body.
 * `rel` is a list of tokens (`rel="webmention me"`); the endpoint is resolved against the URL the
 * target was finally read from, its query string kept; an empty `href` is that URL itself.
 */
export async function discoverEndpoint(target: string, http: HttpClient): Promise<Discovered> {
  const page = await http.get(target, { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5' })
  if (!page.ok) return { target, reason: page.reason, failed: page.status === undefined || page.status >= 500 || page.status === 429 }
  if (page.status !== 200) return { target, reason: `${target} answered ${page.status} to an unconditional request`, failed: true }
  const fromHeader = headerEndpoint(page.headers.link, page.url)
  if (fromHeader) return { endpoint: fromHeader, target }
  const type = page.headers['content-type'] ?? ''
  if (HTML_TYPES.test(type)) {
    const fromHtml = htmlEndpoint(page.text, page.url)
    if (fromHtml) return { endpoint: fromHtml, target }
  }
  return { target, reason: `${target} advertises no Webmention endpoint`, failed: false }
}

/** The first link of a `Link` header whose `rel` holds the token `webmention`, resolved against `base`. */
export function headerEndpoint(value: string | undefined, base: string): string | undefined {
  if (!value) return undefined
  for (const link of linkValues(value)) {
    if (hasWebmentionRel(link.params.rel)) {
      const url = resolve(link.target, base)
      if (url) return url
    }
  }
  return undefined
}

/**
 * The first `<link>` or `<a>` in document order whose `rel` holds `webmention` and that has an `href`
 * (an empty one is the page itself). Parsed by htmlparser2, so comments, escaped markup and text are
 * never taken for elements.
 */
export function htmlEndpoint(html: string, base: string): string | undefined {
  let found: string | undefined
  const parser = new Parser({
    onopentag(name, attrs) {
      if (found !== undefined || (name !== 'link' && name !== 'a')) return
      if (attrs.href === undefined || !hasWebmentionRel(attrs.rel)) return
      const url = resolve(attrs.href, base)
      if (url) found = url
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true })
  parser.end(html.length > MAX_HTML ? html.slice(0, MAX_HTML) : html)
  return found
}

function hasWebmentionRel(rel: string | undefined): boolean {
  return rel !== undefined && rel.toLowerCase().split(/[\s]+/).includes('webmention')
}

/** An absolute http(s) URL, or undefined. The fragment goes; the query string stays. */
function resolve(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    url.hash = ''
    return url.href
  } catch {
    return undefined
  }
}
