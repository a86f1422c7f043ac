import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { expect, test } from 'vitest';
import { renderTweet } from '../src/render.js';
import type { RenderContext } from '../src/render.js';
import type { Tweet } from '../src/tweet.js';

const context: RenderContext = { noteOf: () => undefined, copiedMedia: () => [], ownName: undefined };
const html = (markdown: string): string => micromark(`${markdown}\n`, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

function tweet(text: string, extra: Partial<Tweet> = {}): Tweet {
  return {
    id: '1', date: new Date(0), text, urls: [], mentions: [], hashtags: [], media: [],
    inReplyTo: undefined, inReplyToUser: undefined, inReplyToUserId: undefined,
    favorites: 0, retweets: 0, isRetweet: false, ...extra,
  };
}

test('whatever the text, Markdown shows it as written', () => {
  const lines = [
    '#heading', '## heading', '> quote', '- item', '+ item', '* item', '1. item', '2) item', '---', '===', '    code',
    '```', '~~~', '<div>html</div>', '<https://x.example>', '**bold** __bold__', '~~gone~~', '| a | b |', '|---|---|',
    '![img](x.png)', '[ref]: https://x.example', '&copy; &#169; &#xA9;', 'a\\*b', 'trailing backslash \\',
    '<https://x.example>', 'see https://x.example/a_b>c ok', 'www.example.org/x_y', 'ftp://files.example',
  ];
  for (const line of lines) {
    const escaped = line.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    const out = html(renderTweet(tweet(escaped), context));
    const visible = line.trimStart().replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
    expect(out, line).toBe(`<p>${visible}</p>\n`);
  }
});

test('single newlines are line breaks and blank lines start paragraphs', () => {
  expect(html(renderTweet(tweet('one\ntwo\n\n\nthree  \n'), context))).toBe('<p>one<br />\ntwo</p>\n<p>three</p>\n');
});

test('indices counted on the unescaped text are accepted as well', () => {
  const text = 'a &amp; b 𝕏 https://t.co/x';
  const out = renderTweet(tweet(text, { urls: [{ url: 'https://t.co/x', expanded: 'https://example.org/', indices: [8, 22] }] }), context);
  expect(out).toBe('a & b 𝕏 [example.org](https://example.org/)');
});

test('URLs with parentheses or spaces stay one link', () => {
  const t = tweet('see https://t.co/y', { urls: [{ url: 'https://t.co/y', expanded: 'https://en.example/wiki/A_(b) c', indices: [4, 18] }] });
  expect(html(renderTweet(t, context))).toBe('<p>see <a href="https://en.example/wiki/A_(b)%20c">en.example/wiki/A_(b) c</a></p>\n');
});

test('an image\'s description (ext_alt_text) becomes its alt text, escaped', () => {
  const media = [{ url: 'https://t.co/m', expanded: 'https://x.example/m', mediaUrl: '', type: 'photo', file: 'a.png', alt: 'A red [square] *on* white', indices: [0, 14] as [number, number] }];
  const out = renderTweet(tweet('https://t.co/m', { media }), { ...context, copiedMedia: () => [{ file: '1-a.png', type: 'photo', alt: 'A red [square] *on* white' }] });
  expect(html(out)).toBe('<p><img src="1-a.png" alt="A red [square] *on* white" /></p>\n');
});
