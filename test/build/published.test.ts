import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySite, makeSite, MINIMAL_CONFIG, REPO, signet, writeFiles } from '../helpers/site.js';

// What ends up in the published folder, and what does not: the files a user deploys as they are.

const post = (front: string, body = 'Text.\n') => `---\n${front}\n---\n\n${body}`;

/** Every file under `dir`, as `/`-separated paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

/** Every `href` and `src` value of an HTML page. */
function urlsIn(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replace(/&#x26;/g, '&'));
}

describe('static files', () => {
  const root = makeSite({
    'signet.config.yaml': MINIMAL_CONFIG,
    'content/posts/a.md': post('title: A\ndate: 2026-01-01'),
    'static/.well-known/webfinger': '{"subject":"acct:me@test.example"}',
    'static/.well-known/atproto-did': 'did:plc:abc123',
    'static/.well-known/nostr.json': '{"names":{}}',
    'static/.nojekyll': '',
    'static/.git/config': '[core]',
    'static/.gitignore': 'x',
    'static/.DS_Store': 'x',
    'static/notes.txt~': 'x',
    'static/.notes.txt.swp': 'x',
    'static/favicon.ico': 'x',
    'static/_headers': '/*\n  X-Frame-Options: DENY\n',
    'static/robots.txt': 'User-agent: GPTBot\nDisallow: /\n',
  });
  const run = signet(['build'], root);

  it('publishes dot files an identity site needs, and says what it leaves out', () => {
    expect(run.status, run.stderr).toBe(0);
    const files = filesUnder(path.join(root, 'dist'));
    for (const file of ['.well-known/webfinger', '.well-known/atproto-did', '.well-known/nostr.json', '.nojekyll', 'favicon.ico']) expect(files, file).toContain(file);
    expect(readFileSync(path.join(root, 'dist/.well-known/atproto-did'), 'utf8')).toBe('did:plc:abc123');
    for (const file of ['.git/config', '.gitignore', '.DS_Store', 'notes.txt~', '.notes.txt.swp']) expect(files, file).not.toContain(file);
    expect(run.stderr).toMatch(/warning: static: left out 5 file\(s\) that are never published.*\.DS_Store, \.git\/, \.gitignore, \.notes\.txt\.swp, notes\.txt~/);
  });

  it('merges the user\'s _headers with the CORS rules for did.json and the feeds', () => {
    const headers = readFileSync(path.join(root, 'dist/_headers'), 'utf8');
    expect(headers.startsWith('/*\n  X-Frame-Options: DENY\n')).toBe(true);
    expect(headers).toContain('/.well-known/did.json\n  Access-Control-Allow-Origin: *\n');
    expect(headers).toContain('/feed.xml\n  Access-Control-Allow-Origin: *\n');
  });

  it('keeps the user\'s robots.txt, naming the sitemap in it', () => {
    expect(readFileSync(path.join(root, 'dist/robots.txt'), 'utf8')).toBe('User-agent: GPTBot\nDisallow: /\n\nSitemap: https://test.example/sitemap.xml\n');
  });

  it('publishes nothing internal', () => {
    const files = filesUnder(path.join(root, 'dist'));
    expect(files.filter((f) => f.includes('signet-output') || f.startsWith('.signet'))).toEqual([]);
    // The folder is still known to be Signet's: the next build replaces it.
    const again = signet(['build'], root);
    expect(again.status, again.stderr).toBe(0);
  });

  it('refuses a static file that clashes with one the build makes, naming both', () => {
    const clash = makeSite({
      'signet.config.yaml': MINIMAL_CONFIG,
      'content/posts/a.md': post('title: A\ndate: 2026-01-01'),
      'static/.well-known/did.json': '{}',
    });
    const failed = signet(['build'], clash);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/static\/\.well-known\/did\.json and the \.well-known\/did\.json that Signet makes/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(clash, 'dist'))).toBe(false);
  });
});

describe('a site at a sub-path', () => {
  it('says that robots.txt cannot be served from there', () => {
    const root = makeSite({
      'signet.config.yaml': 'title: T\nurl: https://x.example/blog/\nauthor: A\n',
      'content/posts/a.md': post('title: A\ndate: 2026-01-01'),
    });
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/robots\.txt .*https:\/\/x\.example\/robots\.txt.*sub-path/);
  });
});

describe('links within the site', () => {
  const root = copySite(REPO);
  const run = signet(['build'], root);

  it('the theme links every page of the site site-relative, so `signet dev` never leaves for the production host', () => {
    expect(run.status, run.stderr).toBe(0);
    const dist = path.join(root, 'dist');
    for (const file of filesUnder(dist).filter((f) => f.endsWith('.html'))) {
      const anchors = [...readFileSync(path.join(dist, file), 'utf8').matchAll(/<a [^>]*href="(https:\/\/signet\.example\/[^"]*)"/g)].map((m) => m[1]);
      expect(anchors, file).toEqual([]);
    }
    const home = readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(home).toContain('<a href="/feed.xml">Feed</a>');
    // Feed discovery and the feeds themselves stay absolute.
    expect(home).toContain('rel="alternate" type="application/rss+xml" title="Signet (RSS)" href="https://signet.example/feed.xml"');
  });
});

