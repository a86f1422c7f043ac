import { describe, expect, it } from 'vitest'
import {
  base58btcDecode, base58btcEncode, decodePublicMultikey, decodeSecretMultikey, encodePublicMultikey,
  encodeSecretMultikey, generateSeed, multibaseDecode, multibaseEncode, publicKeyFromSeed, SignetKeyError,
} from '../src/index.js'
import { fixture } from './helpers.js'

const vector = JSON.parse(fixture('eddsa-jcs-2022/keyPair.json')) as { publicKeyMultibase: string; privateKeyMultibase: string }

describe('base58btc', () => {
  it('matches known encodings, including leading zero bytes', () => {
    expect(base58btcEncode(new TextEncoder().encode('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U')
    expect(base58btcEncode(Uint8Array.of(0, 0, 0x28, 0x7f, 0xb4, 0xcd))).toBe('11233QC4')
    expect(base58btcEncode(new Uint8Array(0))).toBe('')
    expect(base58btcEncode(Uint8Array.of(0))).toBe('1')
  })

  it('round-trips random byte strings of every length up to 70', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length))
      if (length > 2) bytes[0] = 0
      expect(base58btcDecode(base58btcEncode(bytes))).toEqual(bytes)
    }
  })

  it('agrees with the textbook digit-by-digit conversion on random signatures and keys', () => {
    const reference = (bytes: Uint8Array): string => {
      const digits: number[] = []
      for (const byte of bytes) {
        let carry = byte
        for (let j = 0; j < digits.length; j++) {
          carry += (digits[j] as number) * 256
          digits[j] = carry % 58
          carry = Math.floor(carry / 58)
        }
        for (; carry > 0; carry = Math.floor(carry / 58)) digits.push(carry % 58)
      }
      let zeros = 0
      while (bytes[zeros] === 0) zeros++
      return '1'.repeat(zeros) + digits.reverse().map((d) => '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'[d]).join('')
    }
    for (let i = 0; i < 600; i++) {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(i % 3 === 0 ? 34 : 64))
      if (i % 7 === 0) bytes.fill(0, 0, i % 5)
      if (i % 11 === 0) bytes.fill(255)
      expect(base58btcEncode(bytes)).toBe(reference(bytes))
    }
  })

  it('throws naming the character and position outside the alphabet', () => {
    expect(() => base58btcDecode('abc0def')).toThrow(/"0" at position 3/)
    expect(() => base58btcDecode('Il')).toThrow(/"I" at position 0/)
  })

  it('multibase adds and requires the z prefix', () => {
    expect(multibaseEncode(Uint8Array.of(1, 2, 3))).toBe('z' + base58btcEncode(Uint8Array.of(1, 2, 3)))
    expect(multibaseDecode('zLdp')).toEqual(Uint8Array.of(1, 2, 3))
    expect(() => multibaseDecode('uAQID')).toThrow(/starting with "z"/)
  })
})

describe('Multikey', () => {
  const seed = generateSeed()
  const publicKey = publicKeyFromSeed(seed)

  it('public keys start z6Mk and secret keys z3u2, and both round-trip', () => {
    const pub = encodePublicMultikey(publicKey)
    const sec = encodeSecretMultikey(seed)
    expect(pub).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/)
    expect(sec).toMatch(/^z3u2[1-9A-HJ-NP-Za-km-z]{44}$/)
    expect(decodePublicMultikey(pub)).toEqual(publicKey)
    expect(decodeSecretMultikey(sec)).toEqual(seed)
  })

  it('decodes the W3C vector key pair', () => {
    const s = decodeSecretMultikey(vector.privateKeyMultibase)
    expect(encodeSecretMultikey(s)).toBe(vector.privateKeyMultibase)
    expect(decodePublicMultikey(vector.publicKeyMultibase)).toEqual(publicKeyFromSeed(s))
  })

  it('gives a fresh 32-byte seed each time', () => {
    expect(generateSeed()).toHaveLength(32)
    expect(generateSeed()).not.toEqual(generateSeed())
  })

  const cases: [string, () => unknown, RegExp][] = [
    ['a secret key where a public one is expected', () => decodePublicMultikey(vector.privateKeyMultibase), /this is a secret key \(z3u2…\); never publish it/],
    ['a public key where a secret one is expected', () => decodeSecretMultikey(vector.publicKeyMultibase), /this is a public key \(z6Mk…\)/],
    ['no multibase prefix', () => decodePublicMultikey(vector.publicKeyMultibase.slice(1)), /must start with "z"/],
    ['hex text', () => decodeSecretMultikey('9f'.repeat(32)), /must start with "z"/],
    ['a character outside the alphabet', () => decodePublicMultikey(vector.publicKeyMultibase.slice(0, 10) + '0' + vector.publicKeyMultibase.slice(11)), /character "0" at position 11 is not base58btc/],
    ['a truncated key', () => decodePublicMultikey(vector.publicKeyMultibase.slice(0, -3)), /decodes to \d+ bytes, expected 34.*truncated or padded/],
    ['a padded key', () => decodeSecretMultikey(vector.privateKeyMultibase + '2'), /decodes to \d+ bytes, expected 34.*truncated or padded/],
    ['another key type', () => decodePublicMultikey(multibaseEncode(Uint8Array.of(0xe7, 0x01, ...new Uint8Array(32)))), /not an Ed25519 key \(multicodec prefix is e7 01, expected ed 01\)/],
    ['an empty value', () => decodeSecretMultikey('  '), /the value is empty/],
    ['a wrong seed length', () => encodeSecretMultikey(new Uint8Array(31)), /expected 32 bytes, got 31/],
    ['a wrong public key length', () => publicKeyFromSeed(new Uint8Array(64)), /expected 32 bytes, got 64/],
  ]
  for (const [what, run, message] of cases) {
    it(`refuses ${what} with a SignetKeyError that says so`, () => {
      expect(run).toThrow(SignetKeyError)
      expect(run).toThrow(message)
    })
  }

  it('refuses 32 bytes that are not a curve point', () => {
    // y = 2^255 - 1 is not canonical (>= p), so it is no Ed25519 public key.
    const bad = new Uint8Array(32).fill(0xff)
    bad[31] = 0x7f
    const text = multibaseEncode(Uint8Array.of(0xed, 0x01, ...bad))
    expect(() => decodePublicMultikey(text)).toThrow(/not a valid Ed25519 point/)
  })
})
