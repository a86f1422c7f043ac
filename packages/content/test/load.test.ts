import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetsOf, checkUniqueOutputs, comparePosts, loadContent, readEntry, walkFiles, type Entry } from '../src/index.js';
import { errorOf, makeSite, post } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('kinds', () => {
  it('tells posts, pages and the home introduction apart', () => {
    const config = makeSite({
      'content/index.md': post('title: Welcome'),
      'content/about.md': post('title: About'),
      'content/posts/hello.md': post('title: Hello\ndate: 2026-01-05'),
      'content/notes/dated.md': post('title: Dated\ndate: 2026-01-06'),
    });
    const set = loadContent(config, { now: NOW });
    expect(set.home?.kind).toBe('home');
    expect(set.home?.urlPath).toBe('/');
    expect(set.home?.outputPath).toBe('index.html');
    expect(set.home?.bundleDir).toBeUndefined();
    expect(set.pages.map((p) => [p.source, p.kind, p.urlPath])).toEqual([['content/about.md', 'page', '/about/']]);
    expect(set.posts.map((p) => [p.source, p.urlPath])).toEqual([
      ['content/notes/dated.md', '/notes/dated/'],
      ['content/posts/hello.md', '/posts/hello/'],
    ]);
  });

  it('a file under posts/ without a date is an error naming it', () => {
    const config = makeSite({ 'content/posts/undated.md': post('title: No date') });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message).toBe('a post under posts/ needs a `date`');
    expect(error.file).toBe('content/posts/undated.md');
    expect(error.hint).toContain('date: YYYY-MM-DD');
  });

  it('reads every known field into the entry and keeps unknown ones in data', () => {
    const config = makeSite({
      'content/posts/full.md': post([
        'title: "  Full  "', 'date: 2026-01-05 10:00', 'updated: 2026-01-06', 'draft: false', 'tags: [a, b]',
        'summary: Short', 'author: Ada', 'layout: wide', 'mood: happy',
      ].join('\n'), '# Body\n'),
    });
    const { entry, warnings } = readEntry(path.join(config.root, 'content/posts/full.md'), config);
    expect(warnings).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'post', source: 'content/posts/full.md', title: 'Full', draft: false, tags: ['a', 'b'],
      summary: 'Short', author: 'Ada', layout: 'wide', slug: 'full', urlPath: '/posts/full/',
      outputPath: 'posts/full/index.html', body: '# Body\n', bodyLine: 12,
    });
    expect(entry.date?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
    expect(entry.updated?.toISOString()).toBe('2026-01-06T00:00:00.000Z');
    expect(entry.data.mood).toBe('happy');
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a file of any size, and any spelling of its path, into the same entry', () => {
    const body = `${'Long line of text. '.repeat(40)}\n\n`.repeat(400);
    const config = makeSite({ 'content/posts/long.md': post('title: Long\ndate: 2026-01-05', body), 'content/posts/short.md': post('title: Short\ndate: 2026-01-06') });
    const file = path.join(config.root, 'content/posts/long.md');
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(4 * 65536);
    const { entry } = readEntry(file, config);
    expect(entry.body).toBe(body);
    expect(entry.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
    // A file read after it (in the same buffer) leaves it as it was.
    readEntry(path.join(config.root, 'content/posts/short.md'), config);
    expect(entry.body).toBe(body);
    const spellings = ['content/./posts/long.md', 'content/posts/../posts/long.md', 'content//posts/long.md'].map((p) => readEntry(`${config.root}/${p}`, config).entry);
    for (const other of spellings) expect([other.source, other.urlPath, other.outputPath, other.hash]).toEqual([entry.source, entry.urlPath, entry.outputPath, entry.hash]);
  });

  it('an invalid date names the file, the key line and the value', () => {
    const config = makeSite({ 'content/posts/bad.md': post('title: Bad\n\ndate: 2026-02-30') });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message).toBe('`date` is not a valid date: "2026-02-30"');
    expect(error.file).toBe('content/posts/bad.md');
    expect(error.line).toBe(4);
  });

  it('a YAML error names the file with its line and column', () => {
    const config = makeSite({ 'content/posts/bad.md': '---\ntitle: Bad\ntags: [a\ndate: 2026-01-01\n---\n' });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.file).toBe('content/posts/bad.md');
    expect(error.message).toMatch(/^the front matter is not valid YAML: /);
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.column).toBeGreaterThan(0);
  });

  it('`draft` must be a boolean', () => {
    const config = makeSite({ 'content/a.md': post('title: A\ndraft: "yes"') });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message).toBe('`draft` must be true or false, not "yes"');
    expect(error.line).toBe(3);
  });
});

