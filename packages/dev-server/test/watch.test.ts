import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevServer, type DevServer, type RebuildReport } from '../src/index.js';
import { sameBytes } from '../src/output.js';
import { cleanBuild, makeSite, NOW, post } from './helpers.js';

/** Waits for builds until one satisfies `done` (an add can reach the watcher in more than one event). */
async function buildsUntil(server: DevServer, done: () => boolean): Promise<RebuildReport[]> {
  const reports: RebuildReport[] = [];
  while (!done()) reports.push(await server.nextBuild());
  return reports;
}

describe('folders left alone for a while', () => {
  it('still report files that come, change and go', async () => {
    const root = makeSite();
    // The watcher skips re-reading a folder whose entries have not changed for two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    // No full re-read while this runs: every change must come from the watcher itself.
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, checkAfterMs: 600_000, out: () => {}, err: () => {} });
    const posts = path.join(root, 'content/posts');
    const page = (file: string) => String(server.files()?.get(file) ?? '');
    try {
      writeFileSync(path.join(posts, 'first.md'), post('First post', '2024-01-01', ['alpha'], 'Edited in a quiet folder.'));
      await buildsUntil(server, () => page('posts/first/index.html').includes('Edited in a quiet folder.'));

      writeFileSync(path.join(posts, 'new.md'), post('New post', '2024-05-01', ['beta'], 'Added to a quiet folder.'));
      await buildsUntil(server, () => page('posts/new/index.html').includes('Added to a quiet folder.'));
      writeFileSync(path.join(posts, 'new.md'), post('New post', '2024-05-01', ['beta'], 'Then edited.'));
      await buildsUntil(server, () => page('posts/new/index.html').includes('Then edited.'));

      writeFileSync(path.join(root, 'static/extra.css'), 'body { color: teal; }\n');
      await buildsUntil(server, () => String(server.files()?.get('extra.css')).includes('teal'));
      rmSync(path.join(posts, 'second.md'));
      await buildsUntil(server, () => !server.files()?.has('posts/second/index.html'));

      const expected = cleanBuild(root);
      expect([...server.files()!.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [file, bytes] of expected) expect(sameBytes(server.files()!.get(file)!, bytes), file).toBe(true);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
