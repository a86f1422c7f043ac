import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Parser } from 'htmlparser2'
import { SignetError } from '@signet/config'
import { referenceDigest, REFERENCE_FIELDS } from '@signet/sign'

/** A post as the built site publishes it, with what it links to. */
export interface BuiltPost {
  /** Its public URL (the signed envelope's `url`): the Webmention `source`. */
  url: string
  /** Below the site's URL: `posts/hello/`. */
  path: string
  /** The built file it was read from, relative to the output folder. */
  file: string
  /** `referenceDigest` of its signed envelope: changes exactly when what is signed changes. */
  digest: string
  /** External links of its body, then its `in_reply_to`, `like_of`, `repost_of`, `bookmark_of`; no fragments, no duplicates. */
  targets: string[]
}

/**
 * Every signed post of a built site, read from the signed envelope each post page carries
 * (`<script type="application/json" id="signed-envelope">`): what was deployed, not what the content
 * folder holds now. Links to the site itself are not targets.
 */
export function builtPosts(outDir: string, siteUrl: string): BuiltPost[] {
  let files: string[]
  try {
    files = htmlFiles(outDir, '')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SignetError(`${outDir} does not exist`, { hint: 'Run `signet build` (and deploy) first: Webmentions are sent for the site as built.' })
    throw error
  }
  const base = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`
  const posts: BuiltPost[] = []
  for (const file of files) {
    const html = readFileSync(path.join(outDir, file), 'utf8')
    if (!html.includes('signed-envelope')) continue
    const json = envelopeText(html)
    if (json === undefined) continue
    let envelope: Record<string, unknown>
    try {
      envelope = JSON.parse(json) as Record<string, unknown>
    } catch {
      throw new SignetError('its signed envelope is not valid JSON', { file: path.join(outDir, file), hint: 'Build the site again with `signet build`.' })
    }
    const url = typeof envelope.url === 'string' ? envelope.url : undefined
    if (!url || !url.startsWith(base)) continue
    const targets = new Set<string>()
    for (const href of links(typeof envelope.content_html === 'string' ? envelope.content_html : '')) add(targets, href, url, base)
    for (const field of REFERENCE_FIELDS) {
      const ref = envelope[field] as { url?: unknown } | undefined
      if (ref && typeof ref.url === 'string') add(targets, ref.url, url, base)
    }
    posts.push({ url, path: url.slice(base.length), file, digest: referenceDigest(envelope), targets: [...targets] })
  }
  return posts.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))
}

function add(targets: Set<string>, href: string, source: string, base: string): void {
  try {
    const url = new URL(href, source)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return
    url.hash = ''
    if (url.href.startsWith(base) || url.origin === new URL(base).origin) return
    targets.add(url.href)
  } catch {
    // Not a URL: nothing to tell.
  }
}

function htmlFiles(dir: string, prefix: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...htmlFiles(dir, rel))
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(rel)
  }
  return out
}

/** The text of the page's `<script id="signed-envelope">`, if it has one. */
function envelopeText(html: string): string | undefined {
  let inside = false
  let text: string | undefined
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'script' && attrs.id === 'signed-envelope' && text === undefined) {
        inside = true
        text = ''
      }
    },
    ontext(data) {
      if (inside) text += data
    },
    onclosetag(name) {
      if (name === 'script') inside = false
    },
  })
  parser.end(html)
  return text
}

/** Every `<a href>` of a post's HTML, in order. */
function links(html: string): string[] {
  const out: string[] = []
  const parser = new Parser({
    onopentag(name, attrs) {
      if (name === 'a' && attrs.href) out.push(attrs.href)
    },
  }, { decodeEntities: true })
  parser.end(html)
  return out
}
