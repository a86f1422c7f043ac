import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectReloadScript, startDevServer, type DevServer } from '../src/index.js';
import { sameBytes } from '../src/output.js';
import { cleanBuild, makeSite, NOW, post, seeded, writeFiles } from './helpers.js';

const TAGS = ['alpha', 'beta', 'gamma', 'delta'];
const WORDS = ['signed', 'feeds', 'domain', 'keys', 'writing', 'notes', 'markdown', 'reload'];

/** One random change to the site on disk; returns a description for the failure message. */
function randomEdit(root: string, random: () => number, counter: { n: number }): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const postsDir = path.join(root, 'content/posts');
  const posts = readdirSync(postsDir).filter((name) => name.endsWith('.md'));
  const sentence = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => pick(WORDS)).join(' ');
  const date = () => `2024-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const tags = () => TAGS.filter(() => random() < 0.4);
  const roll = random();
  if (roll < 0.3 && posts.length > 0) {
    const name = pick(posts);
    writeFileSync(path.join(postsDir, name), post(`Edited ${sentence()}`, date(), tags(), `${sentence()}.\n\n## ${pick(WORDS)}\n\n${sentence()}.`));
    return `edit ${name}`;
  }
  if (roll < 0.5) {
    counter.n += 1;
    const name = `new-${counter.n}.md`;
    const draft = random() < 0.2 ? 'draft: true\n' : '';
    writeFileSync(path.join(postsDir, name), post(`New ${sentence()}`, date(), tags(), `${sentence()}.`, draft));
    return `add ${name}`;
  }
  if (roll < 0.62 && posts.length > 1) {
    const name = pick(posts);
    rmSync(path.join(postsDir, name));
    return `delete ${name}`;
  }
  if (roll < 0.77 && posts.length > 0) {
    const name = pick(posts);
    counter.n += 1;
    renameSync(path.join(postsDir, name), path.join(postsDir, `renamed-${counter.n}.md`));
    return `rename ${name} → renamed-${counter.n}.md`;
  }
  if (roll < 0.84) {
    const from = existsSync(path.join(postsDir, 'bundle')) ? 'bundle' : 'bundle-moved';
    const to = from === 'bundle' ? 'bundle-moved' : 'bundle';
    renameSync(path.join(postsDir, from), path.join(postsDir, to));
    return `rename folder ${from} → ${to}`;
  }
  if (roll < 0.9) {
    writeFileSync(path.join(root, 'static/extra.css'), `body { color: #${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}; }\n`);
    return 'edit static/extra.css';
  }
  if (roll < 0.95) {
    writeFiles(root, { 'content/about.md': `---\ntitle: About ${pick(WORDS)}\n---\n\n${sentence()}.\n` });
    return 'edit content/about.md';
  }
  const layout = path.join(root, 'layouts/post.liquid');
  if (existsSync(layout)) {
    rmSync(layout);
    return 'delete layouts/post.liquid';
  }
  writeFiles(root, { 'layouts/post.liquid': '<!doctype html><html lang="{{ site.language }}"><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ page.content | raw }}</body></html>\n' });
  return 'add layouts/post.liquid';
}

describe('a seeded random sequence of edits, adds, deletes and renames', () => {
  const root = makeSite();
  let server: DevServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startDevServer({ root, port: 0, now: NOW, env: {}, out: (line) => lines.push(line), err: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves exactly what a clean full build of the same files makes, after every step', async () => {
    const random = seeded(20240605);
    const counter = { n: 0 };
    const history: string[] = [];
    for (let step = 0; step < 30; step += 1) {
      const built = server.nextBuild();
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i += 1) history.push(randomEdit(root, random, counter));
      const report = await built;
      expect(report.ok, `${history.join('; ')}\n${report.error?.text}`).toBe(true);
      // A rename can reach the watcher in two events; let every pending build settle first.
      while (true) {
        const more = await Promise.race([server.nextBuild(), new Promise<undefined>((resolve) => setTimeout(resolve, 250))]);
        if (!more) break;
      }

      const expected = cleanBuild(root);
      const served = server.files()!;
      expect([...served.keys()].sort(), history.join('; ')).toEqual([...expected.keys()].sort());
      for (const [file, bytes] of expected) {
        expect(sameBytes(served.get(file)!, bytes), `${file} after ${history.join('; ')}`).toBe(true);
      }
    }
    expect(history.some((h) => h.startsWith('rename'))).toBe(true);
    expect(history.some((h) => h.startsWith('delete'))).toBe(true);
    expect(history.some((h) => h.startsWith('add'))).toBe(true);
  }, 120_000);

  it('sends those same bytes over HTTP, with only the reload script added to HTML', async () => {
    const expected = cleanBuild(root);
    const base = new URL(server.url);
    for (const [file, bytes] of expected) {
      const response = await fetch(new URL(file, base));
      expect(response.status, file).toBe(200);
      const body = new Uint8Array(await response.arrayBuffer());
      const want = file.endsWith('.html') ? injectReloadScript(Buffer.from(bytes).toString('utf8'), server.files() && versionOf(body)) : bytes;
      expect(Buffer.from(body).equals(Buffer.from(want)), file).toBe(true);
    }
  }, 60_000);

  it('printed one line per rebuild', () => {
    const rebuilds = lines.filter((line) => /^\d\d:\d\d:\d\d /.test(line));
    expect(rebuilds.length).toBeGreaterThanOrEqual(30);
    for (const line of rebuilds) expect(line).toMatch(/ → .* in \d+ ms$/);
  });
});

function versionOf(html: Uint8Array): number {
  return Number(/__signet\/client\.js\?v=(\d+)/.exec(Buffer.from(html).toString('utf8'))?.[1]);
}