describe('URLs', () => {
  it('fills the permalink pattern for posts', () => {
    const config = makeSite({ 'content/posts/2026/hello.md': post('title: Hello\ndate: 2026-03-07T23:30:00-02:00') }, { permalink: '/:year/:month/:day/:slug/' });
    const [entry] = loadContent(config, { now: NOW }).posts;
    expect(entry?.urlPath).toBe('/2026/03/08/hello/');
    expect(entry?.outputPath).toBe('2026/03/08/hello/index.html');
  });

  it(':path is the file path; a slug replaces the last segment', () => {
    const config = makeSite({
      'content/posts/2026/hello.md': post('title: Hello\ndate: 2026-01-01'),
      'content/posts/2026/renamed.md': post('title: R\ndate: 2026-01-02\nslug: custom'),
      'content/posts/bundle/index.md': post('title: B\ndate: 2026-01-03'),
    });
    const urls = loadContent(config, { now: NOW }).posts.map((p) => p.urlPath);
    expect(urls).toEqual(['/posts/bundle/', '/posts/2026/custom/', '/posts/2026/hello/']);
  });

  it('a page slug replaces its file name, also at the top of content/', () => {
    const config = makeSite({
      'content/about.md': post('title: About\nslug: me'),
      'content/docs/guide.md': post('title: Guide\nslug: start'),
      'content/team/index.md': post('title: Team\nslug: people'),
    });
    const urls = loadContent(config, { now: NOW }).pages.map((p) => p.urlPath);
    expect(urls).toEqual(['/docs/start/', '/me/', '/people/']);
  });

  it('an explicit permalink wins over the pattern', () => {
    const config = makeSite({
      'content/posts/a.md': post('title: A\ndate: 2026-01-01\npermalink: /special/place/'),
      'content/missing.md': post('title: Not found\npermalink: /404.html'),
    });
    const set = loadContent(config, { now: NOW });
    expect(set.posts[0]?.urlPath).toBe('/special/place/');
    expect(set.pages[0]?.outputPath).toBe('404.html');
  });

  it.each([
    ['slug: ../../escape', '`slug` contains `.` or `..` segments'],
    ['permalink: ../../../etc/x/', '`permalink` contains `.` or `..` segments'],
    ['permalink: https://evil.example/', '`permalink` is a full URL'],
    ['permalink: "\\\\\\\\server\\\\share"', '`permalink` contains a backslash'],
  ])('refuses %s with the file and line', (line, message) => {
    const config = makeSite({ 'content/posts/a.md': post(`title: A\ndate: 2026-01-01\n${line}`) });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.file).toBe('content/posts/a.md');
    expect(error.line).toBe(4);
  });

  it('two files claiming one URL are both named', () => {
    const config = makeSite({
      'content/posts/a.md': post('title: A\ndate: 2026-01-01\nslug: same'),
      'content/posts/same.md': post('title: B\ndate: 2026-01-02'),
    });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message).toBe('content/posts/same.md and content/posts/a.md both want the URL /posts/same/');
    expect(error.hint).toContain('different `slug` or `permalink`');
  });

  it('a page and a copied file claiming one output are both named', () => {
    const config = makeSite({
      'content/robots.md': post('title: Robots\npermalink: /robots.txt'),
      'static/robots.txt': 'User-agent: *\n',
    });
    const error = errorOf(() => loadContent(config, { now: NOW }));
    expect(error.message).toBe('static/robots.txt and content/robots.md both want the URL /robots.txt');
  });
});

