import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent, parseDate, parseFrontMatter, readEntry } from '../src/index.js';
import { errorOf, makeSite, post } from './helpers.js';

// Whatever a content file holds, reading it gives an entry or a SignetError naming the file and line.
const config = makeSite({});
const read = (bytes: string | Buffer, name = 'content/posts/x.md') =>
  readEntry(path.join(config.root, name), config, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
const readError = (bytes: string | Buffer, name?: string) => errorOf(() => read(bytes, name));

describe('files that are not ordinary posts', () => {
  it('an empty file is an untitled page, or a post that needs a date, never a TypeError', () => {
    expect(read('', 'content/empty.md').entry).toMatchObject({ kind: 'page', title: 'Empty', body: '' });
    expect(readError('')).toMatchObject({ message: 'a post under posts/ needs a `date`', file: 'content/posts/x.md', line: 1 });
    expect(read('\uFEFF', 'content/bom.md').entry.body).toBe('');
  });

  it('a file of only front matter, with or without a last line end, has an empty body', () => {
    expect(read('---\ntitle: A\ndate: 2026-01-01\n---').entry).toMatchObject({ title: 'A', body: '' });
    expect(read('---\ntitle: A\ndate: 2026-01-01\n---\n').entry).toMatchObject({ title: 'A', body: '' });
  });

  it('a binary file (a NUL byte) is refused on the line of the NUL', () => {
    const error = readError(Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00, 0x01, 0xff]));
    expect(error).toMatchObject({ message: 'the file is not text: it has a NUL byte', file: 'content/posts/x.md', line: 3 });
  });

  it('UTF-16 is refused with what to do', () => {
    const error = readError(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\ntitle: A\n---\n', 'utf16le')]));
    expect(error.message).toContain('UTF-16');
    expect(error.hint).toContain('UTF-8');
  });

  it('bytes that are not UTF-8 build, with a warning naming their line', () => {
    const { entry, warnings } = read(Buffer.concat([Buffer.from('---\ntitle: A\ndate: 2026-01-01\n---\nok\nbad '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
    expect(entry.body).toBe('ok\nbad \uFFFD(\n');
    expect(warnings).toEqual([{ file: 'content/posts/x.md', line: 6, message: expect.stringContaining('not valid UTF-8') }]);
    // A real U+FFFD in a UTF-8 file is text like any other.
    expect(read('---\ntitle: A\ndate: 2026-01-01\n---\n\uFFFD\n').warnings).toEqual([]);
  });

  it('front matter in TOML or another language is refused on line 1, never a bare Error', () => {
    for (const source of ['---toml\ntitle = "a"\n---\nBody\n', '+++\ntitle = "a"\n+++\nBody\n', '---coffee\ntitle: "a"\n---\n']) {
      const error = readError(source);
      expect(error.line).toBe(1);
      expect(error.message).toMatch(/front matter in .* is not supported/);
      expect(error.hint).toContain('YAML');
    }
  });

  it('`---json` front matter is read like YAML, with line numbers in its errors', () => {
    expect(read('---json\n{ "title": "J", "date": "2026-01-01" }\n---\nBody\n').entry).toMatchObject({ title: 'J', body: 'Body\n' });
    expect(readError('---json\n{ "title": "J",\n  "date": "2026-01-01",, }\n---\n').line).toBe(3);
  });

  it('a YAML alias bomb is refused at its first alias, not with a ReferenceError', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const error = readError(`---\ntitle: A\n${levels.join('\n')}\n---\n`);
    expect(error.message).toContain('aliases');
    expect(error.line).toBe(4);
  });
});

describe('YAML errors point where the mistake is', () => {
  it('an unclosed `[` is reported on the line it opened, not the next', () => {
    const error = errorOf(() => parseFrontMatter('---\ntitle: A\ndate: 2026-01-01\ntags: [a, b\nsummary: x\n---\n', 'a.md'));
    expect([error.line, error.column]).toEqual([4, 7]);
    expect(error.message).toContain('the `[` opened here is never closed');
  });

  it('an unclosed quote is reported on the line it opened', () => {
    const error = errorOf(() => parseFrontMatter('---\ntitle: "Hello\ndate: 2026-01-01\nsummary: x\n---\n', 'a.md'));
    expect([error.line, error.column]).toEqual([2, 8]);
    expect(error.message).toContain('the quote `"` opened here is never closed');
  });

  it('other errors keep the parser position', () => {
    expect(errorOf(() => parseFrontMatter('---\ntitle: A\nsummary: a: b\n---\n', 'a.md')).line).toBe(3);
  });
});

describe('text that feeds and signatures cannot carry', () => {
  it('a lone surrogate escape is refused on its line, before signing', () => {
    for (const front of ['title: "a\\ud800b"', 'summary: "\\udc00"', 'author: "x\\ud83d"', 'tags: ["\\ud800"]']) {
      const error = readError(`---\ndate: 2026-01-01\n${front}\n---\n`);
      expect(error.message).toContain('lone surrogate');
      expect(error.line).toBe(3);
    }
  });

  it('control characters are removed from the body and fields, with a warning naming the line', () => {
    const { entry, warnings } = read('---\ntitle: "red \\e[31m"\ndate: 2026-01-01\ntags: ["a\\fb"]\n---\nline\n\u001b[1mbold\u000c page \uFFFE\n');
    expect(entry.title).toBe('red [31m');
    expect(entry.tags).toEqual(['ab']);
    expect(entry.body).toBe('line\n[1mbold page \n');
    expect(warnings).toEqual([
      { file: 'content/posts/x.md', line: 7, message: expect.stringMatching(/removed 3 control character\(s\) \(U\+001B, U\+000C, U\+FFFE\)/) },
      { file: 'content/posts/x.md', line: 2, message: expect.stringContaining('from `title`') },
      { file: 'content/posts/x.md', line: 4, message: expect.stringContaining('from `tags`') },
    ]);
  });

  it('tabs and line ends stay', () => {
    const { entry, warnings } = read('---\r\ntitle: A\r\ndate: 2026-01-01\r\n---\r\n\tcode\r\nx\n');
    expect(entry.body).toBe('\tcode\nx\n');
    expect(warnings).toEqual([]);
  });

  it('every text field a signed post carries is NFC: title, summary, author, tags, URL', () => {
    const { entry } = read('---\ntitle: "Zoe\u0308"\nsummary: "Cafe\u0301"\nauthor: "Zoe\u0308 Q"\ntags: ["nai\u0308ve", "na\u00efve"]\nslug: "cafe\u0301"\ndate: 2026-01-01\n---\n');
    expect([entry.title, entry.summary, entry.author]).toEqual(['Zo\u00eb', 'Caf\u00e9', 'Zo\u00eb Q']);
    expect(entry.tags).toEqual(['na\u00efve']);
    expect(entry.urlPath).toBe('/posts/caf\u00e9/');
  });
});

describe('URLs', () => {
  it('a %-escaped `..` in a permalink is refused like a plain one', () => {
    for (const permalink of ['/x/%2e%2e/posts/hello/', '/x/%2E./y/', '/a/%2e/b/', '/a%2f..%2fb/']) {
      const error = readError(`---\ntitle: A\ndate: 2026-01-01\npermalink: "${permalink}"\n---\n`);
      expect(error.message).toContain('`.` or `..`');
      expect(error.line).toBe(4);
    }
    expect(readError('---\ntitle: A\ndate: 2026-01-01\npermalink: "/a%25%32e/"\n---\n').message).toContain('escaped twice');
    expect(readError('---\ntitle: A\ndate: 2026-01-01\npermalink: "/a%e9/"\n---\n').message).toContain('not UTF-8');
  });

  it('escapes are decoded, so two spellings of one URL are one output and a duplicate', () => {
    expect(read('---\ntitle: A\ndate: 2026-01-01\npermalink: "/caf%C3%A9/%7Enote/"\n---\n').entry.urlPath).toBe('/caf\u00e9/~note/');
    const site = makeSite({
      'content/posts/hello.md': post('title: Hello\ndate: 2026-01-01'),
      'content/posts/other.md': post('title: Other\ndate: 2026-01-02\npermalink: "/posts/hell%6F/"'),
    });
    expect(errorOf(() => loadContent(site)).message).toBe('content/posts/other.md and content/posts/hello.md both want the URL /posts/hello/');
  });

  it('a slug too long for a file name is refused on its line, not with ENAMETOOLONG', () => {
    const error = readError(`---\ntitle: A\ndate: 2026-01-01\nslug: ${'a'.repeat(300)}\n---\n`);
    expect(error.message).toContain('at most 255');
    expect(error.line).toBe(4);
    expect(read(`---\ntitle: A\ndate: 2026-01-01\nslug: ${'a'.repeat(255)}\n---\n`).entry.slug).toHaveLength(255);
    expect(readError(`---\ntitle: A\ndate: 2026-01-01\nslug: ${'\u00e9'.repeat(128)}\n---\n`).message).toContain('256 bytes');
    expect(readError(`---\ntitle: A\ndate: 2026-01-01\ntags: [${'t'.repeat(300)}]\n---\n`).line).toBe(4);
  });
});

describe('size', () => {
  it('a post over 1 MiB is refused with the limit; a page of that size is read', () => {
    const big = `---\ntitle: A\ndate: 2026-01-01\n---\n${'word '.repeat(220_000)}\n`;
    const error = readError(big);
    expect(error.message).toMatch(/^the post is 1\.\d MiB; a signed post can be at most 1 MiB$/);
    expect(error.line).toBe(1);
    expect(read(big.replace('date: 2026-01-01\n', ''), 'content/big.md').entry.kind).toBe('page');
  });
});

describe('front matter keys', () => {
  it('a misspelt key is a warning with a did-you-mean and its line; other keys are kept quietly', () => {
    const { entry, warnings } = read('---\ntitle: A\ndate: 2026-01-01\ntag: [x]\nlayuot: wide\ncover: a.png\nweight: 2\nmenu: false\n---\n');
    expect(warnings).toEqual([
      { file: 'content/posts/x.md', line: 4, message: expect.stringContaining('unknown front matter key `tag`: did you mean `tags`?') },
      { file: 'content/posts/x.md', line: 5, message: expect.stringContaining('did you mean `layout`?') },
    ]);
    expect(entry.data.cover).toBe('a.png');
  });
});

describe('dates', () => {
  const fm = parseFrontMatter('---\ndate: x\n---\n', 'a.md');
  const date = (value: string) => parseDate(value, 'date', fm, 'a.md')?.toISOString();

  it('accept a zone after a space, as YAML and Hugo write it', () => {
    expect(date('2025-03-01 09:30 +02:00')).toBe('2025-03-01T07:30:00.000Z');
    expect(date('2025-03-01 09:30 +0200')).toBe('2025-03-01T07:30:00.000Z');
    expect(date('2025-03-01 09:30:15 -05')).toBe('2025-03-01T14:30:15.000Z');
    expect(date('2025-03-01 09:30 Z')).toBe('2025-03-01T09:30:00.000Z');
    expect(date('2025-03-01t09:30z')).toBe('2025-03-01T09:30:00.000Z');
  });

  it('refuse years before 1000 on their line', () => {
    for (const value of ['0001-01-01', '0099-12-31', '0999-01-01 10:00']) {
      const error = errorOf(() => date(value));
      expect(error.message).toContain('years before 1000 are not supported');
      expect(error.line).toBe(2);
    }
    expect(date('1000-01-01')).toBe('1000-01-01T00:00:00.000Z');
  });
});

describe('the config', () => {
  it("the config's warnings come first in the content's", () => {
    const site = makeSite({ 'content/about.md': post('title: About') }, { url: 'http://example.com/' });
    expect(loadContent(site).warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('did:web') })]);
  });
});
