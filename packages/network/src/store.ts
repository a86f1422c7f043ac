import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** What a fetch found out about one item of a followed feed. Text only: no remote HTML is kept. */
export interface NetworkItem {
  /** Identity across fetches: id, else normalised link, else content hash (see itemKey). */
  key: string
  id?: string
  url?: string
  title?: string
  /** Plain text, at most a few hundred characters. */
  summary?: string
  date?: string
  /** verified: signed by the feed's domain; unsigned: no envelope; failed: an envelope that did not verify. */
  status: 'verified' | 'unsigned' | 'failed'
  /** Why it failed (the verifier's status and reasons). */
  reason?: string
  /** The signing domain, for verified items. */
  domain?: string
  keyId?: string
  /** Verified with a key the domain did not use before, while its keys are flagged as replaced. */
  keyChanged?: boolean
  /** The original envelope's JSON text, unchanged, so it can be republished and checked downstream. */
  envelope?: string
  /** The post this item answers: its signed `in_reply_to` when it verified, else what the feed says. */
  inReplyTo?: string
  /** A reply to one of the reader's own posts: its whole text (plain, up to 5,000 characters). */
  text?: string
  /** When this store first saw the item (ISO). */
  firstSeen: string
}

/** The state of one followed feed: HTTP validators, its last outcome, and its last good items. */
export interface FeedRecord {
  url: string
  /** Where the feed was last read from, after redirects. */
  finalUrl?: string
  format?: string
  title?: string
  siteUrl?: string
  description?: string
  etag?: string
  lastModified?: string
  /** Not asked again before this time (Cache-Control: max-age). */
  freshUntil?: string
  /** The host asked to be left alone until this time (429/503 Retry-After). */
  retryAfter?: string
  lastFetched?: string
  lastSuccess?: string
  lastError?: string
  items: NetworkItem[]
}

/** Key continuity for one domain, as SSH's known_hosts. */
export interface DomainRecord {
  domain: string
  /** publicKeyMultibase of every key trusted for this domain. */
  knownKeys: string[]
  /** The keys of its last did.json. */
  lastKeys: string[]
  /** Its did.json dropped every known key without revoking them. */
  keysReplaced: boolean
  /** Whether it publishes /.well-known/did.json. */
  didJson?: boolean
  checkedAt?: string
}

/**
 * Where fetched state lives. The file store is the default; an aggregator can keep the same records in
 * its own database. Each write replaces one record whole, so a killed fetch leaves every record as it
 * was after its last complete write.
 */
export interface NetworkStore {
  readFeed(url: string): Promise<FeedRecord | undefined>
  writeFeed(record: FeedRecord): Promise<void>
  listFeeds(): Promise<FeedRecord[]>
  removeFeed(url: string): Promise<void>
  readDomain(domain: string): Promise<DomainRecord | undefined>
  writeDomain(record: DomainRecord): Promise<void>
  listDomains(): Promise<DomainRecord[]>
}

/** The folder a site's store lives in: `.signet/network/`, outside `dist/` and ignored by git. */
export function networkDir(siteRoot: string): string {
  return path.join(siteRoot, '.signet', 'network')
}

/** One JSON file per feed and per domain, each written to a temporary file and renamed into place. */
export function fileStore(dir: string): NetworkStore {
  const feeds = path.join(dir, 'feeds')
  const domains = path.join(dir, 'domains')
  const feedFile = (url: string) => path.join(feeds, createHash('sha256').update(url).digest('hex').slice(0, 24) + '.json')
  const domainFile = (domain: string) => path.join(domains, encodeURIComponent(domain.toLowerCase()).replace(/%/g, '_') + '.json')
  return {
    readFeed: async (url) => readJson<FeedRecord>(feedFile(url)),
    writeFeed: (record) => writeAtomic(feedFile(record.url), record),
    listFeeds: () => readAll<FeedRecord>(feeds),
    removeFeed: (url) => rm(feedFile(url), { force: true }),
    readDomain: async (domain) => readJson<DomainRecord>(domainFile(domain)),
    writeDomain: (record) => writeAtomic(domainFile(record.domain), record),
    listDomains: () => readAll<DomainRecord>(domains),
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // A record that cannot be read is treated as absent: the next fetch writes a good one.
    if (error instanceof SyntaxError) return undefined
    throw error
  }
}

async function readAll<T>(dir: string): Promise<T[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const records = await Promise.all(names.map((n) => readJson<T>(path.join(dir, n))))
  return records.filter((r): r is Awaited<T> => r !== undefined) as T[]
}

export async function writeAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, JSON.stringify(value))
  await rename(temp, file)
}
