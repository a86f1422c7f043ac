import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer } from '../src/index.js';
import { sameBytes } from '../src/output.js';
import { cleanBuild, makeSite, NOW, post } from './helpers.js';

describe('a change no watcher reported', () => {
  it('is read when a page is loaded, and the page reloads with it', async () => {
    const root = makeSite();
    const lines: string[] = [];
    // Without a watcher nothing reports the save: only the look at the disk after a page load can see it.
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, watch: false, checkAfterMs: 0, out: (line) => lines.push(line), err: () => {} });
    try {
      writeFileSync(path.join(root, 'content/posts/first.md'), post('First post', '2024-01-01', ['alpha'], 'Saved with nobody watching.'));
      const built = server.nextBuild();
      const page = await fetch(new URL('posts/first/', server.url));
      expect(await page.text()).toContain('The <strong>first</strong> post.');
      const report = await built;
      expect(report.ok).toBe(true);
      expect(report.triggers).toEqual([]);
      expect(report.changes.changed).toContain('posts/first/index.html');
      expect(lines.at(-1)).toMatch(/^\d\d:\d\d:\d\d files read again → \d+ changed \((.*, )?posts\/first\/index\.html/);
      const expected = cleanBuild(root);
      for (const [file, bytes] of expected) expect(sameBytes(server.files()!.get(file)!, bytes), file).toBe(true);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is read by rebuild()', async () => {
    const root = makeSite();
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, watch: false, out: () => {}, err: () => {} });
    try {
      writeFileSync(path.join(root, 'static/extra.css'), 'body { color: red; }\n');
      writeFileSync(path.join(root, 'content/about.md'), '---\ntitle: About again\n---\n\nRead by rebuild.\n');
      const report = server.rebuild();
      expect(report.ok).toBe(true);
      expect(report.changes.changed).toEqual(expect.arrayContaining(['about/index.html', 'extra.css']));
      const expected = cleanBuild(root);
      for (const [file, bytes] of expected) expect(sameBytes(server.files()!.get(file)!, bytes), file).toBe(true);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
