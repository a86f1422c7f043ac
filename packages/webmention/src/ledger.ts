import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SignetError } from '@signet/config'

/**
 * The record of what was sent: `.signet/webmention/ledger.json`, outside `dist/`. Kept apart from the
 * rest of the package (no network code), because the build reads it too: a post the ledger knows
 * that is gone from the site gets a tombstone page (see `tombstonePaths`).
 */
export const LEDGER_FILE = path.join('.signet', 'webmention', 'ledger.json')

/** What happened for one target of one post, for the version of the post named by `digest`. */
export interface TargetRecord {
  /** The post's version it was done for: its signed envelope's digest (`referenceDigest`). */
  digest: string
  /** `sent`: an endpoint accepted it (2xx); `none`: the target has no endpoint; `failed`: try again. */
  state: 'sent' | 'none' | 'failed'
  at: string
  endpoint?: string
  status?: number
  reason?: string
  /** The post no longer links it: this is the last word it was told (the update that dropped it). */
  dropped?: true
}

export interface PostRecord {
  /** The post's path below the site's URL (`posts/hello/`), where its tombstone goes once it is deleted. */
  path: string
  /** The digest of the version last seen in the built site. */
  digest: string
  /** When the post was found gone from the built site and its targets told. */
  deleted?: string
  targets: Record<string, TargetRecord>
}

export interface Ledger {
  version: 1
  /** By the post's URL. */
  posts: Record<string, PostRecord>
}

/** The ledger of a site, or an empty one. A ledger that is not ours is an error, never overwritten. */
export function readLedger(root: string): Ledger {
  const file = path.join(root, LEDGER_FILE)
  if (!existsSync(file)) return { version: 1, posts: {} }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new SignetError(`not valid JSON (${(error as Error).message})`, { file: LEDGER_FILE, hint: 'Restore it from a backup, or move it away to start a new ledger (every post is then sent again).' })
  }
  const ledger = parsed as Partial<Ledger>
  if (typeof ledger !== 'object' || ledger === null || ledger.version !== 1 || typeof ledger.posts !== 'object' || ledger.posts === null) {
    throw new SignetError('not a Webmention ledger of version 1', { file: LEDGER_FILE, hint: 'Move it away to start a new ledger (every post is then sent again).' })
  }
  return ledger as Ledger
}

/** Written whole to a temporary file and renamed, so a killed send leaves the last complete ledger. */
export function writeLedger(root: string, ledger: Ledger): void {
  const file = path.join(root, LEDGER_FILE)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(`${file}.tmp`, `${JSON.stringify(ledger, null, 1)}\n`)
  renameSync(`${file}.tmp`, file)
}

/**
 * The site paths (`posts/hello/`, no leading slash) of the posts the ledger knows, for the build's
 * tombstones: the build makes a page for each that it did not make a post for. Nothing when the site
 * never sent a Webmention (one `existsSync`). Paths that would leave the site are never returned.
 */
export function tombstonePaths(root: string): string[] {
  if (!existsSync(path.join(root, LEDGER_FILE))) return []
  const out: string[] = []
  for (const post of Object.values(readLedger(root).posts)) {
    const clean = post.path.replace(/^\/+/, '')
    if (clean.split('/').some((part) => part === '..' || part === '.') || clean.includes('\\') || clean.includes('\0')) continue
    out.push(clean)
  }
  return out
}
