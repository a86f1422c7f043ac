import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySite, makeSite, MINIMAL_CONFIG, readTree, REPO, signet, writeFiles } from '../helpers/site.js';

describe('signet build on the default site', () => {
  const root = copySite(REPO);
  const first = signet(['build'], root);

  it('builds, signs with a development key it announces, and prints a one-line summary', () => {
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/development signing key in \.signet\/keys\/dev-key\.secret/);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(first.stdout).toMatch(/^Built 3 posts and 2 pages, 15 feeds, \d+ files in \d+ ms → dist\/$/m);
  });

  it('renders every page with the theme layouts compiled, none through LiquidJS (the slow way)', () => {
    // Bundling the command line once renamed a LiquidJS class the compiled layouts relied on, and every
    // page silently fell back to LiquidJS: the same bytes, twice the time.
    const { stats } = JSON.parse(readFileSync(path.join(root, '.signet/cache/output.json'), 'utf8')) as { stats: { layouts: { compiled: number; liquid: number } } };
    expect(stats.layouts.liquid).toBe(0);
    expect(stats.layouts.compiled).toBeGreaterThan(10);
  });

  it('writes every page, listing, feed and site file at clean URLs', () => {
    for (const file of [
      'index.html', '404.html', 'sitemap.xml', 'robots.txt', 'feed.xml', 'atom.xml', 'feed.json',
      'posts/why-signet/index.html', 'quick-start/index.html', 'tags/index.html', 'tags/signing/index.html',
      'tags/signing/feed.xml', 'tags/signing/atom.xml', 'tags/signing/feed.json', '.well-known/did.json', '_headers', 'assets/signet.css',
    ]) {
      expect(existsSync(path.join(root, 'dist', file)), file).toBe(true);
    }
    expect(existsSync(path.join(root, 'dist', '.signet'))).toBe(false);
  });

  it('links every feed from every page and uses absolute URLs in feeds', () => {
    const page = readFileSync(path.join(root, 'dist/posts/signed-feeds/index.html'), 'utf8');
    expect(page).toContain('<link rel="alternate" type="application/rss+xml" title="Signet (RSS)" href="https://signet.example/feed.xml">');
    expect(page).toContain('type="application/atom+xml"');
    expect(page).toContain('type="application/feed+json"');
    const rss = readFileSync(path.join(root, 'dist/feed.xml'), 'utf8');
    // The footnote's relative link is made absolute for readers outside the page.
    expect(rss).toContain('href=&quot;https://signet.example/signing/&quot;');
    expect(page).toContain('href="../../signing/"');
  });

  it('is deterministic: a second build is byte-identical', () => {
    const before = readTree(path.join(root, 'dist'));
    const again = signet(['build'], root);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toMatch(/Made a development signing key/);
    const after = readTree(path.join(root, 'dist'));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });
});

