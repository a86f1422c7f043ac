import { readFile } from 'node:fs/promises'
import { Parser } from 'htmlparser2'
import { referenceDigest } from '@signet/sign'
import { nodeSha256 } from '@signet/sign/node'
import { createHttpClient, type HttpOptions } from './http.js'
import { userAgent } from './fetch.js'
import { checkPage, type SignatureContext } from './signatures.js'
import { writeAtomic } from './store.js'
import { cut } from './text.js'
import { targetFile, type TargetRecord } from './targets-file.js'

export { targetFile, type TargetRecord }

export interface TargetOptions extends Omit<HttpOptions, 'userAgent'> {
  siteUrl?: string
  /** Fetch targets already stored again. */
  force?: boolean
  now?: () => Date
}

export interface TargetOutcome {
  url: string
  state: 'fetched' | 'known' | 'failed'
  reason?: string
  record?: TargetRecord
}

/**
 * Reads each target once (again with `force`) and stores what it found. A target that cannot be read
 * keeps its last record; one failure never stops the others.
 */
export async function fetchTargets(urls: readonly string[], dir: string, options: TargetOptions = {}): Promise<TargetOutcome[]> {
  const http = createHttpClient({ ...options, userAgent: userAgent(options.siteUrl) })
  const ctx: SignatureContext = { http, allowHttp: options.allowPrivateNetwork === true || (options.allowAddresses?.length ?? 0) > 0, documents: new Map() }
  const now = options.now ?? (() => new Date())
  try {
    return await Promise.all([...new Set(urls)].map(async (url): Promise<TargetOutcome> => {
      const file = targetFile(dir, url)
      if (options.force !== true) {
        const known = await readJson(file)
        if (known) return { url, state: 'known', record: known }
      }
      try {
        const record = await readTarget(url, ctx, now().toISOString())
        if ('reason' in record && !('status' in record)) return { url, state: 'failed', reason: record.reason }
        await writeAtomic(file, record)
        return { url, state: 'fetched', record }
      } catch (error) {
        return { url, state: 'failed', reason: (error as Error).message }
      }
    }))
  } finally {
    await http.close()
  }
}

async function readTarget(url: string, ctx: SignatureContext, stamp: string): Promise<TargetRecord | { reason: string }> {
  const response = await ctx.http.get(url, { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5' })
  if (!response.ok) return { reason: response.reason }
  if (response.status !== 200) return { reason: `${url} answered 304 to an unconditional request` }
  const shown = pageText(response.text)
  const record: TargetRecord = { url, finalUrl: response.url, status: 'unsigned', fetched: stamp }
  const origin = new URL('/', response.url).href
  record.site = { title: shown.siteName ?? new URL(response.url).host, url: origin }
  const title = shown.title
  if (title) record.title = title
  const signature = await checkPage(response.text, response.url, ctx)
  if (signature.envelope !== undefined && signature.result) {
    if (signature.result.status === 'verified') {
      const envelope = JSON.parse(signature.envelope) as { id?: string; title?: string }
      record.status = 'verified'
      record.envelope = signature.envelope
      if (signature.result.domain) record.domain = signature.result.domain
      if (typeof envelope.id === 'string') {
        record.id = envelope.id
        record.digestMultibase = referenceDigest(envelope, nodeSha256)
      }
      if (typeof envelope.title === 'string') record.title = cut(envelope.title, 200)
    } else if (signature.result.status !== 'unsigned') {
      record.status = 'failed'
      record.reason = `${signature.result.status}: ${signature.result.reasons.join(' ')}`
    }
  }
  return record
}

/** The page's title (its h-entry's, else og:title, else <title>) and its site's name, as text. */
function pageText(html: string): { title?: string; siteName?: string } {
  let title = ''
  let inTitle = false
  let ogTitle: string | undefined
  let siteName: string | undefined
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'title') inTitle = true
      if (name === 'meta') {
        const property = (attrs.property ?? attrs.name ?? '').toLowerCase()
        if (property === 'og:title' && attrs.content) ogTitle ??= attrs.content
        if (property === 'og:site_name' && attrs.content) siteName ??= attrs.content
      }
    },
    ontext(text) {
      if (inTitle && title.length < 1000) title += text
    },
    onclosetag(name) {
      if (name === 'title') inTitle = false
    },
  }, { decodeEntities: true })
  parser.end(html.slice(0, 200_000))
  const clean = (text: string | undefined) => {
    const t = text === undefined ? '' : cut(text.replace(/\s+/g, ' ').trim(), 200)
    return t === '' ? undefined : t
  }
  const out: { title?: string; siteName?: string } = {}
  const t = clean(ogTitle) ?? clean(title)
  if (t) out.title = t
  const s = clean(siteName)
  if (s) out.siteName = s
  return out
}

async function readJson(file: string): Promise<TargetRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as TargetRecord
  } catch {
    return undefined
  }
}
