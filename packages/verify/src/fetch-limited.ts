import { DEFAULT_TIMEOUT_MS } from './limits.js'

export interface FetchLimits {
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
  maxBytes: number
  /** Redirects to follow; each must stay on the first URL's host. 0 refuses all. */
  maxRedirects: number
  accept?: string
}

export type Fetched = { ok: true; text: string; url: string; contentType: string } | { ok: false; reason: string; tooLarge?: boolean }

/**
 * GET `url` as UTF-8 text with a deadline for the whole exchange (body included), a size cap
 * that stops reading as soon as it is passed, and redirects followed only on the same host.
 */
export async function fetchLimited(url: string, limits: FetchLimits): Promise<Fetched> {
  const doFetch = limits.fetch ?? globalThis.fetch
  if (typeof doFetch !== 'function') return { ok: false, reason: 'no fetch function is available here; pass one as options.fetch' }
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const host = new URL(url).host
  let current = url
  try {
    for (let hop = 0; ; hop++) {
      let response: Response
      try {
        response = await doFetch(current, {
          redirect: 'manual',
          signal: controller.signal,
          headers: { accept: limits.accept ?? '*/*' },
          credentials: 'omit',
        })
      } catch (error) {
        return { ok: false, reason: controller.signal.aborted ? `${current} did not answer within ${timeoutMs} ms` : `${current} could not be fetched (${describe(error)})` }
      }
      if (response.type === 'opaqueredirect') return { ok: false, reason: `${current} redirects, and redirects cannot be checked here` }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined)
        const location = response.headers.get('location')
        if (!location) return { ok: false, reason: `${current} answered ${response.status} without a Location` }
        const next = new URL(location, current)
        if (next.host !== host || next.protocol !== new URL(url).protocol) {
          return { ok: false, reason: `${current} redirects to another host (${next.origin}); only redirects on ${host} are followed` }
        }
        if (hop >= limits.maxRedirects) return { ok: false, reason: `${url} redirects more than ${limits.maxRedirects} times` }
        current = next.href
        continue
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined)
        return { ok: false, reason: `${current} answered HTTP ${response.status}` }
      }
      const body = await readCapped(response, limits.maxBytes, controller.signal, timeoutMs, current)
      if (!body.ok) return body
      return { ok: true, text: body.text, url: current, contentType: response.headers.get('content-type') ?? '' }
    }
  } finally {
    clearTimeout(timer)
  }
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal, timeoutMs: number, url: string): Promise<Fetched> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    return { ok: false, tooLarge: true, reason: `${url} is ${declared} bytes; the limit is ${maxBytes}` }
  }
  if (!response.body) return { ok: true, text: '', url, contentType: '' }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        return { ok: false, tooLarge: true, reason: `${url} sent more than ${maxBytes} bytes; the limit is ${maxBytes}` }
      }
      chunks.push(value)
    }
  } catch (error) {
    return { ok: false, reason: signal.aborted ? `${url} did not finish within ${timeoutMs} ms` : `${url} broke off (${describe(error)})` }
  }
  const all = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    all.set(chunk, at)
    at += chunk.byteLength
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(all), url, contentType: '' }
  } catch {
    return { ok: false, reason: `${url} is not valid UTF-8` }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)
}
