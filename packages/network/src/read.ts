/**
 * What a site build needs from the network, and nothing that touches it: the follow list, the
 * blogroll, and the stored records read synchronously (the build is synchronous and offline).
 * A separate entry point, so a build never loads the HTTP client.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { DomainRecord, FeedRecord } from './store.js'
import { targetFile, type TargetRecord } from './targets-file.js'

export { blogrollOpml, readFollowList, OpmlError } from './opml.js'
export type { FollowEntry } from './opml.js'
export { networkDir } from './store.js'
export type { DomainRecord, FeedRecord, NetworkItem } from './store.js'
export type { TargetRecord } from './targets-file.js'
export { MUTE_FILE, parseMuteList, replyKey, selectReplies } from './replies.js'
export type { MuteList, ReceivedReply, RepliesInput, RepliesPolicy, Reply } from './replies.js'

/** Every stored feed and domain record; unreadable or missing ones are left out. */
export function readStoreSync(dir: string): { feeds: FeedRecord[]; domains: DomainRecord[] } {
  return { feeds: readAllSync<FeedRecord>(path.join(dir, 'feeds')), domains: readAllSync<DomainRecord>(path.join(dir, 'domains')) }
}

function readAllSync<T>(dir: string): T[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
  } catch {
    return []
  }
  const out: T[] = []
  for (const name of names) {
    try {
      out.push(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T)
    } catch {
      // a record being replaced or damaged: the next fetch writes it whole again
    }
  }
  return out
}

/** What `signet fetch` stored about a post the site points at (`in_reply_to` …), if anything. */
export function readTargetSync(dir: string, url: string): TargetRecord | undefined {
  try {
    return JSON.parse(readFileSync(targetFile(dir, url), 'utf8')) as TargetRecord
  } catch {
    return undefined
  }
}
