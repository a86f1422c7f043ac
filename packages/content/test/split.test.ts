import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../src/index.js';
import { splitSimpleFrontMatter } from '../src/front-matter.js';

// `splitSimpleFrontMatter` stands in for gray-matter on most posts: wherever it answers, it must cut
// the file exactly where gray-matter does, and parseFrontMatter must return what it returned through
// gray-matter.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SAMPLES = [
  '---\ntitle: Hello\n---\n\n# Body\n', '---\ntitle: Hello\n---\nBody', '---\ntitle: Hello\n---', '---\ntitle: Hello\n---\n',
  '---\n---\nBody\n', '---\n\ntitle: Spaced\n\n---\n\n\nBody\n', '---\ntitle: A\n---x\nBody\n', '---\ntitle: A\n----\nBody\n',
  '---\ntitle: A\n --- \nmore: b\n---\nBody\n', '---\ntitle: A\n---\n---\nBody\n', '---\ntitle: A\ntags: [a, b]\ndate: 2024-01-02\n---\n\nText --- with dashes\n---\n',
  '--- \ntitle: A\n---\n', '---yaml\ntitle: A\n---\n', '----\ntitle: A\n----\n', 'No front matter\n---\ntitle: A\n---\n', '',
  '---\ntitle: "Quoted: yes"\n---\nBody\n', '---\n# a comment\ntitle: A\n---\nBody\n', '---\nnested:\n  a: 1\n---\nBody\n',
];

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('splitting front matter without gray-matter', () => {
  it('cuts every sample and every Markdown file in the repository where gray-matter does', () => {
    const texts = [...SAMPLES, ...['content', 'examples', 'test'].flatMap((dir) => markdownFiles(path.join(repo, dir))).map((file) => readFileSync(file, 'utf8').replace(/\r\n?/g, '\n'))];
    let answered = 0;
    for (const text of texts) {
      const split = splitSimpleFrontMatter(text);
      if (!split) continue;
      answered++;
      // An engine that reads nothing: only the cut is compared here.
      const reference = matter(text, { language: 'yaml', engines: { yaml: { parse: () => ({}) } } });
      expect(split, text).toEqual({ matter: reference.matter, content: reference.content });
    }
    expect(answered).toBeGreaterThan(20);
  });

  it('gives parseFrontMatter the same result either way', () => {
    const reference = (text: string) => {
      const parsed = matter(text, { language: 'yaml', engines: { yaml: { parse: (block: string) => Object.fromEntries(block.split('\n').filter(Boolean).map((line) => line.split(': ')) as [string, string][]) } } });
      return { data: parsed.data, body: parsed.content };
    };
    for (const text of ['---\ntitle: Hello\ndate: 2024-01-02T03:04:05Z\n---\n\nBody *here*.\n', '---\ntitle: Only\n---\nBody']) {
      const fm = parseFrontMatter(text, 'a.md');
      expect({ data: fm.data, body: fm.body }).toEqual(reference(text));
      expect(fm.bodyLine).toBe(text.split('\n').indexOf('---', 1) + 2);
    }
  });
});
