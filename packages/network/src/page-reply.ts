import { mf2 } from 'microformats-parser'

/** A page is read this far for its h-entry: a post page's markup fits many times over. */
const MAX_HTML = 1_000_000

/**
 * The post a page's first h-entry answers (its `u-in-reply-to`, a URL or an `h-cite` with one), read
 * with microformats-parser: how an unsigned reply whose feed does not say what it answers is found.
 */
export function pageInReplyTo(html: string, pageUrl: string): string | undefined {
  let items
  try {
    items = mf2(html.slice(0, MAX_HTML), { baseUrl: pageUrl }).items
  } catch {
    return undefined
  }
  const entry = items.find((i) => i.type?.includes('h-entry'))
  const value = entry?.properties['in-reply-to']?.[0]
  const url = typeof value === 'string' ? value : (value as { value?: unknown; properties?: { url?: unknown[] } } | undefined)?.properties?.url?.[0] ?? (value as { value?: unknown } | undefined)?.value
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : undefined
}

/** Whether an item's HTML links to a post under `siteUrl`: only then is its page read for a reply. */
export function linksUnder(html: string | undefined, siteUrl: string, isUnder: (url: string) => boolean): boolean {
  if (html === undefined || !html.includes(new URL(siteUrl).host)) return false
  for (const match of html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) if (isUnder(match[1]!.replace(/&amp;/g, '&'))) return true
  return false
}
