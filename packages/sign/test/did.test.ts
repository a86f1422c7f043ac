import { describe, expect, it } from 'vitest'
import {
  createDidDocument, DID_CONTEXT, didDocumentPath, didDocumentUrl, didWebFromUrl, encodePublicMultikey,
  findSigningKey, generateSeed, hostOfDid, publicKeyFromSeed, SignetKeyError, urlInDidScope,
} from '../src/index.js'

describe('did:web mapping', () => {
  const cases: [string, string, string, string, string][] = [
    ['https://example.com/', 'did:web:example.com', 'https://example.com/.well-known/did.json', '.well-known/did.json', 'example.com'],
    ['https://example.com', 'did:web:example.com', 'https://example.com/.well-known/did.json', '.well-known/did.json', 'example.com'],
    ['https://Example.COM:8443/blog/', 'did:web:example.com%3A8443:blog', 'https://example.com:8443/blog/did.json', 'did.json', 'example.com:8443'],
    ['https://example.com/user/alice/', 'did:web:example.com:user:alice', 'https://example.com/user/alice/did.json', 'did.json', 'example.com'],
    ['http://localhost:3000/', 'did:web:localhost%3A3000', 'https://localhost:3000/.well-known/did.json', '.well-known/did.json', 'localhost:3000'],
    ['https://example.com:443/', 'did:web:example.com', 'https://example.com/.well-known/did.json', '.well-known/did.json', 'example.com'],
    ['https://bücher.example/', 'did:web:xn--bcher-kva.example', 'https://xn--bcher-kva.example/.well-known/did.json', '.well-known/did.json', 'xn--bcher-kva.example'],
  ]
  for (const [site, did, documentUrl, path, host] of cases) {
    it(`maps ${site} both ways`, () => {
      expect(didWebFromUrl(site)).toBe(did)
      expect(didDocumentUrl(did)).toBe(documentUrl)
      expect(didDocumentPath(site)).toBe(path)
      expect(hostOfDid(did)).toBe(host)
    })
  }

  it('ignores a fragment when locating the document', () => {
    expect(didDocumentUrl('did:web:example.com%3A3000:user:alice#key-1')).toBe('https://example.com:3000/user/alice/did.json')
  })

  it('refuses site URLs it cannot map, saying why', () => {
    expect(() => didWebFromUrl('example.com')).toThrow(/not an absolute URL/)
    expect(() => didWebFromUrl('ftp://example.com/')).toThrow(/must use https/)
    expect(() => didWebFromUrl('https://example.com/?x=1')).toThrow(/query or fragment/)
    expect(() => didWebFromUrl('https://me:pw@example.com/')).toThrow(/user name or password/)
  })

  it('refuses DIDs that are not canonical did:web', () => {
    expect(() => didDocumentUrl('did:key:z6Mk')).toThrow(/not a did:web/)
    expect(() => hostOfDid('did:web:Example.com')).toThrow(/canonical form/)
    expect(() => hostOfDid('did:web:example.com%3A443')).toThrow(/canonical form/)
    expect(() => didDocumentUrl('did:web:example.com::blog')).toThrow(/empty or invalid path segment/)
  })

  it('scopes URLs to the host, and to the path for path DIDs', () => {
    expect(urlInDidScope('https://example.com/posts/a/', 'did:web:example.com')).toBe(true)
    expect(urlInDidScope('https://evil.example/posts/a/', 'did:web:example.com')).toBe(false)
    expect(urlInDidScope('https://example.com:8443/a/', 'did:web:example.com')).toBe(false)
    expect(urlInDidScope('https://example.com:8443/blog/a/', 'did:web:example.com%3A8443:blog')).toBe(true)
    expect(urlInDidScope('https://example.com:8443/other/a/', 'did:web:example.com%3A8443:blog')).toBe(false)
    expect(urlInDidScope('https://example.com:8443/blogger/', 'did:web:example.com%3A8443:blog')).toBe(false)
    expect(urlInDidScope('not a url', 'did:web:example.com')).toBe(false)
  })
})

