import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { verifyEnvelope } from '../src/index.js'
import { addressKind } from '../src/address.js'
import type { VerifyResult } from '../src/index.js'
import { didJson, post, serve, sign } from './helpers.js'

type Site = Awaited<ReturnType<typeof serve>>
const sites: Site[] = []
let mode = ''
let other: Site

// One server whose /.well-known/did.json misbehaves in the way `mode` says.
async function check(name: string): Promise<VerifyResult> {
  mode = name
  const site = sites[0]!
  return verifyEnvelope(sign(post(site.origin), site.did), { allowHttpLoopback: true, timeoutMs: 500 })
}

beforeAll(async () => {
  other = await serve({})
  const site: Site = await serve({
    '/.well-known/did.json': (_req, res: ServerResponse) => {
      if (mode === 'missing') return void res.writeHead(404).end('no')
      if (mode === 'away') return void res.writeHead(302, { location: `${other.origin}/.well-known/did.json` }).end()
      if (mode === 'near') return void res.writeHead(301, { location: '/keys/did.json' }).end()
      if (mode === 'loop') return void res.writeHead(302, { location: '/.well-known/did.json' }).end()
      if (mode === 'silent') return // never answers
      if (mode === 'endless') {
        res.writeHead(200, { 'content-type': 'application/json' })
        const pump = () => { while (res.write('{"a":"' + 'x'.repeat(65_536) + '"},')) { /* fill */ } }
        res.on('drain', pump)
        pump()
        return
      }
      if (mode === 'huge') return void res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end()
      if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>')
      if (mode === 'duplicate') return void res.writeHead(200).end(didJson(site.did).replace('"id":', '"id": "x", "id":'))
      res.writeHead(200).end(didJson(site.did))
    },
    '/keys/did.json': (_req, res: ServerResponse) => { res.writeHead(200).end(didJson(sites[0]!.did)) },
  })
  sites.push(site)
})
afterAll(async () => { for (const s of [...sites, other]) await s.close() })

describe('did:web resolution over real HTTP', () => {
  it('verifies when the server answers, and follows a redirect on the same host', async () => {
    expect((await check('ok')).status).toBe('verified')
    expect((await check('near')).status).toBe('verified')
  })

  it('reports unknown key for a missing did.json', async () => {
    const r = await check('missing')
    expect(r.status).toBe('unknown key')
    expect(r.reasons[0]).toMatch(/answered HTTP 404/)
  })

  it('does not follow a redirect to another host, nor endless redirects', async () => {
    const away = await check('away')
    expect(away.status).toBe('unknown key')
    expect(away.reasons[0]).toMatch(/redirects to another host/)
    expect((await check('loop')).reasons[0]).toMatch(/redirects more than 3 times/)
  })

  it('gives up on a server that never answers', async () => {
    const r = await check('silent')
    expect(r.status).toBe('unknown key')
    expect(r.reasons[0]).toMatch(/did not answer within 500 ms/)
  })

  it('stops reading an endless or declared-huge response at the size cap (malformed, spec §8.1)', async () => {
    const endless = await check('endless')
    expect(endless.status).toBe('malformed')
    expect(endless.reasons[0]).toMatch(/more than 262144 bytes/)
    expect((await check('huge')).reasons[0]).toMatch(/10485760 bytes; the limit is 262144/)
  })

  it('reports unknown key for a did.json that is not JSON, and malformed for one with a repeated key', async () => {
    const html = await check('html')
    expect(html.status).toBe('unknown key')
    expect(html.reasons[0]).toMatch(/not valid JSON/)
    const duplicate = await check('duplicate')
    expect(duplicate.status).toBe('malformed')
    expect(duplicate.reasons[0]).toMatch(/duplicate key "id"/)
  })

  it('does not contact loopback, private or link-local hosts an envelope names unless allowed (spec §3.2)', async () => {
    const asked: string[] = []
    const spy = (async (url: string | URL | Request) => { asked.push(String(url)); return new Response('{}', { status: 404 }) }) as typeof fetch
    for (const host of ['10.0.0.7', '192.168.1.1', '169.254.169.254', '127.0.0.1', 'localhost', 'internal.localhost']) {
      const origin = `https://${host}`
      const did = `did:web:${host.replace(':', '%3A')}`
      const r = await verifyEnvelope(sign(post(origin), did), { fetch: spy })
      expect(r.status, host).toBe('unknown key')
      expect(r.reasons.join(' '), host).toMatch(/(loopback|private|link-local) address, which a verifier does not contact unless allowed/)
    }
    expect(asked).toEqual([])
    // Allowed by the user, the fetch is made.
    await verifyEnvelope(sign(post('https://10.0.0.7'), 'did:web:10.0.0.7'), { fetch: spy, allowPrivateAddresses: true })
    expect(asked).toEqual(['https://10.0.0.7/.well-known/did.json'])
    for (const [host, kind] of [['[::1]', 'loopback'], ['[fd00::1]', 'private'], ['[fe80::1]', 'link-local'], ['[::ffff:a00:1]', 'private'], ['[::ffff:127.0.0.1]', 'loopback'], ['172.16.0.1', 'private'], ['100.64.0.1', 'private'], ['8.8.8.8', undefined], ['[2001:db8::1]', undefined], ['example.com', undefined]] as const) {
      expect(addressKind(host), host).toBe(kind)
    }
  })
})
