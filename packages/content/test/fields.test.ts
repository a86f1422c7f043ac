import { describe, expect, it } from 'vitest';
import { parseDate, parseFrontMatter, parseTags, tagIdentity, tagSlug } from '../src/index.js';
import { errorOf } from './helpers.js';

const fm = parseFrontMatter('---\ntitle: T\ndate: x\ntags: x\n---\n', 'content/posts/a.md');
const date = (value: unknown) => parseDate(value, 'date', fm, 'content/posts/a.md');

describe('parseDate', () => {
  it('reads a date without a time as UTC midnight', () => {
    expect(date('2026-01-05')?.toISOString()).toBe('2026-01-05T00:00:00.000Z');
  });

  it('reads a time without a zone as UTC', () => {
    expect(date('2026-01-05 10:30')?.toISOString()).toBe('2026-01-05T10:30:00.000Z');
    expect(date('2026-01-05T10:30:15')?.toISOString()).toBe('2026-01-05T10:30:15.000Z');
  });

  it('applies a zone offset in any of its spellings', () => {
    expect(date('2026-01-05T10:30:00Z')?.toISOString()).toBe('2026-01-05T10:30:00.000Z');
    expect(date('2026-01-05T10:30:00+02:00')?.toISOString()).toBe('2026-01-05T08:30:00.000Z');
    expect(date('2026-01-05T10:30:00+0200')?.toISOString()).toBe('2026-01-05T08:30:00.000Z');
    expect(date('2026-01-05 23:30-05:00')?.toISOString()).toBe('2026-01-06T04:30:00.000Z');
    expect(date('2026-01-05T10:30:00.250Z')?.toISOString()).toBe('2026-01-05T10:30:00.000Z');
  });

  it('accepts a Date and treats empty as no date', () => {
    expect(date(new Date('2026-03-01T12:00:00Z'))?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(date(undefined)).toBeUndefined();
    expect(date(null)).toBeUndefined();
    expect(date('')).toBeUndefined();
  });

  it('refuses dates that do not exist, naming the key, its line and the value', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2025-02-29', '2026-01-05T25:00', 'next tuesday', '05/01/2026']) {
      const error = errorOf(() => date(bad));
      expect(error.message).toBe(`\`date\` is not a valid date: ${JSON.stringify(bad)}`);
      expect(error.file).toBe('content/posts/a.md');
      expect(error.line).toBe(3);
      expect(error.hint).toContain('YYYY-MM-DD');
    }
    expect(date('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('parseTags', () => {
  const tags = (value: unknown) => parseTags(value, fm, 'a.md');

  it('takes a list or a comma-separated string, trimmed and without repeats', () => {
    expect(tags(['travel', ' photos ', 'travel', 2026])).toEqual(['travel', 'photos', '2026']);
    expect(tags('travel, photos,,travel')).toEqual(['travel', 'photos']);
    expect(tags(undefined)).toEqual([]);
  });

  it('refuses other shapes on the tags line', () => {
    const error = errorOf(() => tags({ a: 1 }));
    expect(error.message).toBe('`tags` must be a list of words');
    expect(error.line).toBe(4);
    expect(() => tags([['nested']])).toThrow(/list of words/);
  });
});

describe('tagSlug', () => {
  it('lower-cases, keeps letters and digits of any script, and dashes the rest', () => {
    expect(tagSlug('Web Development')).toBe('web-development');
    expect(tagSlug('C++ & Rust!')).toBe('c-plus-plus-and-rust');
    expect(tagSlug('Café')).toBe('café');
    expect(tagSlug('Cafe\u0301')).toBe('café');
    expect(tagSlug('日本語')).toBe('日本語');
    expect(tagSlug('हिन्दी')).toBe('हिन्दी');
    expect(tagSlug('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
    expect(tagSlug('node.js, web_dev')).toBe('node-js-web-dev');
    expect(tagSlug('!!!')).toBe('tag');
  });

  it('gives distinct tags distinct slugs: symbols spelled out or as code points, without percent signs', () => {
    const tags = ['C++', 'C#', 'c', 'F#', 'AT&T', '@home', '100%', '🙂', '😀', '🙂🙂', '👍🏽', 'a→b', 'a←b'];
    const slugs = tags.map(tagSlug);
    expect(slugs.slice(0, 9)).toEqual(['c-plus-plus', 'c-sharp', 'c', 'f-sharp', 'at-and-t', 'at-home', '100-percent', 'u1f642', 'u1f600']);
    expect(new Set(slugs).size).toBe(tags.length);
    for (const slug of slugs) expect(slug).toMatch(/^[\p{L}\p{N}\p{M}-]+$/u);
    // Invisible joiners and variation selectors do not make a tag of their own.
    expect(tagSlug('❤\ufe0f')).toBe(tagSlug('❤'));
  });
});

describe('tagIdentity', () => {
  it('is the same for tags that differ in case, spaces and punctuation only', () => {
    expect(tagIdentity('Web Development')).toBe(tagIdentity('web-development'));
    expect(tagIdentity('C++')).toBe(tagIdentity('c++'));
  });

  it('tells a spelled-out symbol from the same letters written out', () => {
    expect(tagSlug('C#')).toBe(tagSlug('c sharp'));
    expect(tagIdentity('C#')).not.toBe(tagIdentity('c sharp'));
    expect(tagIdentity('🙂')).not.toBe(tagIdentity('u1f642'));
  });
});
