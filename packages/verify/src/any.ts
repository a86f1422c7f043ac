import { verifyFeed } from './feed.js'
import type { FeedResult } from './feed.js'
import { verifyPage } from './page.js'
import type { PageResult } from './page.js'
import { readSource } from './source.js'
import type { VerifyOptions } from './types.js'

export type SourceResult = ({ kind: 'feed' } & FeedResult) | ({ kind: 'page' } & PageResult)

/** A feed or a page, told apart by content: HTML pages start with a doctype or <html>. */
export async function verifySource(urlOrText: string, options: VerifyOptions = {}): Promise<SourceResult> {
  const source = await readSource(urlOrText, options)
  const withUrl = source.url === undefined ? options : { ...options, sourceUrl: source.url }
  const head = source.text.replace(/^\uFEFF/, '').trimStart().slice(0, 512).toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || (!head.startsWith('<?xml') && head.includes('<head'))) {
    return { kind: 'page', ...(await verifyPage(source.text, withUrl)) }
  }
  return { kind: 'feed', ...(await verifyFeed(source.text, withUrl)) }
}
