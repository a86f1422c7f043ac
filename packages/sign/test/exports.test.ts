import { describe, expect, it } from 'vitest'
import * as main from '../src/index.js'
import * as node from '../src/node.js'
import { CRYPTOSUITE, DID_CONTEXT, NAMESPACE_PREFIX, NAMESPACE_URI, SPEC_URL } from '../src/index.js'

describe('public API', () => {
  it('exports exactly these names from @signet/sign', () => {
    expect(Object.keys(main).sort()).toEqual([
      'BASE58BTC_ALPHABET', 'CRYPTOSUITE', 'DID_CONTEXT', 'FUNDING_ABOUT', 'MAX_ENVELOPE_BYTES', 'MAX_FUNDING_LABEL', 'NAMESPACE_PREFIX', 'NAMESPACE_URI', 'REFERENCE_FIELDS',
      'SPEC_URL', 'SignetKeyError', 'base58btcDecode', 'base58btcEncode', 'canonicalize', 'checkEnvelopeRules',
      'createDidDocument', 'createdProblem', 'decodePublicMultikey', 'decodeSecretMultikey', 'didDocumentPath', 'didDocumentUrl',
      'didWebFromUrl', 'embedJson', 'encodePublicMultikey', 'encodeSecretMultikey', 'findDuplicateKey',
      'findSigningKey', 'generateSeed', 'hashData', 'hostOfDid', 'isLanguageTag', 'isUtcSeconds', 'multibaseDecode', 'multibaseEncode',
      'nobleSha256', 'nobleSign', 'nobleVerify', 'normalizeHtml', 'parseJsonStrict', 'publicKeyFromSeed', 'referenceDigest',
      'signDocument', 'signEnvelope', 'toUtcSeconds', 'urlInDidScope', 'verifyDocumentProof',
    ])
  })

  it('exports exactly these names from @signet/sign/node', () => {
    expect(Object.keys(node).sort()).toEqual(['nodePublicKey', 'nodeSha256', 'nodeSign', 'nodeVerify'])
  })

  it('has the agreed constant values', () => {
    expect(CRYPTOSUITE).toBe('eddsa-jcs-2022')
    expect(SPEC_URL).toBe('urn:signet:spec:signed-posts:v1')
    expect(NAMESPACE_URI).toBe('urn:signet:ns:signed-posts:v1')
    expect(NAMESPACE_PREFIX).toBe('signet')
    expect(DID_CONTEXT).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'])
  })

  it('keeps Node-only modules out of the main entry', async () => {
    const { readFileSync, readdirSync } = await import('node:fs')
    const dir = new URL('../src/', import.meta.url)
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'node.ts')) {
      const source = readFileSync(new URL(file, dir), 'utf8')
      expect(source, file).not.toMatch(/from 'node:|\bBuffer\b|\bprocess\./)
    }
  })

  it('declares its entries in package.json (the language-tag grammar alone, for the config to check with)', async () => {
    const { readFileSync } = await import('node:fs')
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
    expect(Object.keys(pkg.exports)).toEqual(['.', './node', './language-tag'])
  })
})
