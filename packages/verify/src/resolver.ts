import { didDocumentUrl, hostOfDid } from '@signet/sign'
import { refusedHost } from './address.js'
import { fetchLimited } from './fetch-limited.js'
import { parseSignedJson } from './json.js'
import { DID_CACHE_MS, MAX_DID_DOCUMENT_BYTES, MAX_REDIRECTS, MAX_VERIFICATION_METHODS } from './limits.js'

/** What resolving a did:web gave. `malformed` marks documents the spec calls malformed (§8.1, §8.2). */
export type DidResolution =
  | { ok: true; document: Record<string, unknown>; url: string; fetchedAt: number; source: string }
  | { ok: false; reason: string; malformed?: boolean }

export interface DidResolver {
  resolve(did: string): Promise<DidResolution>
}

export interface DidResolverOptions {
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
  /** Resolve over http: for localhost and loopback hosts (development only); also allows loopback addresses. */
  allowHttpLoopback?: boolean
  /** Fetch DID documents from private and link-local addresses too (refused by default, spec §3.2). */
  allowPrivateAddresses?: boolean
  /** DID → JSON text, used instead of the network (e.g. a local build's did.json); no fetch is made. */
  didDocuments?: Record<string, string>
  /** How results name a document from `didDocuments`. */
  didDocumentSource?: string
  /** Where a DID's document is fetched from, when not the did:web URL (e.g. a page's own link to it). */
  documentUrl?: (did: string) => string
  /** How long a resolved document is reused, in ms. Default five minutes. */
  cacheMs?: number
  /** Clock, for the cache. */
  now?: () => number
}

/**
 * A did:web resolver with a cache shared by every verification that uses it. Only successes are
 * kept, so a site that was briefly down is asked again next time.
 */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const cache = new Map<string, { at: number; result: Promise<DidResolution> }>()
  const now = options.now ?? Date.now
  const cacheMs = options.cacheMs ?? DID_CACHE_MS
  return {
    resolve(did) {
      const hit = cache.get(did)
      if (hit && now() - hit.at < cacheMs) return hit.result
      const result = resolveOnce(did, options)
      cache.set(did, { at: now(), result })
      void result.then((r) => { if (!r.ok) cache.delete(did) })
      return result
    },
  }
}

async function resolveOnce(did: string, options: DidResolverOptions): Promise<DidResolution> {
  // Given documents replace the network entirely, so a local check never reaches out.
  if (options.didDocuments) {
    const local = options.didDocuments[did]
    if (local === undefined) return { ok: false, reason: `no DID document was given for ${did} (only for ${Object.keys(options.didDocuments).join(', ') || 'none'})` }
    return parseDocument(did, local, `the DID document given for ${did}`, Date.now(), `the DID document given for ${did}`, options.didDocumentSource ?? `the DID document given for ${did}, not fetched from ${didDocumentUrl(did)}`)
  }
  let url: string
  try {
    url = options.documentUrl?.(did) ?? didDocumentUrl(did)
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
  url = httpForLoopback(url, did, options.allowHttpLoopback === true)
  const refused = refusedHost(new URL(url).host, options)
  if (refused) return { ok: false, reason: `the DID document was not fetched from ${url}: ${refused}` }
  const fetched = await fetchLimited(url, {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_DID_DOCUMENT_BYTES,
    maxRedirects: MAX_REDIRECTS,
    accept: 'application/did+json, application/json',
  })
  if (!fetched.ok) {
    return { ok: false, reason: `the DID document could not be read: ${fetched.reason}`, ...(fetched.tooLarge ? { malformed: true } : {}) }
  }
  return parseDocument(did, fetched.text, `the DID document at ${fetched.url}`, Date.now(), fetched.url, fetched.url)
}

function parseDocument(did: string, text: string, where: string, at: number, url: string, source: string): DidResolution {
  let value: unknown
  try {
    value = parseSignedJson(text, 'DID document', MAX_DID_DOCUMENT_BYTES)
  } catch (error) {
    const message = (error as Error).message
    // Repeated keys and size limits are malformed by the spec; other unreadable text is an unknown key.
    return { ok: false, reason: `${where}: ${message}`, ...(/duplicate key|limit is/.test(message) ? { malformed: true } : {}) }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `${where} is not a JSON object` }
  const document = value as Record<string, unknown>
  if (document.id !== did) return { ok: false, reason: `${where} has id ${JSON.stringify(document.id)}, not ${did}` }
  const methods = document.verificationMethod
  if (Array.isArray(methods) && methods.length > MAX_VERIFICATION_METHODS) {
    return { ok: false, malformed: true, reason: `${where} lists ${methods.length} verification methods; the limit is ${MAX_VERIFICATION_METHODS}` }
  }
  return { ok: true, document, url, fetchedAt: at, source }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/

function httpForLoopback(url: string, did: string, allowed: boolean): string {
  if (!allowed) return url
  let host: string
  try {
    host = hostOfDid(did)
  } catch {
    return url
  }
  const target = new URL(url)
  return LOOPBACK.test(host) && target.host === host && target.protocol === 'https:' ? 'http:' + url.slice('https:'.length) : url
}
