import { findDuplicateKey, SPEC_URL } from '@signet/sign'
import type { Shown } from './compare.js'
import { compareShown } from './compare.js'
import { checkEnvelope } from './envelope.js'
import { createDidResolver } from './resolver.js'
import { readSource, VerifyInputError } from './source.js'
import { result } from './types.js'
import type { SignedEnvelopeSeen, VerifyOptions, VerifyResult } from './types.js'
import { readXmlFeed } from './xml-feed.js'

export type FeedFormat = 'rss' | 'atom' | 'json'

/** One feed item's result, with what the item itself shows so people can tell items apart. */
export interface ItemResult extends VerifyResult {
  /** The item's position in the feed, from 0. */
  index: number
  /** Title and link as the item shows them. */
  title?: string
  link?: string
}

export interface FeedResult {
  format: FeedFormat
  /** Where the feed was read from, when known. */
  source?: string
  items: ItemResult[]
}

/** What each format gives for one item: its envelope(s) and its visible fields. */
export interface FeedItem {
  envelopes: unknown[]
  shown: Shown
  /** A problem with the item's envelope that makes it malformed before parsing. */
  problem?: string
}

const LABEL: Record<FeedFormat, string> = { rss: 'The RSS feed', atom: 'The Atom feed', json: 'The JSON Feed' }

/**
 * Verifies every item of an RSS 2.0, Atom 1.0 or JSON Feed 1.1 feed (recognised by content), given as
 * text or as an http(s) URL to fetch. Throws VerifyInputError when the input is not a readable feed.
 */
export async function verifyFeed(urlOrText: string, options: VerifyOptions = {}): Promise<FeedResult> {
  const source = await readSource(urlOrText, options)
  const { format, items } = readFeed(source.text)
  const shared: VerifyOptions = {
    ...options,
    resolver: options.resolver ?? createDidResolver(options),
    ...(source.url === undefined ? {} : { sourceUrl: source.url }),
  }
  const results: ItemResult[] = []
  for (const [index, item] of items.entries()) {
    const [title] = item.shown.titles ?? []
    const [link] = item.shown.urls ?? []
    const label = { index, ...(title === undefined ? {} : { title: title.trim() }), ...(link === undefined ? {} : { link: link.trim() }) }
    const { result: checked, value } = await checkItem(item, LABEL[format] + `'s item ${index + 1}`, shared)
    const final = { ...checked, ...label }
    if (value) options.onEnvelope?.(value, final)
    results.push(final)
  }
  return { format, ...(source.url === undefined ? {} : { source: source.url }), items: results }
}

/** One item or page: its envelope by spec §8.3, then what it shows. `value` is the envelope when its signature verified. */
export async function checkItem(item: FeedItem, where: string, options: VerifyOptions): Promise<{ result: VerifyResult; value?: SignedEnvelopeSeen }> {
  if (item.envelopes.length > 1) return { result: result('malformed', [`${where} has ${item.envelopes.length} signed envelopes; there must be exactly one.`]) }
  if (item.problem !== undefined) return { result: result('malformed', [item.problem]) }
  if (item.envelopes.length === 0) return { result: result('unsigned', [`${where} has no signed envelope.`]) }
  const { result: checked, value } = await checkEnvelope(item.envelopes[0], options)
  if (checked.status !== 'verified' || !value) return { result: checked }
  const seen = value as unknown as SignedEnvelopeSeen
  const differences = compareShown(where, item.shown, value)
  if (differences.length === 0) return { result: checked, value: seen }
  return { result: { ...result('shown differently from signed', differences), ...pick(checked) }, value: seen }
}

function pick(r: VerifyResult): Partial<VerifyResult> {
  const { status: _s, sentence: _t, reasons: _r, ...rest } = r
  return rest
}

/** Recognises the format by content and reads its items. */
export function readFeed(text: string): { format: FeedFormat; items: FeedItem[] } {
  const start = text.replace(/^\uFEFF/, '').trimStart()
  if (start.startsWith('{')) return { format: 'json', items: readJsonFeed(text) }
  if (start.startsWith('<')) return readXmlFeed(text)
  throw new VerifyInputError('this is neither an XML feed (RSS, Atom) nor a JSON Feed')
}

function readJsonFeed(text: string): FeedItem[] {
  let feed: unknown
  try {
    feed = JSON.parse(text)
  } catch (error) {
    throw new VerifyInputError(`the JSON Feed is not valid JSON: ${(error as Error).message}`)
  }
  const record = (typeof feed === 'object' && feed !== null ? feed : {}) as Record<string, unknown>
  if (typeof record.version !== 'string' || !record.version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(record.items)) {
    throw new VerifyInputError('this JSON is not a JSON Feed (it needs "version": "https://jsonfeed.org/version/1.1" and "items")')
  }
  // A repeated key would let two parsers read different envelopes from the same feed (spec §8.2).
  const duplicate = findDuplicateKey(text)
  const problem = duplicate && `The JSON Feed repeats the key ${JSON.stringify(duplicate.key)} at line ${duplicate.line}, column ${duplicate.column}; JSON with repeated keys is rejected.`
  return (record.items as unknown[]).map((raw): FeedItem => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
    const list = (...values: unknown[]) => values.filter((v): v is string => typeof v === 'string')
    const shown: Shown = {
      urls: list(item.url), ids: list(item.id), titles: list(item.title), dates: list(item.date_published), dateForm: 'rfc3339',
      contents: list(item.content_html), summaries: list(item.summary, item.content_text),
    }
    if (item._funding !== undefined) shown.payments = fundingUrls(item._funding)
    const signed = item._signed
    if (signed === undefined) return { envelopes: [], shown }
    const s = (typeof signed === 'object' && signed !== null ? signed : {}) as Record<string, unknown>
    if (problem) return { envelopes: [s.envelope], shown, problem }
    if (s.about !== SPEC_URL) return { envelopes: [s.envelope], shown, problem: `"_signed.about" must be ${JSON.stringify(SPEC_URL)}, got ${JSON.stringify(s.about)}.` }
    if (s.envelope === undefined) return { envelopes: [], shown, problem: '"_signed" has no "envelope".' }
    // The envelope is a JSON value here (spec §7.1); text would be a second way to carry it.
    if (typeof s.envelope !== 'object' || s.envelope === null || Array.isArray(s.envelope)) {
      return { envelopes: [s.envelope], shown, problem: `"_signed.envelope" must be a JSON object, not ${s.envelope === null ? 'null' : Array.isArray(s.envelope) ? 'an array' : `a ${typeof s.envelope}`}.` }
    }
    return { envelopes: [s.envelope], shown }
  })
}

/** The URLs a JSON Feed item's `_funding` shows; one that is not a string shows as "" (never signed). */
function fundingUrls(funding: unknown): string[] {
  const links = typeof funding === 'object' && funding !== null ? (funding as { links?: unknown }).links : undefined
  if (!Array.isArray(links)) return ['']
  return links.map((link: unknown) => {
    const url = typeof link === 'object' && link !== null ? (link as { url?: unknown }).url : undefined
    return typeof url === 'string' ? url : ''
  })
}
