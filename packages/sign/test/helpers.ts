import { readFileSync } from 'node:fs'
import type { EnvelopeItem } from '../src/index.js'

export function fixture(path: string): string {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8')
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** A post that follows every envelope rule. */
export const post: EnvelopeItem = {
  id: 'https://example.com/posts/hello/',
  url: 'https://example.com/posts/hello/',
  title: 'Hello, wörld',
  content_html: '<p>First <a href="https://example.com/about/">post</a> with a footnote<sup><a href="#fn-1">1</a></sup>.</p>\n',
  summary: 'A first post.',
  date_published: '2026-01-05T10:00:00Z',
  date_modified: '2026-01-06T08:30:00Z',
  authors: [{ name: 'Ada', url: 'https://example.com/' }],
  tags: ['intro', 'café'],
  language: 'en',
}
