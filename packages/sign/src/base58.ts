/** The Bitcoin base58 alphabet (no 0, O, I, l). */
export const BASE58BTC_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

const INDEX = new Map<string, number>([...BASE58BTC_ALPHABET].map((c, i) => [c, i]))

const PAIRS = Array.from({ length: 58 * 58 }, (_, i) => (BASE58BTC_ALPHABET[Math.floor(i / 58)] as string) + BASE58BTC_ALPHABET[i % 58])
// Six base58 digits per division pass over 16-bit limbs: remainder * 65536 + limb stays below 2^53,
// so every step is exact in floating point.
const DIVISOR = 58 ** 6

/** Plain base58btc, without the multibase `z` (leading zero bytes become `1`). */
export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  // Long division of the whole number, six digits at a time, with `x - q * d` rather than `%`
  // (floating-point modulo is slow): every signed post's proofValue goes through here.
  const n = bytes.length - zeros
  const length = (n + 1) >> 1
  const limbs = new Array<number>(length)
  let at = zeros
  if (n % 2 === 1) limbs[0] = bytes[at++] as number
  for (let i = n % 2; i < length; i++, at += 2) limbs[i] = (bytes[at] as number) * 256 + (bytes[at + 1] as number)
  let digits = ''
  for (let start = 0; start < length; ) {
    let remainder = 0
    for (let i = start; i < length; i++) {
      const current = remainder * 65536 + (limbs[i] as number)
      const quotient = Math.floor(current / DIVISOR)
      limbs[i] = quotient
      remainder = current - quotient * DIVISOR
    }
    while (start < length && limbs[start] === 0) start++
    for (let pair = 0; pair < 3; pair++) {
      const quotient = Math.floor(remainder / 3364)
      digits = (PAIRS[remainder - quotient * 3364] as string) + digits
      remainder = quotient
    }
  }
  let lead = 0
  while (digits[lead] === '1') lead++
  return '1'.repeat(zeros) + digits.slice(lead)
}

/** Decodes plain base58btc (no `z`). Throws naming the first character outside the alphabet. */
export function base58btcDecode(text: string): Uint8Array {
  let zeros = 0
  while (zeros < text.length && text[zeros] === '1') zeros++
  const bytes: number[] = [] // little-endian base-256 digits
  for (let i = zeros; i < text.length; i++) {
    const value = INDEX.get(text[i] as string)
    if (value === undefined) {
      throw new Error(`base58btc: character ${JSON.stringify(text[i])} at position ${i} is not in the base58btc alphabet`)
    }
    let carry = value
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] as number) * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = new Uint8Array(zeros + bytes.length)
  for (let k = 0; k < bytes.length; k++) out[out.length - 1 - k] = bytes[k] as number
  return out
}

/** Multibase base58btc: `z` followed by base58btc. */
export function multibaseEncode(bytes: Uint8Array): string {
  return 'z' + base58btcEncode(bytes)
}

/** Decodes a multibase base58btc string; throws unless it starts with `z`. */
export function multibaseDecode(text: string): Uint8Array {
  if (!text.startsWith('z')) {
    throw new Error(`multibase: expected base58btc text starting with "z", got ${JSON.stringify(text.slice(0, 8))}`)
  }
  return base58btcDecode(text.slice(1))
}
