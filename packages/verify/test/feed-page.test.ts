import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedJson, SPEC_URL } from '@signet/sign'
import { badgeScript, parseXml, verifyFeed, verifyPage, VerifyInputError, verifySource } from '../src/index.js'
import { didJson, page, post, rss, serve, sign } from './helpers.js'

let site: Awaited<ReturnType<typeof serve>>
let copycat: Awaited<ReturnType<typeof serve>>
const files: Record<string, string> = {}
const opts = { allowHttpLoopback: true }

beforeAll(async () => {
  const handler = (name: string) => (_req: unknown, res: import('node:http').ServerResponse) => { res.writeHead(200).end(files[name]) }
  site = await serve({ '/feed.xml': handler('feed'), '/posts/hello/': handler('page') })
  copycat = await serve({ '/feed.xml': handler('feed') })
  files.did = didJson(site.did)
  const envelope = sign(post(site.origin), site.did)
  files.feed = rss([{ envelope }])
  files.page = page(envelope, envelope.content_html.replace(`${site.origin}/about/`, '../../about/'))
})
afterAll(async () => { await site.close(); await copycat.close() })

const withDid = () => ({ didDocuments: { [site.did]: didJson(site.did) } })

describe('verifyFeed', () => {
  it('verifies an RSS feed fetched over HTTP, matching the envelope element by namespace URI (prefix "s")', async () => {
    const r = await verifyFeed(`${site.origin}/feed.xml`, { ...opts, ...withDid() })
    expect(r.format).toBe('rss')
    expect(r.items.map((i) => i.status)).toEqual(['verified'])
    expect(r.items[0]!.title).toBe('Hello & welcome')
  })

  it('reports domain mismatch for the same feed copied to another host', async () => {
    const r = await verifyFeed(`${copycat.origin}/feed.xml`, { ...opts, ...withDid() })
    expect(r.items[0]!.status).toBe('domain mismatch')
    expect(r.items[0]!.reasons.join()).toContain(`found at ${copycat.host}`)
  })

  it('reports each shown field that differs from the signed one', async () => {
    const envelope = sign(post(site.origin), site.did)
    const text = rss([
      { envelope, title: 'Hello & farewell' },
      { envelope, content: envelope.content_html.replace('First', 'Last') },
      { envelope, date: 'Tue, 06 Jan 2026 10:00:00 GMT' },
      { envelope, link: `${site.origin}/posts/other/` },
    ])
    const r = await verifyFeed(text, withDid())
    expect(r.items.map((i) => i.status)).toEqual(Array(4).fill('shown differently from signed'))
    expect(r.items[0]!.reasons[0]).toMatch(/^The RSS feed's item 1 shows a different title than the one signed/)
    expect(r.items[1]!.reasons[0]).toMatch(/shows a different text than the one signed .*Last/)
    expect(r.items[2]!.reasons[0]).toMatch(/different date/)
    expect(r.items[3]!.reasons[0]).toMatch(/different link/)
  })

  it('ignores an envelope element in another namespace and reports the item unsigned', async () => {
    const envelope = sign(post(site.origin), site.did)
    const text = rss([{ envelope }]).replace('xmlns:s="https://signet.dev/ns/signed-posts/v1"', 'xmlns:s="https://example.org/other"')
    expect((await verifyFeed(text, withDid())).items[0]!.status).toBe('unsigned')
  })

  it('reads Atom and JSON Feed, and rejects a JSON Feed with a repeated key', async () => {
    const envelope = sign(post(site.origin), site.did)
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="https://signet.dev/ns/signed-posts/v1"><entry>
<id>${envelope.id}</id><title type="text">${envelope.title!.replace('&', '&amp;')}</title><link href="${envelope.url}"/>
<published>2026-01-05T10:00:00Z</published><content type="html">${envelope.content_html.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</content>
<x:envelope>${embedJson(envelope)}</x:envelope></entry></feed>`
    expect((await verifyFeed(atom, withDid())).items.map((i) => i.status)).toEqual(['verified'])
    const item = { id: envelope.id, url: envelope.url, title: envelope.title, content_html: envelope.content_html, date_published: envelope.date_published, _signed: { about: SPEC_URL, envelope } }
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [item] })
    expect((await verifyFeed(json, withDid())).items[0]!.status).toBe('verified')
    const other = JSON.stringify({ ...item, title: 'Shown title' })
    expect((await verifyFeed(json.replace(JSON.stringify(item), other), withDid())).items[0]!.status).toBe('shown differently from signed')
    const duplicated = json.replace('"_signed":{', '"_signed":{"about":"x",')
    const r = await verifyFeed(duplicated, withDid())
    expect(r.items[0]!.status).toBe('malformed')
    expect(r.items[0]!.reasons[0]).toMatch(/repeats the key "about"/)
  })

  it('throws VerifyInputError for what is not a feed, and refuses DTD entity declarations', async () => {
    await expect(verifyFeed('hello')).rejects.toBeInstanceOf(VerifyInputError)
    await expect(verifyFeed('<rss><channel></rss>')).rejects.toThrow(/line 1: <\/rss> does not close <channel>/)
    await expect(verifyFeed('<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss/>')).rejects.toThrow(/internal subset/)
    expect(() => parseXml('<a><b:c/></a>')).toThrow(/prefix "b"/)
  })
})

describe('verifyPage', () => {
  it('verifies a page whose content has relative links, resolving them against the canonical URL', async () => {
    expect(files.page).toContain('href="../../about/"')
    const r = await verifyPage(`${site.origin}/posts/hello/`, { ...opts, ...withDid() })
    expect(r.status, r.reasons.join()).toBe('verified')
    expect((await verifySource(files.page!, withDid())).kind).toBe('page')
  })

  it('reports a page that shows another text, title or link target, and one with two envelopes', async () => {
    const envelope = sign(post(site.origin), site.did)
    const text = await verifyPage(page(envelope, envelope.content_html.replace('markup', 'murkup')), withDid())
    expect(text.status).toBe('shown differently from signed')
    expect(text.reasons[0]).toMatch(/^The page shows a different text/)
    expect((await verifyPage(page(envelope, envelope.content_html, 'Other title'), withDid())).reasons[0]).toMatch(/different title/)
    const link = await verifyPage(page(envelope, envelope.content_html.replace('/about/', '/evil/')), withDid())
    expect(link.reasons[0]).toMatch(/different links/)
    const twice = page(envelope).replace('</head>', `<script type="application/json" id="signed-envelope">${embedJson(envelope)}</script></head>`)
    expect((await verifyPage(twice, withDid())).status).toBe('malformed')
    expect((await verifyPage('<!doctype html><html><head></head><body>Hi</body></html>')).status).toBe('unsigned')
  })
})

describe('badgeScript', () => {
  it('is one self-contained ES module at assets/signet-badge.js', () => {
    const { path, contents } = badgeScript()
    expect(path).toBe('assets/signet-badge.js')
    expect(contents.length).toBeGreaterThan(10_000)
    expect(contents).not.toMatch(/\bfrom\s*["']|\bimport\s*\(|require\(/)
    expect(contents).toContain('data-signet-badge')
  })
})