describe('listing pages', () => {
  it('resolve the relative URLs of the posts they show, as on the posts\' own pages', () => {
    const root = copySite(path.join(REPO, 'examples/twitter-exit'));
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    const dist = path.join(root, 'dist');
    const listings = filesUnder(dist).filter((f) => /^(index\.html|page\/\d+\/index\.html|tags\/.*index\.html)$/.test(f));
    expect(listings.length).toBeGreaterThan(3);
    let relative = 0;
    for (const listing of listings) {
      const html = readFileSync(path.join(dist, listing), 'utf8');
      for (const url of urlsIn(html)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
        // Whatever a reader's browser would fetch from this listing page.
        const { pathname } = new URL(url, `https://ada.example/${listing.replace(/index\.html$/, '')}`);
        const file = decodeURIComponent(pathname).replace(/^\//, '');
        const target = file === '' || file.endsWith('/') ? `${file}index.html` : file;
        expect(existsSync(path.join(dist, target)), `${url} on ${listing}`).toBe(true);
        if (url.endsWith('.png') || url.endsWith('.jpg')) relative++;
      }
    }
    // The example's notes hold images: the check has looked at some.
    expect(relative).toBeGreaterThan(0);
    // Imported notes are untitled on purpose: no warning, and each page's <title> starts with its words.
    expect(run.stderr).not.toMatch(/untitled/);
    expect(readFileSync(path.join(dist, 'notes/1300000000000000501/index.html'), 'utf8')).toContain('<title>Look at this tiny square 🟥 · Ada Example — notes</title>');
  });
});

describe('links and images in Markdown', () => {
  const files = {
    'signet.config.yaml': MINIMAL_CONFIG,
    'content/posts/hello-world.md': post('title: Hello World\ndate: 2026-01-01', '## Setup\n\nHi.\n'),
    'content/posts/trip/index.md': post('title: Trip\ndate: 2026-01-02', '![map](map.png)\n'),
    'content/posts/a.md': post('title: A\ndate: 2026-01-03', [
      'See [hello](hello-world.md), [its setup](hello-world.md#setup) and [again](../posts/hello-world.md).', // line 6
      '',
      '![x](nope.png)', // line 8
      '',
      '[gone](/posts/does-not-exist/) and [the trip](../trip/)', // line 10
      '',
      '[here](#nowhere)', // line 12
      '',
      '[missing](missing.md)', // line 14
      '',
    ].join('\n')),
  };

  // A real image: every published image is decoded (and stripped of its metadata).
  const makeTrip = (overrides: Record<string, string> = {}) => {
    const root = makeSite({ ...files, ...overrides });
    copyFileSync(path.join(REPO, 'examples/blog/content/posts/an-old-raleigh/sketch.png'), path.join(root, 'content/posts/trip/map.png'));
    return root;
  };

  it('point links to Markdown sources at their pages, and warn about each broken one with file and line', () => {
    const root = makeTrip();
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    const page = readFileSync(path.join(root, 'dist/posts/a/index.html'), 'utf8');
    expect(page).toContain('<a href="/posts/hello-world/">hello</a>, <a href="/posts/hello-world/#setup">its setup</a> and <a href="/posts/hello-world/">again</a>');
    const feed = readFileSync(path.join(root, 'dist/feed.json'), 'utf8');
    expect(feed).toContain('href=\\"https://test.example/posts/hello-world/#setup\\"');
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: content/posts/a.md'));
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: content\/posts\/a\.md:8: `nope\.png` points at nothing in the site \(no page or file \/posts\/a\/nope\.png\)$/),
      expect.stringMatching(/^warning: content\/posts\/a\.md:10: `\/posts\/does-not-exist\/` points at nothing in the site/),
      expect.stringMatching(/^warning: content\/posts\/a\.md:12: `#nowhere` points at no heading or element with id "nowhere" on this page$/),
      expect.stringMatching(/^warning: content\/posts\/a\.md:14: `missing\.md` links to a Markdown file that is not a page of the site/),
    ]);
    // The link to a source follows it when its URL changes.
    writeFiles(root, { 'content/posts/hello-world.md': post('title: Hello World\ndate: 2026-01-01\nslug: hi', '## Setup\n\nHi.\n') });
    expect(signet(['build'], root).status).toBe(0);
    expect(readFileSync(path.join(root, 'dist/posts/a/index.html'), 'utf8')).toContain('<a href="/posts/hi/#setup">its setup</a>');
  });

  it('with `markdown.strictLinks`, fail the build on a broken link (for CI), naming each', () => {
    const root = makeTrip({ 'signet.config.yaml': `${MINIMAL_CONFIG}markdown:\n  strictLinks: true\n` });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/content\/posts\/a\.md:8/);
    expect(run.stderr).toMatch(/and 3 more broken link\(s\)/);
    expect(run.stderr).toMatch(/content\/posts\/a\.md:14: `missing\.md`/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
  });

  it('say nothing for a site whose links all work', () => {
    const root = copySite(path.join(REPO, 'examples/blog'));
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/points at|Markdown file/);
  });
});
