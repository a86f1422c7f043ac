import { describe, expect, it } from 'vitest'
import { checkEnvelopeRules, multibaseDecode, referenceDigest } from '../src/index.js'
import { canonicalize } from '../src/jcs.js'
import { createHash } from 'node:crypto'

const base = { id: 'https://b.example/r/', url: 'https://b.example/r/', content_html: '<p>Yes.</p>', date_published: '2026-01-05T10:00:00Z', authors: [{ name: 'B' }] }
const target = { id: 'https://a.example/p/', url: 'https://a.example/p/', content_html: '<p>Hi.</p>', date_published: '2026-01-04T10:00:00Z', authors: [{ name: 'A' }], proof: { proofValue: 'zignored' } }

describe('references to other posts (in_reply_to, like_of, repost_of, bookmark_of)', () => {
  it('digest a target as a SHA-256 multihash of its unsigned envelope\'s JCS form', () => {
    const { proof: _p, ...unsigned } = target
    const bytes = multibaseDecode(referenceDigest(target))
    expect(Buffer.from(bytes).toString('hex')).toBe('1220' + createHash('sha256').update(canonicalize(unsigned)).digest('hex'))
    expect(referenceDigest(target).startsWith('zQm')).toBe(true)
  })

  it('accept a URL alone, or with the target envelope\'s id and digest', () => {
    expect(checkEnvelopeRules({ ...base, in_reply_to: { url: target.url } })).toEqual([])
    for (const kind of ['in_reply_to', 'like_of', 'repost_of', 'bookmark_of']) {
      expect(checkEnvelopeRules({ ...base, [kind]: { url: target.url, id: target.id, digestMultibase: referenceDigest(target) } })).toEqual([])
    }
  })

  it('refuse a relative URL, an id without digest, a digest of another form and other members', () => {
    const problems = (ref: unknown) => checkEnvelopeRules({ ...base, in_reply_to: ref }).join(' ')
    expect(problems({ url: '/p/' })).toMatch(/in_reply_to.url" must be an absolute http\(s\) URL/)
    expect(problems({ url: target.url, id: target.id })).toMatch(/both "id" and "digestMultibase"/)
    expect(problems({ url: target.url, id: target.id, digestMultibase: 'z1111' })).toMatch(/SHA-256 multihash/)
    expect(problems({ url: target.url, title: 'x' })).toMatch(/in_reply_to.title" is not allowed/)
    expect(problems('https://a.example/p/')).toMatch(/must be an object/)
  })
})
