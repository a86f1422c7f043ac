import { didDocumentUrl, hostOfDid } from '@signet/sign'
import { createDidResolver, readFeed, readPage, verifyFeed, verifyPage, type DidResolver, type VerifyResult } from '@signet/verify'
import { nodeSha256, nodeVerify } from '@signet/sign/node'
import type { HttpClient } from './http.js'
import type { DomainRecord } from './store.js'

/** What the envelopes of one feed gave: per item (by position), its envelope text and its result. */
export interface FeedSignatures {
  envelopes: (string | undefined)[]
  results: (VerifyResult | undefined)[]
  /** The signing domain's did.json, when it was read. */
  did?: { id: string; host: string; keys: string[]; keyOf: Record<string, string> }
}

export interface SignatureContext {
  http: HttpClient
  allowHttp: boolean
  /** did → its did.json fetch, shared by every feed of one run. */
  documents: Map<string, Promise<{ ok: true; text: string } | { ok: false; reason: string }>>
}

/**
 * Verifies every item that carries an envelope with the same rules as `signet verify`, against the
 * did.json of the domain the feed was read from. That document is fetched with the fetcher's own
 * client (address checks, limits) and only from the feed's host: a post never makes the fetcher
 * contact a host it does not belong to.
 */
export async function checkSignatures(text: string, feedUrl: string, ctx: SignatureContext, firstSeen: (id: string) => string | undefined): Promise<FeedSignatures> {
  let raw: unknown[][]
  try {
    raw = readFeed(text).items.map((i) => i.envelopes)
  } catch {
    return { envelopes: [], results: [] } // RSS 0.9x/1.0 and the like carry no envelopes
  }
  const envelopes = raw.map((list) => (list[0] === undefined ? undefined : typeof list[0] === 'string' ? list[0] : JSON.stringify(list[0])))
  if (envelopes.every((e) => e === undefined)) return { envelopes, results: [] }
  const feedHost = new URL(feedUrl).host
  const did = envelopes.map(didOf).find((d) => d !== undefined && safeHost(d) === feedHost)
  const { resolver, info } = await resolverFor(did, feedUrl, ctx)
  const verified = await verifyFeed(text, { resolver, sourceUrl: feedUrl, allowHttpLoopback: ctx.allowHttp, firstSeen, ed25519Verify: nodeVerify, sha256: nodeSha256 })
  return { envelopes, results: verified.items, ...(info ? { did: info } : {}) }
}

/** What a signed page gave: its envelope text and its result, or nothing when it carries none. */
export interface PageSignature {
  envelope?: string
  result?: VerifyResult
}

/**
 * Verifies a post page's envelope (spec §7.3, §7.5) against the did.json of the host it was read
 * from, fetched with the same client and rules as a feed's.
 */
export async function checkPage(html: string, pageUrl: string, ctx: SignatureContext): Promise<PageSignature> {
  let raw: unknown
  try {
    raw = readPage(html, pageUrl).envelopes[0]
  } catch {
    return {}
  }
  if (raw === undefined) return {}
  const envelope = typeof raw === 'string' ? raw : JSON.stringify(raw)
  const host = new URL(pageUrl).host
  const did = didOf(envelope)
  const { resolver } = await resolverFor(did !== undefined && safeHost(did) === host ? did : undefined, pageUrl, ctx)
  const result = await verifyPage(html, { resolver, sourceUrl: pageUrl, allowHttpLoopback: ctx.allowHttp, ed25519Verify: nodeVerify, sha256: nodeSha256 })
  return { envelope, result }
}

/**
 * A resolver that knows only the did.json of the host a document was read from: a post never makes
 * the fetcher contact a host it does not belong to. The document is fetched once per run.
 */
