import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Mentions received by an external receiver (webmention.io's jf2 API, or any receiver with the same
 * JSON), imported by `signet fetch` once each source is read again and found to link the target
 * (W3C Webmention §3.2.2): a receiver's word is not taken for it. Stored as text only.
 */
export const MENTIONS_FILE = path.join('.signet', 'network', 'mentions.json')

/** One verified mention, as the store keeps it and layouts may show it: text and http(s) URLs only. */
export interface Mention {
  /** The page that mentions the post (the Webmention `source`). */
  source: string
  /** The post of this site it mentions. */
  target: string
  /** `in-reply-to`, `like-of`, `repost-of`, `bookmark-of` or `mention-of`, as the receiver says. */
  property: string
  author?: { name?: string; url?: string }
  published?: string
  /** Its text, at most 2,000 characters; never HTML. */
  text?: string
  /** When its source was last read and found to link the target. */
  verified: string
}

export interface MentionsFile {
  version: 1
  fetched: string
  mentions: Mention[]
}

/** The stored mentions, or none. */
export function readMentions(root: string): MentionsFile {
  const file = path.join(root, MENTIONS_FILE)
  if (!existsSync(file)) return { version: 1, fetched: '', mentions: [] }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as MentionsFile
    return parsed.version === 1 && Array.isArray(parsed.mentions) ? parsed : { version: 1, fetched: '', mentions: [] }
  } catch {
    return { version: 1, fetched: '', mentions: [] }
  }
}

