import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSite, REPO, type Run } from '../helpers/site.js';

// A site's own output must always verify, whatever the config: each variant is built and checked
// with the installed `signet`, as a user runs it.
const INSTALLED = path.join(REPO, 'node_modules/.bin/signet');

function run(args: string[], cwd: string): Run {
  const env = { ...process.env };
  delete env.SIGNET_SIGNING_KEY;
  const result = spawnSync(INSTALLED, args, { cwd, env, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const POSTS: Record<string, string> = {
  'content/posts/escapes.md': '---\ntitle: "Ampersands & <angles> \\"quoted\\""\ndate: 2026-01-03T09:30:00Z\ntags: [c++, notes]\n---\n\nLine one,\nline two — café, 🙂, and a footnote.[^1]\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```html\n<p href="/about/">code</p>\n```\n\n[^1]: See [the other post](../summarised/).\n',
  'content/posts/summarised.md': '---\ntitle: With a summary\ndate: 2026-01-02\nsummary: "A summary: with <markup> & such."\nupdated: 2026-01-04T10:00:00Z\n---\n\n![Vega](/images/vega.svg) A picture and a [relative link](/posts/escapes/).\n',
  'content/posts/long.md': `---\ntitle: A long post\ndate: 2026-01-01\n---\n\n${'Words that go on and on, '.repeat(40)}the end.\n`,
  'content/posts/note.md': '---\ndate: 2026-01-05T12:00:00Z\n---\n\nAn untitled note with a [link](https://example.org/).\n',
  'content/posts/draft.md': '---\ntitle: Not yet\ndate: 2026-01-06\ndraft: true\n---\n\nA draft.\n',
  'static/images/vega.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
};

const VARIANTS: { name: string; url: string; config?: string; args?: string[] }[] = [
  { name: 'full content', url: 'https://variants.example/' },
  { name: 'summaries only', url: 'https://variants.example/', config: 'feed:\n  fullContent: false\n' },
  { name: 'a sub-path url', url: 'https://variants.example/blog/' },
  { name: 'a sub-path url, summaries only', url: 'https://variants.example:8443/blog/', config: 'feed:\n  fullContent: false\n' },
  { name: 'drafts', url: 'https://variants.example/', args: ['--drafts'] },
];

describe('signet verify on every kind of site signet build makes', () => {
  for (const variant of VARIANTS) {
    it(`verifies every feed item and post page of a site with ${variant.name}`, () => {
      const root = makeSite({ 'signet.config.yaml': `title: Variants\nurl: ${variant.url}\nauthor: Tester\n${variant.config ?? ''}`, ...POSTS });
      const built = run(['build', ...(variant.args ?? [])], root);
      expect(built.status, built.stderr).toBe(0);
      const host = new URL(variant.url).host;
      const checked = run(['verify', 'dist', '--domain', host, '--json'], root);
      const report = JSON.parse(checked.stdout) as { ok: boolean; results: { file: string; result: { kind: string; status?: string; reasons?: string[]; items?: { status: string; reasons: string[] }[] } }[] };
      const failures = report.results.flatMap(({ file, result }) =>
        (result.kind === 'feed' ? result.items! : [result as { status: string; reasons: string[] }])
          .filter((r) => r.status !== 'verified')
          .map((r) => `${file}: ${r.status}: ${r.reasons.join(' ')}`));
      expect(failures).toEqual([]);
      expect(checked.status).toBe(0);
      // Every post page and every feed was checked: none was skipped as unrecognised.
      const files = report.results.map((r) => r.file);
      expect(files).toEqual(expect.arrayContaining(['feed.xml', 'atom.xml', 'feed.json', path.join('posts', 'escapes', 'index.html'), path.join('posts', 'note', 'index.html')]));
      const items = report.results.find((r) => r.file === 'feed.xml')!.result.items!;
      // A draft a preview build shows is in no feed (and not signed): the feed holds the same four.
      expect(items.length).toBe(4);
      if (variant.config?.includes('fullContent: false')) expect(readFileSync(path.join(root, 'dist/feed.xml'), 'utf8')).not.toContain('<content:encoded>');
    });
  }

  it('still reports an edit of the page body in a site built without full content', () => {
    const root = makeSite({ 'signet.config.yaml': 'title: Variants\nurl: https://variants.example/\nauthor: Tester\nfeed:\n  fullContent: false\n', ...POSTS });
    expect(run(['build'], root).status).toBe(0);
    const file = path.join(root, 'dist/posts/long/index.html');
    const html = readFileSync(file, 'utf8');
    const body = html.indexOf('class="e-content"');
    writeFileSync(file, html.slice(0, body) + html.slice(body).replace('the end.', '<span hidden>not </span>the end.'));
    const checked = run(['verify', 'dist/posts/long/index.html', '--domain', 'variants.example'], root);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toMatch(/shown differently from signed/);
  });
});
