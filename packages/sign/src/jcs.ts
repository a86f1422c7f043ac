// RFC 8785 JSON Canonicalization Scheme. ECMAScript's own number-to-string and
// JSON string escaping are exactly what RFC 8785 prescribes, so they are reused;
// the work left is key order (UTF-16 code units) and refusing non-I-JSON input.

/** Serialises a JSON value per RFC 8785. Throws on values JSON cannot carry. */
export function canonicalize(value: unknown): string {
  return serialize(value, new Set(), () => '$')
}

// The path is built only when an error needs it: signing thousands of posts must stay cheap.
type Path = () => string

function serialize(value: unknown, ancestors: Set<object>, path: Path): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS: ${path()} is ${value}, which JSON cannot represent`)
      return JSON.stringify(value)
    case 'string':
      return serializeString(value, path)
    case 'object':
      break
    default:
      throw new TypeError(`JCS: ${path()} is a ${typeof value}, which JSON cannot represent`)
  }
  if (ancestors.has(value)) throw new TypeError(`JCS: ${path()} refers back to itself`)
  ancestors.add(value)
  let out: string
  if (Array.isArray(value)) {
    out = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      out += serialize(value[i], ancestors, () => `${path()}[${i}]`)
    }
    out += ']'
  } else {
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`JCS: ${path()} is not a plain object or array (convert it to JSON data first)`)
    }
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort()
    out = '{'
    for (const key of keys) {
      const member = record[key]
      if (member === undefined) continue // as JSON.stringify does
      if (out.length > 1) out += ','
      out += serializeString(key, path) + ':' + serialize(member, ancestors, () => `${path()}.${key}`)
    }
    out += '}'
  }
  ancestors.delete(value)
  return out
}

function serializeString(text: string, path: Path): string {
  if (!isWellFormed(text)) throw new TypeError(`JCS: ${path()} contains a lone UTF-16 surrogate (not valid I-JSON)`)
  return JSON.stringify(text)
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** False when the string has an unpaired surrogate (cannot be encoded as UTF-8). */
export function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed
  return native ? native.call(text) : !LONE_SURROGATE.test(text)
}
