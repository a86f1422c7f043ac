// node:crypto Ed25519 and SHA-256 (several times faster than pure JS); same bytes as noble.
import { createPrivateKey, createPublicKey, hash, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { Ed25519Sign, Ed25519Verify, Sha256 } from './ed25519.js'
import { SignetKeyError } from './multikey.js'

// DER headers that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const CACHE_LIMIT = 16

const secretKeys = new Map<string, KeyObject>()
const publicKeys = new Map<string, KeyObject>()

function cached(cache: Map<string, KeyObject>, raw: Uint8Array, make: () => KeyObject): KeyObject {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex')
  let key = cache.get(id)
  if (!key) {
    key = make()
    // A build signs with one key; the bound only stops a long-lived process from hoarding keys.
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
    cache.set(id, key)
  }
  return key
}

export const nodeSign: Ed25519Sign = (message, seed) => {
  if (seed.length !== 32) throw new SignetKeyError(`Ed25519 secret key (seed): expected 32 bytes, got ${seed.length}`)
  const key = cached(secretKeys, seed, () =>
    createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }))
  return new Uint8Array(sign(null, message, key))
}

export const nodeVerify: Ed25519Verify = (signature, message, publicKey) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false
  try {
    const key = cached(publicKeys, publicKey, () =>
      createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
    return verify(null, message, key, signature)
  } catch {
    return false
  }
}

/**
 * The public key of a seed: noble's `getPublicKey` builds its precomputed tables on first use (about
 * 18 ms, on every `signet build`, a no-change one included); node:crypto answers in microseconds.
 */
export function nodePublicKey(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new SignetKeyError(`Ed25519 secret key (seed): expected 32 bytes, got ${seed.length}`)
  const key = cached(secretKeys, seed, () =>
    createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }))
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length))
}

// One-shot `hash` skips making a Hash object per call (Node 20.12+).
export const nodeSha256: Sha256 = (data) => new Uint8Array(hash('sha256', data, 'buffer'))