describe('signet build on bad input', () => {
  const post = (front: string) => `---\n${front}\n---\n\nBody.\n`;

  function failing(files: Record<string, string>) {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/good.md': post('title: Good\ndate: 2026-01-01') });
    const good = signet(['build'], root);
    expect(good.status, good.stderr).toBe(0);
    writeFiles(root, files);
    return root;
  }

  it('malformed YAML: file:line:column and the reason, non-zero exit, previous dist/ untouched', () => {
    const root = failing({});
    const before = readTree(path.join(root, 'dist'));
    writeFiles(root, { 'content/posts/bad.md': '---\ntitle: Bad\ndate: 2026-01-02\ntags: [a, b\n---\n\nText\n' });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/content\/posts\/bad\.md:\d+:\d+: the front matter is not valid YAML/);
    const after = readTree(path.join(root, 'dist'));
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });

  it('names the exact line of a YAML error', () => {
    const root = failing({ 'content/posts/bad.md': '---\ntitle: Fine\ndate: 2026-01-02\nsummary: "unclosed\n---\n\nText\n' });
    const run = signet(['build'], root);
    expect(run.stderr).toMatch(/content\/posts\/bad\.md:4:19: the front matter is not valid YAML: Missing closing "quote/);
  });

  it('two files claiming one URL: both are named', () => {
    const root = failing({ 'content/posts/other.md': post('title: Other\ndate: 2026-01-02\nslug: good') });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('content/posts/good.md');
    expect(run.stderr).toContain('content/posts/other.md');
    expect(run.stderr).toMatch(/both want the URL \/posts\/good\//);
  });

  it('unknown layout: its name and the layouts that exist', () => {
    const root = failing({ 'content/posts/fancy.md': post('title: Fancy\ndate: 2026-01-02\nlayout: fancy') });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/content\/posts\/fancy\.md:1: unknown layout "fancy"/);
    expect(run.stderr).toMatch(/Layouts that exist: 404, archive, base, email, following, gone, list, network, page, post, replies, tags/);
  });

  it('invalid date: the file, the line and the value', () => {
    const root = failing({ 'content/posts/when.md': post('title: When\ndate: 2026-02-30') });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/content\/posts\/when\.md:3: `date` is not a valid date: "2026-02-30"/);
  });

  it('missing title: a warning and a default', () => {
    const root = failing({ 'content/colophon.md': 'No front matter at all.\n' });
    const run = signet(['build'], root);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: content\/colophon\.md:1: no `title` in the front matter; using "Colophon"/);
    expect(readFileSync(path.join(root, 'dist/colophon/index.html'), 'utf8')).toContain('<h1>Colophon</h1>');
  });

  it.each([
    ['slug: ../../escape', '`slug` contains `.` or `..` segments'],
    ['permalink: ../../../etc/', '`permalink` contains `.` or `..` segments'],
    ['permalink: https://evil.example/x/', '`permalink` is a full URL'],
    ['permalink: //evil.example/x/', '`permalink` is a full URL'],
  ])('never writes outside dist/: %s', (front, message) => {
    const root = failing({ 'content/posts/escape.md': post(`title: Escape\ndate: 2026-01-02\n${front}`) });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(existsSync(path.join(root, 'escape'))).toBe(false);
  });

  it('an absolute permalink stays inside the site', () => {
    const root = failing({ 'content/posts/abs.md': post('title: Abs\ndate: 2026-01-02\npermalink: /etc/passwd/') });
    expect(signet(['build'], root).status).toBe(0);
    expect(existsSync(path.join(root, 'dist/etc/passwd/index.html'))).toBe(true);
  });

  it.each(['---js', '---javascript'])('front matter never executes code (%s)', (opener) => {
    const marker = path.join(makeSite({}), 'pwned');
    const root = failing({ 'content/posts/code.md': `${opener}\n{ title: require('fs').writeFileSync(${JSON.stringify(marker)}, 'x') }\n---\n\nBody\n` });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/front matter in JavaScript is not allowed/);
    expect(existsSync(marker)).toBe(false);
  });

  it('an unknown config key names the key, its line and a suggestion', () => {
    const root = makeSite({ 'signet.config.yaml': `${MINIMAL_CONFIG}postsPerPag: 5\n`, 'content/posts/a.md': post('title: A\ndate: 2026-01-01') });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/signet\.config\.yaml:4:1: unknown config key `postsPerPag`/);
    expect(run.stderr).toMatch(/Did you mean `postsPerPage`\?/);
  });

  it('refuses to replace an output folder it did not write', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': post('title: A\ndate: 2026-01-01'), 'dist/mine.txt': 'keep me' });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/already has files that Signet did not write/);
    expect(readFileSync(path.join(root, 'dist/mine.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses an output folder that is the content folder', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': post('title: A\ndate: 2026-01-01') });
    const run = signet(['build', '--out', 'content'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/overlaps/);
    expect(existsSync(path.join(root, 'content/posts/a.md'))).toBe(true);
  });
});

describe('long names', () => {
  it('200-character slugs, tags and titles build (a 30-character tag used to hang the build)', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => ['web', 'accessibility', 'test', 'and', 'more'][i % 5]).join(' ').slice(0, 200);
    const tag = words(60);
    const slug = 'a-'.repeat(100).slice(0, 199) + 'z';
    const title = `${'Title, with: punctuation! '.repeat(8)}`.slice(0, 200);
    const root = makeSite({
      'signet.config.yaml': MINIMAL_CONFIG,
      'content/posts/one.md': `---\ntitle: "${title}"\ndate: 2026-01-01\nslug: ${slug}\ntags: ["${tag}", "${'x'.repeat(200)}"]\n---\n\n${'word '.repeat(40)}www.example.com/${'!'.repeat(200)}x\n`,
      'content/posts/two.md': `---\ntitle: Two\ndate: 2026-01-02\ntags: ["${tag}"]\n---\n\nText.\n`,
    });
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    const tagSlug = tag.replace(/ /g, '-');
    expect(existsSync(path.join(root, `dist/posts/${slug}/index.html`))).toBe(true);
    expect(readFileSync(path.join(root, `dist/tags/${tagSlug}/feed.xml`), 'utf8')).toContain(`<link>https://test.example/tags/${tagSlug}/</link>`);
    expect(readFileSync(path.join(root, `dist/posts/${slug}/index.html`), 'utf8')).toContain(title);
  });
});

