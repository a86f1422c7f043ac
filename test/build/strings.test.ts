import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, readTree, signet } from '../helpers/site.js';

/** The theme's fixed words follow the config's `language`, and `strings:` replaces any of them. */
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const FOLLOWING = `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Folge ich</title></head><body>
<outline type="rss" text="Anna" xmlUrl="https://anna.example/feed.xml" htmlUrl="https://anna.example/"/>
</body></opml>
`;

function build(config: string, extra: Record<string, string> = {}, warnings: string[] = []): (name: string) => string {
  const root = makeSite({
    ...extra,
    'signet.config.yaml': `title: Testseite\nurl: https://test.example/\nauthor: Tester\npostsPerPage: 1\n${config}`,
    'content/posts/eins.md': '---\ntitle: Eins\ndate: 2024-01-01\ntags: [garten]\n---\n\nDer erste Beitrag.\n',
    'content/posts/zwei.md': '---\ntitle: Zwei\ndate: 2024-01-02\nupdated: 2024-02-01\ntoc: true\n---\n\nDer zweite Beitrag.\n\n## Ein Abschnitt\n\nText.\n',
  });
  roots.push(root);
  const run = signet(['build'], root);
  expect(run.status, run.stderr).toBe(0);
  warnings.push(...run.stderr.split('\n').filter((line) => line.startsWith('warning:')));
  const files = readTree(path.join(root, 'dist'));
  return (name) => files.get(name)?.toString('utf8') ?? '';
}

describe('the theme\'s words', () => {
  it('are German on a site whose language is de-AT, everywhere the theme writes them', () => {
    const page = build('language: de-AT\n');
    const home = page('index.html');
    expect(home).toContain('<html lang="de-AT">');
    expect(home).toContain('<a class="skip" href="#main">Zum Inhalt springen</a>');
    expect(home).toContain('archive/">Archiv</a>');
    expect(home).toContain('tags/">Schlagwörter</a>');
    expect(home).toContain('<span>Seite 1 von 2</span>');
    expect(home).toContain('rel="next" href="/page/2/">Älter</a>');
    expect(home).not.toMatch(/Skip to content|>Archive<|>Tags<|Page 1 of|>Older</);
    expect(page('page/2/index.html')).toContain('rel="prev" href="/">Neuer</a>');
    const post = page('posts/zwei/index.html');
    expect(post).toContain('1 Min. Lesezeit');
    expect(post).toContain(' · aktualisiert <time');
    expect(post).toMatch(/>Signiert von <a href="\/\.well-known\/did\.json">/);
    expect(post).toContain('<nav class="post-nav" aria-label="Weitere Beiträge">');
    expect(post).toContain('<nav class="toc" aria-label="Inhalt">');
    expect(post).not.toMatch(/min read|Signed by|updated |More posts/);
    expect(page('posts/eins/index.html')).toContain('<ul class="tags" aria-label="Schlagwörter">');
    expect(page('archive/index.html')).toContain('<h1>Archiv</h1>');
    expect(page('tags/index.html')).toContain('<h1>Schlagwörter</h1>');
    expect(page('404.html')).toContain('<h1>Nicht gefunden</h1>');
  });

  it('take the config\'s strings: over the language\'s', () => {
    const page = build('language: de\nstrings:\n  tags: Themen\n  minRead: Minuten\n');
    expect(page('index.html')).toContain('tags/">Themen</a>');
    expect(page('index.html')).toContain('archive/">Archiv</a>');
    expect(page('tags/index.html')).toContain('<h1>Themen</h1>');
    expect(page('posts/zwei/index.html')).toContain('1 Minuten</p>');
    expect(page('index.html')).not.toContain('Schlagwörter');
  });

  it('are German on the pages of the sites a German site follows', () => {
    const page = build('language: de\n', { 'following.opml': FOLLOWING });
    const following = page('following/index.html');
    expect(following).toContain('<title>Ich folge');
    expect(following).toContain('<h1>Websites, denen ich folge</h1>');
    expect(following).toContain('>noch nicht abgerufen</span> · <a href="https://anna.example/feed.xml" rel="noopener">Feed</a>');
    expect(following).toContain('<p class="meta">Dieselbe Liste als OPML, für jeden Feedreader: <a');
    const network = page('network/index.html');
    expect(network).toContain('<h1>Von den Websites, denen ich folge</h1>');
    expect(network).toContain('<p>Noch nichts abgerufen: führe aus <code>signet fetch</code>.</p>');
    expect(network).toContain('following/">Die Websites, denen ich folge</a>');
    expect(following + network).not.toMatch(/Sites I follow|not fetched yet|Nothing fetched|same list as OPML/i);
    // The network's feeds and the links to them, and the blogroll, are titled in the site's language too.
    expect(network).toContain('title="Testseite: Netzwerk (RSS)"');
    expect(page('network/feed.xml')).toContain('<title>Testseite: Netzwerk</title>');
    expect(page('network/feed.xml')).toContain('<description>Testseite: Von den Websites, denen ich folge</description>');
    expect(JSON.parse(page('network/feed.json'))).toMatchObject({ title: 'Testseite: Netzwerk', description: 'Testseite: Von den Websites, denen ich folge' });
    expect(page('blogroll.opml')).toContain('<title>Testseite: Ich folge</title>');
    expect(page('network/feed.xml') + page('blogroll.opml') + network).not.toMatch(/: network|New posts from|: blogroll/);
  });

  it('warn about a strings: key the theme does not have, at its line, with the key meant', () => {
    const warnings: string[] = [];
    const page = build('strings:\n  tags: Topics\n  olderr: Earlier\n', {}, warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: \S*signet\.config\.yaml:7: .*`strings\.olderr`.*did you mean `strings\.older`\?/);
    expect(page('index.html')).toContain('tags/">Topics</a>');
  });
});
