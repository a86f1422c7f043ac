import { afterEach, describe, expect, it } from 'vitest'
import { createHttpClient } from '@signet/network'
import { discoverEndpoint, htmlEndpoint } from '../src/discover.js'
import { rocksCases, rocksRoutes } from './rocks.js'
import { serve, type TestServer } from './server.js'

let servers: TestServer[] = []
afterEach(async () => { await Promise.all(servers.map((s) => s.close())); servers = [] })

describe('endpoint discovery, as webmention.rocks tests it', () => {
  it('finds the right endpoint in each of the 23 discovery cases', async () => {
    const s = await serve((origin) => rocksRoutes(`${origin}/`))
    servers.push(s)
    const base = `${s.origin}/`
    const http = createHttpClient({ userAgent: 'test', allowPrivateNetwork: true, timeoutMs: 3000 })
    const cases = rocksCases(base)
    expect(cases.map((c) => c.num)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1))
    const found: Record<number, string | undefined> = {}
    for (const c of cases) found[c.num] = (await discoverEndpoint(`${base}test/${c.num}${c.num === 23 ? '/page' : ''}`, http)).endpoint
    await http.close()
    expect(found).toEqual(Object.fromEntries(cases.map((c) => [c.num, `${s.origin}${c.expected}`])))
    for (const url of Object.values(found)) expect(url).not.toMatch(/error/)
  })

  it('ignores a body that is not HTML, and reports a target that has no endpoint', async () => {
    const s = await serve({
      '/text': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('<link rel="webmention" href="/nope">'),
      '/json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":"<a rel=webmention href=/nope>"}'),
      '/plain': '<html><body><a href="/x">no endpoint</a></body></html>',
    })
    servers.push(s)
    const http = createHttpClient({ userAgent: 'test', allowPrivateNetwork: true, timeoutMs: 3000 })
    const text = await discoverEndpoint(`${s.origin}/text`, http)
    const json = await discoverEndpoint(`${s.origin}/json`, http)
    const plain = await discoverEndpoint(`${s.origin}/plain`, http)
    const missing = await discoverEndpoint(`${s.origin}/missing`, http)
    await http.close()
    expect([text.endpoint, json.endpoint, plain.endpoint, missing.endpoint]).toEqual([undefined, undefined, undefined, undefined])
    expect(plain).toMatchObject({ failed: false, reason: expect.stringContaining('advertises no Webmention endpoint') })
    expect(missing).toMatchObject({ failed: false, reason: expect.stringContaining('404') })
  })

  it('refuses a loopback target unless private addresses are allowed', async () => {
    const s = await serve({ '/': '<html><head><link rel="webmention" href="/wm"></head></html>' })
    servers.push(s)
    const closed = createHttpClient({ userAgent: 'test', timeoutMs: 3000 })
    const refused = await discoverEndpoint(`${s.origin}/`, closed)
    await closed.close()
    expect(refused.endpoint).toBeUndefined()
    expect(refused).toMatchObject({ failed: true, reason: expect.stringContaining('private') })
    expect(s.requests).toHaveLength(0)
  })

  it('reads rel as tokens in any case, skips non-http endpoints, and never reads past a comment', () => {
    expect(htmlEndpoint('<a rel="me WebMention" href="/a">', 'https://t.example/p/')).toBe('https://t.example/a')
    expect(htmlEndpoint('<link rel="webmention" href="javascript:alert(1)"><a rel="webmention" href="b">', 'https://t.example/p/')).toBe('https://t.example/p/b')
    expect(htmlEndpoint('<!-- <link rel="webmention" href="/x"> -->', 'https://t.example/')).toBeUndefined()
    expect(htmlEndpoint('<b rel="webmention" href="/x">', 'https://t.example/')).toBeUndefined()
  })
})
