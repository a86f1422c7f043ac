import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLAY_ID, startDevServer, type DevServer } from '@signet/dev-server';
import { launchBrowser } from '../helpers/browser.js';
import { makeSite, MINIMAL_CONFIG } from '../helpers/site.js';

const POST = '---\ntitle: Live post\ndate: 2024-05-01\ntags: [demo]\n---\n\nThe first version of this post.\n';

// The theme's base layout links only its own stylesheet; the site's copy adds one of its own to swap.
const THEME_BASE = readFileSync(new URL('../layouts/base.liquid', import.meta.resolve('@signet/theme')), 'utf8');

describe('live reload in a real browser', () => {
  const root = makeSite({
    'layouts/base.liquid': THEME_BASE.replace('</head>', '<link rel="stylesheet" href="{{ site.base }}site.css">\n</head>'),
    'signet.config.yaml': MINIMAL_CONFIG,
    'content/posts/live.md': POST,
    'static/site.css': 'body { background-color: rgb(255, 255, 255); }\n',
  });
  const file = path.join(root, 'content/posts/live.md');
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  let navigations = 0;

  beforeAll(async () => {
    server = await startDevServer({ root, port: 0, env: {}, out: () => {}, err: () => {} });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.goto(new URL('posts/live/', server.url).href);
    await listening(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows an edit to the Markdown without a reload by hand', async () => {
    expect(await page.textContent('body')).toContain('The first version of this post.');
    const before = navigations;
    writeFileSync(file, POST.replace('The first version', 'The second version'));
    await page.waitForFunction(() => document.body.textContent?.includes('The second version of this post.'));
    expect(navigations).toBeGreaterThan(before);
  });

  it('shows an overlay with file:line and the message when the front matter breaks, and clears it on the fix', async () => {
    await listening(page);
    writeFileSync(file, '---\ntitle: "Live post\ndate: 2024-05-01\n---\n\nBroken.\n');
    const overlay = page.locator(`#${OVERLAY_ID}`);
    await overlay.waitFor({ state: 'visible' });
    expect(await overlay.locator('.signet-error-location').textContent()).toMatch(/^content\/posts\/live\.md:\d+:\d+$/);
    expect(await overlay.locator('.signet-error-message').textContent()).toMatch(/front matter is not valid YAML/);
    expect(await page.textContent('main')).toContain('The second version of this post.');

    writeFileSync(file, POST.replace('The first version', 'The third version'));
    await overlay.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.body.textContent?.includes('The third version of this post.'));
  });

  it('swaps a changed stylesheet in place, without reloading the page', async () => {
    await listening(page);
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    const before = navigations;
    writeFileSync(path.join(root, 'static/site.css'), 'body { background-color: rgb(0, 128, 0); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(0, 128, 0)');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
    expect(navigations).toBe(before);
  });
});

/** Waits until the page's live-reload script has heard from the server. */
async function listening(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.signetLive !== undefined);
}
