import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { embedJson } from '@signet/sign'
import { LEDGER_FILE, readLedger, tombstonePaths } from '../src/ledger.js'
import { builtPosts } from '../src/posts.js'
import { sendWebmentions, type SendOptions } from '../src/send.js'
import { serve, type TestServer } from './server.js'

const SITE = 'https://me.example/blog/'
let root: string
let servers: TestServer[] = []
beforeEach(() => { root = mkdtempSync(path.join(tmpdir(), 'signet-wm-')) })
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  rmSync(root, { recursive: true, force: true })
})

/** A post page as the theme writes it: the signed envelope in a script of the head. */
function writePost(slug: string, html: string, extra: Record<string, unknown> = {}): void {
  const url = `${SITE}posts/${slug}/`
  const envelope = { id: url, url, content_html: html, date_published: '2026-12-01T00:00:00Z', authors: [{ name: 'Me' }], ...extra, proof: { type: 'DataIntegrityProof', proofValue: 'z1' } }
  const dir = path.join(root, 'dist', 'posts', slug)
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html><head><script type="application/json" id="signed-envelope">${embedJson(envelope)}</script></head><body>${html}</body></html>`)
}

/** A receiver: pages that advertise an endpoint (or not), and the endpoint, recording every POST. */
async function receiver(): Promise<{ s: TestServer; posts: { source: string; target: string; path: string }[] }> {
  const posts: { source: string; target: string; path: string }[] = []
  const page = (endpoint: string) => `<html><head><link rel="webmention" href="${endpoint}"></head><body>a page</body></html>`
  const s = await serve({
    '/a': page('/endpoint?site=1'),
    '/b': page('/endpoint?site=1'),
    '/c': page('/endpoint?site=1'),
    '/quiet': '<html><body>no endpoint here</body></html>',
    '/broken': page('/refuses'),
    '/refuses': (_req, res) => void res.writeHead(500).end('not today'),
    '/endpoint': (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => { body += c.toString() })
      req.on('end', () => {
        const form = new URLSearchParams(body)
        posts.push({ source: form.get('source') ?? '', target: form.get('target') ?? '', path: req.url ?? '' })
        res.writeHead(posts.length % 2 === 0 ? 202 : 201).end()
      })
    },
  })
  servers.push(s)
  return { s, posts }
}

const options = (extra: Partial<SendOptions> = {}): SendOptions => ({ root, outDir: path.join(root, 'dist'), siteUrl: SITE, allowPrivateNetwork: true, timeoutMs: 3000, ...extra })

describe('sending Webmentions from a built site', () => {
  it('reads the posts of the built site: external links and references, not its own', () => {
    writePost('one', '<p><a href="https://other.example/x#part">x</a> <a href="/blog/posts/two/">own</a> <a href="https://me.example/elsewhere">same host</a> <a href="mailto:a@b.example">mail</a></p>', { in_reply_to: { url: 'https://replied.example/p' } })
    mkdirSync(path.join(root, 'dist', 'tags'), { recursive: true })
    writeFileSync(path.join(root, 'dist', 'tags', 'index.html'), '<html><body><a href="https://other.example/y">listing</a></body></html>')
    const [post, ...rest] = builtPosts(path.join(root, 'dist'), SITE)
    expect(rest).toHaveLength(0)
    expect(post).toMatchObject({ url: `${SITE}posts/one/`, path: 'posts/one/', targets: ['https://other.example/x', 'https://replied.example/p'] })
    expect(post!.digest).toMatch(/^z/)
  })

  it('sends each mention once per version; an edit tells old and new targets; a deletion tells them all', async () => {
    const { s, posts } = await receiver()
    writePost('hello', `<p><a href="${s.origin}/a">A</a> <a href="${s.origin}/b">B</a> <a href="${s.origin}/quiet">Q</a></p>`)
    const first = await sendWebmentions(options())
    expect([first.sent, first.none, first.failed]).toEqual([2, 1, 0])
    expect(posts.map((p) => p.target).sort()).toEqual([`${s.origin}/a`, `${s.origin}/b`])
    expect(posts.every((p) => p.source === `${SITE}posts/hello/` && p.path === '/endpoint?site=1')).toBe(true)

    const again = await sendWebmentions(options())
    expect([again.sent, again.none, again.failed, again.outcomes.length]).toEqual([0, 0, 0, 0])
    expect(posts).toHaveLength(2)

    // Edited: B dropped, C added, A kept: all three are told, and the quiet page is not asked again.
    writePost('hello', `<p>Edited. <a href="${s.origin}/a">A</a> <a href="${s.origin}/c">C</a> <a href="${s.origin}/quiet">Q</a></p>`)
    const edited = await sendWebmentions(options())
    expect(edited.outcomes.map((o) => `${o.why} ${o.target.slice(s.origin.length)} ${o.state}`).sort()).toEqual(['dropped /b sent', 'new /c sent', 'updated /a sent', 'updated /quiet none'])
    expect(posts.slice(2).map((p) => p.target).sort()).toEqual([`${s.origin}/a`, `${s.origin}/b`, `${s.origin}/c`])
    expect((await sendWebmentions(options())).outcomes).toHaveLength(0)

    // Deleted: the targets it still linked (A, C) are told; B already knows; the build makes its tombstone.
    rmSync(path.join(root, 'dist', 'posts', 'hello'), { recursive: true })
    expect(tombstonePaths(root)).toEqual(['posts/hello/'])
    const deleted = await sendWebmentions(options())
    expect(deleted.deleted).toBe(1)
    expect(deleted.outcomes.map((o) => `${o.why} ${o.target.slice(s.origin.length)} ${o.state}`).sort()).toEqual(['deleted /a sent', 'deleted /c sent'])
    expect(posts).toHaveLength(7)
    expect((await sendWebmentions(options())).outcomes).toHaveLength(0)
    expect(readLedger(root).posts[`${SITE}posts/hello/`]?.deleted).toBeDefined()
    expect(existsSync(path.join(root, 'dist', '.signet'))).toBe(false)
  })

  it('a failing endpoint fails only its own mention, and is tried again next time', async () => {
    const { s, posts } = await receiver()
    writePost('one', `<a href="${s.origin}/broken">broken</a> <a href="${s.origin}/a">a</a> <a href="http://127.0.0.1:1/closed">closed</a>`)
    const first = await sendWebmentions(options())
    expect([first.sent, first.failed]).toEqual([1, 2])
    expect(first.outcomes.find((o) => o.target.endsWith('/broken'))?.reason).toMatch(/HTTP 500: not today/)
    expect(posts).toHaveLength(1)
    const second = await sendWebmentions(options())
    expect(second.outcomes.map((o) => o.target.slice(s.origin.length)).filter((t) => t === '/broken')).toHaveLength(1)
    expect([second.sent, second.failed]).toEqual([0, 2])
  })

  it('a dry run lists what would be sent and fetches, sends and writes nothing', async () => {
    const { s, posts } = await receiver()
    writePost('one', `<a href="${s.origin}/a">a</a>`)
    const dry = await sendWebmentions(options({ dryRun: true }))
    expect(dry.outcomes.map((o) => [o.state, o.target])).toEqual([['planned', `${s.origin}/a`]])
    expect(s.requests).toHaveLength(0)
    expect(posts).toHaveLength(0)
    expect(existsSync(path.join(root, LEDGER_FILE))).toBe(false)
  })

  it('refuses loopback targets and endpoints without the flag, and records the failure', async () => {
    const { s, posts } = await receiver()
    writePost('one', `<a href="${s.origin}/a">a</a>`)
    const refused = await sendWebmentions(options({ allowPrivateNetwork: false }))
    expect(refused.failed).toBe(1)
    expect(refused.outcomes[0]?.reason).toMatch(/private, loopback/)
    expect(s.requests).toHaveLength(0)
    expect(posts).toHaveLength(0)
    expect(JSON.parse(readFileSync(path.join(root, LEDGER_FILE), 'utf8')).posts[`${SITE}posts/one/`].targets[`${s.origin}/a`].state).toBe('failed')
  })

  it('stops with a clear message when there is no built site or the ledger is not one', async () => {
    await expect(sendWebmentions(options())).rejects.toThrow(/dist does not exist/)
    writePost('one', 'x')
    mkdirSync(path.join(root, '.signet', 'webmention'), { recursive: true })
    writeFileSync(path.join(root, LEDGER_FILE), '{"version": 1, "posts": ')
    await expect(sendWebmentions(options())).rejects.toMatchObject({ file: LEDGER_FILE, message: expect.stringMatching(/not valid JSON/) })
  })
})
