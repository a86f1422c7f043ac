import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig } from '@signet/config';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../src/index.js';
import { errorOf, makeSite, post } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const outside: string[] = [];
afterEach(() => {
  for (const dir of outside.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A site with a secret key in .signet/keys, one post and a static folder. */
function site(config: Record<string, unknown> = {}) {
  const made = makeSite({
    '.signet/keys/key-1.secret': 'z3u2secret\n',
    'content/posts/hello.md': post('title: Hello\ndate: 2026-01-01'),
    'static/robots-extra.txt': 'x',
    'shared/logo.svg': '<svg/>',
    '.git/config': '[user]\n\temail = someone@example.com\n',
  }, config);
  return { config: made, at: (name: string) => path.join(made.root, name) };
}

const outputs = (config: ReturnType<typeof site>['config']) => loadContent(config, { now: NOW }).assets.map((a) => a.outputPath).sort();

describe('symbolic links in content/ and static/', () => {
  it('are followed while they stay inside the site, under their own names', () => {
    const { config, at } = site();
    symlinkSync('../shared', at('static/shared'));
    symlinkSync('../../shared/logo.svg', at('content/posts/logo.svg'));
    expect(outputs(config)).toEqual(['posts/logo.svg', 'robots-extra.txt', 'shared/logo.svg']);
  });

  it('into .signet/ are refused by every route, naming the link', () => {
    const routes: [string, string][] = [
      ['static/k', '../.signet/keys'],
      ['static/key.txt', '../.signet/keys/key-1.secret'],
      ['content/k', '../.signet'],
      ['content/posts/k.txt', '../../.signet/keys/key-1.secret'],
    ];
    for (const [link, target] of routes) {
      const { config, at } = site();
      symlinkSync(target, at(link));
      const error = errorOf(() => loadContent(config, { now: NOW }));
      expect(error.file).toBe(link);
      expect(error.message).toContain('.signet/, which holds the secret signing keys');
    }
  });

  it('a static/ or content/ folder that is itself a link into .signet/ is refused', () => {
    for (const dir of ['static', 'content']) {
      const { config, at } = site();
      rmSync(at(dir), { recursive: true });
      symlinkSync('.signet/keys', at(dir));
      const error = errorOf(() => loadContent(config, { now: NOW }));
      expect(error.message).toBe(`${dir}/ leads into .signet/, which holds the secret signing keys: it is never published`);
    }
  });

  it('to a hidden file or folder of the site (.git) are refused', () => {
    const { config, at } = site();
    symlinkSync('../.git', at('static/git'));
    expect(errorOf(() => loadContent(config, { now: NOW })).message).toContain('hidden file or folder');
  });

  it('outside the site are refused unless dirs.followLinksOutside is true', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'signet-elsewhere-'));
    outside.push(elsewhere);
    mkdirSync(path.join(elsewhere, 'photos'));
    writeFileSync(path.join(elsewhere, 'photos/a.jpg'), 'jpg');
    const plain = site();
    symlinkSync(path.join(elsewhere, 'photos'), plain.at('static/photos'));
    const error = errorOf(() => loadContent(plain.config, { now: NOW }));
    expect(error.file).toBe('static/photos');
    expect(error.hint).toContain('dirs.followLinksOutside: true');

    const allowed = validateConfig({ title: 'T', url: 'https://example.com/', dirs: { followLinksOutside: true } }, plain.config.root, undefined);
    expect(outputs(allowed)).toEqual(['photos/a.jpg', 'robots-extra.txt']);

    // Allowed outside, a link still never leads into a .signet/ folder, this site's or another's.
    mkdirSync(path.join(elsewhere, '.signet/keys'), { recursive: true });
    writeFileSync(path.join(elsewhere, '.signet/keys/other.secret'), 'z3u2other');
    symlinkSync(path.join(elsewhere, '.signet/keys'), plain.at('static/other-keys'));
    expect(errorOf(() => loadContent(allowed, { now: NOW })).file).toBe('static/other-keys');
  });

  it('to a folder that holds the link is refused instead of walked for ever', () => {
    const { config, at } = site();
    mkdirSync(at('static/a'));
    symlinkSync('..', at('static/a/up'));
    expect(errorOf(() => loadContent(config, { now: NOW })).message).toContain('a folder that holds it');
  });

  it('that point nowhere are skipped', () => {
    const { config, at } = site();
    symlinkSync('missing.txt', at('static/gone.txt'));
    expect(outputs(config)).toEqual(['robots-extra.txt']);
  });
});
