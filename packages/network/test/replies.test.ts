import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchFeeds, type FetchOptions } from '../src/fetch.js'
import { parseFeedText } from '../src/parse.js'
import { isReplyTo, parseMuteList, replyKey, selectReplies, type RepliesInput } from '../src/replies.js'
import { fileStore, type FeedRecord, type NetworkItem } from '../src/store.js'
import { rss, serve, type TestServer } from './server.js'

const ME = 'https://me.example/blog/'
const POST = 'https://me.example/blog/posts/hello/'

describe('which items answer the reader\'s posts', () => {
  it('isReplyTo: a post under the site\'s URL, whatever the scheme, www. or trailing slash', () => {
    expect(isReplyTo(POST, ME)).toBe(true)
    expect(isReplyTo('http://www.me.example/blog/posts/hello', ME)).toBe(true)
    expect(isReplyTo('https://me.example/other/', ME)).toBe(false)
    expect(isReplyTo('https://me.example.evil.test/blog/x/', ME)).toBe(false)
    expect(isReplyTo(undefined, ME)).toBe(false)
    expect(replyKey('http://www.me.example/blog/posts/hello#x')).toBe(replyKey(POST))
  })

  it('reads in_reply_to from a JSON Feed item (an object or a URL) and thr:in-reply-to from Atom', () => {
    const json = parseFeedText(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [
      { id: '1', content_html: '<p>One <b>two</b></p>', summary: 'short', in_reply_to: { url: POST, id: POST } },
      { id: '2', content_text: 'a < b', in_reply_to: POST },
      { id: '3', content_text: 'not a reply', in_reply_to: 'javascript:alert(1)' },
    ] }), 'https://them.example/feed.json')
    expect(json.items.map((i) => [i.inReplyTo, i.body])).toEqual([[POST, '<p>One <b>two</b></p>'], [POST, 'a &lt; b'], [undefined, 'not a reply']])
    const atom = parseFeedText(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"><title>A</title><id>urn:a</id><updated>2026-12-01T00:00:00Z</updated><entry><id>urn:1</id><title>Re</title><updated>2026-12-01T00:00:00Z</updated><thr:in-reply-to ref="${POST}" href="${POST}"/><content type="html">&lt;p&gt;Yes.&lt;/p&gt;</content></entry></feed>`, 'https://them.example/atom.xml')
    expect(atom.items[0]).toMatchObject({ inReplyTo: POST, body: '<p>Yes.</p>' })
  })

  it('mute.txt: one domain a line, # comments, a URL read as its host, a port kept; anything else a problem', () => {
    expect(parseMuteList('# loud\nLoud.example\n\nhttps://www.shouty.example/about  # their site\n127.0.0.1:8080\nnot a domain\n')).toEqual({
      domains: ['loud.example', 'shouty.example', '127.0.0.1:8080'],
      problems: [{ line: 6, message: '"not a domain" is not a domain: write one domain a line, such as example.com' }],
    })
  })
})

