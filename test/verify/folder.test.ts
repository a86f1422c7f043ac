import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSite, REPO, type Run } from '../helpers/site.js';

const INSTALLED = path.join(REPO, 'node_modules/.bin/signet');

function run(args: string[], cwd: string): Run {
  const env = { ...process.env };
  delete env.SIGNET_SIGNING_KEY;
  const result = spawnSync(INSTALLED, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const POSTS = {
  'content/posts/a.md': '---\ntitle: First\ndate: 2026-01-01\n---\n\nThe first text.\n',
  'content/posts/b.md': '---\ntitle: Second\ndate: 2026-01-02\n---\n\nThe second text.\n',
};

/** A built site, and a fresh copy of its dist/ to tamper with. */
function site(url: string): { root: string; copy: () => string } {
  const root = makeSite({ 'signet.config.yaml': `title: Folder\nurl: ${url}\nauthor: Tester\n`, ...POSTS });
  const built = run(['build'], root);
  if (built.status !== 0) throw new Error(built.stderr);
  return {
    root,
    copy: () => {
      const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'signet-verify-')), 'dist');
      cpSync(path.join(root, 'dist'), dir, { recursive: true });
      return dir;
    },
  };
}

let local: ReturnType<typeof site>;
beforeAll(() => { local = site('https://folder.example/'); });

describe('signet verify on a folder', () => {
  it('does not read a feed.xml that links to /dev/zero, nor block on a FIFO: it names them and fails', () => {
    const dist = local.copy();
    rmSync(path.join(dist, 'feed.xml'));
    symlinkSync('/dev/zero', path.join(dist, 'feed.xml'));
    rmSync(path.join(dist, 'atom.xml'));
    // mkfifo is part of every POSIX system's base utilities.
    expect(spawnSync('mkfifo', [path.join(dist, 'atom.xml')]).status).toBe(0);
    const checked = run(['verify', dist, '--domain', 'folder.example'], local.root);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toMatch(/feed\.xml is not a regular file \(a character device\)/);
    expect(checked.stderr).toMatch(/atom\.xml is not a regular file \(a FIFO\)/);
    // The other files are still checked.
    expect(checked.stdout).toMatch(/feed\.json .*verified/);
    const one = run(['verify', path.join(dist, 'feed.xml'), '--domain', 'folder.example'], local.root);
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/not a regular file/);
  });

  it('reports an older, validly signed version of a post put back into one feed', () => {
    const old = site('https://folder.example/');
    // The same post edited and rebuilt with the same key: its envelope changes.
    const newer = makeSite({});
    cpSync(old.root, newer, { recursive: true, filter: (file) => !file.startsWith(path.join(old.root, 'dist')) });
    writeFileSync(path.join(newer, 'content/posts/a.md'), '---\ntitle: First\ndate: 2026-01-01\nupdated: 2026-02-01\n---\n\nThe first text, corrected.\n');
    expect(run(['build'], newer).status).toBe(0);
    const dist = path.join(newer, 'dist');
    expect(run(['verify', 'dist', '--domain', 'folder.example'], newer).status).toBe(0);
    // Put the old feed.xml (an older, validly signed version of the post) in the new site.
    writeFileSync(path.join(dist, 'feed.xml'), readFileSync(path.join(old.root, 'dist/feed.xml')));
    const checked = run(['verify', 'dist', '--domain', 'folder.example', '--json'], newer);
    expect(checked.status).toBe(1);
    const report = JSON.parse(checked.stdout) as { results: { file: string; result: { items?: { status: string; reasons: string[] }[] } }[] };
    const rss = report.results.find((r) => r.file === 'feed.xml')!.result.items!;
    expect(rss.map((i) => i.status)).toEqual(['verified', 'shown differently from signed']);
    expect(rss[1]!.reasons.join(' ')).toMatch(/another signed version of https:\/\/folder\.example\/posts\/a\/ \(created 2026-01-01T00:00:00Z\) than .* \(created 2026-02-01T00:00:00Z\)/);
  });

  it('says in every result that --domain took the keys from the folder, not from the domain', () => {
    const checked = run(['verify', 'dist', '--domain', 'folder.example'], local.root);
    expect(checked.status).toBe(0);
    const rows = checked.stdout.split('\n').filter((l) => /^(feed|atom|posts)/.test(l));
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) expect(row).toMatch(/verified \(local keys\)/);
    expect(checked.stdout).toMatch(/All \d+ verified with the keys in dist\/\.well-known\/did\.json, the folder's own did\.json, not fetched from https:\/\/folder\.example\//);
    const json = JSON.parse(run(['verify', 'dist', '--domain', 'folder.example', '--json'], local.root).stdout) as { keys: { from: string }[]; results: { result: { items?: { reasons: string[] }[] } }[] };
    expect(json.keys).toEqual([expect.objectContaining({ from: 'folder', ok: true })]);
    expect(json.results[0]!.result.items![0]!.reasons.join(' ')).toMatch(/the folder's own did\.json, not fetched from https:\/\/folder\.example\//);
  });

  it('reports every post as unknown key when the folder has no did.json, saying why once', () => {
    const dist = local.copy();
    rmSync(path.join(dist, '.well-known'), { recursive: true });
    const checked = run(['verify', dist, '--domain', 'folder.example'], local.root);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toMatch(/unknown key/);
    expect(checked.stdout.match(/Could not read the keys of did:web:folder\.example/g)).toHaveLength(1);
  });

  it('without --domain, when did.json cannot be fetched, says so first and once, suggests --domain and groups the reasons', () => {
    // Port 1 on the loopback address: nothing listens there, so the fetch fails at once.
    const offline = site('http://127.0.0.1:1/');
    const checked = run(['verify', 'dist'], offline.root);
    expect(checked.status).toBe(1);
    const lines = checked.stdout.split('\n');
    expect(lines[0]).toMatch(/^Could not read the keys of did:web:127\.0\.0\.1%3A1 from https:\/\/127\.0\.0\.1:1\/\.well-known\/did\.json: /);
    expect(checked.stdout).toMatch(/add --domain 127\.0\.0\.1:1/);
    expect(checked.stdout.match(/Could not read the keys/g)).toHaveLength(1);
    // One reason, printed once, for every row that shares it.
    const reasons = lines.filter((l) => l.startsWith('['));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^\[1\] \d+ items: .*unknown|^\[1\] \d+ items: The domain does not list/);
    expect(lines.filter((l) => /unknown key .*\[1\]$/.test(l)).length).toBeGreaterThan(4);
  });
});