async function resolverFor(did: string | undefined, sourceUrl: string, ctx: SignatureContext): Promise<{ resolver: DidResolver; info?: FeedSignatures['did'] }> {
  const sourceHost = new URL(sourceUrl).host
  const documents: Record<string, string> = {}
  let failure: string | undefined
  let info: FeedSignatures['did']
  if (did !== undefined) {
    let pending = ctx.documents.get(did)
    if (!pending) {
      let url = didDocumentUrl(did)
      if (ctx.allowHttp && sourceUrl.startsWith('http:')) url = url.replace(/^https:/, 'http:')
      pending = ctx.http.get(url, { accept: 'application/did+json, application/json' }).then((r) => (r.ok && r.status === 200 ? { ok: true as const, text: r.text } : { ok: false as const, reason: r.ok ? `${r.url} answered 304 to an unconditional request` : r.reason }))
      ctx.documents.set(did, pending)
    }
    const document = await pending
    if (document.ok) {
      documents[did] = document.text
      info = { id: did, host: sourceHost, keys: keysOf(document.text), keyOf: keyMap(document.text) }
    } else failure = document.reason
  }
  // The verifier's own resolver parses and checks the document; only the fetch is ours.
  const inner = createDidResolver({ didDocuments: documents })
  const resolver: DidResolver = {
    resolve: async (asked) => {
      if (documents[asked] !== undefined) return inner.resolve(asked)
      return { ok: false, reason: failure ? `the DID document could not be read: ${failure}` : `${asked} is not the domain this document was read from (${sourceHost})` }
    },
  }
  return info ? { resolver, info } : { resolver }
}

function didOf(envelope: string | undefined): string | undefined {
  if (envelope === undefined) return undefined
  try {
    const method = (JSON.parse(envelope) as { proof?: { verificationMethod?: unknown } }).proof?.verificationMethod
    return typeof method === 'string' && method.startsWith('did:web:') ? method.split('#')[0] : undefined
  } catch {
    return undefined
  }
}

function safeHost(did: string): string | undefined {
  try {
    return hostOfDid(did)
  } catch {
    return undefined
  }
}

/** The public keys (multibase) a did.json lists, revoked ones included. */
export function keysOf(didJson: string): string[] {
  try {
    const methods = (JSON.parse(didJson) as { verificationMethod?: { publicKeyMultibase?: unknown }[] }).verificationMethod ?? []
    return methods.map((m) => m.publicKeyMultibase).filter((k): k is string => typeof k === 'string')
  } catch {
    return []
  }
}

/** verificationMethod id → its public key (multibase). */
function keyMap(didJson: string): Record<string, string> {
  const out: Record<string, string> = {}
  try {
    const doc = JSON.parse(didJson) as { id?: string; verificationMethod?: { id?: unknown; publicKeyMultibase?: unknown }[] }
    for (const m of doc.verificationMethod ?? []) {
      if (typeof m.id !== 'string' || typeof m.publicKeyMultibase !== 'string') continue
      out[m.id.startsWith('#') ? `${doc.id}${m.id}` : m.id] = m.publicKeyMultibase
    }
  } catch {
    // an unreadable document has no keys; the verifier reports why
  }
  return out
}

/**
 * Key continuity: the first keys seen are trusted. A did.json that still lists a known key (revoked or
 * not: a rotation the spec allows) adds its new keys; one that dropped every known key flags the domain
 * until the writer trusts the new keys.
 */
export function updateKeys(record: DomainRecord | undefined, domain: string, keys: string[], now: string): DomainRecord {
  if (!record || record.knownKeys.length === 0) return { domain, knownKeys: keys, lastKeys: keys, keysReplaced: false, didJson: true, checkedAt: now }
  const continues = keys.some((k) => record.knownKeys.includes(k))
  return {
    ...record,
    knownKeys: continues && !record.keysReplaced ? [...new Set([...record.knownKeys, ...keys])] : record.knownKeys,
    lastKeys: keys,
    keysReplaced: record.keysReplaced || !continues,
    didJson: true,
    checkedAt: now,
  }
}
