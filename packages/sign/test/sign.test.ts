import { describe, expect, it } from 'vitest'
import {
  canonicalize, embedJson, nobleSha256, encodeSecretMultikey, generateSeed, publicKeyFromSeed, signDocument, signEnvelope,
  verifyDocumentProof,
} from '../src/index.js'
import type { SignedEnvelope } from '../src/index.js'
import { nodePublicKey, nodeSha256, nodeSign, nodeVerify } from '../src/node.js'
import { hex, post } from './helpers.js'

const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1)
const publicKey = publicKeyFromSeed(seed)
const options = { seed, verificationMethod: 'did:web:example.com#key-2026-11', created: '2026-01-06T08:30:00Z' }

describe('signEnvelope', () => {
  const signed = signEnvelope(post, options)

  it('adds a DataIntegrityProof with every required field and no @context', () => {
    expect(signed.proof).toEqual({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      created: '2026-01-06T08:30:00Z',
      verificationMethod: 'did:web:example.com#key-2026-11',
      proofPurpose: 'assertionMethod',
      proofValue: expect.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{86,88}$/) as unknown,
    })
    expect(verifyDocumentProof(signed, publicKey)).toBe(true)
  })

  it('leaves the input untouched', () => {
    expect('proof' in post).toBe(false)
  })

  it('is deterministic: the same input and key give byte-identical envelopes', () => {
    const again = signEnvelope(structuredClone(post), { ...options, seed: seed.slice() })
    expect(embedJson(again)).toBe(embedJson(signed))
    expect(canonicalize(again)).toBe(canonicalize(signed))
  })

  it('does not depend on the order of the input keys', () => {
    const reversed = Object.fromEntries(Object.entries(post).reverse()) as typeof post
    expect(signEnvelope(reversed, options).proof.proofValue).toBe(signed.proof.proofValue)
  })

  it('refuses to sign a post that breaks the rules, listing each problem', () => {
    const bad = { ...post, date_published: '2026-01-05T10:00:00', content_html: '<p>x</p>\r\n' }
    expect(() => signEnvelope(bad, options)).toThrow(/^Cannot sign the post "https:\/\/example\.com\/posts\/hello\/":\n- /)
    expect(() => signEnvelope(bad, options)).toThrow(/\n- "date_published" must be a UTC date/)
    expect(() => signEnvelope(bad, options)).toThrow(/\n- "content_html" contains a carriage return/)
  })

  it('refuses to sign twice, a bad created date, or a non-DID-URL key reference', () => {
    expect(() => signEnvelope(signed, options)).toThrow(/already has a proof/)
    expect(() => signEnvelope(post, { ...options, created: '2026-01-06' })).toThrow(/created "2026-01-06" must be a UTC date/)
    expect(() => signEnvelope(post, { ...options, verificationMethod: 'key-1' })).toThrow(/must be a DID URL/)
    expect(() => signEnvelope(post, { ...options, seed: new Uint8Array(16) })).toThrow(/expected 32 bytes, got 16/)
  })

  it('does not verify with another key', () => {
    expect(verifyDocumentProof(signed, publicKeyFromSeed(generateSeed()))).toBe(false)
  })
})

