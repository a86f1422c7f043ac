/** The Bitcoin base58 alphabet (no 0, O, I, l). */
export const BASE58BTC_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

const INDEX = new Map<string, number>([...BASE58BTC_ALPHABET].map((c, i) => [c, i]))

const LIMB = 58 ** 5 // five base58 digits per limb keeps limb * 65536 + carry below 2^53

/** Plain base58btc, without the multibase `z` (leading zero bytes become `1`). */
export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const limbs: number[] = [] // little-endian, base 58^5
  // Two bytes per step (one first if the count is odd) to halve the long-division passes.
  for (let i = zeros; i < bytes.length; ) {
    const width = (bytes.length - i) % 2 === 1 ? 1 : 2
    let carry = width === 1 ? (bytes[i] as number) : (bytes[i] as number) * 256 + (bytes[i + 1] as number)
    const scale = width === 1 ? 256 : 65536
    i += width
    for (let j = 0; j < limbs.length; j++) {
      carry += (limbs[j] as number) * scale
      limbs[j] = carry % LIMB
      carry = Math.floor(carry / LIMB)
    }
    while (carry > 0) {
      limbs.push(carry % LIMB)
      carry = Math.floor(carry / LIMB)
    }
  }
  let digits = ''
  for (let k = limbs.length - 1; k >= 0; k--) {
    let limb = limbs[k] as number
    let chunk = ''
    for (let d = 0; d < 5; d++) {
      chunk = BASE58BTC_ALPHABET[limb % 58] + chunk
      limb = Math.floor(limb / 58)
    }
    digits += chunk
  }
  return '1'.repeat(zeros) + digits.replace(/^1+/, '')
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
