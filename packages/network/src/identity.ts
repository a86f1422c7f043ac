import { createHash } from 'node:crypto'

/**
 * One key per item across fetches: its id, else its normalised link, else a hash of its content. URLs
 * (ids often are links) lose their scheme, `www.`, fragment, tracking parameters and trailing slash, so a
 * feed moving from http to https does not show every item again.
 */
export function itemKey(item: { id?: string; url?: string; title?: string; content?: string }): string {
  if (item.id?.trim()) return 'id:' + normaliseIfUrl(item.id.trim())
  if (item.url?.trim()) return 'link:' + normaliseIfUrl(item.url.trim())
  return 'hash:' + createHash('sha256').update(`${item.title ?? ''}\n${item.content ?? ''}`).digest('hex').slice(0, 32)
}

export function normaliseIfUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return value
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return value
  url.hash = ''
  for (const name of [...url.searchParams.keys()]) if (/^utm_/i.test(name)) url.searchParams.delete(name)
  const host = url.host.toLowerCase().replace(/^www\./, '')
  let end = url.pathname.length
  while (url.pathname[end - 1] === '/') end -= 1
  const path = url.pathname.slice(0, end)
  return `${host}${path}${url.search}`
}
