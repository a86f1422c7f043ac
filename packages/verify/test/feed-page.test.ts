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
    const text = rss([{ envelope }]).replace('xmlns:s="urn:signet:ns:signed-posts:v1"', 'xmlns:s="https://example.org/other"')
    expect((await verifyFeed(text, withDid())).items[0]!.status).toBe('unsigned')
  })

  it('reads Atom and JSON Feed, and rejects a JSON Feed with a repeated key', async () => {
    const envelope = sign(post(site.origin), site.did)
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:signet:ns:signed-posts:v1"><entry>
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

  it('reports a repeated title, link, guid, date or content as shown differently (a reader may show the second)', async () => {
    const envelope = sign(post(site.origin), site.did)
    const good = rss([{ envelope }])
    expect((await verifyFeed(good, withDid())).items[0]!.status).toBe('verified')
    for (const [what, extra] of [
      ['title', '<title>We endorse the merger</title>'],
      ['link', `<link>${site.origin}/posts/other/</link>`],
      ['guid', '<guid>x</guid>'],
      ['pubDate', '<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>'],
      ['content', '<content:encoded>&lt;p&gt;Other&lt;/p&gt;</content:encoded>'],
    ]) {
      const r = await verifyFeed(good.replace('</item>', `${extra}\n</item>`), withDid())
      expect(r.items[0]!.status, what).toBe('shown differently from signed')
    }
  })

  it('compares summaries: the signed summary, or else the start of the signed text (feeds without full content)', async () => {
    const summarised = sign(post(site.origin, 'hello', { summary: 'A first post.' }), site.did)
    const bare = sign(post(site.origin), site.did)
    const withDescription = (envelope: typeof bare, description: string) =>
      rss([{ envelope }]).replace(/<content:encoded>.*?<\/content:encoded>/s, `<description>${description}</description>`)
    const statuses = async (text: string) => (await verifyFeed(text, withDid())).items.map((i) => i.status)
    expect(await statuses(withDescription(summarised, 'A first post.'))).toEqual(['verified'])
    expect(await statuses(withDescription(summarised, 'A last post.'))).toEqual(['shown differently from signed'])
    // An excerpt of the text cut with an ellipsis. A description is HTML: its text reads `<b>markup</b>.`
    // as `markup.` and `</p><p>` as a space (spec §7.4), so a space before the full stop is not that text.
    expect(await statuses(withDescription(bare, 'First post, with a link and markup. Second…'))).toEqual(['verified'])
    expect(await statuses(withDescription(bare, 'First post, with a link and markup . Second…'))).toEqual(['shown differently from signed'])
    expect(await statuses(withDescription(bare, 'First post, with a link and &lt;b&gt;markup&lt;/b&gt;'))).toEqual(['verified'])
    expect(await statuses(withDescription(bare, 'We endorse the merger.'))).toEqual(['shown differently from signed'])
  })

  it('accepts Atom content only as type="html": text, xhtml and src would show something else', async () => {
    const envelope = sign(post(site.origin), site.did)
    const entry = (content: string) => `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:signet:ns:signed-posts:v1"><entry>
<id>${envelope.id}</id><title type="html">Hello &amp;amp; welcome</title><link href="${envelope.url}"/><published>2026-01-05T11:00:00+01:00</published>
${content}<x:envelope>${embedJson(envelope)}</x:envelope></entry></feed>`
    const html = envelope.content_html.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    const status = async (text: string) => (await verifyFeed(text, withDid())).items[0]!.status
    expect(await status(entry(`<content type="html">${html}</content>`))).toBe('verified')
    expect(await status(entry('<content type="text">We endorse the merger.</content>'))).toBe('shown differently from signed')
    expect(await status(entry('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">We endorse</div></content>'))).toBe('shown differently from signed')
    expect(await status(entry(`<content type="html" src="https://x.example/">${html}</content>`))).toBe('shown differently from signed')
  })

  it('reads RSS dates of the years 0–99 as written (not as 19xx or 20xx)', async () => {
    const envelope = sign(post(site.origin, 'old', { date_published: '0001-01-01T00:00:00Z', date_modified: undefined }), site.did)
    const date = new Date(envelope.date_published).toUTCString()
    expect(date).toBe('Mon, 01 Jan 0001 00:00:00 GMT')
    expect((await verifyFeed(rss([{ envelope, date }]), withDid())).items[0]!.status).toBe('verified')
    expect((await verifyFeed(rss([{ envelope, date: 'Mon, 01 Jan 2001 00:00:00 GMT' }]), withDid())).items[0]!.status).toBe('shown differently from signed')
  })

  it('reports a JSON Feed envelope written as a JSON string as malformed (it is a JSON value)', async () => {
    const envelope = sign(post(site.origin), site.did)
    const item = { id: envelope.id, url: envelope.url, content_html: envelope.content_html, _signed: { about: SPEC_URL, envelope: JSON.stringify(envelope) } }
    const r = await verifyFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [item] }), withDid())
    expect(r.items[0]!.status).toBe('malformed')
    expect(r.items[0]!.reasons[0]).toMatch(/must be a JSON object, not a string/)
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
    expect(link.reasons[0]).toMatch(/different text .*evil/)
    const twice = page(envelope).replace('</head>', `<script type="application/json" id="signed-envelope">${embedJson(envelope)}</script></head>`)
    expect((await verifyPage(twice, withDid())).status).toBe('malformed')
    expect((await verifyPage('<!doctype html><html><head></head><body>Hi</body></html>')).status).toBe('unsigned')
  })
})

