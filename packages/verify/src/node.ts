// Node-only helpers for checking a local build (the CLI's `signet verify PATH [--domain HOST]`).
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { lookup } from 'node:dns/promises'
import path from 'node:path'
import { didDocumentUrl } from '@signet/sign'
import { verifySource } from './any.js'
import type { SourceResult } from './any.js'
import { refusedHost } from './address.js'
import { MAX_DOCUMENT_BYTES } from './limits.js'
import { createDidResolver } from './resolver.js'
import type { DidResolver } from './resolver.js'
import { VerifyInputError } from './source.js'
import { result } from './types.js'
import type { SignedEnvelopeSeen, VerifyOptions, VerifyResult } from './types.js'

export interface PathResult {
  /** The file checked, relative to the path given (or the URL). */
  file: string
  result: SourceResult
}

/** Where the key document of one DID came from, and whether it could be read. */
export interface KeySource {
  did: string
  /** `folder`: the site folder's own did.json (--domain); `network`: fetched from the domain. */
  from: 'folder' | 'network'
  /** The file or URL. */
  location: string
  ok: boolean
  /** Why it could not be read. */
  reason?: string
}

export interface PathReport {
  results: PathResult[]
  /** One entry per DID whose document was looked up, in the order first needed. */
  keys: KeySource[]
  /** Files of a folder that were not read (not a regular file, too large), with why. */
  skipped: { file: string; reason: string }[]
  /**
   * Pages of a folder that say they show a draft (`<meta name="signet" content="draft">`, which a
   * preview build, `signet build --drafts`, writes): not signed by design, so not checked.
   */
  drafts?: string[]
}

/**
 * A built site's own key document: `.well-known/did.json` for a site at a domain's root, or
 * `did.json` for a site under a path (did:web:HOST:PATH, which names its own DID in `id`).
 */
function siteDidFile(folder: string): string | undefined {
  for (const file of [path.join(folder, '.well-known', 'did.json'), path.join(folder, 'did.json')]) {
    if (existsSync(file)) return file
  }
  return undefined
}

/** did:web:HOST (or did:web:HOST:PATH for a sub-path site) → that folder's did.json text, for VerifyOptions.didDocuments. */
export function didDocumentsFromFolder(folder: string, host: string): Record<string, string> {
  const file = siteDidFile(folder)
  if (!file) throw new VerifyInputError(`no .well-known/did.json or did.json in ${folder}; --domain needs a built site folder`)
  const text = readLimited(file, file)
  const rootDid = `did:web:${host.replace(':', '%3A')}`
  if (file.endsWith(path.join('.well-known', 'did.json'))) return { [rootDid]: text }
  let id: unknown
  try {
    id = (JSON.parse(text) as { id?: unknown }).id
  } catch {
    throw new VerifyInputError(`${file} is not JSON`)
  }
  if (typeof id !== 'string' || !id.startsWith(`${rootDid}:`)) {
    throw new VerifyInputError(`${file} is the key document of ${String(id)}, not of a site on ${host}`)
  }
  return { [id]: text }
}

