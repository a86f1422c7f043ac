import { afterEach, describe, expect, it } from 'vitest'
import { discoverFeeds, linkHeader, linkValues } from '../src/discover.js'
import { createHttpClient } from '../src/http.js'
import { rss, serve, type TestServer } from './server.js'

const ATOM = `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom title</title><link href="/"/><id>urn:x</id></feed>`
const JSONFEED = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON title', home_page_url: '/', items: [] })
let servers: TestServer[] = []
const http = () => createHttpClient({ userAgent: 'test', allowPrivateNetwork: true, timeoutMs: 2000 })
afterEach(async () => { await Promise.all(servers.map((s) => s.close())); servers = [] })

describe('feed discovery', () => {
  it('reads <link rel> token lists and ./ hrefs, prefers JSON Feed, then Atom, then RSS, and sees did.json', async () => {
    const s = await serve({
      '/blog/': `<html><head><title>The page</title><link rel="alternate nofollow" type="application/rss+xml" href="./feed.xml"><link rel="ALTERNATE" type="application/atom+xml" href="atom.xml"><link rel="alternate" type="application/feed+json" href="../feed.json"></head><body><a rel="alternate" type="application/rss+xml" href="/nope.xml">x</a></body></html>`,
      '/blog/feed.xml': rss([]), '/blog/atom.xml': ATOM, '/feed.json': JSONFEED,
      '/.well-known/did.json': JSON.stringify({ id: 'did:web:x' }),
    })
    servers.push(s)
    const client = http()
    const found = await discoverFeeds(`${s.origin}/blog/`, client)
    await client.close()
    expect(found.feedUrl).toBe(`${s.origin}/feed.json`)
    expect(found.feeds.map((f) => f.format)).toEqual(['json', 'atom', 'rss'])
    expect(found.title).toBe('JSON title')
    expect(found.didJson).toBe(true)
  })

  it('reads the HTTP Link header, and falls back to the usual paths', async () => {
    const a = await serve({
      '/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html', link: '</x/atom>; rel="alternate"; type="application/atom+xml"' }).end('<html><head></head></html>'),
      '/x/atom': ATOM,
    })
    const b = await serve({ '/': '<html><head><title>Bare</title></head></html>', '/index.xml': rss([], 'Hugo site') })
    servers.push(a, b)
    const client = http()
    expect((await discoverFeeds(`${a.origin}/`, client)).feedUrl).toBe(`${a.origin}/x/atom`)
    const bare = await discoverFeeds(`${b.origin}/`, client)
    await client.close()
    expect([bare.feedUrl, bare.title, bare.didJson]).toEqual([`${b.origin}/index.xml`, 'Hugo site', false])
  })

  it('says clearly when a site has no feed', async () => {
    const s = await serve({ '/': '<html><head></head></html>' })
    servers.push(s)
    const client = http()
    await expect(discoverFeeds(`${s.origin}/`, client)).rejects.toThrow(/no feed found/)
    await client.close()
  })
})

describe('Link headers', () => {
  it('reads each link and its parameters, quoted or not, commas inside quotes included', () => {
    expect(linkValues('</feed.xml>; rel="alternate"; type="application/rss+xml"; title="A, B", <https://x.example/atom>;rel=alternate;type=application/atom+xml')).toEqual([
      { target: '/feed.xml', params: { rel: 'alternate', type: 'application/rss+xml', title: 'A, B' } },
      { target: 'https://x.example/atom', params: { rel: 'alternate', type: 'application/atom+xml' } },
    ])
    expect(linkHeader('</feed.xml>; rel="alternate"; type="application/rss+xml"', 'https://a.example/blog/')).toEqual([{ kind: 'feed', href: 'https://a.example/feed.xml' }])
  })

  it('reads a header of unclosed brackets and long names in one pass', () => {
    // Shapes that made the former pattern quadratic: they end without a link, and at once.
    expect(linkValues('<'.repeat(200_000))).toEqual([])
    expect(linkValues(`<x>${'\t*='.repeat(100_000)}`)).toEqual([{ target: 'x', params: {} }])
  })
})