describe('drafts and future posts', () => {
  const root = makeSite({
    'signet.config.yaml': MINIMAL_CONFIG,
    'content/posts/now.md': '---\ntitle: Now\ndate: 2020-01-01\n---\nNow.\n',
    'content/posts/draft.md': '---\ntitle: Draft\ndate: 2020-01-02\ndraft: true\n---\nDraft.\n',
    'content/posts/later.md': '---\ntitle: Later\ndate: 2999-01-01\n---\nLater.\n',
    'content/posts/secret-trip/index.md': '---\ntitle: Trip\ndate: 2020-01-03\ndraft: true\n---\n![map](map.svg)\n',
    'content/posts/secret-trip/map.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  });

  it('leaves them out by default, and says so', () => {
    const run = signet(['build'], root);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Left out 2 drafts and 1 post dated in the future (--drafts and --future to preview them).');
    expect(existsSync(path.join(root, 'dist/posts/now/index.html'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/posts/draft/index.html'))).toBe(false);
    expect(existsSync(path.join(root, 'dist/posts/later/index.html'))).toBe(false);
    // A draft bundle's files stay unpublished too.
    expect(existsSync(path.join(root, 'dist/posts/secret-trip/map.svg'))).toBe(false);
  });

  it('includes them with --drafts and --future', () => {
    expect(signet(['build', '--drafts', '--future'], root).status).toBe(0);
    expect(existsSync(path.join(root, 'dist/posts/draft/index.html'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/posts/later/index.html'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/posts/secret-trip/map.svg'))).toBe(true);
  });

  it('with --drafts, marks drafts on their pages and listings, and neither signs them nor puts them in a feed or the sitemap', () => {
    const run = signet(['build', '--drafts'], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('draft');
    const page = readFileSync(path.join(root, 'dist/posts/draft/index.html'), 'utf8');
    expect(page).toContain('class="draft-label"');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).not.toContain('id="signed-envelope"');
    expect(page).not.toContain('Signed by');
    const published = readFileSync(path.join(root, 'dist/posts/now/index.html'), 'utf8');
    expect(published).toContain('id="signed-envelope"');
    expect(published).not.toContain('draft-label');
    expect(published).not.toContain('noindex');
    const home = readFileSync(path.join(root, 'dist/index.html'), 'utf8');
    expect(home).toMatch(/<span class="draft-label">Draft<\/span> · <time[^>]*>[^<]*<\/time><\/p>\s*<\/article>/);
    expect(home.match(/draft-label/g)).toHaveLength(2);
    for (const file of ['feed.xml', 'atom.xml', 'feed.json', 'sitemap.xml']) {
      const text = readFileSync(path.join(root, 'dist', file), 'utf8');
      expect(text, file).toContain('/posts/now/');
      expect(text, file).not.toContain('/posts/draft/');
      expect(text, file).not.toContain('/posts/secret-trip/');
    }
    const verified = signet(['verify', 'dist', '--domain', 'test.example'], root);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  });
});

describe('tags and generated URLs', () => {
  const post = (name: string, front: string) => ({ [`content/posts/${name}.md`]: `---\ntitle: ${name}\ndate: 2026-01-01\n${front}\n---\n\nText.\n` });

  it('distinct tags get distinct pages: C++, C#, c, and emoji-only tags', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, ...post('a', 'tags: ["C++", "C#", "c"]'), ...post('b', 'tags: ["🙂", "😀", "Web Dev", "web-dev"]') });
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    const tags = readdirSync(path.join(root, 'dist/tags')).filter((name) => name !== 'index.html').sort();
    expect(tags).toEqual(['c', 'c-plus-plus', 'c-sharp', 'u1f600', 'u1f642', 'web-dev']);
    const index = readFileSync(path.join(root, 'dist/tags/index.html'), 'utf8');
    for (const name of ['C++', 'C#', '🙂', '😀', 'Web Dev']) expect(index).toContain(`#${name.replace('&', '&amp;')}`);
    expect(readFileSync(path.join(root, 'dist/tags/c-sharp/feed.xml'), 'utf8')).toContain('#C#');
  });

  it('two different tags that would still share a page: an error naming both tags and files', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, ...post('a', 'tags: ["C#"]'), ...post('b', 'tags: ["c sharp"]') });
    const run = signet(['build'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('content/posts/b.md: the tags "C#" (content/posts/a.md) and "c sharp" (content/posts/b.md) would share the page /tags/c-sharp/');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a permalink the build makes itself is refused, naming the file it would replace', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, ...post('a', 'tags: [meta]') });
    expect(signet(['build'], root).status).toBe(0);
    const before = readTree(path.join(root, 'dist'));
    const cases: [string, string][] = [
      ['/', 'dist/index.html, the home page'],
      ['/tags/meta/', 'dist/tags/meta/index.html, the page of the tag #meta'],
      ['/tags/', 'dist/tags/index.html, the list of tags'],
      ['/feed.xml', "dist/feed.xml, the site's RSS feed"],
      ['/tags/meta/atom.xml', 'dist/tags/meta/atom.xml, the Atom feed of the tag #meta'],
      ['/.well-known/did.json', "dist/.well-known/did.json, the DID document with the site's public keys"],
      ['/_headers', 'dist/_headers, the HTTP headers file'],
      ['/sitemap.xml/x/', 'dist/sitemap.xml, the sitemap'],
    ];
    for (const [permalink, replaced] of cases) {
      writeFiles(root, post('b', `permalink: "${permalink}"`));
      const run = signet(['build'], root);
      expect(run.status, permalink).toBe(1);
      // A path without an extension is a folder's URL: `/_headers` is `/_headers/`.
      const url = /\.[a-z]+$|\/$/.test(permalink) ? permalink : `${permalink}/`;
      expect(run.stderr, permalink).toContain(`content/posts/b.md: its URL ${url} would replace ${replaced}, which the build makes itself`);
      expect(run.stderr, permalink).not.toMatch(/^\s+at /m);
      const after = readTree(path.join(root, 'dist'));
      expect([...after.keys()], permalink).toEqual([...before.keys()]);
    }
  });
});

describe('after a killed build', () => {
  it('the next build removes the staging and previous folders a build that is not running left', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': '---\ntitle: A\ndate: 2026-01-01\n---\n\nA.\n' });
    expect(signet(['build'], root).status).toBe(0);
    // What `kill -9` during a build leaves: folders named after the build's process, which has ended.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFiles(root, { [`.dist.signet-staging-${dead}/index.html`]: 'half', [`.dist.signet-previous-${dead}/index.html`]: 'old' });
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(root).filter((name) => name.includes('.signet-'))).toEqual([]);
  });
});

