// did:web ↔ URL mapping (W3C CCG did:web method): the host, a port as %3A, then the
// site's path segments joined by ':'. Resolution always uses https.

/** did:web for a site URL: https://example.com:8443/blog/ → did:web:example.com%3A8443:blog */
export function didWebFromUrl(siteUrl: string): string {
  const url = parseSiteUrl(siteUrl)
  const host = url.host.replace(':', '%3A')
  return ['did:web', host, ...pathSegments(url)].join(':')
}

/** Where the DID document of a did:web is fetched from. A `#fragment` is ignored. */
export function didDocumentUrl(did: string): string {
  const { host, segments } = parseDidWeb(did)
  const path = segments.length === 0 ? '/.well-known' : '/' + segments.join('/')
  return `https://${host}${path}/did.json`
}

/** Path of did.json relative to the site's own root folder (what becomes the site URL). */
export function didDocumentPath(siteUrl: string): string {
  return pathSegments(parseSiteUrl(siteUrl)).length === 0 ? '.well-known/did.json' : 'did.json'
}

/** Host (with port, if any) named by a did:web: did:web:example.com%3A8443:blog → example.com:8443 */
export function hostOfDid(did: string): string {
  return parseDidWeb(did).host
}

/**
 * True iff `url` lies in the part of the web the DID speaks for: same host (and port)
 * and, for a DID with a path, under that path. Used for the domain rule.
 */
export function urlInDidScope(url: string, did: string): boolean {
  const { host, segments } = parseDidWeb(did)
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return false
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return false
  if (target.host !== host) return false
  if (segments.length === 0) return true
  return target.pathname.startsWith('/' + segments.join('/') + '/')
}

function parseSiteUrl(siteUrl: string): URL {
  let url: URL
  try {
    url = new URL(siteUrl)
  } catch {
    throw new TypeError(`site URL ${JSON.stringify(siteUrl)} is not an absolute URL (write it like https://example.com/)`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`site URL ${JSON.stringify(siteUrl)} must use https: (or http: for local testing)`)
  }
  if (url.username || url.password) throw new TypeError(`site URL ${JSON.stringify(siteUrl)} must not contain a user name or password`)
  if (url.search || url.hash) throw new TypeError(`site URL ${JSON.stringify(siteUrl)} must not have a query or fragment`)
  return url
}

function pathSegments(url: URL): string[] {
  let end = url.pathname.length
  while (url.pathname[end - 1] === '/') end -= 1
  const trimmed = url.pathname.slice(0, end).replace(/^\/+/, '')
  if (trimmed === '') return []
  const segments = trimmed.split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new TypeError(`site URL ${JSON.stringify(url.href)} has an empty or dot path segment`)
  }
  // A ':' inside a segment would read as a separator in the DID.
  return segments.map((s) => s.replaceAll(':', '%3A'))
}

function parseDidWeb(did: string): { host: string; segments: string[] } {
  if (typeof did !== 'string' || !did.startsWith('did:web:')) {
    throw new TypeError(`${JSON.stringify(did)} is not a did:web identifier (expected did:web:HOST)`)
  }
  const [hostPart = '', ...segments] = did.slice('did:web:'.length).split('#')[0]!.split(':')
  const host = hostPart.replace(/%3A/i, ':')
  let parsed: URL
  try {
    parsed = new URL(`https://${host}/`)
  } catch {
    throw new TypeError(`${JSON.stringify(did)}: ${JSON.stringify(host)} is not a valid host`)
  }
  // Reject anything the URL parser would rewrite (upper case, default port, stray characters).
  if (host === '' || parsed.host !== host || parsed.pathname !== '/') {
    throw new TypeError(`${JSON.stringify(did)}: the host must be written in canonical form (${JSON.stringify(parsed.host)})`)
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('/'))) {
    throw new TypeError(`${JSON.stringify(did)} has an empty or invalid path segment`)
  }
  return { host, segments }
}
