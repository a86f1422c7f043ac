import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSimpleYaml } from '../src/simple-yaml.js';

// The shortcut must never disagree with the YAML parser: wherever it answers, the full parse gives the
// same data and the same key lines; where it cannot be sure, it does not answer.

function full(block: string) {
  const lineCounter = new LineCounter();
  const document = parseDocument(block, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) return { error: true };
  const lines = new Map<string, number>();
  if (isMap(document.contents)) {
    for (const item of document.contents.items) {
      if (isScalar(item.key)) lines.set(String(item.key.value), lineCounter.linePos((item.key as Node).range![0]).line);
    }
  }
  return { data: document.toJS() ?? {}, lines };
}

const VALUES = [
  'Hello world', 'reprehenderit lorem commodo est est', '2020-01-01T00:00:00Z', '2026-01-05', '2026-01-05 10:30', 'café 日本語',
  '[notes, books]', '[ a , b ]', '[]', '[ ]', '[web dev, x_y, a-b, 1.5.2]', '[a,,b]', '[a, b,]', '[a: b]', '[[a]]', '[a, [b]]', '[a, "b"]', '[1, 2]', '[true, x]',
  'true', 'True', 'FALSE', 'yes', 'no', 'on', 'null', 'Null', '~', '12', '-3', '+4', '0o17', '0x1F', '1e3', '1.5', '.5', '1.', '.inf', '-.Inf', '.nan', '1_000', '1.0.0', '0.1.2-beta',
  "it's", 'say "hi"', '"quoted"', "'single'", 'a: b', 'a:b', 'ends:', 'x # comment', 'x#y', 'tab\there', 'trailing ', '&anchor', '*alias', '!tag x', '|', '>', '- item', '? key',
  '@at', '`tick`', '%pct', 'Why? Because!', 'a, b, c', '(paren)', 'semi; colon', 'slash/path/', 'plus+sign', 'a [b]', '{a: b}', 'x ... y', '...', '---',
];
const KEYS = ['title', 'date', 'tags', 'summary', 'cover-image', 'x_y', 'true', 'null', 'Title', 'a1', '_under', '1abc', 'with space', '__proto__'];

describe('the front matter shortcut', () => {
  it('answers for the usual posts, as the YAML parser does', () => {
    const block = '\ntitle: reprehenderit lorem commodo est est\ndate: 2020-01-01T00:00:00Z\ntags: [notes, books]';
    const simple = parseSimpleYaml(block);
    expect(simple).toBeDefined();
    expect(simple!.data).toEqual({ title: 'reprehenderit lorem commodo est est', date: '2020-01-01T00:00:00Z', tags: ['notes', 'books'] });
    expect(Object.fromEntries(simple!.lines)).toEqual({ title: 2, date: 3, tags: 4 });
  });

  it('agrees with the YAML parser on every key and value it answers for, and leaves the rest to it', () => {
    let answered = 0;
    const check = (block: string) => {
      const simple = parseSimpleYaml(block);
      if (!simple) return;
      answered++;
      const reference = full(block);
      expect(reference, block).not.toHaveProperty('error');
      expect(simple.data, block).toEqual(reference.data);
      expect([...simple.lines], block).toEqual([...reference.lines!]);
    };
    for (const key of KEYS) for (const value of VALUES) check(`\n${key}: ${value}`);
    for (const value of VALUES) check(`\ntitle: A\n\ndate: 2020-01-01\ntags: ${value}\nsummary: ${value}`);
    // Blocks the shortcut must leave alone (or agree on): nesting, comments, repeats, directives, indentation.
    for (const block of ['\ntitle: a\ntitle: b', '\ntitle:', '\ntitle: a\n  more', '\n# note\ntitle: a', '\n%YAML 1.1\n---\ntitle: a', ' \ntitle: a', '\n title: a', '\ntitle:  spaced', '\ntags:\n  - a\n  - b', '\nkey:\tx']) check(block);
    expect(answered).toBeGreaterThan(150);
  });

  it('leaves to the YAML parser what it cannot be sure of', () => {
    for (const value of ['true', '12', '1e3', '~', "'quoted'", 'a: b', 'x # c', '[1, 2]', '[a: b]', '{a: b}', 'trailing ']) {
      expect(parseSimpleYaml(`\ntitle: ${value}`), value).toBeUndefined();
    }
    expect(parseSimpleYaml('\ntitle: a\ntitle: b')).toBeUndefined();
    expect(parseSimpleYaml('\ntags:\n  - a')).toBeUndefined();
  });
});
