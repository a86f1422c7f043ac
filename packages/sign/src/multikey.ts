import { base58btcDecode, base58btcEncode } from './base58.js'
import { isValidPublicKeyPoint, noblePublicKey } from './ed25519.js'

/** Raised for any problem with key material, so callers can tell key problems from other errors. */
export class SignetKeyError extends Error {
  override name = 'SignetKeyError'
}

/** Multicodec varint prefixes: ed25519-pub (0xed) and ed25519-priv (0x1300). */
export const ED25519_PUBLIC_PREFIX = Uint8Array.of(0xed, 0x01)
export const ED25519_SECRET_PREFIX = Uint8Array.of(0x80, 0x26)

export function encodePublicMultikey(publicKey: Uint8Array): string {
  requireLength(publicKey, 'Ed25519 public key')
  return 'z' + base58btcEncode(concat(ED25519_PUBLIC_PREFIX, publicKey))
}

export function encodeSecretMultikey(seed: Uint8Array): string {
  requireLength(seed, 'Ed25519 secret key (seed)')
  return 'z' + base58btcEncode(concat(ED25519_SECRET_PREFIX, seed))
}

/** Decodes `z6Mk…`; throws SignetKeyError saying what is wrong. */
export function decodePublicMultikey(text: string): Uint8Array {
  const key = decodeMultikey(text, ED25519_PUBLIC_PREFIX, 'public', 'z6Mk')
  if (!isValidPublicKeyPoint(key)) {
    throw new SignetKeyError('Multikey public key: the 32 bytes are not a valid Ed25519 point (the key is corrupt)')
  }
  return key
}

/** Decodes `z3u2…` to the 32-byte seed; throws SignetKeyError saying what is wrong. */
export function decodeSecretMultikey(text: string): Uint8Array {
  return decodeMultikey(text, ED25519_SECRET_PREFIX, 'secret', 'z3u2')
}

function decodeMultikey(text: string, prefix: Uint8Array, kind: 'public' | 'secret', looksLike: string): Uint8Array {
  const what = `Multikey ${kind} key`
  if (typeof text !== 'string') throw new SignetKeyError(`${what}: expected a string, got ${typeof text}`)
  const trimmed = text.trim()
  if (trimmed === '') throw new SignetKeyError(`${what}: the value is empty; expected text starting with "${looksLike}"`)
  if (!trimmed.startsWith('z')) {
    throw new SignetKeyError(`${what}: must start with "z" (multibase base58btc) like "${looksLike}…", got "${trimmed.slice(0, 4)}…"`)
  }
  const bad = /[^1-9A-HJ-NP-Za-km-z]/.exec(trimmed.slice(1))
  if (bad) {
    throw new SignetKeyError(`${what}: character ${JSON.stringify(bad[0])} at position ${bad.index + 2} is not base58btc (0, O, I and l are never used)`)
  }
  const bytes = base58btcDecode(trimmed.slice(1))
  // A cut or padded text changes the leading bytes too, so the length is checked before the prefix.
  if (bytes.length !== prefix.length + 32) {
    throw new SignetKeyError(`${what}: decodes to ${bytes.length} bytes, expected 34 (2-byte type prefix + 32-byte key); the text looks truncated or padded`)
  }
  const other = kind === 'public' ? ED25519_SECRET_PREFIX : ED25519_PUBLIC_PREFIX
  if (startsWith(bytes, other)) {
    const hint = kind === 'public'
      ? 'this is a secret key (z3u2…); never publish it — give the public key (z6Mk…) instead'
      : 'this is a public key (z6Mk…); the secret key starts with z3u2'
    throw new SignetKeyError(`${what}: ${hint}`)
  }
  if (!startsWith(bytes, prefix)) {
    const hex = [...bytes.slice(0, 2)].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    throw new SignetKeyError(`${what}: not an Ed25519 key (multicodec prefix is ${hex}, expected ${kind === 'public' ? 'ed 01' : '80 26'})`)
  }
  return bytes.slice(prefix.length)
}

/** 32 random bytes from the platform CSPRNG (Node ≥ 19 and browsers expose `crypto`). */
export function generateSeed(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32))
}

export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  requireLength(seed, 'Ed25519 secret key (seed)')
  return noblePublicKey(seed)
}

export function requireLength(bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new SignetKeyError(`${what}: expected a Uint8Array`)
  if (bytes.length !== 32) throw new SignetKeyError(`${what}: expected 32 bytes, got ${bytes.length}`)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)
}
