import { createServer } from 'node:http';
import { rmSync, writeFileSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PATH, contentType, EVENTS_PATH, findFreePort, injectReloadScript, isWatched, OVERLAY_ID, startDevServer, type DevServer } from '../src/index.js';
import { listenEvents, makeSite, NOW, post } from './helpers.js';

describe('serving the in-memory site', () => {
  const root = makeSite();
  let server: DevServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: (line) => lines.push(line), err: () => {} });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves under the base path from the config URL', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/blog/`);
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const top = await fetch(`http://127.0.0.1:${server.port}/`, { redirect: 'manual' });
    expect(top.status).toBe(301);
    expect(top.headers.get('location')).toBe('/blog/');
  });

  it('sends index.html for folders, redirects a folder without its slash, and 404.html for misses', async () => {
    const page = await fetch(new URL('posts/first/', server.url));
    expect(await page.text()).toContain('The <strong>first</strong> post.');
    const bare = await fetch(new URL('posts/first', server.url), { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/blog/posts/first/');
    const missing = await fetch(new URL('no/such/page/', server.url));
    expect(missing.status).toBe(404);
    const body = await missing.text();
    expect(body).toContain('Not found');
    expect(body).toContain(CLIENT_PATH);
    const outside = await fetch(`http://127.0.0.1:${server.port}/elsewhere/`);
    expect(outside.status).toBe(404);
  });

  it('sends the browser script file as it is, speaking to the events path and overlay id the server uses', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}${CLIENT_PATH}?v=1`);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const script = await response.text();
    expect(script).toBe(readFileSync(new URL('../assets/client.js', import.meta.url), 'utf8'));
    expect(script).toContain(`new EventSource(${JSON.stringify(EVENTS_PATH).replaceAll('"', "'")})`);
    expect(script).toContain(`const overlayId = ${JSON.stringify(OVERLAY_ID).replaceAll('"', "'")};`);
    expect(script).toContain('new URL(import.meta.url)');
  });

  it('sends each output with its content type, and copied files byte for byte', async () => {
    const cases: [string, string][] = [
      ['feed.xml', 'application/xml; charset=utf-8'],
      ['feed.json', 'application/json; charset=utf-8'],
      ['assets/signet.css', 'text/css; charset=utf-8'],
      ['posts/bundle/dot.png', 'image/png'],
      ['robots.txt', 'text/plain; charset=utf-8'],
      ['did.json', 'application/json; charset=utf-8'],
    ];
    for (const [file, type] of cases) {
      const response = await fetch(new URL(file, server.url));
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(type);
    }
    // The published copy, written again without metadata: a PNG, not the source's bytes.
    const png = Buffer.from(await (await fetch(new URL('posts/bundle/dot.png', server.url))).arrayBuffer());
    expect(png.subarray(0, 8).equals(readFileSync(path.join(root, 'content/posts/bundle/dot.png')).subarray(0, 8))).toBe(true);
    const feed = await (await fetch(new URL('feed.xml', server.url))).text();
    expect(feed).not.toContain(CLIENT_PATH);
    expect(contentType('_headers')).toBe('text/plain; charset=utf-8');
  });

  it('keeps the reload script out of the build output it holds', () => {
    const html = server.files()!.get('index.html')!;
    expect(String(html)).not.toContain(CLIENT_PATH);
  });

  it('moves outputs when a post is renamed, and removes them when it is deleted', async () => {
    const renamed = server.nextBuild();
    renameSync(path.join(root, 'content/posts/second.md'), path.join(root, 'content/posts/later.md'));
    expect((await renamed).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fetch(new URL('posts/second/', server.url))).status).toBe(404);
    expect(await (await fetch(new URL('posts/later/', server.url))).text()).toContain('The second post');
    expect(String(server.files()!.get('index.html'))).toContain('/blog/posts/later/');
    expect(String(server.files()!.get('index.html'))).not.toContain('/blog/posts/second/');

    const deleted = server.nextBuild();
    rmSync(path.join(root, 'content/posts/later.md'));
    const report = await deleted;
    expect(report.changes.removed).toContain('posts/later/index.html');
    expect((await fetch(new URL('posts/later/', server.url))).status).toBe(404);
  });

  it('sends reload after a page change and swaps stylesheets after a CSS-only change', async () => {
    const events = await listenEvents(new URL('/__signet/events', server.url).href);
    const reload = events.next('reload');
    writeFileSync(path.join(root, 'content/posts/third.md'), post('Third', '2024-04-01', ['gamma'], 'Third post.'));
    expect(await reload).toMatchObject({ type: 'reload' });

    const css = events.next('css');
    const built = server.nextBuild();
    writeFileSync(path.join(root, 'static/extra.css'), 'body { color: navy; }\n');
    const report = await built;
    expect(report.changes.changed).toEqual(['extra.css']);
    expect(await css).toMatchObject({ type: 'css', data: { paths: ['/blog/extra.css'], version: report.version } });
    expect(await (await fetch(new URL('extra.css', server.url))).text()).toBe('body { color: navy; }\n');
    expect(events.events.filter((e) => e.type === 'reload')).toHaveLength(1);
    events.close();
  });

  it('does not lose a second save that comes within chokidar\'s 50 ms change window', async () => {
    const file = path.join(root, 'content/posts/first.md');
    const first = server.nextBuild();
    writeFileSync(file, post('First post', '2024-01-01', ['alpha'], 'Quick save one.'));
    await first;
    const second = server.nextBuild();
    writeFileSync(file, post('First post', '2024-01-01', ['alpha'], 'Quick save two.'));
    const report = await Promise.race([second, new Promise<undefined>((resolve) => setTimeout(resolve, 20_000))]);
    expect(report?.ok).toBe(true);
    expect(String(server.files()!.get('posts/first/index.html'))).toContain('Quick save two.');
  });

  it('prints one line per rebuild naming the saved file, the changed outputs and the time', async () => {
    const before = lines.length;
    const built = server.nextBuild();
    writeFileSync(path.join(root, 'content/posts/first.md'), post('First post', '2024-01-01', ['alpha'], 'Edited again.'));
    await built;
    const added = lines.slice(before);
    expect(added).toHaveLength(1);
    // The listings that show the post's excerpt change with it.
    expect(added[0]).toMatch(/^\d\d:\d\d:\d\d content\/posts\/first\.md → \d+ changed \((.*, )?posts\/first\/index\.html(, | and ).*\) \[1 Markdown, signed 1, rendered \d+\] in \d+ ms$/);
  });
});

describe('a port in use', () => {
  it('is refused with a message that names a free port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const root = makeSite();
    try {
      const error = await startDevServer({ root, port, now: NOW, env: {}, out: () => {}, err: () => {} }).then(
        () => undefined,
        (caught: unknown) => caught as Error & { hint?: string },
      );
      expect(error?.message).toBe(`port ${port} on 127.0.0.1 is already in use`);
      const free = Number(/Port (\d+) is free/.exec(error?.hint ?? '')?.[1]);
      expect(free).toBeGreaterThan(0);
      expect(free).not.toBe(port);
      expect(error?.hint).toContain(`signet dev --port ${free}`);
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(free, '127.0.0.1', resolve));
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('findFreePort skips a busy port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    expect(await findFreePort(port, '127.0.0.1')).not.toBe(port);
    await new Promise((resolve) => blocker.close(resolve));
  });
});

describe('helpers', () => {
  it('injects the reload script before </body>, or at the end', () => {
    expect(injectReloadScript('<html><body><p>x</p></BODY></html>', 3)).toBe(`<html><body><p>x</p><script type="module" src="${CLIENT_PATH}?v=3"></script></BODY></html>`);
    expect(injectReloadScript('<p>x</p>', 1)).toBe(`<p>x</p><script type="module" src="${CLIENT_PATH}?v=1"></script>`);
  });

  it('watches content, layouts, static, the config, the key registry and the network data, but not output or hidden files', () => {
    const dirs = { content: 'content', layouts: 'layouts', static: 'static' };
    const root = '/site';
    for (const file of ['/site', '/site/content', '/site/content/posts/a.md', '/site/layouts/post.liquid', '/site/static/x.css', '/site/signet.config.yaml', '/site/signet.keys.json', '/site/following.opml', '/site/mute.txt', '/site/.signet', '/site/.signet/network', '/site/.signet/network/feeds/ab.json']) {
      expect(isWatched(root, dirs, file), file).toBe(true);
    }
    for (const file of ['/site/dist', '/site/dist/index.html', '/site/node_modules', '/site/.signet/keys/dev-key.secret', '/site/.signet/cache', '/site/.signet/network/feeds/ab.json.1.tmp', '/site/content/.a.md.swp', '/site/content/.git/x', '/other/content/a.md', '/site/README.md']) {
      expect(isWatched(root, dirs, file), file).toBe(false);
    }
    expect(isWatched(root, { ...dirs, content: 'src/content' }, '/site/src')).toBe(true);
    expect(isWatched(root, { ...dirs, content: 'src/content' }, '/site/src/other.ts')).toBe(false);
  });
});
