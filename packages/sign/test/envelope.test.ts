import { describe, expect, it } from 'vitest'
import { checkEnvelopeRules, MAX_ENVELOPE_BYTES, normalizeHtml, toUtcSeconds } from '../src/index.js'
import { urlAttributeValues } from '../src/envelope.js'
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5'
import { post } from './helpers.js'

const PROOF = {
  type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', created: '', verificationMethod: 'did:web:example.com#key-1',
  proofPurpose: 'assertionMethod', proofValue: `z${'1'.repeat(64)}`,
}

function broken(change: Record<string, unknown>): string[] {
  return checkEnvelopeRules({ ...post, ...change })
}

describe('toUtcSeconds', () => {
  it('writes UTC whole seconds with Z', () => {
    expect(toUtcSeconds(new Date(Date.UTC(2026, 0, 5, 10, 0, 0, 999)))).toBe('2026-01-05T10:00:00Z')
    expect(toUtcSeconds('2026-01-05T11:00:00+01:00')).toBe('2026-01-05T10:00:00Z')
    expect(toUtcSeconds('2026-01-05T10:00:00.5Z')).toBe('2026-01-05T10:00:00Z')
    expect(toUtcSeconds('2026-01-05')).toBe('2026-01-05T00:00:00Z')
    expect(toUtcSeconds(new Date(-1500))).toBe('1969-12-31T23:59:58Z')
  })

  it('refuses a date-time without a time zone and nonsense', () => {
    expect(() => toUtcSeconds('2026-01-05T10:00:00')).toThrow(/no time zone/)
    expect(() => toUtcSeconds('yesterday')).toThrow(/no time zone|not a valid date/)
    expect(() => toUtcSeconds('2026-13-45T00:00:00Z')).toThrow(/not a valid date/)
    expect(() => toUtcSeconds(new Date(NaN))).toThrow(/not a valid date/)
  })
})

describe('normalizeHtml', () => {
  it('turns CRLF and CR into LF and composes to NFC', () => {
    expect(normalizeHtml('a\r\nb\rc\n')).toBe('a\nb\nc\n')
    expect(normalizeHtml('Cafe\u0301')).toBe('Caf\u00e9')
    expect(checkEnvelopeRules({ ...post, content_html: normalizeHtml('<p>Cafe\u0301\r\n</p>') })).toEqual([])
  })
})

