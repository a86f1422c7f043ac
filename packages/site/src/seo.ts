import { escapeXml } from '@signet/feeds';

export interface SitemapEntry {
  url: string;
  lastmod: string | undefined;
}

/** sitemaps.org XML; `lastmod` only where the content says when it changed. */
export function writeSitemap(entries: SitemapEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    lines.push(`<url><loc>${escapeXml(entry.url)}</loc>${entry.lastmod ? `<lastmod>${entry.lastmod}</lastmod>` : ''}</url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

export function writeRobots(sitemapUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${sitemapUrl}\n`;
}

/**
 * `_headers`, read by Netlify and Cloudflare Pages: the key document and the feeds must be readable by
 * verifiers running in other sites' pages, so they are served with `Access-Control-Allow-Origin: *`.
 */
export function writeHeaders(paths: string[]): string {
  return paths.map((p) => `${p}\n  Access-Control-Allow-Origin: *\n`).join('\n');
}