describe('verifyPage compares the page body as HTML (spec §7.5)', () => {
  const envelope = () => sign(post(site.origin, 'hello', { content_html: '<p>We do not endorse the merger.</p>\n<p>See <a href="' + site.origin + '/about/">about</a>.</p>' }), site.did)
  const check = async (html: string) => verifyPage(html, withDid())

  it('verifies the page as built: relative links, other white space around the content', async () => {
    const e = envelope()
    expect((await check(page(e, e.content_html.replace(`${site.origin}/about/`, '/about/')))).status).toBe('verified')
    expect((await check(page(e, `\n\n  ${e.content_html}\n\t`))).status).toBe('verified')
  })

  it.each([
    ['a word hidden by a hidden attribute', (html: string) => html.replace('<p>We do not', '<p>We do <span hidden>not</span>').replace('do <span hidden>not</span> endorse', 'do <span hidden>not</span> endorse')],
    ['a style attribute', (html: string) => html.replace('<p>We', '<p style="display:none">We')],
    ['a class the signed content does not have', (html: string) => html.replace('<p>We', '<p class="visually-hidden">We')],
    ['a comment in place of a word', (html: string) => html.replace('not ', '<!-- not -->')],
    ['an element the signer did not write', (html: string) => html.replace('merger.', '<del>merger.</del>')],
    ['an attribute changed', (html: string) => html.replace('/about/', '/about/?x')],
  ])('reports shown differently for %s', async (_, change) => {
    const e = envelope()
    const changed = change(e.content_html)
    expect(changed).not.toBe(e.content_html)
    const r = await check(page(e, changed))
    expect(r.status, r.reasons.join(' ')).toBe('shown differently from signed')
  })

  describe('a responsive <picture> reads as its <img>', () => {
    const img = (origin: string) => `<img src="${origin}/posts/hello/kite.ab12-960.jpg" alt="A kite" width="960" height="640">`
    const signedPlain = () => sign(post(site.origin, 'hello', { content_html: `<p>Look:</p>\n<p>${img(site.origin)}</p>\n` }), site.did)
    const picture = (sources: string, imgSrcset = 'kite.ab12-480.jpg 480w, kite.ab12-960.jpg 960w') =>
      `<picture>${sources}<img src="kite.ab12-960.jpg" alt="A kite" srcset="${imgSrcset}" sizes="100vw" width="960" height="640"></picture>`
    const AVIF = '<source type="image/avif" srcset="kite.ab12-480.avif 480w, kite.ab12-960.avif 960w" sizes="100vw">'

    it('verifies a page that shows the signed plain <img> as a <picture> of copies in its folder', async () => {
      const e = signedPlain()
      const r = await check(page(e, `<p>Look:</p>\n<p>${picture(AVIF)}</p>\n`))
      expect(r.status, r.reasons.join(' ')).toBe('verified')
    })

    it.each([
      ['a source from another folder', picture('<source type="image/avif" srcset="../../evil/kite.avif 960w">')],
      ['a source on another host', picture('<source type="image/avif" srcset="https://evil.example/posts/hello/kite.avif 960w">')],
      ['an img srcset from another folder', picture(AVIF, '/elsewhere/kite.jpg 960w')],
      ['another image as the fallback', picture(AVIF).replace('src="kite.ab12-960.jpg"', 'src="other.jpg"')],
      ['text inside the picture', picture(AVIF).replace('<img', 'not <img')],
      ['a picture with a style', picture(AVIF).replace('<picture>', '<picture style="display:none">')],
      ['an alt text changed', picture(AVIF).replace('A kite', 'A hawk')],
    ])('reports shown differently for %s', async (_, shown) => {
      const e = signedPlain()
      const r = await check(page(e, `<p>Look:</p>\n<p>${shown}</p>\n`))
      expect(r.status, r.reasons.join(' ')).toBe('shown differently from signed')
    })
  })

  it('treats a page without the elements it must compare as shown differently, not as passing', async () => {
    const e = envelope()
    const good = page(e)
    const cases: [string, string, RegExp][] = [
      ['e-content renamed', page(e, e.content_html.replace('We do not', 'We do')).replace('class="e-content"', 'class="content"'), /does not show its content/],
      ['p-name removed', good.replace('class="p-name"', 'class="name"'), /does not show its title/],
      ['dt-published removed', good.replace('class="dt-published"', 'class="published"'), /does not show its date/],
      ['canonical removed', good.replace(/<link rel="canonical"[^>]*>/, ''), /does not show a <link rel="canonical">/],
      ['no h-entry', good.replace('class="h-entry"', 'class="post"'), /marks no h-entry/],
      ['two e-content', good.replace('</article>', '<div class="e-content">We endorse the merger.</div></article>'), /2 e-content elements/],
      ['two h-entry', good.replace('</body>', '<article class="h-entry"><p class="p-name">Other</p></article></body>'), /2 h-entry elements/],
      ['a second title', good.replace('<time', '<h2 class="p-name">Another title</h2><time'), /2 titles/],
      ['a hidden e-content', good.replace('class="e-content"', 'class="e-content" hidden'), /hidden attribute/],
      ['a styled h-entry', good.replace('class="h-entry"', 'class="h-entry" style="color:white"'), /style attribute/],
    ]
    expect((await check(good)).status).toBe('verified')
    for (const [what, html, reason] of cases) {
      expect(html, what).not.toBe(good)
      const r = await check(html)
      expect(r.status, what).toBe('shown differently from signed')
      expect(r.reasons.join(' '), what).toMatch(reason)
    }
  })

  it('finds the envelope by id but accepts it only in <script type="application/json">', async () => {
    const e = envelope()
    for (const html of [page(e).replace('<script type="application/json"', '<script type="text/plain"'), page(e).replace('<script type="application/json" id="signed-envelope">', '<template id="signed-envelope">').replace('</script></head>', '</template></head>')]) {
      const r = await check(html)
      expect(r.status).toBe('malformed')
      expect(r.reasons[0]).toMatch(/must be <script type="application\/json">/)
    }
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
