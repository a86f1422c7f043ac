import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, readTree, signet } from '../helpers/site.js';

/** The theme's fixed words follow the config's `language`, and `strings:` replaces any of them. */
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function build(config: string): (name: string) => string {
  const root = makeSite({
    'signet.config.yaml': `title: Testseite\nurl: https://test.example/\nauthor: Tester\npostsPerPage: 1\n${config}`,
    'content/posts/eins.md': '---\ntitle: Eins\ndate: 2024-01-01\ntags: [garten]\n---\n\nDer erste Beitrag.\n',
    'content/posts/zwei.md': '---\ntitle: Zwei\ndate: 2024-01-02\nupdated: 2024-02-01\n---\n\nDer zweite Beitrag.\n',
  });
  roots.push(root);
  const run = signet(['build'], root);
  expect(run.status, run.stderr).toBe(0);
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
    expect(post).not.toMatch(/min read|Signed by|updated </);
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
});
