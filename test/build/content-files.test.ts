import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMAL_CONFIG, makeSite, signet } from '../helpers/site.js';

function run(args: string[], cwd: string) {
  const result = signet(args, cwd);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const front = (lines: string) => `---\n${lines}\n---\n`;
const bytes = (...parts: (string | number[] | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

// Each file lands at content/posts/x.md beside an ordinary post. `ok`: the build succeeds (with the
// warnings given, if any) and `signet verify` passes the site's own output; otherwise the error
// message the build must stop with, after `content/posts/x.md:LINE:`.
const CASES: { name: string; file: string | Buffer; ok?: true; warns?: RegExp; error?: RegExp; line?: number }[] = [
  { name: 'empty', file: '', error: /needs a `date`/, line: 1 },
  { name: 'only front matter', file: '---\ntitle: A\ndate: 2026-01-01\n---', ok: true },
  { name: 'only a front matter fence', file: '---', error: /never closed/, line: 1 },
  { name: 'binary', file: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff]), error: /not text: it has a NUL byte/, line: 3 },
  { name: 'UTF-16', file: bytes([0xff, 0xfe], Buffer.from('---\ntitle: A\n---\n', 'utf16le')), error: /UTF-16/, line: 1 },
  { name: 'invalid UTF-8', file: bytes('---\ntitle: A\ndate: 2026-01-01\n---\nbad ', [0xc3, 0x28, 0xff], '\n'), ok: true, warns: /x\.md:5: the file is not valid UTF-8/ },
  { name: 'a BOM', file: `\uFEFF${front('title: A\ndate: 2026-01-01')}Body\n`, ok: true },
  { name: 'CRLF', file: '---\r\ntitle: A\r\ndate: 2026-01-01\r\n---\r\nBody\r\n', ok: true },
  { name: 'a lone surrogate escape', file: `${front('title: "a\\ud800b"\ndate: 2026-01-01')}Body\n`, error: /lone surrogate/, line: 2 },
  { name: 'control characters', file: `${front('title: "red \\e[31m"\ndate: 2026-01-01')}Pasted \u001b[1mbold\u001b[0m, a form feed \u000c, U+FFFE \uFFFE.\n`, ok: true, warns: /x\.md:5: removed 4 control character(.|\n)*x\.md:2: removed 1 control character/ },
  { name: 'an author in decomposed Unicode', file: `${front('title: A\nauthor: "Zoe\u0308"\ndate: 2026-01-01')}Body\n`, ok: true },
  { name: 'a date with a zone after a space', file: `${front('title: A\ndate: 2025-03-01 09:30 +02:00')}Body\n`, ok: true },
  { name: 'a year before 1000', file: `${front('title: A\ndate: 0001-01-01')}Body\n`, error: /years before 1000/, line: 3 },
  { name: '---toml front matter', file: '---toml\ntitle = "a"\n---\nBody\n', error: /TOML|`toml`/, line: 1 },
  { name: 'a YAML alias bomb', file: `${front(['title: A', 'a: &a [x, x, x, x, x, x, x, x, x]', ...[1, 2, 3, 4, 5, 6].map((i) => `l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`)].join('\n'))}`, error: /aliases/, line: 4 },
  { name: 'an unclosed [', file: `${front('title: A\ndate: 2026-01-01\ntags: [a, b\nsummary: x')}`, error: /`\[` opened here/, line: 4 },
  { name: 'a 300-character slug', file: `${front(`title: A\ndate: 2026-01-01\nslug: ${'a'.repeat(300)}`)}`, error: /at most 255/, line: 4 },
  { name: 'a %-escaped .. permalink', file: `${front('title: A\ndate: 2026-01-01\npermalink: "/x/%2e%2e/posts/ok/"')}`, error: /`\.` or `\.\.`/, line: 4 },
  { name: 'a post over 1 MiB', file: `${front('title: A\ndate: 2026-01-01')}${'word '.repeat(230_000)}\n`, error: /at most 1 MiB/, line: 1 },
  { name: '20,000 nested spans', file: `${front('title: A\ndate: 2026-01-01')}${'<span>'.repeat(20_000)}x${'</span>'.repeat(20_000)}\n`, error: /nests too deeply/ },
  // Under 1 MiB as a file, but every character escaped in HTML and again in JSON: the signed post would be 1.9 MB.
  { name: 'a post whose envelope would pass 1 MiB', file: `${front('title: A\ndate: 2026-01-01')}${'& < > " '.repeat(100_000)}\n`, error: /the post cannot be signed: The envelope is \d+ bytes; the limit is 1048576/ },
  { name: 'a misspelt key', file: `${front('title: A\ndate: 2026-01-01\ntag: [x]')}Body\n`, ok: true, warns: /x\.md:4: unknown front matter key `tag`: did you mean `tags`\?/ },
];

describe('any content file gives a clean build or file:line: message, never a stack trace', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const site = makeSite({
        'signet.config.yaml': MINIMAL_CONFIG,
        'content/posts/ok.md': `${front('title: Fine\ndate: 2026-01-02')}Fine.\n`,
      });
      mkdirSync(path.join(site, 'content/posts'), { recursive: true });
      writeFileSync(path.join(site, 'content/posts/x.md'), c.file);
      const build = run(['build'], site);
      expect(build.output).not.toMatch(/\n\s+at /);
      if (c.ok) {
        expect(build.status, build.output).toBe(0);
        if (c.warns) expect(build.output).toMatch(c.warns);
        else expect(build.output).not.toMatch(/warning/i);
        const verify = run(['verify', 'dist', '--domain', 'test.example'], site);
        expect(verify.status, verify.output).toBe(0);
      } else {
        expect(build.status).not.toBe(0);
        expect(build.output).toMatch(new RegExp(`content/posts/x\\.md${c.line === undefined ? '' : `:${c.line}(:\\d+)?`}: `));
        expect(build.output).toMatch(c.error!);
        expect(existsSync(path.join(site, 'dist'))).toBe(false);
      }
    });
  }
});

describe('signet new', () => {
  it('a 400-character title gives a file name within the limit, cut after a whole word, that builds', () => {
    const site = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG });
    const title = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ') + ' ' + 'x'.repeat(60);
    const created = run(['new', title], site);
    expect(created.status, created.output).toBe(0);
    expect(existsSync(path.join(site, 'content/posts/word0-word1-word2-word3-word4-word5-word6-word7-word8-word9.md'))).toBe(true);
    const long = run(['new', 'y'.repeat(400)], site);
    expect(long.status, long.output).toBe(0);
    expect(existsSync(path.join(site, `content/posts/${'y'.repeat(60)}.md`))).toBe(true);
    expect(run(['build', '--drafts'], site).status).toBe(0);
  });
});
