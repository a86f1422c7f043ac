import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLAY_ID } from '@signet/dev-server';
import { launchBrowser } from '../helpers/browser.js';
import { makeSite, MINIMAL_CONFIG, SIGNET } from '../helpers/site.js';

const POST = '---\ntitle: Live post\ndate: 2024-05-01\ntags: [demo]\n---\n\nThe first version of this post.\n';

// The theme's base layout links only its own stylesheet; the site's copy adds one of its own to swap.
const THEME_BASE = readFileSync(new URL('../layouts/base.liquid', import.meta.resolve('@signet/theme')), 'utf8');

// What a user does: `signet dev` from the installed command line, in a site folder, in a real browser.
describe('live reload of the installed `signet dev` in a real browser', () => {
  const root = makeSite({
    'layouts/base.liquid': THEME_BASE.replace('</head>', '<link rel="stylesheet" href="{{ site.base }}site.css">\n</head>'),
    'signet.config.yaml': MINIMAL_CONFIG,
    'content/posts/live.md': POST,
    'static/site.css': 'body { background-color: rgb(255, 255, 255); }\n',
  });
  const file = path.join(root, 'content/posts/live.md');
  let dev: ChildProcess | undefined;
  let output = '';
  let browser: Browser;
  let page: Page;
  let navigations = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const env = { ...process.env };
    delete env.SIGNET_SIGNING_KEY;
    dev = spawn(SIGNET, ['dev', '--port', String(port)], { cwd: root, env });
    dev.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await serving(() => output, dev);
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.goto(new URL('posts/live/', url).href);
    await listening(page, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    if (dev && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev!.once('exit', resolve));
      dev.kill('SIGINT');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the live-reload script without an error in the page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('shows an edit to the Markdown without a reload by hand', async () => {
    expect(await page.textContent('body')).toContain('The first version of this post.');
    const before = navigations;
    writeFileSync(file, POST.replace('The first version', 'The second version'));
    await page.waitForFunction(() => document.body.textContent?.includes('The second version of this post.'));
    expect(navigations).toBeGreaterThan(before);
    expect(pageErrors).toEqual([]);
  });

  it('shows an overlay naming the file when the front matter breaks, and clears it on the fix', async () => {
    await listening(page, pageErrors);
    writeFileSync(file, '---\ntitle: "Live post\ndate: 2024-05-01\n---\n\nBroken.\n');
    const overlay = page.locator(`#${OVERLAY_ID}`);
    await overlay.waitFor({ state: 'visible' });
    expect(await overlay.locator('.signet-error-location').textContent()).toMatch(/^content\/posts\/live\.md:\d+:\d+$/);
    expect(await overlay.locator('.signet-error-message').textContent()).toMatch(/front matter is not valid YAML/);
    expect(await page.textContent('main')).toContain('The second version of this post.');

    writeFileSync(file, POST.replace('The first version', 'The third version'));
    await overlay.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.body.textContent?.includes('The third version of this post.'));
    expect(pageErrors).toEqual([]);
  });

  it('swaps a changed stylesheet in place, without reloading the page', async () => {
    await listening(page, pageErrors);
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    const before = navigations;
    writeFileSync(path.join(root, 'static/site.css'), 'body { background-color: rgb(0, 128, 0); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(0, 128, 0)');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
    expect(navigations).toBe(before);
    expect(pageErrors).toEqual([]);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', resolve));
    dev!.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/Stopped\.\n$/);
  });
});

/** A port nothing listens on right now, as a user would pick one. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The URL `signet dev` says it serves, once it says so; fails with its output if it exits first. */
async function serving(output: () => string, child: ChildProcess): Promise<string> {
  for (;;) {
    const match = /Serving \. at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)/.exec(output());
    if (match) return match[1]!;
    if (child.exitCode !== null) throw new Error(`signet dev exited with ${child.exitCode}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the page's live-reload script has heard from the server, or fails with the page's error. */
async function listening(page: Page, errors: string[]): Promise<void> {
  let heard = false;
  const waiting = page.waitForFunction(() => document.documentElement.dataset.signetLive !== undefined).then(() => (heard = true));
  waiting.catch(() => {});
  while (!heard) {
    if (errors.length > 0) throw new Error(`the page's script failed: ${errors.join('; ')}`);
    await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}
