import dns from 'node:dns'
import type { LookupAddress, LookupOptions } from 'node:dns'
import { Agent, request } from 'undici'
import { addressAllowed, ipLiteral, type AddressPolicy } from './address.js'
import { createLimiter } from './limiter.js'

/** The limits of one polite fetch. Defaults: 10 s, 5 MB, 5 redirects, 2 at once per host, 16 in all. */
export interface HttpOptions extends AddressPolicy {
  /** The whole exchange (connect, redirects, headers and body) must end within this. */
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
  perHost?: number
  global?: number
  /** Names Signet and the site's URL, so a publisher can tell who is reading. */
  userAgent: string
}

export type HttpHeaders = Record<string, string | undefined>

export type HttpResult =
  | { ok: true; status: 200; url: string; text: string; headers: HttpHeaders }
  | { ok: true; status: 304; url: string; headers: HttpHeaders }
  | { ok: false; url: string; reason: string; status?: number; headers?: HttpHeaders }

export interface Conditional {
  etag?: string
  lastModified?: string
  accept?: string
}

/** The answer to a POST: any status, with the start of its body (at most 64 KiB) to say why. */
export type PostResult =
  | { ok: true; status: number; url: string; text: string; headers: HttpHeaders }
  | { ok: false; url: string; reason: string }

export interface HttpClient {
  get(url: string, conditional?: Conditional): Promise<HttpResult>
  /**
   * One `application/x-www-form-urlencoded` POST, under the same address policy and limits; a
   * redirect is not followed (it is the answer). `ok` means an answer came, whatever its status.
   */
  postForm(url: string, form: Record<string, string>): Promise<PostResult>
  close(): Promise<void>
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const PRIVATE = 'a private, loopback or link-local address (pass --allow-private-network to fetch it anyway)'

export const HTTP_DEFAULTS = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, perHost: 2, global: 16 }

/**
 * A GET-only HTTP client for untrusted hosts: every connection's address is checked after DNS
 * resolution (and IP literals before connecting), on the first request and on every redirect, so a
 * followed feed cannot make the fetcher reach internal services.
 */