describe('selectReplies', () => {
  const item = (over: Partial<NetworkItem>): NetworkItem => ({
    key: over.url ?? 'k', firstSeen: '2026-12-01T00:00:00Z', status: 'verified', domain: 'them.example', url: 'https://them.example/re/', inReplyTo: POST, text: 'Hi.', date: '2026-12-02T00:00:00Z', ...over,
  })
  const feed = (url: string, items: NetworkItem[]): FeedRecord => ({ url, title: 'Them', siteUrl: new URL('/', url).href, items })
  const input = (over: Partial<RepliesInput>): RepliesInput => ({
    feeds: [feed('https://them.example/feed.json', [item({})])], domains: [], following: ['https://them.example/feed.json'], muted: [], policy: 'signed', siteUrl: ME, ...over,
  })
  const shown = (over: Partial<RepliesInput>) => (selectReplies(input(over)).get(replyKey(POST)) ?? []).map((r) => `${r.url} ${r.signedBy ?? 'unsigned'}`)

  it('shows a verified reply of a followed feed, signed by its domain, oldest first', () => {
    const feeds = [feed('https://them.example/feed.json', [item({ url: 'https://them.example/b/', date: '2026-12-03T00:00:00Z' }), item({ url: 'https://them.example/a/' })])]
    expect(shown({ feeds })).toEqual(['https://them.example/a/ them.example', 'https://them.example/b/ them.example'])
    expect(selectReplies(input({})).get(replyKey(POST))![0]).toEqual({
      url: 'https://them.example/re/', text: 'Hi.', date: '2026-12-02T00:00:00Z', host: 'them.example', siteUrl: 'https://them.example/', siteTitle: 'Them', signedBy: 'them.example',
    })
  })

  it('unsigned and key-changed replies only under `followed`; failed ones never; nothing under `none`', () => {
    const feeds = [feed('https://them.example/feed.json', [
      item({ url: 'https://them.example/u/', status: 'unsigned', domain: undefined }),
      item({ url: 'https://them.example/k/', keyChanged: true }),
      item({ url: 'https://them.example/f/', status: 'failed', domain: undefined }),
    ])]
    expect(shown({ feeds })).toEqual([])
    expect(shown({ feeds, policy: 'followed' })).toEqual(['https://them.example/k/ unsigned', 'https://them.example/u/ unsigned'])
    expect(shown({ policy: 'none' })).toEqual([])
    expect(shown({ domains: [{ domain: 'them.example', knownKeys: [], lastKeys: [], keysReplaced: true }] })).toEqual([])
  })

  it('never from a feed not followed, another domain\'s item in a followed feed, a muted domain, or another site\'s post', () => {
    expect(shown({ following: [] })).toEqual([])
    expect(shown({ feeds: [feed('https://them.example/feed.json', [item({ url: 'https://other.example/re/', status: 'unsigned' })])], policy: 'followed' })).toEqual([])
    expect(shown({ muted: ['them.example'] })).toEqual([])
    expect(shown({ muted: ['example'] })).toEqual([]) // a domain mutes its subdomains
    expect(shown({ muted: ['hem.example', 'them.example:8080'] })).toEqual(['https://them.example/re/ them.example'])
    expect(shown({ siteUrl: 'https://me.example/other/' })).toEqual([])
  })

  it('received Webmention replies: only under `followed`, only from a followed feed\'s site, not muted, to a post of the site', () => {
    const mention = (source: string, target = POST) => ({ source, target, text: 'Seen it.', published: '2026-12-01T00:00:00Z', verified: '2026-12-05T00:00:00Z' })
    const mentions = [mention('https://them.example/wm/'), mention('https://stranger.example/wm/'), mention('https://them.example/other/', 'https://elsewhere.example/p/')]
    expect(shown({ mentions })).toEqual(['https://them.example/re/ them.example'])
    expect(shown({ mentions, policy: 'followed' })).toEqual(['https://them.example/wm/ unsigned', 'https://them.example/re/ them.example'])
    expect(shown({ mentions, policy: 'followed', muted: ['them.example'] })).toEqual([])
    expect(selectReplies(input({ mentions, policy: 'followed' })).get(replyKey(POST))![0]).toEqual({ url: 'https://them.example/wm/', text: 'Seen it.', date: '2026-12-01T00:00:00Z', host: 'them.example', siteUrl: 'https://them.example/', siteTitle: 'Them' })
  })
})

