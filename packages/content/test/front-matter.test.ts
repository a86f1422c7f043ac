import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../src/index.js';
import { errorOf } from './helpers.js';

describe('parseFrontMatter', () => {
  it('splits YAML front matter from the body and knows where the body starts', () => {
    const fm = parseFrontMatter('---\ntitle: Hello\ntags: [a, b]\n---\n\n# Body\n', 'content/a.md');
    expect(fm.data).toEqual({ title: 'Hello', tags: ['a', 'b'] });
    expect(fm.body).toBe('\n# Body\n');
    expect(fm.bodyLine).toBe(5);
    expect(fm.lineOf('tags')).toBe(3);
    expect(fm.lineOf('missing')).toBeUndefined();
  });

  it('accepts a file with no front matter, CRLF line ends and a BOM', () => {
    expect(parseFrontMatter('Just text.\n', 'a.md')).toMatchObject({ data: {}, body: 'Just text.\n', bodyLine: 1 });
    const fm = parseFrontMatter('\uFEFF---\r\ntitle: Windows\r\n---\r\nBody\r\n', 'a.md');
    expect(fm.data).toEqual({ title: 'Windows' });
    expect(fm.body).toBe('Body\n');
  });

  it('counts the body line right for an empty front matter block', () => {
    expect(parseFrontMatter('---\n---\nBody', 'a.md')).toMatchObject({ data: {}, body: 'Body', bodyLine: 3 });
    expect(parseFrontMatter('---\n\n---\nBody', 'a.md')).toMatchObject({ data: {}, bodyLine: 4 });
  });

  it('keeps YAML 1.2 scalars: dates stay text, `no` stays text', () => {
    expect(parseFrontMatter('---\ndate: 2026-01-05\nanswer: no\n---\n', 'a.md').data).toEqual({ date: '2026-01-05', answer: 'no' });
  });

  it('a YAML error names the file, its line and column in the file, and the reason', () => {
    const error = errorOf(() => parseFrontMatter('---\ntitle: Hello\nsummary: a: b\n---\nBody\n', 'content/posts/x.md'));
    expect(error.message).toBe('the front matter is not valid YAML: Nested mappings are not allowed in compact mappings');
    expect(error.file).toBe('content/posts/x.md');
    expect(error.line).toBe(3);
    expect(error.column).toBe(10);
    expect(error.hint).toContain('indentation');
  });

  it('a repeated key is an error on its line', () => {
    const error = errorOf(() => parseFrontMatter('---\ntitle: A\ndate: 2026-01-01\ntitle: B\n---\n', 'a.md'));
    expect(error.message).toMatch(/not valid YAML: Map keys must be unique/);
    expect(error.line).toBe(4);
  });

  it('front matter that is a list, not keys, is refused', () => {
    const error = errorOf(() => parseFrontMatter('---\n- a\n- b\n---\n', 'a.md'));
    expect(error.message).toContain('must be keys and values');
    expect(error.file).toBe('a.md');
  });

  it('an unclosed `---` is an error on line 1, not a file that is all front matter', () => {
    const error = errorOf(() => parseFrontMatter('---\ntitle: Hello\n\nThe body that never starts.\n', 'content/a.md'));
    expect(error.message).toBe('the front matter block opened on line 1 is never closed');
    expect([error.file, error.line, error.column]).toEqual(['content/a.md', 1, 1]);
    expect(error.hint).toContain('`---`');
    expect(() => parseFrontMatter('---', 'a.md')).toThrow(/never closed/);
  });

  for (const language of ['js', 'javascript', ' js', 'JS', 'Javascript']) {
    it(`refuses ---${language} front matter without running it`, () => {
      const marker = `signetRan_${language.trim()}`;
      const source = `---${language}\n{ title: (globalThis.${marker} = true, "Pwned") }\n---\nBody\n`;
      const error = errorOf(() => parseFrontMatter(source, 'content/evil.md'));
      expect(error.message).toBe('front matter in JavaScript is not allowed: it would run code');
      expect(error.file).toBe('content/evil.md');
      expect(error.line).toBe(1);
      expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
      // A second attempt must not find a cached result either.
      expect(() => parseFrontMatter(source, 'content/evil.md')).toThrow(/not allowed/);
      expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    });
  }

  it('never returns a cached result: broken text throws every time', () => {
    const broken = '---\ntitle: [unclosed\n---\nBody\n';
    const first = errorOf(() => parseFrontMatter(broken, 'a.md'));
    const second = errorOf(() => parseFrontMatter(broken, 'a.md'));
    expect(second.message).toBe(first.message);
    expect(second.line).toBe(first.line);
  });

  it('never returns a cached result: the same good text gives independent objects', () => {
    const good = '---\ntitle: Same\ntags: [x]\n---\nBody\n';
    const first = parseFrontMatter(good, 'a.md');
    (first.data.tags as string[]).push('mutated');
    first.data.title = 'Changed';
    const second = parseFrontMatter(good, 'a.md');
    expect(second.data).toEqual({ title: 'Same', tags: ['x'] });
    expect(second.data).not.toBe(first.data);
  });

  it('line numbers come from each parse, not the previous one', () => {
    const a = parseFrontMatter('---\ntitle: A\n\n\ndate: 2026-01-01\n---\n', 'a.md');
    const b = parseFrontMatter('---\ndate: 2026-01-01\n---\n', 'b.md');
    expect(a.lineOf('date')).toBe(5);
    expect(b.lineOf('date')).toBe(2);
  });
});
