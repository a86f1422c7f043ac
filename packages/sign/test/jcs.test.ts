import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { canonicalize } from '../src/index.js'
import { fixture } from './helpers.js'

const cases = readdirSync(new URL('./fixtures/jcs/input/', import.meta.url)).filter((f) => f.endsWith('.json'))

describe('canonicalize (RFC 8785)', () => {
  it('has all six reference cases on disk', () => {
    expect(cases.sort()).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json'])
  })

  for (const name of cases) {
    it(`reproduces ${name} byte for byte`, () => {
      const input: unknown = JSON.parse(fixture(`jcs/input/${name}`))
      expect(canonicalize(input)).toBe(fixture(`jcs/output/${name}`))
    })
  }

  it('writes numbers the ECMAScript way', () => {
    expect(canonicalize([-0, 1e21, 1e-7, 0.1 + 0.2, 5e-324, 9007199254740993])).toBe(
      '[0,1e+21,1e-7,0.30000000000000004,5e-324,9007199254740992]')
  })

  it('orders keys by UTF-16 code units, not code points', () => {
    // U+FB33 sorts after U+1F602 (surrogate D83D) in UTF-16 but before it by code point.
    expect(canonicalize({ '\uFB33': 1, '\u{1F602}': 2 })).toBe('{"\u{1F602}":2,"\uFB33":1}')
  })

  it('drops undefined members as JSON.stringify does', () => {
    expect(canonicalize({ b: undefined, a: 1 })).toBe('{"a":1}')
  })

  it('refuses what JSON cannot carry, naming where', () => {
    expect(() => canonicalize({ a: [1, NaN] })).toThrow(/\$\.a\[1\] is NaN/)
    expect(() => canonicalize({ a: Infinity })).toThrow(/Infinity/)
    expect(() => canonicalize({ big: 1n })).toThrow(/bigint/)
    expect(() => canonicalize({ when: new Date(0) })).toThrow(/\$\.when is not a plain object/)
    expect(() => canonicalize({ s: 'x\uD800' })).toThrow(/lone UTF-16 surrogate/)
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(() => canonicalize(loop)).toThrow(/refers back to itself/)
  })

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 }
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}')
  })
})