describe('checkEnvelopeRules', () => {
  it('accepts a well-formed post, with or without the optional fields', () => {
    expect(checkEnvelopeRules(post)).toEqual([])
    const { title: _t, summary: _s, date_modified: _d, tags: _g, language: _l, ...minimal } = post
    expect(checkEnvelopeRules(minimal)).toEqual([])
  })

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a float', { extra_count: undefined, authors: [{ name: 'Ada', rank: 1.5 }] }, /1\.5; only integers/],
    ['a float in tags', { tags: ['a', 0.5] }, /"tags\[1\]" is the number 0\.5/],
    ['a date without Z', { date_published: '2026-01-05T10:00:00+00:00' }, /"date_published" must be a UTC date in whole seconds ending in Z/],
    ['a date with milliseconds', { date_modified: '2026-01-05T10:00:00.000Z' }, /"date_modified" must be a UTC date/],
    ['an impossible date', { date_published: '2026-02-30T10:00:00Z' }, /"date_published" must be a UTC date/],
    ['a carriage return', { content_html: '<p>a</p>\r\n' }, /"content_html" contains a carriage return/],
    ['non-NFC text', { title: 'Cafe\u0301' }, /"title" is not in Unicode NFC/],
    ['a relative url', { url: '/posts/hello/' }, /"url" must be an absolute http\(s\) URL/],
    ['a non-web id', { id: 'urn:uuid:1234' }, /"id" must be an absolute http\(s\) URL/],
    ['a relative link in the content', { content_html: '<img src="/img/a.png">' }, /relative URL "\/img\/a\.png"/],
    ['a protocol-relative link in the content', { content_html: "<a href='//cdn.example/x'>x</a>" }, /relative URL "\/\/cdn\.example\/x"/],
    ['null', { summary: null }, /"summary" is null/],
    ['a boolean', { title: true }, /"title" is a boolean/],
    ['a missing field', { content_html: undefined }, /"content_html" is missing/],
    ['an unknown field', { image: 'https://example.com/a.png' }, /"image" is not an envelope field/],
    ['a field named like an Object method', { toString: 'x', constructor: 'y' }, /"toString" is not an envelope field/],
    ['empty authors', { authors: [] }, /"authors" must be a non-empty array/],
    ['an author without a name', { authors: [{ url: 'https://example.com/' }] }, /"authors\[0\]\.name" must be a non-empty string/],
    ['a bad language tag', { language: 'en_US' }, /"language" must be a well-formed BCP 47 language tag/],
    ['an empty title', { title: '' }, /"title" is an empty string/],
    ['an empty summary', { summary: '' }, /"summary" is an empty string/],
    ['a malformed BCP 47 tag (region twice)', { language: 'de-419-DE' }, /well-formed BCP 47/],
    ['a BCP 47 tag with a repeated variant', { language: 'sl-rozaj-rozaj' }, /well-formed BCP 47/],
    ['a relative author url', { authors: [{ name: 'Ada', url: '/about/' }] }, /"authors\[0\]\.url" must be an absolute URL/],
    ['a proof created at another time than the post', { date_modified: undefined, proof: { ...PROOF, created: '2020-01-01T00:00:00Z' } }, /"proof\.created" is "2020-01-01T00:00:00Z"; it must be the post's date_published/],
    ['a lone surrogate', { title: 'x\uD83D' }, /lone surrogate/],
    ['a Date object', { date_published: new Date() }, /not plain JSON data/],
  ]
  for (const [what, change, message] of cases) {
    it(`rejects ${what}`, () => {
      const problems = broken(change)
      expect(problems.some((p) => message.test(p)), problems.join(' | ')).toBe(true)
    })
  }

  it('accepts every well-formed BCP 47 tag form, and mailto: author URLs as JSON Feed 1.1 does', () => {
    for (const language of ['en', 'pt-BR', 'zh-Hant-TW', 'es-419', 'i-klingon', 'x-private', 'en-GB-oed', 'sl-rozaj-biske', 'de-CH-1901', 'en-a-bbb-x-a-ccc', 'zh-yue-HK', 'qaa-Qaaa-QM-x-southern']) {
      expect(broken({ language }), language).toEqual([])
    }
    expect(broken({ authors: [{ name: 'Ada', url: 'mailto:ada@example.com' }] })).toEqual([])
  })

  it('accepts a proof whose created is the post\'s date_modified, or date_published without one', () => {
    expect(broken({ proof: { ...PROOF, created: post.date_modified } })).toEqual([])
    expect(broken({ date_modified: undefined, proof: { ...PROOF, created: post.date_published } })).toEqual([])
  })

  it('rejects things that are not objects', () => {
    expect(checkEnvelopeRules([post])).toEqual(['The envelope must be a JSON object.'])
    expect(checkEnvelopeRules('x')).toEqual(['The envelope must be a JSON object.'])
  })

  it('rejects an envelope above the size limit', () => {
    const problems = broken({ content_html: `<p>${'x'.repeat(MAX_ENVELOPE_BYTES)}</p>` })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/the limit is 1048576/)
  })

  it('checks the form of a proof when there is one', () => {
    const proof = {
      type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022', created: '2026-01-06T08:30:00Z',
      verificationMethod: 'did:web:example.com#key-1', proofPurpose: 'assertionMethod', proofValue: 'z' + '2'.repeat(88),
    }
    expect(checkEnvelopeRules({ ...post, proof })).toEqual([])
    const problems = checkEnvelopeRules({ ...post, proof: { ...proof, cryptosuite: 'eddsa-2022', created: '2026-01-06', extra: 1, proofValue: 'zabc', verificationMethod: 'did:key:z6Mk#z6Mk' } })
    expect(problems).toEqual([
      '"proof.extra" is not a proof field.',
      '"proof.cryptosuite" must be "eddsa-jcs-2022".',
      '"proof.created" must be a UTC date in whole seconds ending in Z.',
      '"proof.verificationMethod" must be a did:web key reference such as did:web:example.com#key-1.',
      '"proof.proofValue" must be "z" followed by base58btc of a 64-byte signature.',
    ])
    expect(checkEnvelopeRules({ ...post, proof: 'x' })).toEqual(['"proof" must be an object.'])
  })
})

