import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '@signet/config';
import { siteUrls } from '../src/urls.js';

describe('siteUrls', () => {
  it('makes the absolute URL the URL parser makes, for plain paths and every other kind', () => {
    const paths = [
      '', '/', 'posts/a/', '/posts/a/', '//posts/a/', 'tags/c-sharp/page/2/', 'feed.xml', 'a_b~c/', 'x//y/', './a/', '../a/', 'a/./b/',
      'a/../b/', 'é/', '%41/', 'a b/', 'a?b', 'a#b', 'a\\b/', 'A/B/', '-/', '~/', '.well-known/did.json', 'a/b', '?q', '#h',
    ];
    for (const url of ['https://example.com/', 'https://Example.COM:443/blog/', 'http://example.com/a/b/', 'https://example.com/base?x=1', 'https://example.com/no-slash']) {
      const urls = siteUrls({ url } as SiteConfig);
      for (const path of paths) expect(urls.absolute(path), `${url} + ${path}`).toBe(new URL(path.replace(/^\/+/, ''), url).href);
    }
  });

  it('answers at once for long paths that are not plain late (a tag feed once took 7 s for 22 letters)', () => {
    const urls = siteUrls({ url: 'https://example.com/' } as SiteConfig);
    for (const tag of ['web-accessibility-test', 'a'.repeat(200), 'a-'.repeat(100), `${'word-'.repeat(40)}x`]) {
      // Each of these, past 30 characters, would not have finished within the test's time limit.
      expect(urls.absolute(`tags/${tag}/feed.xml`)).toBe(`https://example.com/tags/${tag}/feed.xml`);
      expect(urls.absolute(`tags/${tag}/é/`)).toBe(new URL(`tags/${tag}/é/`, 'https://example.com/').href);
    }
  });
});
