import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { discoverFeeds, type Discovery } from './discover.js'
import { createHttpClient, type HttpOptions } from './http.js'
import { addOutline, emptyFollowList, readFollowList, removeOutline, sameFeed, type FollowEntry } from './opml.js'
import type { NetworkStore } from './store.js'
import { userAgent } from './fetch.js'

/** The follow list's file name at the site root. */
export const FOLLOWING_FILE = 'following.opml'

export type FollowOptions = Omit<HttpOptions, 'userAgent'> & { siteUrl?: string; title?: string }

/** The follow list's text, or undefined when the site follows nobody yet. */
export async function readFollowingText(root: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(root, FOLLOWING_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Every followed feed (entries naming only a site are left out: they have no feed to read). */
export async function readFollowing(root: string): Promise<(FollowEntry & { url: string })[]> {
  const text = await readFollowingText(root)
  return text === undefined ? [] : readFollowList(text).filter((e): e is FollowEntry & { url: string } => e.url !== undefined)
}

/** Discovers the site's feed and adds it to the follow list (once). */
export async function followSite(root: string, url: string, options: FollowOptions = {}): Promise<{ discovery: Discovery; added: boolean }> {
  const http = createHttpClient({ ...options, userAgent: userAgent(options.siteUrl) })
  try {
    const discovery = await discoverFeeds(url, http)
    const text = (await readFollowingText(root)) ?? emptyFollowList(options.title ?? 'Following')
    if (readFollowList(text).some((e) => sameFeed(e.url, discovery.feedUrl))) return { discovery, added: false }
    await writeFollowing(root, addOutline(text, { url: discovery.feedUrl, siteUrl: discovery.siteUrl, category: [], ...pick(discovery) }))
    return { discovery, added: true }
  } finally {
    await http.close()
  }
}

export interface ImportResult {
  added: FollowEntry[]
  /** Already followed. */
  known: FollowEntry[]
  /** Entries naming only a site whose feed could not be found, with why. */
  failed: { entry: FollowEntry; reason: string }[]
}

/**
 * Adds every feed of a reader's OPML export, keeping its category (nested ones joined with " / ").
 * Entries that name only a site (htmlUrl) get their feed discovered.
 */
export async function importFollowList(root: string, exportText: string, options: FollowOptions = {}): Promise<ImportResult> {
  const entries = readFollowList(exportText)
  let text = (await readFollowingText(root)) ?? emptyFollowList(options.title ?? 'Following')
  const result: ImportResult = { added: [], known: [], failed: [] }
  const http = createHttpClient({ ...options, userAgent: userAgent(options.siteUrl) })
  try {
    const resolved = await Promise.all(entries.map(async (entry) => {
      if (entry.url !== undefined || entry.siteUrl === undefined) return { entry }
      try {
        const found = await discoverFeeds(entry.siteUrl, http)
        return { entry: { ...entry, url: found.feedUrl, ...(entry.title ? {} : pick(found)) } }
      } catch (error) {
        return { entry, reason: (error as Error).message }
      }
    }))
    for (const { entry, reason } of resolved) {
      if (entry.url === undefined) {
        result.failed.push({ entry, reason: reason ?? 'no feed URL' })
        continue
      }
      if (readFollowList(text).some((e) => sameFeed(e.url, entry.url))) {
        result.known.push(entry)
        continue
      }
      text = addOutline(text, { ...entry, url: entry.url }, entry.category.length ? entry.category.join(' / ') : undefined)
      result.added.push(entry)
    }
  } finally {
    await http.close()
  }
  if (result.added.length > 0) await writeFollowing(root, text)
  return result
}

/** Removes a feed (by feed or site URL) from the follow list and its stored items. */
export async function unfollowSite(root: string, url: string, store?: NetworkStore): Promise<number> {
  const text = await readFollowingText(root)
  if (text === undefined) return 0
  const followed = readFollowList(text).filter((e) => sameFeed(e.url, url) || sameFeed(e.siteUrl, url))
  let next = text
  let removed = 0
  for (const entry of followed) {
    const r = removeOutline(next, entry.url ?? entry.siteUrl ?? url)
    next = r.text
    removed += r.removed
    if (entry.url !== undefined) await store?.removeFeed(entry.url)
  }
  if (removed > 0) await writeFollowing(root, next)
  return removed
}

/** Trusts a domain's current keys after they were replaced: its posts show as signed again. */
export async function trustNewKeys(store: NetworkStore, domain: string): Promise<boolean> {
  const record = await store.readDomain(domain)
  if (!record) return false
  await store.writeDomain({ ...record, knownKeys: record.lastKeys, keysReplaced: false })
  for (const feed of await store.listFeeds()) {
    if (!feed.items.some((i) => i.domain === domain && i.keyChanged)) continue
    await store.writeFeed({ ...feed, items: feed.items.map((i) => (i.domain === domain && i.keyChanged ? { ...withoutKeyChanged(i) } : i)) })
  }
  return true
}

function withoutKeyChanged<T extends { keyChanged?: boolean }>(item: T): T {
  const { keyChanged: _, ...rest } = item
  return rest as T
}

function pick(d: { title?: string; description?: string }): { title?: string; description?: string } {
  return { ...(d.title ? { title: d.title } : {}), ...(d.description ? { description: d.description } : {}) }
}

async function writeFollowing(root: string, text: string): Promise<void> {
  const file = path.join(root, FOLLOWING_FILE)
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, text)
  await rename(temp, file)
}
