import { describe, expect, it } from 'vitest'
import { addOutline, blogrollOpml, emptyFollowList, readFollowList, removeOutline } from '../src/opml.js'

const HAND = `<?xml version="1.0" encoding="utf-8"?>
<!-- my follow list: keep it tidy -->
<opml version="2.0">
  <head><title>Mine</title></head>
  <body>
    <outline type="rss" text="Zed" xmlUrl="https://zed.example/feed.xml" htmlUrl="https://zed.example/" note="hand-written"/>
    <!-- friends below -->
    <outline type="rss" text="Amy" xmlUrl="https://amy.example/feed.json"/>
  </body>
</opml>
`

describe('the follow list', () => {
  it('adds and removes outlines as text edits: comments, order and hand-written attributes stay', () => {
    const added = addOutline(HAND, { url: 'https://new.example/atom.xml', siteUrl: 'https://new.example/', title: 'New & "quoted"', category: [] })
    expect(added.startsWith(HAND.slice(0, HAND.indexOf('  </body>')))).toBe(true)
    expect(added).toContain('    <outline type="rss" text="New &amp; &quot;quoted&quot;" title="New &amp; &quot;quoted&quot;" xmlUrl="https://new.example/atom.xml" htmlUrl="https://new.example/"/>\n  </body>')
    expect(readFollowList(added).map((e) => e.url)).toEqual(['https://zed.example/feed.xml', 'https://amy.example/feed.json', 'https://new.example/atom.xml'])
    const { text, removed } = removeOutline(added, 'http://www.zed.example/feed.xml')
    expect(removed).toBe(1)
    expect(text).toBe(addOutline(HAND.replace('    <outline type="rss" text="Zed" xmlUrl="https://zed.example/feed.xml" htmlUrl="https://zed.example/" note="hand-written"/>\n', ''), { url: 'https://new.example/atom.xml', siteUrl: 'https://new.example/', title: 'New & "quoted"', category: [] }))
    expect(text).toContain('<!-- friends below -->')
  })

  it('puts an outline under its category, made once', () => {
    let text = emptyFollowList('Following')
    text = addOutline(text, { url: 'https://a.example/feed.xml', category: [] }, 'Tech')
    text = addOutline(text, { url: 'https://b.example/feed.xml', category: [] }, 'Tech')
    expect(text.match(/<outline text="Tech">/g)).toHaveLength(1)
    expect(readFollowList(text).map((e) => [e.category.join('/'), e.url])).toEqual([['Tech', 'https://a.example/feed.xml'], ['Tech', 'https://b.example/feed.xml']])
  })

  it('reads a reader export with nested categories and entries that name only the site', () => {
    const exported = `<?xml version="1.0"?><opml version="1.0"><head><title>FreshRSS</title></head><body>
      <outline text="News"><outline text="Tech"><outline text="Deep" type="rss" xmlUrl="https://deep.example/rss" htmlUrl="https://deep.example/"/></outline>
      <outline text="Top" type="rss" xmlUrl="https://top.example/atom"/></outline>
      <outline text="Only a site" htmlUrl="https://site-only.example/"/></body></opml>`
    expect(readFollowList(exported)).toEqual([
      { category: ['News', 'Tech'], url: 'https://deep.example/rss', siteUrl: 'https://deep.example/', title: 'Deep' },
      { category: ['News'], url: 'https://top.example/atom', title: 'Top' },
      { category: [], siteUrl: 'https://site-only.example/', title: 'Only a site' },
    ])
  })

  it('refuses OPML with entities, and writes a blogroll feedsmith can read back', () => {
    expect(() => readFollowList('<!DOCTYPE x [<!ENTITY a "b">]><opml version="2.0"><body/></opml>')).toThrow(/DOCTYPE or entities/)
    const roll = blogrollOpml('Blogroll', [{ url: 'https://a.example/feed.xml', title: 'A', category: [] }, { siteUrl: 'https://b.example/', category: [] }])
    expect(readFollowList(roll)).toEqual([{ category: [], url: 'https://a.example/feed.xml', title: 'A' }])
  })
})
