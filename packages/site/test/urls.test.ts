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
});
