import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, signet } from '../helpers/site.js';
import { signetAsync } from '../network/sites.js';

let server: Server;
let origin = '';
let site = '';
const feedQueries: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const post = 'https://received.example/posts/hello/';
    if (url.pathname === '/api/mentions.jf2') {
      feedQueries.push(url.search);
      const entry = (p: string) => ({ type: 'entry', url: `${origin}${p}`, 'wm-source': `${origin}${p}`, 'wm-target': post, 'wm-property': 'in-reply-to', author: { name: 'Someone' }, content: { html: '<p>I <em>linked</em> you</p>' } });
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'feed', children: [entry('/links'), entry('/spam')] }));
    }
    if (url.pathname === '/links') return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>I <a href="${post}">linked</a> you</body></html>`);
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Replier</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>');
    if (url.pathname === '/feed.xml') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<?xml version="1.0"?><rss version="2.0"><channel><title>Replier</title><link>http://replier/</link><description>d</description><item><title>Other</title><guid>x1</guid><description>not a reply</description></item></channel></rss>');
    if (url.pathname === '/spam') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>buy things</body></html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site = makeSite({
    'signet.config.yaml': `title: Received\nurl: https://received.example/\nauthor: Writer\nwebmention:\n  endpoint: https://webmention.io/received.example/webmention\n  feed: ${origin}/api/mentions.jf2?domain=received.example\n`,
    'content/posts/hello.md': '---\ntitle: Hello\ndate: 2026-11-01\n---\n\nHello.\n',
    'content/about.md': '---\ntitle: About\n---\n\nAbout.\n',
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  rmSync(site, { recursive: true, force: true });
});

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? htmlFiles(full) : name.endsWith('.html') ? [full] : [];
  });
}

describe('receiving Webmentions through an external receiver', () => {
  it('names the configured endpoint in the head of every page, which stays valid HTML', async () => {
    expect(signet(['keys', 'generate'], site).status).toBe(0);
    const built = signet(['build'], site);
    expect(built.status).toBe(0);
    const pages = htmlFiles(path.join(site, 'dist'));
    expect(pages.length).toBeGreaterThan(4);
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      expect(html.split('</head>')[0], page).toContain('<link rel="webmention" href="https://webmention.io/received.example/webmention">');
      const report = await validator.validateString(html, page);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${page}:${m.line} ${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });

  it('signet fetch imports the receiver\'s mentions whose source links the post, and never prints the token', async () => {
    process.env.SIGNET_WEBMENTION_TOKEN = 'tok-123';
    let r;
    try {
      r = await signetAsync(['fetch', '--allow-private-network'], site);
    } finally {
      delete process.env.SIGNET_WEBMENTION_TOKEN;
    }
    expect(r.status).toBe(0);
    expect(feedQueries).toEqual(['?domain=received.example&token=tok-123']);
    expect(r.stdout).toMatch(/2 listed, 1 verified, 1 not kept/);
    expect(r.stdout).toContain(`mention not kept: ${origin}/spam → https://received.example/posts/hello/: ${origin}/spam does not link https://received.example/posts/hello/`);
    expect(r.stdout + r.stderr).not.toContain('tok-123');
    const stored = JSON.parse(readFileSync(path.join(site, '.signet/network/mentions.json'), 'utf8'));
    expect(stored.mentions).toEqual([expect.objectContaining({ source: `${origin}/links`, target: 'https://received.example/posts/hello/', property: 'in-reply-to', text: 'I linked you' })]);
  });

  it('shows a received reply under its post only with `replies: followed` and its source\'s site followed', async () => {
    const page = () => readFileSync(path.join(site, 'dist/posts/hello/index.html'), 'utf8');
    expect(page()).not.toContain('I linked you');
    expect((await signetAsync(['follow', `${origin}/`, '--allow-private-network'], site)).status).toBe(0);
    expect((await signetAsync(['fetch', '--allow-private-network'], site)).status).toBe(0);
    expect(signet(['build'], site).status).toBe(0);
    expect(page()).not.toContain('I linked you');
    const config = readFileSync(path.join(site, 'signet.config.yaml'), 'utf8');
    writeFileSync(path.join(site, 'signet.config.yaml'), `${config}replies: followed\n`);
    expect(signet(['build'], site).status).toBe(0);
    expect(page()).toContain('I linked you');
    expect(page()).toContain(`href="${origin}/links"`);
    expect(page()).not.toContain(`${origin}/spam`);
    writeFileSync(path.join(site, 'mute.txt'), '127.0.0.1\n');
    expect(signet(['build'], site).status).toBe(0);
    expect(page()).not.toContain('I linked you');
  });

  it('refuses an endpoint that is not a URL, naming the line', () => {
    const bad = makeSite({ 'signet.config.yaml': 'title: Bad\nurl: https://bad.example/\nauthor: W\nwebmention:\n  endpoint: not a url\n' });
    const r = signet(['build'], bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/signet\.config\.yaml:5:\d+: `webmention\.endpoint` must be an absolute http\(s\) URL/);
    rmSync(bad, { recursive: true, force: true });
  });
});
