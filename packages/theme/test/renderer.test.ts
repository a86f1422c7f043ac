import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSignetError, type SignetError } from '@signet/config';
import { afterEach, describe, expect, it } from 'vitest';
import { createRenderer, THEME_ASSETS, THEME_LAYOUTS, themeAssets } from '../src/index.js';

const dirs: string[] = [];
function siteLayouts(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-theme-'));
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function errorOf(run: () => unknown): SignetError {
  try {
    run();
  } catch (error) {
    if (isSignetError(error)) return error;
    throw error;
  }
  throw new Error('expected a SignetError');
}

const site = { title: 'Site & Co', base: '/', language: 'en', feeds: { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' }, author: { name: 'Ada' }, menu: [], didDocumentPath: '/.well-known/did.json', host: 'example.com' };

describe('theme layouts', () => {
  it('lists the theme\'s layouts, sorted', () => {
    const renderer = createRenderer(undefined);
    expect(renderer.layouts).toEqual(['404', 'archive', 'base', 'email', 'following', 'gone', 'list', 'network', 'page', 'post', 'replies', 'tags']);
    expect(readdirSync(THEME_LAYOUTS).sort()).toEqual(renderer.layouts.map((name) => `${name}.liquid`));
  });

  it('renders a page with its content as HTML and everything else escaped', () => {
    const html = createRenderer(undefined).render('page', {
      site,
      page: { title: '<script>alert(1)</script> & more', url: 'https://example.com/about/', content: '<p>Body <em>kept</em></p>', language: 'en' },
    });
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</h1>');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more · Site &amp; Co</title>');
    expect(html).toContain('<p>Body <em>kept</em></p>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
  });

  it('escapes attribute values too', () => {
    const html = createRenderer(undefined).render('page', { site, page: { title: 'T', url: 'https://example.com/"><script>x()</script>', content: '' } });
    expect(html).toContain('<link rel="canonical" href="https://example.com/&#34;&gt;&lt;script&gt;x()&lt;/script&gt;">');
  });

  it('lets `| raw` through unescaped', () => {
    const dir = siteLayouts({ 'raw.liquid': '{{ a }}|{{ a | raw }}' });
    expect(createRenderer(dir).render('raw', { a: '<b>&</b>' })).toBe('&lt;b&gt;&amp;&lt;/b&gt;|<b>&</b>');
  });
});

describe('site layouts', () => {
  it('a layout in the site folder wins over the theme\'s, and adds to the list', () => {
    const dir = siteLayouts({ 'page.liquid': 'SITE PAGE {{ page.title }}', 'gallery.liquid': 'GALLERY' });
    const renderer = createRenderer(dir);
    expect(renderer.render('page', { page: { title: 'About' } })).toBe('SITE PAGE About');
    expect(renderer.render('gallery', {})).toBe('GALLERY');
    expect(renderer.layouts).toEqual(['404', 'archive', 'base', 'email', 'following', 'gallery', 'gone', 'list', 'network', 'page', 'post', 'replies', 'tags']);
  });

  it('a site layout can extend the theme\'s base layout', () => {
    const dir = siteLayouts({ 'wide.liquid': '{% layout "base" %}{% block main %}<div class="wide">{{ page.title }}</div>{% endblock %}' });
    const html = createRenderer(dir).render('wide', { site, page: { title: 'W<' } });
    expect(html).toContain('<main id="main">\n<div class="wide">W&lt;</div>\n</main>');
    expect(html).toContain('<footer class="site-footer">');
  });

  it('a missing site folder falls back to the theme', () => {
    expect(createRenderer('/nonexistent/signet/layouts').layouts).toEqual(createRenderer(undefined).layouts);
  });
});

describe('errors', () => {
  it('an unknown layout names it, the file, and the layouts that exist', () => {
    const renderer = createRenderer(siteLayouts({ 'gallery.liquid': '' }));
    const error = errorOf(() => renderer.check('galery', 'content/photos.md', 4));
    expect(error.message).toBe('unknown layout "galery"');
    expect(error.file).toBe('content/photos.md');
    expect(error.line).toBe(4);
    expect(error.hint).toBe('Layouts that exist: 404, archive, base, email, following, gallery, gone, list, network, page, post, replies, tags. Add layouts/galery.liquid to the site, or pick one of those.');
    expect(() => renderer.render('galery', {})).toThrow('unknown layout "galery"');
    expect(() => renderer.check('gallery', 'x.md')).not.toThrow();
  });

  it('a Liquid error names the layout file', () => {
    const renderer = createRenderer(siteLayouts({ 'broken.liquid': '{% if x %}never closed', 'filter.liquid': '{{ x | nosuchfilter }}' }));
    const broken = errorOf(() => renderer.render('broken', {}));
    expect(broken.message).toMatch(/^layout "broken" failed: /);
    expect(broken.file).toBe('layouts/broken.liquid');
    expect(broken.hint).toContain('Liquid syntax');
    expect(errorOf(() => renderer.render('filter', { x: 1 })).message).toMatch(/nosuchfilter/);
  });

  it('runs no code from templates or data', () => {
    const renderer = createRenderer(siteLayouts({ 'probe.liquid': '{{ x.constructor }}|{{ "a" | append: x.__proto__ }}' }));
    expect(renderer.render('probe', { x: {} })).toBe('|a');
  });
});

describe('layout hash', () => {
  it('changes when a layout file changes, and only then', () => {
    const dir = siteLayouts({ 'page.liquid': 'one' });
    const first = createRenderer(dir).hash;
    expect(createRenderer(dir).hash).toBe(first);
    writeFileSync(path.join(dir, 'page.liquid'), 'two');
    const second = createRenderer(dir).hash;
    expect(second).not.toBe(first);
    writeFileSync(path.join(dir, 'extra.liquid'), '');
    expect(createRenderer(dir).hash).not.toBe(second);
    expect(createRenderer(undefined).hash).toMatch(/^[0-9a-f]{64}$/);
    expect(createRenderer(undefined).hash).not.toBe(first);
  });
});

describe('assets', () => {
  it('themeAssets lists the stylesheet under assets/', () => {
    expect(themeAssets()).toEqual([{ outputPath: 'assets/signet.css', file: path.join(THEME_ASSETS, 'signet.css') }]);
  });
});

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual(['THEME_ASSETS', 'THEME_LAYOUTS', 'createRenderer', 'themeAssets']);
});