describe('UTC date check', () => {
  it('knows month lengths and leap years', () => {
    const ok = (d: string) => checkEnvelopeRules({ ...post, date_published: d }).length === 0
    expect(ok('2024-02-29T00:00:00Z')).toBe(true)
    expect(ok('2000-02-29T00:00:00Z')).toBe(true)
    expect(ok('2100-02-29T00:00:00Z')).toBe(false)
    expect(ok('2026-04-31T00:00:00Z')).toBe(false)
    expect(ok('2026-12-31T23:59:59Z')).toBe(true)
    expect(ok('2026-12-31T24:00:00Z')).toBe(false)
  })
})

describe('urlAttributeValues', () => {
  it('reads the attributes of tags, not text that mentions them', () => {
    // Writing about HTML: prose, inline code and a code block, as the Markdown renderer writes them.
    const about = [
      '<p>Link with href="/about/" or src="logo.png".</p>',
      '<p>Write <code>&#x3C;a href="/about/"></code> and <code>&lt;img src="logo.png"></code>.</p>',
      '<pre><code class="language-html">&#x3C;a href="/about/">About&#x3C;/a>\n&#x3C;img src=logo.png>\n</code></pre>',
      '<!-- <a href="/in-a-comment/"> --><!--> <a href="https://a.example/">',
      '<!DOCTYPE html><?php href="/x" ?></p href="/end-tag-attributes-are-dropped"> 1 < 2 href="/x"',
    ]
    expect(about.map(urlAttributeValues)).toEqual([[], [], [], ['https://a.example/'], []])
    expect(urlAttributeValues('<a href="https://a.example/">x</a> <img src=\'/b.png\'> <form action=c.php>')).toEqual(['https://a.example/', '/b.png', 'c.php'])
    expect(urlAttributeValues('<a HREF = "x"><a data-href="no"><a xhref="no"><q cite="d"><video poster=p=q>')).toEqual(['x', 'd', 'p=q'])
    expect(urlAttributeValues('<a title="x href=inside" href=""><a href=>')).toEqual(['', ''])
    expect(urlAttributeValues('<a/href="s"><a title="t"href="u"><a =href="no"><img\nsrc\n=\nv>')).toEqual(['s', 'u', 'v'])
    expect(urlAttributeValues('<!---->, <!--->, <!-- --!> <a href="after-comments">')).toEqual(['after-comments'])
  })

  // Every value a browser's parser gives an element's href, src, action, poster or cite attribute.
  const byParser = (html: string): Set<string> => {
    const found = new Set<string>()
    const visit = (node: DefaultTreeAdapterMap['parentNode'] | DefaultTreeAdapterMap['childNode']): void => {
      if ('attrs' in node) for (const attr of node.attrs) if (['href', 'src', 'action', 'poster', 'cite'].includes(attr.name)) found.add(attr.value)
      if ('content' in node) visit(node.content)
      if ('childNodes' in node) for (const child of node.childNodes) visit(child)
    }
    visit(parseFragment(html))
    return found
  }
  const random = (pieces: string[], seed: number) => {
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648)
    let html = ''
    for (let i = next() % 40; i > 0; i--) html += pieces[next() % pieces.length]
    return html
  }

  it('finds every value parse5 finds, in 5,000 random strings, character references aside', () => {
    const pieces = [' ', '\t', '\n', '\u00a0', '=', '"', "'", '<', '>', '/', '!', '-', '?', '`', 'a', 'href', 'HREF', 'src', 'x', '#', 'https://e.example/', '<!--', '-->', '<a ', '</', '<svg>', '<title>', '<script>', '<textarea>', '<![CDATA[', ']]>']
    for (let n = 0; n < 5000; n++) {
      const html = random(pieces, n + 1)
      const mine = new Set(urlAttributeValues(html))
      for (const value of byParser(html)) expect(mine.has(value), `${JSON.stringify(html)}: ${JSON.stringify(value)}`).toBe(true)
    }
  })

  it('finds exactly what parse5 finds in 2,000 random well-formed fragments', () => {
    const pieces = ['<a href="https://e.example/a">', '</a>', '<img src=/b.png>', '<p title="a > b" cite=\'c\'>', '</p>', 'text href="/t" ', '<code>&#x3C;a href="/c"></code>', '<!-- <a href="/d"> -->', '<br/>', '<video poster="/v" src=\'/w\'></video>', ' 1 &lt; 2 ']
    for (let n = 0; n < 2000; n++) {
      const html = random(pieces, n + 1)
      expect(new Set(urlAttributeValues(html)), html).toEqual(byParser(html))
    }
  })

  it('reads a long run of `<`, `=` or quotes in one pass', () => {
    for (const html of ['<'.repeat(200_000), `<a ${'='.repeat(200_000)}`, `<a href=${'"'.repeat(200_000)}`, '<!--'.repeat(100_000)]) expect(urlAttributeValues(html)).toBeDefined()
  })
})

