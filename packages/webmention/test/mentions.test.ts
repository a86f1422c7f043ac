import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importMentions, MENTIONS_FILE, type MentionsFile } from '../src/mentions.js'
import { serve, type TestServer } from './server.js'

const SITE = 'https://me.example/'
const POST = `${SITE}posts/hello/`
let root: string
let servers: TestServer[] = []
beforeEach(() => { root = mkdtempSync(path.join(tmpdir(), 'signet-mentions-')) })
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  rmSync(root, { recursive: true, force: true })
})

/** A receiver's jf2 feed listing mentions from sources on the same test server. */
async function receiver(sources: Record<string, string | number>, entries: (origin: string) => unknown[]) {
  let feedQueries: string[] = []
  const s = await serve((origin) => {
    const routes: Record<string, ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | string> = {
      '/api/mentions.jf2': (req, res) => {
        feedQueries.push(req.url ?? '')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'feed', name: 'Webmentions', children: entries(origin) }))
      },
    }
    for (const [p, body] of Object.entries(sources)) routes[p] = typeof body === 'number' ? (_req, res) => void res.writeHead(body).end() : body
    return routes
  })
  servers.push(s)
  return { s, queries: () => feedQueries, reset: () => { feedQueries = [] } }
}

const entry = (origin: string, p: string, extra: Record<string, unknown> = {}) => ({
  type: 'entry', author: { type: 'card', name: 'Replier <b>bold</b>', url: `${origin}/`, photo: `${origin}/me.jpg` }, url: `${origin}${p}`,
  published: '2026-12-01T10:00:00+01:00', 'wm-received': '2026-12-01T09:05:00Z', 'wm-id': 1, 'wm-source': `${origin}${p}`, 'wm-target': POST,
  'wm-property': 'in-reply-to', 'in-reply-to': POST, content: { html: '<p>Nice <script>alert(1)</script>post</p>', text: 'Nice post' }, ...extra,
})

describe('importing a receiver\'s mentions', () => {
  it('keeps only the mentions whose source, read again, links the post, as text', async () => {
    const { s, queries } = await receiver({
      '/reply': `<html><body><p>Nice post</p><a class="u-in-reply-to" href="${POST}#comments">re</a></body></html>`,
      '/liar': '<html><body><!-- <a href="https://me.example/posts/hello/">x</a> --> no link here</body></html>',
      '/gone': 410,
    }, (origin) => [
      entry(origin, '/reply'),
      entry(origin, '/liar'),
      entry(origin, '/gone'),
      entry(origin, '/reply', { 'wm-target': 'https://someone-else.example/p' }),
      { type: 'entry', url: 'javascript:alert(1)' },
    ])
    const summary = await importMentions({ root, feedUrl: `${s.origin}/api/mentions.jf2?domain=me.example`, token: 'sekrit', siteUrl: SITE, allowPrivateNetwork: true, timeoutMs: 3000 })
    expect(queries()).toEqual(['/api/mentions.jf2?domain=me.example&token=sekrit'])
    expect([summary.listed, summary.verified, summary.kept]).toEqual([5, 1, 0])
    expect(summary.rejected.map((r) => r.reason).sort()).toEqual([
      `${s.origin}/gone is gone (HTTP 410)`,
      `${s.origin}/liar does not link ${POST}`,
      'its target is not on https://me.example/',
      'no http(s) source',
    ])
    const stored = JSON.parse(readFileSync(path.join(root, MENTIONS_FILE), 'utf8')) as MentionsFile
    expect(stored.mentions).toEqual([{
      source: `${s.origin}/reply`, target: POST, property: 'in-reply-to', author: { name: 'Replier bold', url: `${s.origin}/` },
      published: '2026-12-01T09:00:00.000Z', text: 'Nice post', verified: expect.any(String),
    }])
    expect(JSON.stringify(stored)).not.toContain('sekrit')
  })

  it('keeps a verified mention whose source cannot be read this time, and drops it once the source is gone', async () => {
    let answer: number | string = `<html><a href="${POST}">re</a></html>`
    const s = await serve((origin) => ({
      '/api/mentions.jf2': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'feed', children: [entry(origin, '/reply')] })),
      '/reply': (_req, res) => void (typeof answer === 'number' ? res.writeHead(answer).end() : res.writeHead(200, { 'content-type': 'text/html' }).end(answer)),
    }))
    servers.push(s)
    const run = () => importMentions({ root, feedUrl: `${s.origin}/api/mentions.jf2`, siteUrl: SITE, allowPrivateNetwork: true, timeoutMs: 3000 })
    expect((await run()).verified).toBe(1)
    answer = 503
    expect((await run()).kept).toBe(1)
    answer = 404
    const gone = await run()
    expect([gone.verified, gone.kept, gone.rejected.length]).toEqual([0, 0, 1])
    expect((JSON.parse(readFileSync(path.join(root, MENTIONS_FILE), 'utf8')) as MentionsFile).mentions).toEqual([])
  })

  it('refuses sources on private addresses without the flag, and never prints the token', async () => {
    const { s } = await receiver({ '/reply': `<a href="${POST}">re</a>` }, (origin) => [entry(origin, '/reply')])
    const refused = importMentions({ root, feedUrl: `${s.origin}/api/mentions.jf2`, token: 'sekrit', siteUrl: SITE, timeoutMs: 3000 })
    await expect(refused).rejects.toThrow(/private, loopback/)
    await expect(refused).rejects.not.toThrow(/sekrit/)
    expect(s.requests).toHaveLength(0)
  })
})
