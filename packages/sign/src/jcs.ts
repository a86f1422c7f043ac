// RFC 8785 JSON Canonicalization Scheme. ECMAScript's own number-to-string and
// JSON string escaping are exactly what RFC 8785 prescribes, so they are reused;
// the work left is key order (UTF-16 code units) and refusing non-I-JSON input.

/** Serialises a JSON value per RFC 8785. Throws on values JSON cannot carry. */
export function canonicalize(value: unknown): string {
  try {
    return serialize(value, new Set())
  } catch (error) {
    if (!(error instanceof Unrepresentable)) throw error
    throw new TypeError(`JCS: ${'$' + error.path.reverse().join('')} ${error.problem}`)
  }
}

// Thrown from deep inside; each level adds its own step to the path on the way out, so signing
// thousands of posts builds no path (and no closure for one) unless something is wrong.
class Unrepresentable extends Error {
  readonly path: string[] = []
  constructor(readonly problem: string) {
    super(problem)
  }
}

function serialize(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new Unrepresentable(`is ${value}, which JSON cannot represent`)
      return JSON.stringify(value)
    case 'string':
      return serializeString(value)
    case 'object':
      break
    default:
      throw new Unrepresentable(`is a ${typeof value}, which JSON cannot represent`)
  }
  if (ancestors.has(value)) throw new Unrepresentable('refers back to itself')
  ancestors.add(value)
  let out: string
  if (Array.isArray(value)) {
    out = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      out += member(value[i], ancestors, `[${i}]`)
    }
    out += ']'
  } else {
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      throw new Unrepresentable('is not a plain object or array (convert it to JSON data first)')
    }
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort()
    out = '{'
    for (const key of keys) {
      const item = record[key]
      if (item === undefined) continue // as JSON.stringify does
      if (out.length > 1) out += ','
      out += serializeString(key) + ':' + member(item, ancestors, `.${key}`)
    }
    out += '}'
  }
  ancestors.delete(value)
  return out
}

function member(value: unknown, ancestors: Set<object>, step: string): string {
  try {
    return serialize(value, ancestors)
  } catch (error) {
    if (error instanceof Unrepresentable) error.path.push(step)
    throw error
  }
}

function serializeString(text: string): string {
  if (!isWellFormed(text)) throw new Unrepresentable('contains a lone UTF-16 surrogate (not valid I-JSON)')
  return JSON.stringify(text)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** False when the string has an unpaired surrogate (cannot be encoded as UTF-8). */
export function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed
  return native ? native.call(text) : !LONE_SURROGATE.test(text)
}