describe('DID document', () => {
  const did = 'did:web:example.com'
  const oldKey = encodePublicMultikey(publicKeyFromSeed(generateSeed()))
  const newKey = encodePublicMultikey(publicKeyFromSeed(generateSeed()))
  const doc = createDidDocument(did, [
    { id: 'key-2025-01', publicKeyMultibase: oldKey, revoked: '2026-11-01' },
    { id: 'key-2026-11', publicKeyMultibase: newKey },
  ])

  it('lists every key as a Multikey and only unrevoked ones in assertionMethod', () => {
    expect(doc).toEqual({
      '@context': DID_CONTEXT,
      id: did,
      verificationMethod: [
        { id: `${did}#key-2025-01`, type: 'Multikey', controller: did, publicKeyMultibase: oldKey, revoked: '2026-11-01T00:00:00Z' },
        { id: `${did}#key-2026-11`, type: 'Multikey', controller: did, publicKeyMultibase: newKey },
      ],
      assertionMethod: [`${did}#key-2026-11`],
    })
  })

  it('refuses bad key entries with a SignetKeyError naming the key', () => {
    expect(() => createDidDocument(did, [{ id: 'key 1', publicKeyMultibase: newKey }])).toThrow(/may contain only letters/)
    expect(() => createDidDocument(did, [{ id: 'k', publicKeyMultibase: newKey }, { id: 'k', publicKeyMultibase: oldKey }])).toThrow(/listed twice/)
    expect(() => createDidDocument(did, [{ id: 'k', publicKeyMultibase: 'z3u2abc' }])).toThrow(SignetKeyError)
    expect(() => createDidDocument(did, [{ id: 'k', publicKeyMultibase: newKey, revoked: 'soon' }])).toThrow(/key k: revoked date/)
  })

  it('finds a usable key, and reports unknown and revoked keys', () => {
    expect(findSigningKey(doc, `${did}#key-2026-11`, '2026-12-01T00:00:00Z')).toMatchObject({ status: 'usable' })
    expect(findSigningKey(doc, `${did}#key-2025-01`, '2026-10-31T23:59:59Z')).toMatchObject({ status: 'usable', revoked: '2026-11-01T00:00:00Z' })
    expect(findSigningKey(doc, `${did}#key-2025-01`, '2026-11-01T00:00:00Z')).toMatchObject({ status: 'revoked key' })
    expect(findSigningKey(doc, `${did}#key-2025-01`, '2026-01-01T00:00:00Z', '2026-12-24T00:00:00Z'))
      .toMatchObject({ status: 'revoked key', reason: expect.stringMatching(/backdating/) as unknown })
    expect(findSigningKey(doc, `${did}#key-1999`, '2026-12-01T00:00:00Z')).toMatchObject({ status: 'unknown key' })
    expect(findSigningKey({ ...doc, id: 'did:web:other.example' }, `${did}#key-2026-11`, '2026-12-01T00:00:00Z')).toMatchObject({ status: 'unknown key' })
    expect(findSigningKey({ ...doc, assertionMethod: [] }, `${did}#key-2026-11`, '2026-12-01T00:00:00Z'))
      .toMatchObject({ status: 'unknown key', reason: expect.stringMatching(/assertionMethod/) as unknown })
  })

  it('calls a document listing one key id twice malformed, and an unreadable revocation date revoked from the start', () => {
    const methods = (doc as unknown as { verificationMethod: Record<string, unknown>[] }).verificationMethod
    const current = methods.find((m) => String(m.id).endsWith('#key-2026-11'))!
    // The same id written relative and absolute is still the same id.
    const twice = { ...doc, verificationMethod: [...methods, { ...current, id: '#key-2026-11', publicKeyMultibase: oldKey }] }
    expect(findSigningKey(twice, `${did}#key-2026-11`, '2026-12-01T00:00:00Z')).toMatchObject({ status: 'malformed', reason: expect.stringMatching(/2 times/) as unknown })
    const old = methods.find((m) => String(m.id).endsWith('#key-2025-01'))!
    for (const revoked of ['soon', '2026-11-01', '2026-11-01T00:00:00+00:00', 17]) {
      const unreadable = { ...doc, verificationMethod: [{ ...old, revoked }, current] }
      expect(findSigningKey(unreadable, `${did}#key-2025-01`, '2020-01-01T00:00:00Z'), String(revoked)).toMatchObject({ status: 'revoked key' })
    }
  })

  it('returns the public key of a usable method', () => {
    const found = findSigningKey(doc, `${did}#key-2026-11`, '2026-12-01T00:00:00Z')
    expect(found.status === 'usable' && encodePublicMultikey(found.publicKey)).toBe(newKey)
  })
})