/** The nearest folder at or above `start` that holds a built site's did.json. */
export function findSiteFolder(start: string): string | undefined {
  let dir = statSync(start).isDirectory() ? start : path.dirname(start)
  for (;;) {
    if (siteDidFile(dir)) return dir
    const up = path.dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

/**
 * Verifies a URL, a feed or page file, or every feed and post page of a built folder.
 * With `domain`, did:web:DOMAIN is read from the site folder instead of the network, and every
 * result says so. In a folder, every copy of a post must carry the same envelope (spec §8.6).
 */
export async function verifyPath(target: string, options: VerifyOptions & { domain?: string } = {}): Promise<PathReport> {
  const { domain, ...rest } = options
  const keys = new Map<string, KeySource>()
  const skipped: PathReport['skipped'] = []
  const drafts: string[] = []
  const shared: VerifyOptions = { ...rest }
  let local: { file: string; host: string } | undefined
  if (domain !== undefined && !/^https?:\/\//i.test(target)) {
    shared.expectedDomain = domain
    const site = existsSync(target) ? findSiteFolder(target) : undefined
    const file = site && siteDidFile(site)
    // Without the folder's did.json every post is an unknown key (spec §8.3 step 5), said once by the caller.
    shared.didDocuments = site ? didDocumentsFromFolder(site, domain) : {}
    local = { file: file ?? `${target} (no did.json there or in a folder above)`, host: domain }
    shared.didDocumentSource = `${file ?? 'the folder'} (the folder's own did.json, not fetched from https://${domain}/)`
  }
  shared.fetch ??= addressCheckedFetch(shared)
  shared.resolver = recording(shared.resolver ?? createDidResolver(shared), keys, local)
  const seen: { envelope: SignedEnvelopeSeen; result: VerifyResult; file: string }[] = []
  if (/^https?:\/\//i.test(target)) {
    return { results: [{ file: target, result: await verifySource(target, shared) }], keys: [...keys.values()], skipped }
  }
  if (!existsSync(target)) throw new VerifyInputError(`${target} does not exist; give a URL, a feed or page file, or a built site folder`)
  const isFolder = statSync(target).isDirectory()
  const files = isFolder ? candidates(target) : [target]
  const out: PathResult[] = []
  for (const file of files) {
    const name = isFolder ? path.relative(target, file) : file
    let text: string
    try {
      text = readLimited(file, name)
    } catch (error) {
      if (!isFolder || !(error instanceof VerifyInputError)) throw error
      skipped.push({ file: name, reason: error.message })
      continue
    }
    // In a folder only feeds and post pages are checked; listings and other pages carry no envelope.
    if (isFolder && !isSignable(file, text)) continue
    if (isFolder && file.endsWith('.html') && DRAFT.test(text.slice(0, 4096))) {
      drafts.push(name)
      continue
    }
    const onEnvelope = (envelope: SignedEnvelopeSeen, r: VerifyResult) => { seen.push({ envelope, result: r, file: name }) }
    try {
      out.push({ file: name, result: await verifySource(text, { ...shared, onEnvelope }) })
    } catch (error) {
      if (error instanceof VerifyInputError) throw new VerifyInputError(`${name}: ${error.message}`)
      throw error
    }
  }
  if (isFolder) markOtherVersions(seen)
  return { results: out, keys: [...keys.values()], skipped, ...(drafts.length > 0 ? { drafts } : {}) }
}

/**
 * Spec §8.6: every copy of a post in one site carries the same envelope. A copy whose validly signed
 * envelope is not the newest of the post's versions (an older one put back, say) is shown differently.
 */
function markOtherVersions(seen: { envelope: SignedEnvelopeSeen; result: VerifyResult; file: string }[]): void {
  const byId = new Map<string, typeof seen>()
  for (const copy of seen) byId.set(copy.envelope.id, [...(byId.get(copy.envelope.id) ?? []), copy])
  for (const copies of byId.values()) {
    const versions = new Set(copies.map((c) => c.envelope.proof.proofValue))
    if (versions.size < 2) continue
    const newest = copies.reduce((a, b) => (b.envelope.proof.created > a.envelope.proof.created ? b : a))
    const tied = new Set(copies.filter((c) => c.envelope.proof.created === newest.envelope.proof.created).map((c) => c.envelope.proof.proofValue))
    for (const copy of copies) {
      if (tied.size === 1 && copy.envelope.proof.proofValue === newest.envelope.proof.proofValue) continue
      const { status: _s, sentence: _t, reasons: _r, ...rest } = copy.result
      Object.assign(copy.result, {
        ...result('shown differently from signed', [
          `${copy.file} carries another signed version of ${copy.envelope.id} (created ${copy.envelope.proof.created}) than ${newest.file} (created ${newest.envelope.proof.created}); every copy of a post must carry the same envelope.`,
        ]),
        ...rest,
      })
    }
  }
}

/**
 * `fetch` that first looks the host up and refuses a name that resolves to a loopback, private or
 * link-local address unless allowed (spec §3.2): literal addresses are refused by the resolver itself.
 */
function addressCheckedFetch(options: VerifyOptions): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true }).catch(() => [])
    for (const { address } of addresses) {
      const refused = refusedHost(address.includes(':') ? `[${address}]` : address, options)
      if (refused) throw new TypeError(`${url.hostname} resolves to ${refused}`)
    }
    return globalThis.fetch(input, init)
  }
}