describe('tampering', () => {
  const signed = signEnvelope(post, options)
  const edits: [string, (e: SignedEnvelope & Record<string, unknown>) => void][] = [
    ['id', (e) => { e.id = 'https://example.com/posts/other/' }],
    ['url', (e) => { e.url = 'https://example.com/posts/hello' }],
    ['title', (e) => { e.title = 'Hello, world' }],
    ['content_html (one character)', (e) => { e.content_html = e.content_html.replace('First', 'first') }],
    ['content_html (CRLF)', (e) => { e.content_html = e.content_html.replace('\n', '\r\n') }],
    ['summary', (e) => { delete e.summary }],
    ['date_published', (e) => { e.date_published = '2026-01-05T10:00:01Z' }],
    ['date_modified', (e) => { e.date_modified = '2026-01-06T08:30:01Z' }],
    ['authors', (e) => { e.authors = [{ name: 'Eve', url: 'https://example.com/' }] }],
    ['tags', (e) => { e.tags = ['café', 'intro'] }],
    ['language', (e) => { e.language = 'de' }],
    ['an added member', (e) => { e.image = 'https://example.com/x.png' }],
    ['proof.created', (e) => { e.proof.created = '2020-01-01T00:00:00Z' }],
    ['proof.verificationMethod', (e) => { e.proof.verificationMethod = 'did:web:example.com#key-2020' }],
    ['proof.proofPurpose', (e) => { (e.proof as unknown as Record<string, unknown>).proofPurpose = 'authentication' }],
    ['proof.cryptosuite', (e) => { (e.proof as unknown as Record<string, unknown>).cryptosuite = 'eddsa-rdfc-2022' }],
    ['proof.proofValue (last char)', (e) => { e.proof.proofValue = e.proof.proofValue.slice(0, -1) + (e.proof.proofValue.endsWith('2') ? '3' : '2') }],
    ['proof.proofValue (not base58)', (e) => { e.proof.proofValue = 'z0OIl' }],
    ['proof.@context added', (e) => { e.proof['@context'] = ['https://www.w3.org/ns/credentials/v2'] }],
  ]
  for (const [field, edit] of edits) {
    it(`breaks verification when ${field} changes`, () => {
      const copy = structuredClone(signed) as SignedEnvelope & Record<string, unknown>
      edit(copy)
      expect(verifyDocumentProof(copy, publicKey)).toBe(false)
      expect(verifyDocumentProof(copy, publicKey, { verify: nodeVerify, sha256: nodeSha256 })).toBe(false)
    })
  }

  it('returns false, not an exception, for a missing or odd proof', () => {
    const { proof: _p, ...bare } = signed
    expect(verifyDocumentProof(bare as SignedEnvelope, publicKey)).toBe(false)
    expect(verifyDocumentProof({ ...signed, proof: 'x' } as unknown as SignedEnvelope, publicKey)).toBe(false)
    expect(verifyDocumentProof(signed, new Uint8Array(31))).toBe(false)
  })
})

describe('node:crypto and noble', () => {
  it('sign byte-identically and each verifies the other', () => {
    for (let i = 0; i < 20; i++) {
      const s = generateSeed()
      const message = globalThis.crypto.getRandomValues(new Uint8Array(i * 13))
      const viaNode = signEnvelope({ ...post, title: `Post ${i}` }, { ...options, seed: s, sign: nodeSign, sha256: nodeSha256 })
      const viaNoble = signEnvelope({ ...post, title: `Post ${i}` }, { ...options, seed: s })
      expect(viaNode.proof.proofValue).toBe(viaNoble.proof.proofValue)
      const pub = publicKeyFromSeed(s)
      expect(verifyDocumentProof(viaNode, pub)).toBe(true)
      expect(verifyDocumentProof(viaNoble, pub, { verify: nodeVerify, sha256: nodeSha256 })).toBe(true)
      expect(hex(nodeSha256(message))).toBe(hex(nobleSha256(message)))
    }
  })

  it('derive the same public key from a seed (the W3C vector key and 50 random seeds)', () => {
    expect(hex(nodePublicKey(seed))).toBe(hex(publicKeyFromSeed(seed)))
    for (let i = 0; i < 50; i++) {
      const s = generateSeed()
      expect(hex(nodePublicKey(s))).toBe(hex(publicKeyFromSeed(s)))
    }
    expect(() => nodePublicKey(new Uint8Array(31))).toThrow(/32 bytes/)
  })

  it('nodeSign keeps giving correct signatures when many keys pass through its cache', () => {

    const seeds = Array.from({ length: 40 }, () => generateSeed())
    for (const s of [...seeds, ...seeds]) {
      const envelope = signEnvelope(post, { ...options, seed: s, sign: nodeSign })
      expect(verifyDocumentProof(envelope, publicKeyFromSeed(s), { verify: nodeVerify })).toBe(true)
    }
  })

  it('nodeSign refuses a wrong-length seed and nodeVerify a wrong-length key', () => {
    expect(() => nodeSign(new Uint8Array(8), new Uint8Array(31))).toThrow(/expected 32 bytes, got 31/)
    expect(nodeVerify(new Uint8Array(64), new Uint8Array(8), new Uint8Array(33))).toBe(false)
  })

  it('the secret key never appears in the envelope', () => {
    const envelope = embedJson(signEnvelope(post, options))
    expect(envelope).not.toContain(encodeSecretMultikey(seed))
    expect(envelope).not.toContain(hex(seed))
    expect(envelope).not.toContain(Buffer.from(seed).toString('base64'))
  })
})

describe('signDocument', () => {
  it('copies a string @context into the proof and verifies', () => {
    const doc = { '@context': 'https://www.w3.org/ns/credentials/v2', name: 'x' }
    const signed = signDocument(doc, options)
    expect(signed.proof['@context']).toBe('https://www.w3.org/ns/credentials/v2')
    expect(verifyDocumentProof(signed, publicKey)).toBe(true)
  })
})