describe('drafts and future posts', () => {
  const files = {
    'content/posts/draft.md': post('title: Draft\ndate: 2026-01-01\ndraft: true'),
    'content/posts/future.md': post('title: Future\ndate: 2026-12-01'),
    'content/posts/now.md': post('title: Now\ndate: 2026-06-01T00:00:00Z'),
    'content/draft-page.md': post('title: Draft page\ndraft: true'),
  };

  it('leaves out drafts and posts dated after now by default', () => {
    const set = loadContent(makeSite(files), { now: NOW });
    expect(set.posts.map((p) => p.slug)).toEqual(['now']);
    expect(set.pages).toEqual([]);
  });

  it('includes drafts with `drafts` and future posts with `future`', () => {
    const config = makeSite(files);
    expect(loadContent(config, { now: NOW, drafts: true }).posts.map((p) => p.slug)).toEqual(['now', 'draft']);
    expect(loadContent(config, { now: NOW, drafts: true }).pages.map((p) => p.slug)).toEqual(['draft-page']);
    expect(loadContent(config, { now: NOW, future: true }).posts.map((p) => p.slug)).toEqual(['future', 'now']);
  });

  it('a left-out draft does not claim its URL', () => {
    const config = makeSite({
      'content/posts/a.md': post('title: A\ndate: 2026-01-01\nslug: b\ndraft: true'),
      'content/posts/b.md': post('title: B\ndate: 2026-01-01'),
    });
    expect(loadContent(config, { now: NOW }).posts.map((p) => p.source)).toEqual(['content/posts/b.md']);
    expect(() => loadContent(config, { now: NOW, drafts: true })).toThrow(/both want the URL \/posts\/b\//);
  });
});

describe('files that travel with entries', () => {
  it('copies a page bundle\'s sibling files to the entry\'s output folder', () => {
    const config = makeSite({
      'content/posts/trip/index.md': post('title: Trip\ndate: 2026-01-05'),
      'content/posts/trip/photo.jpg': 'jpg',
      'content/posts/trip/maps/route.svg': '<svg/>',
      'content/images/logo.png': 'png',
      'content/.hidden/secret.txt': 'no',
      'static/favicon.ico': 'ico',
    }, { permalink: '/:year/:slug/' });
    const set = loadContent(config, { now: NOW });
    expect(set.posts[0]?.urlPath).toBe('/2026/trip/');
    expect(set.posts[0]?.bundleDir).toBe(path.join(config.root, 'content/posts/trip'));
    const outputs = Object.fromEntries(set.assets.map((a) => [path.relative(config.root, a.file).split(path.sep).join('/'), a.outputPath]));
    expect(outputs).toEqual({
      'content/images/logo.png': 'images/logo.png',
      'content/posts/trip/maps/route.svg': '2026/trip/maps/route.svg',
      'content/posts/trip/photo.jpg': '2026/trip/photo.jpg',
      'static/favicon.ico': 'favicon.ico',
    });
  });

  it('assetsOf uses the innermost bundle', () => {
    const root = '/site/content';
    const entry = (dir: string, outputPath: string) => ({ bundleDir: path.join(root, dir), outputPath }) as Entry;
    const assets = assetsOf(
      [path.join(root, 'a/x.png'), path.join(root, 'a/b/y.png'), path.join(root, 'ab/z.png')],
      [entry('a', 'A/index.html'), entry('a/b', 'B/index.html')],
      root,
    );
    expect(assets.map((a) => a.outputPath)).toEqual(['A/x.png', 'B/y.png', 'ab/z.png']);
  });

  it('walkFiles lists files sorted, skips dot files and tolerates a missing folder', () => {
    const config = makeSite({ 'content/b.md': '', 'content/a/z.md': '', 'content/.git/x': '', 'content/A.md': '' });
    const files = walkFiles(path.join(config.root, 'content')).map((f) => path.relative(config.root, f).split(path.sep).join('/'));
    expect(files).toEqual(['content/A.md', 'content/a/z.md', 'content/b.md']);
    expect(walkFiles(path.join(config.root, 'nowhere'))).toEqual([]);
  });
});

describe('titles', () => {
  it('untitled posts are notes, summarised in one warning', () => {
    const config = makeSite({
      'content/posts/n1.md': post('date: 2026-01-01'),
      'content/posts/n2.md': post('date: 2026-01-02\ntitle: "  "'),
      'content/posts/n3.md': post('date: 2026-01-03'),
      'content/posts/n4.md': post('date: 2026-01-04'),
      'content/posts/titled.md': post('date: 2026-01-05\ntitle: Titled'),
    });
    const set = loadContent(config, { now: NOW });
    expect(set.posts.filter((p) => p.title === undefined)).toHaveLength(4);
    expect(set.warnings).toEqual([{
      file: 'content/posts/n1.md',
      message: '4 post(s) have no `title` and are shown as untitled notes: content/posts/n1.md, content/posts/n2.md, content/posts/n3.md, and 1 more',
    }]);
  });

  it('notes an importer made untitled on purpose (they say where they came from) get no warning', () => {
    const config = makeSite({ 'content/notes/1/index.md': post('date: 2026-01-01\ntwitter:\n  id: "1"') });
    const set = loadContent(config, { now: NOW });
    expect(set.posts[0]?.title).toBeUndefined();
    expect(set.warnings).toEqual([]);
  });

  it('an untitled page gets a title from its slug and a warning', () => {
    const config = makeSite({ 'content/getting-started.md': 'No front matter.\n' });
    const set = loadContent(config, { now: NOW });
    expect(set.pages[0]?.title).toBe('Getting started');
    expect(set.warnings).toEqual([{ file: 'content/getting-started.md', line: 1, message: 'no `title` in the front matter; using "Getting started"' }]);
  });
});

describe('order', () => {
  it('posts are newest first, ties broken by URL', () => {
    const config = makeSite({
      'content/posts/b.md': post('title: B\ndate: 2026-01-01'),
      'content/posts/a.md': post('title: A\ndate: 2026-01-01'),
      'content/posts/c.md': post('title: C\ndate: 2026-02-01'),
    });
    const posts = loadContent(config, { now: NOW }).posts;
    expect(posts.map((p) => p.slug)).toEqual(['c', 'a', 'b']);
    expect(comparePosts(posts[1]!, posts[2]!)).toBeLessThan(0);
    expect(comparePosts(posts[0]!, posts[0]!)).toBe(0);
  });

  it('checkUniqueOutputs accepts distinct outputs', () => {
    expect(() => checkUniqueOutputs([{ outputPath: 'a/index.html', source: 'a.md' } as Entry], [{ file: '/x', outputPath: 'x.png' }], () => 'x')).not.toThrow();
  });
});
