import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base58btcEncode, embedJson, multibaseEncode } from '@signet/sign'
import { createDidResolver, STATUS_SENTENCES, STATUSES, verifyEnvelope } from '../src/index.js'
import type { VerifyOptions } from '../src/index.js'
import { didJson, OTHER_PUBLIC, OTHER_SEED, post, PUBLIC, serve, sign } from './helpers.js'

let site: Awaited<ReturnType<typeof serve>>
const routes: Record<string, string> = {}
let requests = 0
const opts = (extra: VerifyOptions = {}): VerifyOptions => ({ allowHttpLoopback: true, ...extra })

beforeAll(async () => {
  site = await serve({
    '/.well-known/did.json': (req, res) => {
      requests++
      res.writeHead(200, { 'content-type': 'application/did+json' }).end(routes.did)
    },
  })
  routes.did = didJson(site.did, [
    { id: 'key-1', publicKeyMultibase: PUBLIC },
    { id: 'old', publicKeyMultibase: OTHER_PUBLIC, revoked: '2026-01-01T00:00:00Z' },
  ])
})
afterAll(() => site.close())

describe('verifyEnvelope', () => {
  it('verifies a good envelope given as text or as a value, over real HTTP', async () => {
    const envelope = sign(post(site.origin), site.did)
    for (const input of [embedJson(envelope), envelope]) {
      const r = await verifyEnvelope(input, opts())
      expect(r.status, r.reasons.join()).toBe('verified')
      expect(r).toMatchObject({ domain: site.host, keyId: `${site.did}#key-1`, created: '2026-01-05T10:00:00Z', sentence: STATUS_SENTENCES.verified })
    }
  })

  it('has a human sentence for each of the eight statuses', () => {
    expect(STATUSES).toHaveLength(8)
    for (const s of STATUSES) expect(STATUS_SENTENCES[s]).toMatch(/^[A-Z].{20,}\.$/)
  })

  it.each([
    ['a changed content byte', (e: Record<string, unknown>) => { e.content_html = String(e.content_html).replace('First', 'Firs7') }],
    ['a changed title', (e: Record<string, unknown>) => { e.title = 'Hello & goodbye' }],
    ['a changed date (and proof date with it)', (e: Record<string, unknown>) => { e.date_published = '2026-01-05T10:00:01Z'; (e.proof as Record<string, unknown>).created = '2026-01-05T10:00:01Z' }],
  ])('reports bad signature for %s', async (_, change) => {
    const envelope = structuredClone(sign(post(site.origin), site.did)) as unknown as Record<string, unknown>
    change(envelope)
    expect((await verifyEnvelope(envelope, opts())).status).toBe('bad signature')
  })

  it('reports malformed for a proof created at another time than the post\'s date (spec §4.3), before looking at the signature', async () => {
    for (const change of [
      (e: Record<string, unknown>) => { e.date_published = '2026-01-05T10:00:01Z' },
      (e: Record<string, unknown>) => { (e.proof as Record<string, unknown>).created = '2026-01-05T10:00:01Z' },
    ]) {
      const envelope = structuredClone(sign(post(site.origin), site.did)) as unknown as Record<string, unknown>
      change(envelope)
      const r = await verifyEnvelope(envelope, opts())
      expect(r.status).toBe('malformed')
      expect(r.reasons.join(' ')).toMatch(/"proof\.created" is .* it must be the post's date_published/)
    }
    // Signed honestly with any other created, it is still refused: created is the post's date, not the signer's choice.
    const other = sign(post(site.origin), site.did, 'key-1', undefined, '2025-01-01T00:00:00Z')
    expect((await verifyEnvelope(other, opts())).status).toBe('malformed')
  })

  it('reports bad signature for an envelope signed with another key under our key id', async () => {
    const r = await verifyEnvelope(sign(post(site.origin), site.did, 'key-1', OTHER_SEED), opts())
    expect(r.status).toBe('bad signature')
  })

  it('reports unknown key for a key that did.json does not list', async () => {
    const r = await verifyEnvelope(sign(post(site.origin), site.did, 'key-9'), opts())
    expect(r.status).toBe('unknown key')
    expect(r.reasons[0]).toMatch(/key-9 is not listed/)
  })

  it('reports unknown key for a key listed but not in assertionMethod, and for a non-Ed25519 key', async () => {
    const doc = JSON.parse(didJson(site.did, [{ id: 'key-1', publicKeyMultibase: PUBLIC }])) as Record<string, unknown>
    doc.assertionMethod = []
    const envelope = sign(post(site.origin), site.did)
    const notAsserted = await verifyEnvelope(envelope, { didDocuments: { [site.did]: JSON.stringify(doc) } })
    expect(notAsserted.status).toBe('unknown key')
    expect(notAsserted.reasons[0]).toMatch(/not listed in assertionMethod/)
    // A P-256 Multikey (multicodec 0x1200, 33-byte compressed point) where Ed25519 is expected.
    const p256 = multibaseEncode(Uint8Array.from([0x80, 0x24, 0x02, ...new Uint8Array(32).fill(7)]))
    const other = didJson(site.did, [{ id: 'key-1', publicKeyMultibase: PUBLIC }]).replace(PUBLIC, p256)
    const r = await verifyEnvelope(envelope, { didDocuments: { [site.did]: other } })
    expect(r.status).toBe('unknown key')
    expect(r.reasons[0]).toMatch(/Multikey|Ed25519/)
  })

  it('reports revoked key when created is at or after the revocation, and verifies older posts', async () => {
    const after = sign(post(site.origin, 'late', { date_published: '2026-02-01T00:00:00Z' }), site.did, 'old', OTHER_SEED)
    expect((await verifyEnvelope(after, opts())).status).toBe('revoked key')
    const before = sign(post(site.origin, 'early', { date_published: '2025-06-01T00:00:00Z' }), site.did, 'old', OTHER_SEED)
    expect((await verifyEnvelope(before, opts())).status).toBe('verified')
    // Backdated: signed "before" revocation but first seen after it.
    const seen = await verifyEnvelope(before, opts({ firstSeen: () => '2026-03-01T00:00:00Z' }))
    expect(seen.status).toBe('revoked key')
    expect(seen.reasons[0]).toMatch(/backdating/)
  })

  it('reports malformed for a wrong cryptosuite, a short proofValue, extra members and duplicate keys', async () => {
    const good = sign(post(site.origin), site.did)
    const suite = { ...good, proof: { ...good.proof, cryptosuite: 'ecdsa-jcs-2019' } }
    const suiteResult = await verifyEnvelope(suite, opts())
    expect(suiteResult.status).toBe('malformed')
    expect(suiteResult.reasons.join()).toMatch(/cryptosuite/)
    const short = { ...good, proof: { ...good.proof, proofValue: 'z' + base58btcEncode(new Uint8Array(63).fill(1)) } }
    expect((await verifyEnvelope(short, opts())).reasons.join()).toMatch(/63 bytes/)
    expect((await verifyEnvelope({ ...good, extra: 'x' }, opts())).status).toBe('malformed')
    const duplicate = embedJson(good).replace('{"id":', '{"title":"Other","id":')
    const dup = await verifyEnvelope(duplicate, opts())
    expect(dup.status).toBe('malformed')
    expect(dup.reasons[0]).toMatch(/duplicate key "title"/)
  })

  it('reports malformed for a huge envelope and for deep nesting, without fetching', async () => {
    const before = requests
    const good = sign(post(site.origin), site.did)
    const huge = await verifyEnvelope({ ...good, content_html: '<p>' + 'x'.repeat(1_100_000) + '</p>' }, opts())
    expect(huge.status).toBe('malformed')
    expect(huge.reasons.join()).toMatch(/limit is 1048576/)
    const hugeText = await verifyEnvelope(embedJson({ ...good, content_html: 'y'.repeat(5 * 1024 * 1024) }), opts())
    expect(hugeText.reasons[0]).toMatch(/limit is 4194304/)
    const deep = await verifyEnvelope('['.repeat(40) + ']'.repeat(40), opts())
    expect(deep.reasons[0]).toMatch(/nests 40 levels/)
    expect(requests).toBe(before)
  })

  it('reports domain mismatch for a url off the key\'s host, a non-did:web key, a foreign source or domain', async () => {
    const offHost = sign(post('https://elsewhere.example'), site.did)
    expect((await verifyEnvelope(offHost, opts())).status).toBe('domain mismatch')
    const didKey = sign(post(site.origin), 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')
    expect((await verifyEnvelope(didKey, opts())).status).toBe('domain mismatch')
    const good = sign(post(site.origin), site.did)
    const copied = await verifyEnvelope(good, opts({ sourceUrl: 'https://copycat.example/feed.xml' }))
    expect(copied.status).toBe('domain mismatch')
    expect(copied.reasons[0]).toMatch(/found at copycat\.example/)
    expect((await verifyEnvelope(good, opts({ expectedDomain: 'other.example' }))).status).toBe('domain mismatch')
  })

  it('caches a resolved DID document across verifications that share a resolver', async () => {
    const resolver = createDidResolver({ allowHttpLoopback: true })
    const before = requests
    for (const slug of ['a', 'b', 'c']) expect((await verifyEnvelope(sign(post(site.origin, slug), site.did), { resolver })).status).toBe('verified')
    expect(requests - before).toBe(1)
  })

  it('needs the user\'s consent for http: and otherwise uses https: only', async () => {
    const r = await verifyEnvelope(sign(post(site.origin), site.did), { timeoutMs: 3000 })
    expect(r.status).toBe('unknown key')
    expect(r.reasons[0]).toContain(`https://${site.host}/.well-known/did.json`)
  })
})
