import * as ed from '@noble/ed25519'
import { sha256, sha512 } from '@noble/hashes/sha2.js'

/** Signs `message` with the Ed25519 key whose 32-byte secret (seed) is `seed`. */
export type Ed25519Sign = (message: Uint8Array, seed: Uint8Array) => Uint8Array
/** True iff `signature` is a valid Ed25519 signature of `message` by `publicKey`. */
export type Ed25519Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
/** SHA-256 of `data`. */
export type Sha256 = (data: Uint8Array) => Uint8Array

// Set on use rather than at import so a bundler that trusts `sideEffects: false` cannot drop it.
function syncHashes(): void {
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512
}

export const nobleSign: Ed25519Sign = (message, seed) => {
  syncHashes()
  return ed.sign(message, seed)
}

// zip215: false is RFC 8032 strict verification, which is what node:crypto (OpenSSL) does too.
export const nobleVerify: Ed25519Verify = (signature, message, publicKey) => {
  syncHashes()
  try {
    return ed.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

export const nobleSha256: Sha256 = (data) => sha256(data)

export function noblePublicKey(seed: Uint8Array): Uint8Array {
  syncHashes()
  return ed.getPublicKey(seed)
}

export function isValidPublicKeyPoint(publicKey: Uint8Array): boolean {
  try {
    ed.Point.fromBytes(publicKey, false)
    return true
  } catch {
    return false
  }
}
