import { describe, expect, it } from 'vitest'
import { embedJson, findDuplicateKey, parseJsonStrict, signEnvelope } from '../src/index.js'
import { post } from './helpers.js'

// XML 1.0 §2.2 Char production, and §2.4 CharData (no '<' or '&', and no ']]>').
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u

const nasty = {
  ...post,
  title: 'Tom & Jerry <3 </script><!-- ]]> \u2028line\u2029para \uFFFE\uFFFF \u0000\u0007 \u{1F602}',
  content_html: '<script>alert(1)</script><p>a &amp; b</p>\n',
}
const seed = new Uint8Array(32).fill(9)
const signed = signEnvelope({ ...post, content_html: nasty.content_html }, { seed, verificationMethod: 'did:web:example.com#k', created: '2026-01-06T08:30:00Z' })

describe('embedJson', () => {
  const text = embedJson(nasty)

  it('writes < > & U+2028 U+2029 as \\u escapes', () => {
    expect(embedJson({ s: '<>&\u2028\u2029' })).toBe('{"s":"\\u003c\\u003e\\u0026\\u2028\\u2029"}')
  })

  it('is valid XML character data without CDATA', () => {
    expect(text).toMatch(XML_CHAR)
    expect(text).not.toMatch(/[<&]|]]>/)
  })

  it('cannot close or comment out a <script> element', () => {
    expect(text.toLowerCase()).not.toContain('</script')
    expect(text).not.toContain('<!--')
    expect(text).not.toContain('<')
  })

  it('parses back to exactly the same value', () => {
    expect(JSON.parse(text)).toEqual(nasty)
    expect(JSON.parse(embedJson(signed))).toEqual(signed)
  })

  it('is the same text every time', () => {
    expect(embedJson(structuredClone(signed))).toBe(embedJson(signed))
  })

  it('refuses a value with no JSON form', () => {
    expect(() => embedJson(undefined)).toThrow(/no JSON form/)
  })
})

describe('parseJsonStrict', () => {
  it('parses ordinary JSON like JSON.parse', () => {
    const text = embedJson(signed)
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text))
    expect(parseJsonStrict('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }])
  })

  it('rejects a repeated key, also when written with escapes, and says where', () => {
    expect(() => parseJsonStrict('{"title":"a",\n "title":"b"}')).toThrow(/duplicate key "title" at line 2, column 2/)
    expect(() => parseJsonStrict('{"a":{"x":1,"\\u0078":2}}')).toThrow(/duplicate key "x"/)
    expect(() => parseJsonStrict('{"proof":{"proofValue":"z1","proofValue":"z2"}}')).toThrow(/duplicate key "proofValue"/)
  })

  it('does not mistake values or keys in other objects for duplicates', () => {
    expect(findDuplicateKey('{"a":"a","b":{"a":1},"c":["a","a"],"d":"\\"a"}')).toBeUndefined()
  })

  it('still rejects invalid JSON', () => {
    expect(() => parseJsonStrict('{"a":1,}')).toThrow(SyntaxError)
  })
})
