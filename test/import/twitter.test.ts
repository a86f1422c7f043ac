import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zeros, zipFolder } from '../../packages/import-twitter/test/helpers.js';
import { makeSite, readTree, REPO, signet } from '../helpers/site.js';

const ARCHIVE = path.join(REPO, 'packages/import-twitter/test/fixtures/archive');

describe('leaving Twitter: import, build, verify', () => {
  const root = makeSite({ 'signet.config.yaml': 'title: "Ada Example — notes"\nurl: https://ada.example/\nauthor: Ada Example\n' });

  it('imports the archive into content/notes with a summary', () => {
    const run = signet(['import', 'twitter', ARCHIVE], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/8 new notes/);
    expect(run.stdout).toMatch(/2 private tweets/);
    expect(run.stderr).toMatch(/100%/);
  });

  it('builds signed notes that verify, with no private tweet anywhere in the output', () => {
    const build = signet(['build'], root);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/^Built 8 posts/);
    const verify = signet(['verify', 'dist', '--domain', 'ada.example', '--json'], root);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    for (const [name, bytes] of readTree(path.join(root, 'dist'))) {
      const text = bytes.toString('utf8');
      expect(text, name).not.toMatch(/Pumpernickel|Wombleton|SeCrEt0001/);
    }
    // Untitled notes: JSON Feed items carry no title key.
    const feed = JSON.parse(readFileSync(path.join(root, 'dist/feed.json'), 'utf8')) as { items: Record<string, unknown>[] };
    expect(feed.items).toHaveLength(8);
    for (const item of feed.items) expect(item).not.toHaveProperty('title');
  });

  it('importing again adds nothing and never overwrites an edited note', () => {
    const notes = path.join(root, 'content/notes');
    const [first] = readTree(notes).keys();
    const edited = path.join(notes, first!);
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\nMy own addition.\n`);
    const before = readFileSync(edited, 'utf8');
    const run = signet(['import', 'twitter', ARCHIVE], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 new notes/);
    expect(run.stdout).toMatch(/1 edited since the last import/);
    expect(readFileSync(edited, 'utf8')).toBe(before);
  });

  it('a folder that is not an archive: a clear error, exit 1, nothing written', () => {
    const site = makeSite({ 'signet.config.yaml': 'title: T\nurl: https://t.example/\n' });
    const run = signet(['import', 'twitter', path.join(REPO, 'content')], site);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not a Twitter archive/);
    expect(existsSync(path.join(site, 'content'))).toBe(false);
  });

  it('the committed examples/twitter-exit notes are what the importer makes today', () => {
    const fresh = makeSite({ 'signet.config.yaml': 'title: T\nurl: https://ada.example/\n' });
    expect(signet(['import', 'twitter', ARCHIVE], fresh).status).toBe(0);
    const made = readTree(path.join(fresh, 'content/notes'));
    const committed = readTree(path.join(REPO, 'examples/twitter-exit/content/notes'));
    expect([...committed.keys()]).toEqual([...made.keys()]);
    for (const [name, bytes] of made) expect(committed.get(name)!.equals(bytes), name).toBe(true);
  });

  it('a zip bomb: refused with a message before anything is written', async () => {
    const site = makeSite({ 'signet.config.yaml': 'title: T\nurl: https://t.example/\nauthor: A\n' });
    // The photo a tweet shows, as 64 MiB of zeros deflated to 64 KiB.
    const media = 'data/tweets_media/1300000000000000502-EjAdaBlue02.jpg';
    const archive = path.join(site, 'archive');
    cpSync(ARCHIVE, archive, { recursive: true });
    rmSync(path.join(archive, media));
    await zipFolder(archive, path.join(site, 'bomb.zip'), '', [zeros(media, 64 * 1024 ** 2)]);
    const run = signet(['import', 'twitter', 'bomb.zip'], site);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bomb\.zip: data\/tweets_media\/1300000000000000502-EjAdaBlue02\.jpg would inflate from 0\.1 MiB to 64\.0 MiB .*zip bomb, and nothing was written/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(site, 'content'))).toBe(false);
  });

  it('usage errors exit 2', () => {
    expect(signet(['import', 'mastodon', ARCHIVE], root).status).toBe(2);
    expect(signet(['import', 'twitter'], root).status).toBe(2);
  });
});