describe('fetchFeeds and replies', () => {
  let servers: TestServer[] = []
  afterEach(async () => { await Promise.all(servers.map((s) => s.close())); servers = [] })
  const open: FetchOptions = { allowPrivateNetwork: true, timeoutMs: 1500, siteUrl: ME }

  it('keeps a reply\'s whole text, keeps replies past maxItemsPerFeed, and drops one whose page answers 410 once it left the feed', async () => {
    let items: object[] = []
    const s = await serve({
      '/feed.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/feed+json' }).end(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Them', items })),
      '/gone/': (_req, res) => void res.writeHead(410).end('gone'),
      '/moved-on/': '<html><title>still here</title></html>',
    })
    servers.push(s)
    const long = 'word '.repeat(400).trim()
    items = [
      { id: `${s.origin}/gone/`, url: `${s.origin}/gone/`, content_text: 'Deleted later.', in_reply_to: { url: POST }, date_published: '2026-12-01T00:00:00Z' },
      { id: `${s.origin}/moved-on/`, url: `${s.origin}/moved-on/`, content_html: `<p>${long}</p>`, summary: 'short', in_reply_to: { url: POST }, date_published: '2026-12-02T00:00:00Z' },
      { id: `${s.origin}/other/`, url: `${s.origin}/other/`, content_text: 'Not to me.', in_reply_to: { url: 'https://else.example/x/' }, date_published: '2026-12-03T00:00:00Z' },
    ]
    const store = fileStore(mkdtempSync(path.join(os.tmpdir(), 'signet-replies-')))
    const url = `${s.origin}/feed.json`
    await fetchFeeds([{ url }], store, open)
    let record = (await store.readFeed(url))!
    expect(record.items.find((i) => i.url === `${s.origin}/moved-on/`)?.text).toBe(long)
    expect(record.items.find((i) => i.url === `${s.origin}/other/`)?.text).toBeUndefined()
    // Both replies leave the feed, which now holds two newer posts and keeps only one item.
    items = [1, 2].map((n) => ({ id: `${s.origin}/new-${n}/`, url: `${s.origin}/new-${n}/`, content_text: `New ${n}`, date_published: `2026-12-1${n}T00:00:00Z` }))
    await fetchFeeds([{ url }], store, { ...open, maxItemsPerFeed: 1 })
    record = (await store.readFeed(url))!
    expect(record.items.map((i) => i.url)).toEqual([`${s.origin}/new-2/`, `${s.origin}/moved-on/`])
    expect(s.requests.map((r) => r.url).filter((u) => u !== '/feed.json').sort()).toEqual(['/gone/', '/moved-on/'])
  })

  it('reads the page of a new unsigned item that links to a post of the site, once, for its h-entry u-in-reply-to', async () => {
    const page = (target: string) => `<!doctype html><html><body><article class="h-entry"><p>In reply to <a class="u-in-reply-to h-cite" href="${target}">a post</a></p><div class="e-content">Nice.</div></article></body></html>`
    const s = await serve({
      '/rss.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([
        { title: 'Re', link: `${s.origin}/re/`, guid: 'r', description: `&lt;p&gt;About &lt;a href="${POST}"&gt;this&lt;/a&gt;: nice.&lt;/p&gt;` },
        { title: 'Elsewhere', link: `${s.origin}/else/`, guid: 'e', description: `&lt;p&gt;About &lt;a href="${POST}"&gt;this&lt;/a&gt; too.&lt;/p&gt;` },
        { title: 'Unrelated', link: `${s.origin}/plain/`, guid: 'p', description: 'No links.' },
      ])),
      '/re/': page(POST),
      '/else/': page('https://else.example/post/'),
    })
    servers.push(s)
    const store = fileStore(mkdtempSync(path.join(os.tmpdir(), 'signet-replies-')))
    const url = `${s.origin}/rss.xml`
    await fetchFeeds([{ url }], store, open)
    const record = (await store.readFeed(url))!
    expect(record.items.find((i) => i.title === 'Re')).toMatchObject({ inReplyTo: POST, text: 'About this: nice.' })
    expect(record.items.find((i) => i.title === 'Elsewhere')?.inReplyTo).toBeUndefined()
    await fetchFeeds([{ url }], store, { ...open, force: true })
    expect(s.requests.map((r) => r.url).filter((u) => u !== '/rss.xml').sort()).toEqual(['/else/', '/re/'])
  })
})
