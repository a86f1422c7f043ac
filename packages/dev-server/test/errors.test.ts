import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../src/index.js';
import { cleanBuild, listenEvents, makeSite, NOW, post } from './helpers.js';
import { sameBytes } from '../src/output.js';

describe('a broken file', () => {
  const root = makeSite();
  const file = path.join(root, 'content/posts/first.md');
  const good = readFileSync(file, 'utf8');
  const errors: string[] = [];
  let server: DevServer;

  beforeAll(async () => {
    server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: () => {}, err: (line) => errors.push(line) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows file:line and the message in the browser and the terminal, and keeps serving the last good site', async () => {
    const events = await listenEvents(new URL('/__signet/events', server.url).href);
    const reported = events.next('build-error');
    const built = server.nextBuild();
    writeFileSync(file, '---\ntitle: [unclosed\ndate: 2024-01-01\n---\n\nBroken.\n');
    const report = await built;
    expect(report.ok).toBe(false);
    expect(report.error?.location).toMatch(/^content\/posts\/first\.md:[23]:\d+$/);
    expect(report.error?.message).toMatch(/not valid YAML/);
    const event = await reported;
    expect(event.data).toMatchObject({ location: report.error?.location, message: report.error?.message });
    expect(errors.join('\n')).toContain(`${report.error!.location}: ${report.error!.message}`);

    const page = await fetch(new URL('posts/first/', server.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('The <strong>first</strong> post.');
    expect(server.error()?.location).toBe(report.error?.location);
    events.close();
  });

  it('greets a page opened while the build is broken with the error', async () => {
    const events = await listenEvents(new URL('/__signet/events', server.url).href);
    const hello = await new Promise<unknown>((resolve) => {
      const poll = () => (events.events[0] ? resolve(events.events[0]) : setTimeout(poll, 10));
      poll();
    });
    expect(hello).toMatchObject({ type: 'hello', data: { error: { location: expect.stringMatching(/^content\/posts\/first\.md:[23]:/) } } });
    events.close();
  });

  it('names an unknown layout and the layouts that exist', async () => {
    const built = server.nextBuild();
    writeFileSync(file, post('First post', '2024-01-01', ['alpha'], 'Body.', 'layout: fancy\n'));
    const report = await built;
    expect(report.ok).toBe(false);
    expect(report.error?.location).toMatch(/^content\/posts\/first\.md:1/);
    expect(report.error?.text).toMatch(/fancy/);
    expect(report.error?.text).toMatch(/post/);
  });

  it('clears on the next good save and reloads the page with the fix', async () => {
    const events = await listenEvents(new URL('/__signet/events', server.url).href);
    const reload = events.next('reload');
    const built = server.nextBuild();
    writeFileSync(file, good.replace('The **first** post.', 'The fixed first post.'));
    const report = await built;
    expect(report.ok).toBe(true);
    expect(server.error()).toBeUndefined();
    expect(await reload).toMatchObject({ type: 'reload', data: { version: report.version } });
    expect(await (await fetch(new URL('posts/first/', server.url))).text()).toContain('The fixed first post.');
    events.close();
  });

  it('clears the overlay even when the fix restores the exact last good output', async () => {
    const events = await listenEvents(new URL('/__signet/events', server.url).href);
    const current = readFileSync(file, 'utf8');
    const broken = server.nextBuild();
    writeFileSync(file, '---\ntitle: "open\n---\n');
    expect((await broken).ok).toBe(false);
    const clear = events.next('clear');
    const fixed = server.nextBuild();
    writeFileSync(file, current);
    const report = await fixed;
    expect(report.ok).toBe(true);
    expect(report.changes).toEqual({ added: [], removed: [], changed: [] });
    expect(await clear).toMatchObject({ type: 'clear' });
    events.close();
  });
});

describe('a site that is broken from the start', () => {
  it('still starts, answers with the error, and serves the site once it is fixed', async () => {
    const root = makeSite({ 'signet.config.yaml': 'title: Broken\nurl: [\n' });
    const lines: string[] = [];
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: () => {}, err: (line) => lines.push(line) });
    try {
      expect(server.error()?.location).toMatch(/signet\.config\.yaml:\d+/);
      expect(lines.join('\n')).toMatch(/signet\.config\.yaml:\d+:\d+: the config is not valid YAML/);
      const waiting = await fetch(server.url);
      expect(waiting.status).toBe(503);
      expect(await waiting.text()).toContain('/__signet/client.js');
      const built = server.nextBuild();
      writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Fixed\nurl: https://example.org/\nauthor: Ada\n');
      expect((await built).ok).toBe(true);
      expect(await (await fetch(server.url)).text()).toContain('Fixed');
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a rename while the site is broken', () => {
  it('moves the post in every listing once the site builds again', async () => {
    const root = makeSite();
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: () => {}, err: () => {} });
    try {
      const about = path.join(root, 'content/about.md');
      const good = readFileSync(about, 'utf8');
      const broken = server.nextBuild();
      writeFileSync(about, '---\ntitle: [broken\n---\n');
      expect((await broken).ok).toBe(false);
      renameSync(path.join(root, 'content/posts/first.md'), path.join(root, 'content/posts/moved.md'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(server.error()).toBeDefined();
      const fixed = server.nextBuild();
      writeFileSync(about, good);
      expect((await fixed).ok).toBe(true);
      const expected = cleanBuild(root);
      expect(String(server.files()!.get('index.html'))).toContain('/blog/posts/moved/');
      for (const [file, bytes] of expected) expect(sameBytes(server.files()!.get(file)!, bytes), file).toBe(true);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('saving another file while one is broken', () => {
  it('keeps the error until the broken file itself is fixed', async () => {
    const root = makeSite();
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: () => {}, err: () => {} });
    try {
      const first = path.join(root, 'content/posts/first.md');
      const good = readFileSync(first, 'utf8');
      const broken = server.nextBuild();
      writeFileSync(first, '---\ntitle: [broken\n---\n');
      expect((await broken).ok).toBe(false);
      // The rebuild for this save reads only what the watcher reported; the broken file must be among it.
      const other = server.nextBuild();
      writeFileSync(path.join(root, 'content/posts/second.md'), post('Second post', '2024-02-01', ['beta'], 'Saved while first.md is broken.'));
      const report = await other;
      expect(report.ok).toBe(false);
      expect(report.error?.location).toMatch(/^content\/posts\/first\.md:/);
      const fixed = server.nextBuild();
      writeFileSync(first, good);
      expect((await fixed).ok).toBe(true);
      const expected = cleanBuild(root);
      for (const [file, bytes] of expected) expect(sameBytes(server.files()!.get(file)!, bytes), file).toBe(true);
      expect(String(server.files()!.get('posts/second/index.html'))).toContain('Saved while first.md is broken.');
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