describe('links in content_html', () => {
  it('only attributes must be absolute: writing about HTML is not a relative link', () => {
    expect(broken({ content_html: '<p>Use <code>&lt;a href="/about/"&gt;</code> or href="/about/" and src="logo.png".</p>' })).toEqual([])
    expect(broken({ content_html: '<p><a href="#fn-1">1</a></p>' })).toEqual([])
  })

  it('an empty or blank href is relative (it links the page it is shown on)', () => {
    expect(broken({ content_html: '<a href="">x</a>' })).toEqual(['"content_html" has a relative URL ""; write it as an absolute URL.'])
    expect(broken({ content_html: '<a href=" \n ">x</a>' })).toEqual(['"content_html" has a relative URL ""; write it as an absolute URL.'])
  })
})

describe('_funding (spec §4.4)', () => {
  const links = [{ label: 'Ko-fi', url: 'https://ko-fi.com/wren' }, { label: 'Lightning', url: 'lightning:wren@getalby.com' }]
  it('accepts signed funding links', () => {
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links } })).toEqual([])
  })
  it('refuses another about, no links, http: or unnormalised URLs, long labels and extra members', () => {
    expect(broken({ _funding: { about: 'x', links } }).join(' ')).toMatch(/_funding\.about/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links: [] } }).join(' ')).toMatch(/non-empty array/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links: [{ label: 'Tip', url: 'http://tip.example/' }] } }).join(' ')).toMatch(/links\[0\]\.url/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links: [{ label: 'Tip', url: 'https://TIP.example' }] } }).join(' ')).toMatch(/links\[0\]\.url/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links: [{ label: 'x'.repeat(129), url: 'https://tip.example/' }] } }).join(' ')).toMatch(/at most 128/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links: [{ ...links[0], amount: 5 }] } }).join(' ')).toMatch(/amount/)
    expect(broken({ _funding: { about: 'urn:signet:spec:funding:v1', links, extra: 'x' } }).join(' ')).toMatch(/_funding\.extra/)
  })
})
