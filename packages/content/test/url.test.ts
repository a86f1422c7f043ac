import { describe, expect, it } from 'vitest';
import { fillPermalink, outputPathOf, safeUrlPath } from '../src/index.js';
import { errorOf } from './helpers.js';

describe('safeUrlPath', () => {
  const safe = (value: string) => safeUrlPath(value, 'content/a.md', 4, 'permalink');

  it('normalises slashes and keeps file names', () => {
    expect(safe('about')).toBe('/about/');
    expect(safe('/about/')).toBe('/about/');
  });

  it.each([
    ['a/b//c', '/a/b/c/'],
    ['/404.html', '/404.html'],
    ['/feeds/extra.xml', '/feeds/extra.xml'],
    ['/v1.2/', '/v1.2/'],
    ['/', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safe(input)).toBe(expected);
  });

  it.each([
    ['../outside', 'contains `.` or `..` segments'],
    ['/posts/../../etc/', 'contains `.` or `..` segments'],
    ['/./x/', 'contains `.` or `..` segments'],
    ['https://evil.example/x/', 'is a full URL; give a path on this site instead'],
    ['javascript:alert(1)', 'is a full URL; give a path on this site instead'],
    ['//evil.example/x/', 'is a full URL; give a path on this site instead'],
    ['C:\\Windows\\x', 'is a full URL; give a path on this site instead'],
    ['posts\\..\\x', 'contains a backslash or control character'],
    ['/a\nb/', 'contains a backslash or control character'],
    ['/a?b=1', 'contains `?` or `#`'],
    ['/a#b', 'contains `?` or `#`'],
  ])('refuses %j', (input, problem) => {
    const error = errorOf(() => safe(input));
    expect(error.message).toBe(`\`permalink\` ${problem}: ${JSON.stringify(input)}`);
    expect(error.file).toBe('content/a.md');
    expect(error.line).toBe(4);
    expect(error.hint).toContain('permalink: /about/');
  });

  it('hints with a slug example for a slug', () => {
    expect(errorOf(() => safeUrlPath('../x', 'a.md', 2, 'slug')).hint).toContain('slug: my-post');
  });
});

describe('outputPathOf', () => {
  it('maps folders to index.html and keeps files', () => {
    expect(outputPathOf('/')).toBe('index.html');
    expect(outputPathOf('/posts/hello/')).toBe('posts/hello/index.html');
    expect(outputPathOf('/404.html')).toBe('404.html');
  });
});

describe('fillPermalink', () => {
  const date = new Date('2026-03-07T23:30:00Z');
  it('fills :year/:month/:day (UTC, two digits) and :slug and :path', () => {
    expect(fillPermalink('/:year/:month/:day/:slug/', { date, slug: 'hello', path: 'posts/hello' })).toBe('/2026/03/07/hello/');
    expect(fillPermalink('/:path/', { date, slug: 'hello', path: 'posts/2026/hello' })).toBe('/posts/2026/hello/');
    expect(fillPermalink('/:year/:slug/:slug/', { date, slug: 's', path: 'p' })).toBe('/2026/s/s/');
  });

  it('uses the UTC day even where the local day differs', () => {
    expect(fillPermalink('/:day/', { date: new Date('2026-01-01T00:30:00+02:00'), slug: 's', path: 'p' })).toBe('/31/');
  });

  it('does not touch words that merely start with a placeholder', () => {
    expect(fillPermalink('/:slugs/:slug/', { date, slug: 'x', path: 'p' })).toBe('/:slugs/x/');
  });
});
