import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySite, makeSite, MINIMAL_CONFIG, REPO, signet } from '../helpers/site.js';

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

export { urlsIn };