/** Wraps a resolver to note where each DID's document came from and whether it was read. */
function recording(resolver: DidResolver, keys: Map<string, KeySource>, local: { file: string; host: string } | undefined): DidResolver {
  return {
    async resolve(did) {
      const resolution = await resolver.resolve(did)
      if (!keys.has(did)) {
        const location = local ? local.file : resolution.ok ? resolution.url : (safeUrl(did) ?? did)
        keys.set(did, { did, from: local ? 'folder' : 'network', location, ok: resolution.ok, ...(resolution.ok ? {} : { reason: resolution.reason }) })
      }
      return resolution
    },
  }
}

function safeUrl(did: string): string | undefined {
  try {
    return didDocumentUrl(did)
  } catch {
    return undefined
  }
}

/**
 * A file's text, read only when it is a regular file and up to the document limit: a name in a
 * folder may be a FIFO (which would block) or a link to /dev/zero (which never ends).
 */
function readLimited(file: string, name: string): string {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on what was opened.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw new VerifyInputError(`${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw new VerifyInputError(`${name} is not a regular file (${kind(stats)}); only files are read`)
    if (stats.size > MAX_DOCUMENT_BYTES) throw new VerifyInputError(`${name} is ${stats.size} bytes; the limit is ${MAX_DOCUMENT_BYTES}`)
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_DOCUMENT_BYTES) + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length === buffer.length) throw new VerifyInputError(`${name} grew while being read, past ${buffer.length - 1} bytes`)
    }
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}

function kind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  if (stats.isDirectory()) return 'a folder'
  return 'not a file'
}

function candidates(folder: string): string[] {
  const out: string[] = []
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      // Linked folders are not followed (no loops, nothing outside the folder).
      if (entry.isDirectory()) visit(full)
      else if (/\.(html|xml|json)$/.test(entry.name)) out.push(full)
    }
  }
  visit(folder)
  return out
}

// In the head, where Signet's preview build puts it; a literal "<" cannot occur in HTML text.
const DRAFT = /<meta name="signet" content="draft">/

/**
 * Whether a page has a tag with the id `signed-envelope` or the class `h-entry`. Each tag is looked at
 * once: a pattern tried from every `<` of a page of unclosed tags took quadratic time.
 */
function hasPostMarkup(text: string): boolean {
  for (let at = text.indexOf('<'); at !== -1;) {
    const end = text.indexOf('>', at + 1)
    const tag = end === -1 ? text.slice(at) : text.slice(at, end)
    if (/^<[a-z]/.test(tag) && (/\sid=["']?signed-envelope/.test(tag) || (tag.includes('h-entry') && /\sclass="[^"]*\bh-entry\b/.test(tag)))) return true
    if (end === -1) return false
    at = text.indexOf('<', end + 1)
  }
  return false
}

function isSignable(file: string, text: string): boolean {
  const head = text.slice(0, 2048)
  // A literal "<" cannot occur in HTML text, so these match real tags, not code samples.
  if (file.endsWith('.html')) return hasPostMarkup(text)
  if (file.endsWith('.json')) return head.includes('https://jsonfeed.org/version/')
  return /<rss[\s>]/.test(head) || /<feed[\s>]/.test(head)
}
