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

describe('site data', () => {
  it('rebuilds the pages that show the config\'s params and data/ files when either changes', async () => {
    const layout = '{% layout "base" %}{% block main %}<p id="params">{{ site.params.motto }}</p><ul>{% for link in site.data.links %}<li>{{ link.name }}</li>{% endfor %}</ul><p id="nested">{{ site.data.team.people.lead }}</p>{% endblock %}';
    const root = makeSite({
      'layouts/page.liquid': layout,
      'data/links.yaml': '- name: First link\n',
      'data/team/people.json': '{ "lead": "Ada" }',
    });
    writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Dev Test\nurl: https://example.org/blog/\nauthor: Ada\nparams:\n  motto: Small is fine\n');
    const server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: () => {}, err: () => {} });
    const about = () => String(server.files()?.get('about/index.html') ?? '');
    try {
      expect(about()).toContain('<p id="params">Small is fine</p>');
      expect(about()).toContain('<li>First link</li>');
      expect(about()).toContain('<p id="nested">Ada</p>');
      writeFileSync(path.join(root, 'data/links.yaml'), '- name: First link\n- name: Second link\n');
      await buildsUntil(server, () => about().includes('<li>Second link</li>'));
      writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Dev Test\nurl: https://example.org/blog/\nauthor: Ada\nparams:\n  motto: Still small\n');
      await buildsUntil(server, () => about().includes('<p id="params">Still small</p>'));
      // A broken data file is an error naming it, and the next good save builds again.
      writeFileSync(path.join(root, 'data/links.yaml'), '- name: [unclosed\n');
      const failed = await server.nextBuild();
      expect(failed.ok).toBe(false);
      expect(failed.error?.text).toMatch(/data\/links\.yaml:\d+/);
      writeFileSync(path.join(root, 'data/links.yaml'), '- name: Fixed\n');
      await buildsUntil(server, () => about().includes('<li>Fixed</li>'));
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