describe('rebuilds after changes (with the on-disk cache)', () => {
  it('a renamed post moves, and every listing links its new URL', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/old-name.md': '---\ntitle: Moving\ndate: 2026-01-01\ntags: [t]\n---\nText.\n' });
    expect(signet(['build'], root).status).toBe(0);
    renameSync(path.join(root, 'content/posts/old-name.md'), path.join(root, 'content/posts/new-name.md'));
    expect(signet(['build'], root).status).toBe(0);
    expect(existsSync(path.join(root, 'dist/posts/old-name/index.html'))).toBe(false);
    for (const page of ['index.html', 'tags/t/index.html']) {
      const html = readFileSync(path.join(root, 'dist', page), 'utf8');
      expect(html, page).toContain('href="/posts/new-name/"');
      expect(html, page).not.toContain('old-name');
    }
  });
});

describe('the command line', () => {
  it('prints help and version', () => {
    const help = signet(['--help'], REPO);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: signet <command>/);
    expect(help.stdout).toMatch(/build/);
    const version = signet(['--version'], REPO);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects an unknown flag with exit code 2', () => {
    const run = signet(['build', '--nope'], REPO);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--nope/);
  });

  it('`signet new` writes a draft post and never overwrites', () => {
    const root = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG });
    const made = signet(['new', 'Hello, World!'], root);
    expect(made.status, made.stderr).toBe(0);
    const text = readFileSync(path.join(root, 'content/posts/hello-world.md'), 'utf8');
    expect(text).toMatch(/^---\ntitle: "Hello, World!"\ndate: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(signet(['new', 'Hello, World!'], root).status).toBe(1);
    expect(readFileSync(path.join(root, 'content/posts/hello-world.md'), 'utf8')).toBe(text);
  });
});
