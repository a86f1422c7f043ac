import { describe, expect, it } from 'vitest'
import {
  canonicalize, decodeSecretMultikey, encodePublicMultikey, hashData, multibaseDecode,
  nobleSha256, publicKeyFromSeed, signDocument, verifyDocumentProof,
} from '../src/index.js'
import { nodeSha256, nodeSign, nodeVerify } from '../src/node.js'
import { fixture, hex } from './helpers.js'

const dir = 'eddsa-jcs-2022/'
const keyPair = JSON.parse(fixture(dir + 'keyPair.json')) as { publicKeyMultibase: string; privateKeyMultibase: string }
const unsigned = JSON.parse(fixture(dir + 'unsigned.json')) as Record<string, unknown>
const proofConfig = JSON.parse(fixture(dir + 'proofConfigJCS.json')) as Record<string, unknown> & { created: string; verificationMethod: string }
const signedText = fixture(dir + 'signedJCS.json')
const seed = decodeSecretMultikey(keyPair.privateKeyMultibase)
const utf8 = (s: string) => new TextEncoder().encode(s)
const options = { seed, verificationMethod: proofConfig.verificationMethod, created: proofConfig.created }

describe('W3C eddsa-jcs-2022 test vectors', () => {
  it('derives the vector public key from the vector secret key', () => {
    expect(encodePublicMultikey(publicKeyFromSeed(seed))).toBe(keyPair.publicKeyMultibase)
  })

  it('canonicalizes the document and the proof configuration exactly', () => {
    expect(canonicalize(unsigned)).toBe(fixture(dir + 'canonDocJCS.txt'))
    expect(canonicalize(proofConfig)).toBe(fixture(dir + 'proofCanonJCS.txt'))
  })

  it('hashes each part and combines them proof hash first', () => {
    expect(hex(nobleSha256(utf8(canonicalize(proofConfig))))).toBe(fixture(dir + 'proofHashJCS.txt').trim())
    expect(hex(nobleSha256(utf8(canonicalize(unsigned))))).toBe(fixture(dir + 'docHashJCS.txt').trim())
    expect(hex(hashData(unsigned, proofConfig))).toBe(fixture(dir + 'combinedHashJCS.txt').trim())
    expect(hex(hashData(unsigned, proofConfig, nodeSha256))).toBe(fixture(dir + 'combinedHashJCS.txt').trim())
  })

  it('produces the vector signature and proofValue', () => {
    const signed = signDocument(unsigned, options)
    expect(hex(multibaseDecode(signed.proof.proofValue))).toBe(fixture(dir + 'sigHexJCS.txt').trim())
    expect(signed.proof.proofValue).toBe(fixture(dir + 'sigBTC58JCS.txt').trim())
  })

  it('produces the signed document, including the proof @context, key for key', () => {
    const signed = signDocument(unsigned, options)
    expect(JSON.stringify(signed, null, 2)).toBe(signedText.trim())
  })

  it('gives the same bytes when signing with node:crypto', () => {
    const signed = signDocument(unsigned, { ...options, sign: nodeSign, sha256: nodeSha256 })
    expect(JSON.stringify(signed, null, 2)).toBe(signedText.trim())
  })

  it('verifies the vector signed document with noble and with node:crypto', () => {
    const signed = JSON.parse(signedText) as Parameters<typeof verifyDocumentProof>[0]
    const publicKey = publicKeyFromSeed(seed)
    expect(verifyDocumentProof(signed, publicKey)).toBe(true)
    expect(verifyDocumentProof(signed, publicKey, { verify: nodeVerify, sha256: nodeSha256 })).toBe(true)
  })

  it('rejects the vector when the document @context no longer starts with the proof @context', () => {
    const signed = JSON.parse(signedText) as Parameters<typeof verifyDocumentProof>[0] & Record<string, unknown>
    signed['@context'] = ['https://www.w3.org/ns/credentials/v2']
    expect(verifyDocumentProof(signed, publicKeyFromSeed(seed))).toBe(false)
  })
})
