import { parseJsonStrict } from '@signet/sign'
import { MAX_JSON_DEPTH } from './limits.js'

const utf8 = new TextEncoder()

export function utf8Length(text: string): number {
  return utf8.encode(text).length
}

/**
 * Strict JSON for signed data: no repeated keys, bounded nesting and size.
 * Throws an Error whose message is a sentence naming what is wrong.
 */
export function parseSignedJson(text: string, what: string, maxBytes: number): unknown {
  const bytes = utf8Length(text)
  if (bytes > maxBytes) throw new Error(`the ${what} is ${bytes} bytes; the limit is ${maxBytes}`)
  const depth = nestingDepth(text)
  if (depth > MAX_JSON_DEPTH) throw new Error(`the ${what} nests ${depth} levels deep; the limit is ${MAX_JSON_DEPTH}`)
  try {
    return parseJsonStrict(text)
  } catch (error) {
    throw new Error(`the ${what} is not valid JSON: ${(error as Error).message}`)
  }
}

/** Deepest nesting of [ and { outside strings; checked before parsing so deep input costs nothing. */
export function nestingDepth(text: string): number {
  let depth = 0
  let max = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return max
}

/** Depth of an already-parsed value. */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH + 1): number {
  if (typeof value !== 'object' || value === null) return 0
  if (limit <= 0) return 1
  let max = 0
  for (const child of Object.values(value)) max = Math.max(max, valueDepth(child, limit - 1))
  return max + 1
}