export function createHttpClient(options: HttpOptions): HttpClient {
  const o = { ...HTTP_DEFAULTS, ...options }
  const agent = new Agent({
    connections: o.perHost,
    // The overall deadline below is what ends a slow exchange; these only back it up.
    headersTimeout: o.timeoutMs + 1000,
    bodyTimeout: o.timeoutMs + 1000,
    connect: { timeout: o.timeoutMs, lookup: guardedLookup(o) },
  })
  const limiter = createLimiter(o.perHost, o.global)

  async function once(url: string, conditional: Conditional): Promise<HttpResult> {
    const signal = AbortSignal.timeout(o.timeoutMs)
    let current = url
    try {
      for (let hop = 0; ; hop++) {
        const target = new URL(current)
        if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, url: current, reason: `${current} is not an http(s) URL` }
        const literal = ipLiteral(target.hostname)
        if (literal !== undefined && !addressAllowed(literal, o)) return { ok: false, url: current, reason: `${current} is ${PRIVATE}` }
        const headers: Record<string, string> = { 'user-agent': o.userAgent, accept: conditional.accept ?? '*/*', 'accept-encoding': 'identity' }
        if (hop === 0 && conditional.etag) headers['if-none-match'] = conditional.etag
        if (hop === 0 && conditional.lastModified) headers['if-modified-since'] = conditional.lastModified
        const response = await request(current, { method: 'GET', headers, dispatcher: agent, signal })
        const h = flatten(response.headers)
        if (REDIRECTS.has(response.statusCode)) {
          discard(response.body)
          if (!h.location) return { ok: false, url: current, status: response.statusCode, reason: `${current} answered ${response.statusCode} without a Location` }
          if (hop >= o.maxRedirects) return { ok: false, url: current, reason: `${url} redirects more than ${o.maxRedirects} times` }
          current = new URL(h.location, current).href
          continue
        }
        if (response.statusCode === 304) {
          discard(response.body)
          return { ok: true, status: 304, url: current, headers: h }
        }
        if (response.statusCode !== 200) {
          discard(response.body)
          return { ok: false, url: current, status: response.statusCode, headers: h, reason: `${current} answered HTTP ${response.statusCode}` }
        }
        const length = Number(h['content-length'])
        if (Number.isFinite(length) && length > o.maxBytes) {
          discard(response.body)
          return { ok: false, url: current, reason: `${current} is ${length} bytes, over the ${o.maxBytes}-byte limit` }
        }
        const chunks: Buffer[] = []
        let size = 0
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length
          if (size > o.maxBytes) {
            response.body.on('error', () => undefined)
            response.body.destroy()
            return { ok: false, url: current, reason: `${current} sent more than the ${o.maxBytes}-byte limit` }
          }
          chunks.push(chunk as Buffer)
        }
        return { ok: true, status: 200, url: current, headers: h, text: decode(Buffer.concat(chunks), h['content-type']) }
      }
    } catch (error) {
      if (signal.aborted || /TIMEOUT/.test(String((error as { code?: string }).code))) return { ok: false, url: current, reason: `${current} did not answer within ${o.timeoutMs / 1000} s` }
      return { ok: false, url: current, reason: `${current} could not be fetched: ${describe(error)}` }
    }
  }

  async function postOnce(url: string, form: Record<string, string>): Promise<PostResult> {
    const signal = AbortSignal.timeout(o.timeoutMs)
    try {
      const target = new URL(url)
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, url, reason: `${url} is not an http(s) URL` }
      const literal = ipLiteral(target.hostname)
      if (literal !== undefined && !addressAllowed(literal, o)) return { ok: false, url, reason: `${url} is ${PRIVATE}` }
      const headers = { 'user-agent': o.userAgent, accept: '*/*', 'accept-encoding': 'identity', 'content-type': 'application/x-www-form-urlencoded' }
      const response = await request(url, { method: 'POST', headers, body: new URLSearchParams(form).toString(), dispatcher: agent, signal })
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length
        if (size > 64 * 1024) {
          response.body.on('error', () => undefined)
          response.body.destroy()
          break
        }
        chunks.push(chunk as Buffer)
      }
      const h = flatten(response.headers)
      return { ok: true, status: response.statusCode, url, headers: h, text: decode(Buffer.concat(chunks), h['content-type']) }
    } catch (error) {
      if (signal.aborted || /TIMEOUT/.test(String((error as { code?: string }).code))) return { ok: false, url, reason: `${url} did not answer within ${o.timeoutMs / 1000} s` }
      return { ok: false, url, reason: `${url} could not be reached: ${describe(error)}` }
    }
  }

  return {
    get: (url, conditional = {}) => limiter.run(hostOf(url), () => once(url, conditional)),
    postForm: (url, form) => limiter.run(hostOf(url), () => postOnce(url, form)),
    close: () => agent.close(),
  }
}

/** Drops a body without an unhandled 'aborted' error; small ones are read so the connection is reused. */
function discard(body: { dump(opts?: { limit: number }): Promise<void>; destroy(): unknown; on(event: 'error', f: () => void): unknown }): void {
  body.on('error', () => undefined)
  body.dump({ limit: 64 * 1024 }).catch(() => undefined)
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** dns.lookup, but an answer with any address the policy refuses fails the connection. */
function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, [])
      const refused = addresses.find((a) => !addressAllowed(a.address, policy))
      if (refused) {
        const err: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused.address}, ${PRIVATE}`)
        err.code = 'ESIGNETPRIVATE'
        return callback(err, [])
      }
      if (options.all === true) return callback(null, addresses)
      const first = addresses[0]
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
      callback(null, first.address, first.family)
    })
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): HttpHeaders {
  const out: HttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return out
}

/** The charset of the Content-Type, else of the XML declaration, else UTF-8. */
function decode(bytes: Buffer, contentType: string | undefined): string {
  const declared = /charset=["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1]
    ?? /^\s*<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1]
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes)
  } catch {
    return new TextDecoder('utf-8').decode(bytes)
  }
}

function describe(error: unknown): string {
  let e = error as { message?: string; code?: string; cause?: unknown } | undefined
  // undici wraps the socket's error; the innermost one says what happened.
  while (e && e.cause && typeof e.cause === 'object') e = e.cause as typeof e
  return e?.message ?? String(error)
}
