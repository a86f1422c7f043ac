import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchFeeds, type FetchOptions } from '../src/fetch.js'
import { fileStore } from '../src/store.js'
import { rss, serve, type TestServer } from './server.js'

let servers: TestServer[] = []
afterEach(async () => { await Promise.all(servers.map((s) => s.close())); servers = [] })
const open: FetchOptions = { allowPrivateNetwork: true, timeoutMs: 1500, siteUrl: 'https://me.example/' }
const store = () => fileStore(mkdtempSync(path.join(os.tmpdir(), 'signet-network-')))
async function server(routes: Parameters<typeof serve>[0]) {
  const s = await serve(routes)
  servers.push(s)
  return s
}

describe('fetchFeeds', () => {
  it('stores an unsigned RSS feed as text, and sends conditional requests with both validators', async () => {
    let body = rss([{ title: 'Hello <b>there</b>', link: 'http://plain.example/1', guid: 'http://plain.example/1', description: '&lt;p&gt;Words &lt;script&gt;alert(1)&lt;/script&gt;here&lt;/p&gt;' }])
    const s = await server({
      '/feed.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Mon, 07 Dec 2026 00:00:00 GMT') return void res.writeHead(304, { etag: '"v1"', 'last-modified': 'Mon, 07 Dec 2026 00:00:01 GMT' }).end()
        res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 07 Dec 2026 00:00:00 GMT', 'content-type': 'application/rss+xml' }).end(body)
      },
    })
    const st = store()
    const url = `${s.origin}/feed.xml`
    const first = await fetchFeeds([{ url }], st, open)
    expect([first.fetched, first.itemsNew, first.unsigned]).toEqual([1, 1, 1])
    const record = await st.readFeed(url)
    expect(record?.items[0]).toMatchObject({ title: 'Hello there', summary: 'Words here', status: 'unsigned', url: 'http://plain.example/1' })
    expect(s.requests[0]!.headers['user-agent']).toMatch(/Signet.*https:\/\/me\.example\//)
    const second = await fetchFeeds([{ url }], st, open)
    expect([second.notModified, second.itemsNew]).toEqual([1, 0])
    expect(await st.readFeed(url)).toMatchObject({ etag: '"v1"', lastModified: 'Mon, 07 Dec 2026 00:00:01 GMT' })
    // http → https and an edited title do not make a second item
    body = rss([{ title: 'Hello again', link: 'https://plain.example/1/', guid: 'https://plain.example/1' }])
    const third = await fetchFeeds([{ url }], st, { ...open, force: true })
    expect(third.itemsNew).toBe(0)
    expect((await st.readFeed(url))?.items.map((i) => i.title)).toEqual(['Hello again'])
  })

  it('keeps a feed\'s last good items when it fails, and never lets one feed fail the rest', async () => {
    let broken = false
    const s = await server({
      '/ok.xml': rss([{ title: 'Fine', guid: 'a' }]),
      '/flaky.xml': (_req, res) => (broken ? void res.writeHead(500).end('oops') : void res.writeHead(200).end(rss([{ title: 'Kept', guid: 'k' }]))),
      '/bomb.xml': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss version="2.0"><channel><title>&lol2;</title><item><title>&lol2;</title></item></channel></rss>`,
      '/huge.xml': (_req, res) => { res.writeHead(200); res.end(rss([{ title: 'x'.repeat(3000), guid: 'h' }])) },
      '/never': () => undefined,
      '/busy.xml': (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end(),
    })
    const st = store()
    const feeds = ['/ok.xml', '/flaky.xml', '/bomb.xml', '/huge.xml', '/never', '/busy.xml', '/nothing.xml'].map((p) => ({ url: s.origin + p }))
    await fetchFeeds([feeds[1]!], st, open)
    broken = true
    const started = Date.now()
    const summary = await fetchFeeds(feeds, st, { ...open, maxBytes: 2000, timeoutMs: 800 })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(summary.feeds.map((f) => f.state)).toEqual(['fetched', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed'])
    const reasons = summary.feeds.map((f) => f.reason ?? '')
    expect(reasons[1]).toMatch(/HTTP 500/)
    expect(reasons[2]).toMatch(/DOCTYPE or entities/)
    expect(reasons[3]).toMatch(/2000-byte limit/)
    expect(reasons[4]).toMatch(/did not answer within 0.8 s/)
    expect(reasons[5]).toMatch(/HTTP 429.*asked to wait until/)
    expect((await st.readFeed(feeds[1]!.url))?.items.map((i) => i.title)).toEqual(['Kept'])
    const again = await fetchFeeds([feeds[5]!], st, open)
    expect(again.feeds[0]).toMatchObject({ state: 'skipped' })
    expect((await fetchFeeds([feeds[5]!], st, { ...open, force: true })).feeds[0]!.state).toBe('failed')
  })

  it('honours Cache-Control max-age, and reads RSS 0.91, RSS 1.0 and Atom', async () => {
    const s = await server({
      '/fresh.xml': (_req, res) => void res.writeHead(200, { 'cache-control': 'public, max-age=600' }).end(rss([{ title: 'x', guid: 'x' }])),
      '/old.xml': '<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><item><title>Ninety one</title><link>https://old.example/1</link></item></channel></rss>',
      '/rdf.xml': '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel><item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link></item></rdf:RDF>',
      '/atom.xml': '<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:a</id><entry><id>urn:a:1</id><title>Entry</title><link href="/e1"/><updated>2026-12-01T00:00:00Z</updated><summary type="html">&lt;em&gt;sum&lt;/em&gt;</summary></entry></feed>',
    })
    const st = store()
    const urls = ['/fresh.xml', '/old.xml', '/rdf.xml', '/atom.xml'].map((p) => ({ url: s.origin + p }))
    const summary = await fetchFeeds(urls, st, open)
    expect(summary.fetched).toBe(4)
    const titles = await Promise.all(urls.map(async (u) => (await st.readFeed(u.url))?.items[0]?.title))
    expect(titles).toEqual(['x', 'Ninety one', 'One', 'Entry'])
    expect((await st.readFeed(urls[3]!.url))?.items[0]).toMatchObject({ url: `${s.origin}/e1`, summary: 'sum', date: '2026-12-01T00:00:00.000Z' })
    expect((await fetchFeeds([urls[0]!], st, open)).feeds[0]).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/max-age/) })
  })

  it('refuses loopback and private addresses without the flag: after DNS, for IP literals, and on redirects', async () => {
    const s = await server({
      '/feed.xml': rss([{ title: 'secret', guid: 's' }]),
      '/to-private': (_req, res) => void res.writeHead(302, { location: 'http://10.0.0.1/feed.xml' }).end(),
      '/to-loopback': (_req, res) => void res.writeHead(301, { location: `http://127.0.0.2:1/feed.xml` }).end(),
      '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
    })
    const st = store()
    const port = new URL(s.origin).port
    const closed = await fetchFeeds([{ url: `${s.origin}/feed.xml` }, { url: `http://localhost:${port}/feed.xml` }], st, { timeoutMs: 1500 })
    expect(closed.feeds.map((f) => f.reason)).toEqual([
      expect.stringMatching(/is a private, loopback or link-local address/),
      expect.stringMatching(/localhost resolves to .*private, loopback or link-local/),
    ])
    // The test server's own address is opened, nothing else: each redirect is checked again.
    const redirected = await fetchFeeds(['/to-private', '/to-loopback', '/loop'].map((p) => ({ url: s.origin + p })), st, { allowAddresses: ['127.0.0.1'], timeoutMs: 1500 })
    expect(redirected.feeds.map((f) => f.reason)).toEqual([
      expect.stringMatching(/10\.0\.0\.1.*private/),
      expect.stringMatching(/127\.0\.0\.2.*private/),
      expect.stringMatching(/redirects more than 5 times/),
    ])
    expect(s.requests.filter((r) => r.url === '/feed.xml')).toHaveLength(0)
  })
})
