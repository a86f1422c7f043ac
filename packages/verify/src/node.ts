// Node-only helpers for checking a local build (the CLI's `signet verify PATH [--domain HOST]`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { verifySource } from './any.js'
import type { SourceResult } from './any.js'
import { createDidResolver } from './resolver.js'
import { VerifyInputError } from './source.js'
import type { VerifyOptions } from './types.js'

export interface PathResult {
  /** The file checked, relative to the path given (or the URL). */
  file: string
  result: SourceResult
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
  const text = readFileSync(file, 'utf8')
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
 * With `domain`, did:web:DOMAIN is read from the site folder instead of the network.
 */
export async function verifyPath(target: string, options: VerifyOptions & { domain?: string } = {}): Promise<PathResult[]> {
  const { domain, ...rest } = options
  if (/^https?:\/\//i.test(target)) return [{ file: target, result: await verifySource(target, rest) }]
  if (!existsSync(target)) throw new VerifyInputError(`${target} does not exist; give a URL, a feed or page file, or a built site folder`)
  const shared: VerifyOptions = { ...rest }
  if (domain !== undefined) {
    const site = findSiteFolder(target)
    if (!site) throw new VerifyInputError(`no did.json in ${target} or a folder above it; --domain needs a built site`)
    shared.didDocuments = didDocumentsFromFolder(site, domain)
    shared.expectedDomain = domain
  }
  shared.resolver ??= createDidResolver(shared)
  const isFolder = statSync(target).isDirectory()
  const files = isFolder ? candidates(target) : [target]
  const out: PathResult[] = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    // In a folder only feeds and post pages are checked; listings and other pages carry no envelope.
    if (isFolder && !isSignable(file, text)) continue
    const name = isFolder ? path.relative(target, file) : file
    try {
      out.push({ file: name, result: await verifySource(text, shared) })
    } catch (error) {
      if (error instanceof VerifyInputError) throw new VerifyInputError(`${name}: ${error.message}`)
      throw error
    }
  }
  return out
}

function candidates(folder: string): string[] {
  const out: string[] = []
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (/\.(html|xml|json)$/.test(entry.name)) out.push(full)
    }
  }
  visit(folder)
  return out
}

function isSignable(file: string, text: string): boolean {
  const head = text.slice(0, 2048)
  // A literal "<" cannot occur in HTML text, so these match real tags, not code samples.
  if (file.endsWith('.html')) return /<script[^>]*\sid=["']?signed-envelope/.test(text) || /<[a-z]+[^>]*\sclass="[^"]*\bh-entry\b/.test(text)
  if (file.endsWith('.json')) return head.includes('https://jsonfeed.org/version/')
  return /<rss[\s>]/.test(head) || /<feed[\s>]/.test(head)
}
