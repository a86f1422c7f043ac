import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importTwitterArchive } from '../src/index.js';
import type { ImportSummary } from '../src/index.js';
import { FIXTURE, ID, cleanTemp, listFiles, tempDir } from './helpers.js';

interface Note {
  data: Record<string, unknown>;
  twitter: Record<string, unknown>;
  body: string;
  html: string;
}

let into = '';
let summary: ImportSummary;

async function note(id: string): Promise<Note> {
  const text = await readFile(join(into, id, 'index.md'), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`no front matter in ${id}`);
  const data = parse(match[1] ?? '') as Record<string, unknown>;
  const body = match[2] ?? '';
  return { data, twitter: data.twitter as Record<string, unknown>, body, html: micromark(body, { extensions: [gfm()], htmlExtensions: [gfmHtml()] }) };
}

beforeAll(async () => {
  into = join(await tempDir(), 'content', 'notes');
  summary = await importTwitterArchive({ source: FIXTURE, into });
});
afterAll(cleanTemp);

describe('importing the fixture archive', () => {
  test('writes one page bundle per tweet or thread, leaving out replies, retweets and private tweets', async () => {
    expect(summary).toMatchObject({ new: 8, updated: 0, unchanged: 0, edited: 0, missingMedia: [] });
    expect(summary.skipped).toEqual({ replies: 3, retweets: 1, private: 2, beforeSince: 0 });
    expect(summary.account).toEqual({ username: 'ada_example', displayName: 'Ada Example' });
    expect(await listFiles(into)).toEqual([
      `${ID(101)}/index.md`,
      `${ID(201)}/index.md`,
      `${ID(501)}/${ID(501)}-EjAdaSquare1.png`,
      `${ID(501)}/index.md`,
      `${ID(502)}/${ID(502)}-EjAdaBlue02.jpg`,
      `${ID(502)}/${ID(502)}-EjAdaGreen3.png`,
      `${ID(502)}/index.md`,
      `${ID(601)}/index.md`,
      `${ID(701)}/index.md`,
      `${ID(801)}/index.md`,
      `${ID(903)}/index.md`,
    ]);
  });

  test('front matter has a UTC date, the hashtags as tags, no title, and the original under `twitter`', async () => {
    const { data, twitter } = await note(ID(101));
    expect(Object.keys(data)).toEqual(['date', 'tags', 'twitter']);
    expect(data.date).toBe('2020-09-01T08:00:00Z');
    expect(data.tags).toEqual(['indieweb', 'POSSE']);
    expect(twitter).toEqual({
      id: ID(101),
      url: `https://twitter.com/ada_example/status/${ID(101)}`,
      favorites: 12,
      retweets: 3,
    });
  });

  test('a thread of replies to oneself becomes one note, in order, without the leading self-mention', async () => {
    const { data, twitter, body, html } = await note(ID(201));
    expect(twitter.thread).toEqual([ID(201), ID(202), ID(203)]);
    expect(data.tags).toEqual(['ownyourdata']);
    const parts = ['1/3', '2/3', '3/3'].map((p) => body.indexOf(p));
    expect(parts.every((p, i) => p >= 0 && (i === 0 || p > (parts[i - 1] ?? 0)))).toBe(true);
    expect(body).not.toContain('@ada_example');
    expect(html).toContain('Your domain is your address &amp; your archive:');
    expect(html).toContain('<a href="https://example.org/own-your-words?ref=thread&amp;part=2">');
    expect(html).toContain('<a href="https://twitter.com/grace_sample">@grace_sample</a>');
  });

  test('t.co links become their expanded URL, also after emoji (indices count code points)', async () => {
    const { html, body } = await note(ID(601));
    expect(body).not.toContain('t.co');
    expect(html).toBe(
      '<p>🎉🎉 Launch day! Read it here: <a href="https://ada.example/launch">ada.example/launch</a> — and tell me what you think 🙂</p>\n',
    );
  });

  test('media links are removed and the files copied beside the note and shown', async () => {
    const one = await note(ID(501));
    expect(one.body).not.toContain('t.co');
    expect(one.html).toBe(`<p>Look at this tiny square 🟥</p>\n<p><img src="${ID(501)}-EjAdaSquare1.png" alt="" /></p>\n`);
    const two = await note(ID(502));
    expect(two.html).toContain('<p>Two small pictures &lt;3</p>');
    expect(two.html).toContain(`<img src="${ID(502)}-EjAdaBlue02.jpg" alt="" />`);
    expect(two.html).toContain(`<img src="${ID(502)}-EjAdaGreen3.png" alt="" />`);
    for (const file of [`${ID(502)}-EjAdaBlue02.jpg`, `${ID(502)}-EjAdaGreen3.png`]) {
      const copied = await readFile(join(into, ID(502), file));
      expect(copied.equals(await readFile(join(FIXTURE, 'data', 'tweets_media', file)))).toBe(true);
    }
  });

  test('text is unescaped once and Markdown syntax in it stays literal text', async () => {
    const { html } = await note(ID(701));
    expect(html).toBe(
      '<p>Markdown test: *not bold* _not italic_ [not a link](x) &lt;b&gt;not html&lt;/b&gt; &amp;copy; &amp; friends<br />\n' +
        '# not a heading<br />\n- not a list<br />\n1. not ordered<br />\n&gt; not a quote</p>\n' +
        '<p>New paragraph with `code` and a|pipe ~strike~ \\ backslash</p>\n',
    );
  });

  test('a link to another imported tweet points to that note on the site', async () => {
    const { html } = await note(ID(801));
    expect(html).toContain(`<a href="../${ID(201)}/">twitter.com/ada_example/status/${ID(202)}</a>`);
  });

  test('a public reply to a private tweet is published on its own, without the private id', async () => {
    const { twitter, body } = await note(ID(903));
    expect(twitter).not.toHaveProperty('in_reply_to');
    expect(body).toBe('A public follow-up that answers nothing private.\n');
  });
});
