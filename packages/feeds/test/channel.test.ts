import { describe, expect, it } from 'vitest';
import { cutAtWord, EXCERPT_LENGTH, escapeXml, excerpt, htmlText, lastUpdated, rfc822, summaryText } from '../src/index.js';
import { envelope } from './helpers.js';

describe('escapeXml', () => {
  it('escapes markup characters and drops characters XML cannot carry', () => {
    expect(escapeXml('a & b < c > d "e"')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot;');
    expect(escapeXml('bell\u0007 nul\u0000 ok\ttab\nline \uffff')).toBe('bell nul ok\ttab\nline ');
  });
});

describe('lastUpdated', () => {
  it('is the newest published or modified date, whatever the order', () => {
    const a = envelope({ id: 'https://example.com/a/', date_published: '2026-01-01T00:00:00Z', date_modified: '2026-03-01T00:00:00Z' });
    const b = envelope({ id: 'https://example.com/b/', date_published: '2026-02-01T00:00:00Z' });
    expect(lastUpdated([b, a])).toBe('2026-03-01T00:00:00Z');
    expect(lastUpdated([b])).toBe('2026-02-01T00:00:00Z');
    expect(lastUpdated([])).toBe('1970-01-01T00:00:00Z');
  });
});

describe('summaryText', () => {
  it('prefers the summary', () => {
    expect(summaryText(envelope({ id: 'https://example.com/a/', summary: 'Given.' }))).toBe('Given.');
  });

  it('otherwise uses the text up to the end of the first paragraph, a heading before it included', () => {
    // The start of the signed text, as a verifier checks it (spec §7.4).
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: '<h2>Title</h2>\n<p>One &amp; <em>two</em>.<br>\nThree</p>\n<p>Four</p>\n' }))).toBe('Title One & two. Three');
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: '<ul>\n<li>One</li>\n<li>Two</li>\n</ul>' }))).toBe('One Two');
  });

  it('is the excerpt listings show', () => {
    const html = '<p>First.</p>\n<p>Second.</p>';
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: html }))).toBe(excerpt(undefined, html));
    expect(summaryText(envelope({ id: 'https://example.com/a/', summary: 'Given.', content_html: html }))).toBe(excerpt('Given.', html));
  });

  it('cuts a long paragraph between words near 300 characters', () => {
    const long = summaryText(envelope({ id: 'https://example.com/a/', content_html: `<p>${'word '.repeat(100)}</p>\n` }));
    expect(long).toBe(`${'word '.repeat(58)}word…`);
    expect(long.length).toBeLessThanOrEqual(EXCERPT_LENGTH);
    expect(cutAtWord('x'.repeat(400), 300)).toBe(`${'x'.repeat(299)}…`);
  });

  it('decodes character references instead of dropping them', () => {
    // hast-util-to-html writes `&` in text as `&#x26;`.
    const html = '<p>AT&#x26;T, 1 &lt; 2, &#8220;quoted&#8221; &quot;x&quot; &unknown; end</p>\n';
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: html }))).toBe('AT&T, 1 < 2, \u201cquoted\u201d "x" end');
  });

  it('takes out markup in one pass, even from text with many `<` and no `>`', () => {
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: '<p>a <b>b</b> 1 < 2 <i>c</p>' }))).toBe('a b 1 c');
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: 'x < y' }))).toBe('x < y');
    // 200,000 `<`: a pattern tried from each of them (`/<[^>]*>/g`) took minutes.
    expect(summaryText(envelope({ id: 'https://example.com/a/', content_html: '<'.repeat(200_000) }))).toHaveLength(300);
  });
});

describe('htmlText', () => {
  it('collapses white space and decodes references as replacing everywhere would, only replacing where needed', () => {
    // The same, replacing unconditionally: the inline tag dropped, the others a space, references decoded.
    const refs: Record<string, string> = { '&amp;': '&', '&#x26;': '&', '&nbsp;': ' ' };
    const everywhere = (html: string) => html.replace(/<\/?em>/g, '').replace(/<[^<>]*>/g, ' ')
      .replace(/&[a-z#0-9]+;/gi, (ref) => refs[ref]!).replace(/\s+/g, ' ').trim();
    const pieces = ['word', ' ', '  ', '\n', '\t', '\u00a0', '\u2003', '&amp;', '&#x26;', '&nbsp;', '<em>', '</em>', '<p>', '</p>', '<br>', '.', 'é'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length;
    for (let n = 0; n < 500; n++) {
      const html = Array.from({ length: 1 + (n % 40) }, () => pieces[next()]).join('');
      expect(htmlText(html), JSON.stringify(html)).toBe(everywhere(html));
    }
    expect(htmlText('<p>Plain words, one space each.')).toBe('Plain words, one space each.');
    expect(htmlText('<p>Tab\tand\u00a0no-break  double')).toBe('Tab and no-break double');
  });
});

describe('rfc822', () => {
  it('formats UTC dates as RSS requires', () => {
    expect(rfc822('2026-01-05T10:00:00Z')).toBe('Mon, 05 Jan 2026 10:00:00 GMT');
  });
});

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual(['EXCERPT_LENGTH', 'cutAtWord', 'escapeXml', 'excerpt', 'htmlText', 'lastUpdated', 'rfc822', 'summaryText', 'writeAtom', 'writeJsonFeed', 'writeRss']);
});
