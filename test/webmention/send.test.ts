import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, signet } from '../helpers/site.js';
import { signetAsync } from '../network/sites.js';

const OPEN = '--allow-private-network';
let server: Server;
let origin = '';
let site = '';
/** Every Webmention the receiver was sent: source, target and the endpoint's query. */
const received: { source: string; target: string; query: string }[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/endpoint') {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        received.push({ source: form.get('source') ?? '', target: form.get('target') ?? '', query: url.search });
        res.writeHead(202).end('Accepted');
      });
      return;
    }
    if (url.pathname === '/refuses') return void res.writeHead(400).end('source does not link here');
    if (url.pathname === '/header') return void res.writeHead(200, { 'content-type': 'text/html', link: '</endpoint?via=header>; rel="webmention somethingelse"' }).end('<html><body>header</body></html>');
    if (url.pathname === '/bad') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="webmention" href="/refuses"></head></html>');
    if (url.pathname.startsWith('/page/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="webmention" href="/endpoint?via=link"></head><body>a page</body></html>');
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site = makeSite({
    'signet.config.yaml': 'title: Mentions\nurl: https://mentions.example/\nauthor: Writer\n',
    'content/posts/hello.md': `---\ntitle: Hello\ndate: 2026-11-01\nin_reply_to: ${origin}/page/replied\n---\n\nSee [A](${origin}/page/a), [B](${origin}/page/b), [my other post](/posts/other/) and [this](${origin}/header).\n`,
    'content/posts/other.md': `---\ntitle: Other\ndate: 2026-11-02\n---\n\nA [broken endpoint](${origin}/bad) and [no endpoint](${origin}/none).\n`,
  });
  expect(signet(['keys', 'generate'], site).status).toBe(0);
  expect(signet(['build'], site).status).toBe(0);
});
afterAll(async () => {
  await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  rmSync(site, { recursive: true, force: true });
});

const pairs = (from: number) => received.slice(from).map((r) => `${r.source.replace('https://mentions.example', '')} ${r.target.replace(origin, '')} ${r.query}`).sort();

describe('signet webmention send, through the installed binary', () => {
  it('a dry run lists what would be sent and touches nothing', async () => {
    const r = await signetAsync(['webmention', 'send', '--dry-run', OPEN], site);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`would send: https://mentions.example/posts/hello/ → ${origin}/page/a (new)`);
    expect(r.stdout).toMatch(/Dry run: 6 Webmentions would be sent \(2 posts\)/);
    expect(requests).toBe(0);
    expect(existsSync(path.join(site, '.signet/webmention'))).toBe(false);
  });

  it('refuses loopback addresses without the flag, and says so per target', async () => {
    const r = await signetAsync(['webmention', 'send'], site);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/failed: https:\/\/mentions\.example\/posts\/hello\/ → http:\/\/127\.0\.0\.1:\d+\/page\/a \(new\): .*private, loopback/);
    expect(r.stdout).toMatch(/Webmentions: 0 sent, 0 targets without an endpoint, 6 failed \(2 posts\)\.$/m);
    expect(requests).toBe(0);
    expect((await signetAsync(['webmention', 'send', '--strict'], site)).status).toBe(1);
  });

  it('sends each mention exactly once per version of the post, and a bad endpoint fails only itself', async () => {
    const r = await signetAsync(['webmention', 'send', OPEN], site);
    expect(r.status).toBe(0);
    expect(pairs(0)).toEqual([
      '/posts/hello/ /header ?via=header',
      '/posts/hello/ /page/a ?via=link',
      '/posts/hello/ /page/b ?via=link',
      '/posts/hello/ /page/replied ?via=link',
    ]);
    expect(r.stderr).toMatch(/failed: https:\/\/mentions\.example\/posts\/other\/ → .*\/bad \(new\): .*\/refuses answered HTTP 400: source does not link here/);
    expect(r.stdout).toMatch(/no endpoint: https:\/\/mentions\.example\/posts\/other\/ → .*\/none/);
    expect(r.stdout).toMatch(/Webmentions: 4 sent, 1 target without an endpoint, 1 failed \(2 posts\)\.$/m);
    const again = await signetAsync(['webmention', 'send', OPEN], site);
    expect(received).toHaveLength(4);
    expect(again.stdout).toMatch(/Webmentions: 0 sent, 0 targets without an endpoint, 1 failed/);
    const ledger = readFileSync(path.join(site, '.signet/webmention/ledger.json'), 'utf8');
    expect(JSON.parse(ledger).version).toBe(1);
    expect(existsSync(path.join(site, 'dist/.signet'))).toBe(false);
  });

  it('an edited post is sent again to its old and new targets', async () => {
    const before = received.length;
    writeFileSync(path.join(site, 'content/posts/hello.md'), `---\ntitle: Hello\ndate: 2026-11-01\nin_reply_to: ${origin}/page/replied\n---\n\nEdited: see [A](${origin}/page/a) and [C](${origin}/page/c).\n`);
    expect(signet(['build'], site).status).toBe(0);
    const r = await signetAsync(['webmention', 'send', OPEN], site);
    expect(r.stdout).toContain(`sent: https://mentions.example/posts/hello/ → ${origin}/page/b (link removed)`);
    expect(pairs(before)).toEqual([
      '/posts/hello/ /header ?via=header',
      '/posts/hello/ /page/a ?via=link',
      '/posts/hello/ /page/b ?via=link',
      '/posts/hello/ /page/c ?via=link',
      '/posts/hello/ /page/replied ?via=link',
    ]);
    const after = received.length;
    await signetAsync(['webmention', 'send', OPEN], site);
    expect(received).toHaveLength(after);
  });

  it('a deleted post gets a tombstone page, and the targets it linked are told', async () => {
    const before = received.length;
    rmSync(path.join(site, 'content/posts/hello.md'));
    const built = signet(['build'], site);
    expect(built.status).toBe(0);
    const tombstone = readFileSync(path.join(site, 'dist/posts/hello/index.html'), 'utf8');
    expect(tombstone).toContain('<h1>Deleted</h1>');
    expect(tombstone).toContain('<meta name="robots" content="noindex">');
    expect(tombstone).not.toContain(origin);
    expect(tombstone).not.toContain('signed-envelope');
    const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(tombstone, 'tombstone.html');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([]);
    expect(readFileSync(path.join(site, 'dist/sitemap.xml'), 'utf8')).not.toContain('/posts/hello/');
    const r = await signetAsync(['webmention', 'send', OPEN], site);
    expect(r.stdout).toContain(`sent: https://mentions.example/posts/hello/ → ${origin}/page/a (post deleted)`);
    expect(r.stdout).toMatch(/, 1 deleted post\)\.$/m);
    // The targets it still linked; B and the header page were told when the edit dropped them.
    expect(pairs(before)).toEqual([
      '/posts/hello/ /page/a ?via=link',
      '/posts/hello/ /page/c ?via=link',
      '/posts/hello/ /page/replied ?via=link',
    ]);
    const after = received.length;
    await signetAsync(['webmention', 'send', OPEN], site);
    expect(received).toHaveLength(after);
    // The next build keeps the tombstone.
    expect(signet(['build'], site).status).toBe(0);
    expect(readFileSync(path.join(site, 'dist/posts/hello/index.html'), 'utf8')).toContain('<h1>Deleted</h1>');
  });
});
