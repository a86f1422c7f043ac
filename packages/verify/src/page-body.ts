import type { HtmlToken } from './html.js'
import { VOID } from './html.js'

// Spec §7.5: a page's `.e-content` must show the signed content_html itself, not just its words.
// Both are parsed as HTML and reduced to one list of parts, which must be equal:
// - a start tag is its name and all its attributes sorted by name (`hidden`, `style`, `class` count
//   like any other, so markup that hides or restyles signed text is a difference);
// - URL attributes are resolved against the envelope's `url`, since the page may write them relative;
// - text is decoded, with CR LF and CR made LF and NFC applied; adjacent text is one part;
// - comments are dropped; end tags are kept (void elements have none);
// - white space at the very start and end of the whole list is dropped;
// - a responsive `<picture>` is read as its `<img>` without `srcset` and `sizes` (see PictureReader),
//   so a publisher may sign the plain `<img>` feeds and email show and serve the page's copies.

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'poster', 'cite'])
const EDGE_SPACE_START = /^[\t\n\f\r ]+/

/** `text` without HTML white space at its end (a pattern anchored at the end is tried from every space). */
function trimSpaceEnd(text: string): string {
  let end = text.length
  while (end > 0 && '\t\n\f\r '.includes(text[end - 1]!)) end -= 1
  return text.slice(0, end)
}

/** One start tag as a part: `<a href="https://…" id="x">`, attribute values JSON-quoted. */
export function startPart(name: string, attributes: [string, string][], base: string): string {
  const attrs = attributes
    .map(([key, value]): [string, string] => [key, key === 'srcset' ? resolveSrcset(value, base) : URL_ATTRIBUTES.has(key) ? resolve(value, base) : value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `<${name}${attrs.map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('')}>`
}

export function endPart(name: string): string {
  return `</${name}>`
}

export function textPart(text: string): string {
  return `"${text.replace(/\r\n?/g, '\n').normalize('NFC')}"`
}

type Held = { start: string; attributes: [string, string][] } | { end: string } | { text: string }

/** Builds the list of parts from start tags, end tags and text, in document order. */
export class BodyParts {
  readonly parts: string[] = []
  private text = ''
  /** What a `<picture>` being read holds so far, and how deep inside it the reader is. */
  private picture: Held[] | undefined
  private pictureAttributes: [string, string][] = []
  private depth = 0
  constructor(private readonly base: string) {}
  start(name: string, attributes: [string, string][]): void {
    if (this.picture) {
      this.picture.push({ start: name, attributes })
      if (!VOID.has(name)) this.depth += 1
      return
    }
    if (name === 'picture') {
      this.picture = []
      this.pictureAttributes = attributes
      this.depth = 1
      return
    }
    this.flush()
    this.parts.push(startPart(name, attributes, this.base))
  }
  end(name: string): void {
    if (VOID.has(name)) return
    if (this.picture) {
      this.depth -= 1
      if (this.depth > 0) this.picture.push({ end: name })
      else this.closePicture()
      return
    }
    this.flush()
    this.parts.push(endPart(name))
  }
  addText(text: string): void {
    if (this.picture) this.picture.push({ text })
    else this.text += text
  }
  finish(): string[] {
    if (this.picture) this.closePicture(false)
    this.flush()
    const first = this.parts[0]
    if (first?.startsWith('"')) this.trim(0, first.slice(1, -1).replace(EDGE_SPACE_START, ''))
    const last = this.parts[this.parts.length - 1]
    if (last?.startsWith('"')) this.trim(this.parts.length - 1, trimSpaceEnd(last.slice(1, -1)))
    return this.parts
  }
  /**
   * Spec §7.5: a `<picture>` holding one `<img>`, `<source>` elements and white space only, whose
   * `srcset` URLs are all in the `<img>`'s own folder, is read as that `<img>` without `srcset` and
   * `sizes`: the same image in other sizes and formats. Any other picture is read as it is.
   */
  private closePicture(closed = true): void {
    const held = this.picture!
    this.picture = undefined
    this.depth = 0
    // A picture with attributes of its own (`hidden`, `style`, `class`) is compared as it is.
    const img = closed && this.pictureAttributes.length === 0 ? plainImage(held, this.base) : undefined
    if (img) {
      this.start('img', img)
      return
    }
    // Written as parts directly: through start() the picture would be held again.
    this.flush()
    this.parts.push(startPart('picture', this.pictureAttributes, this.base))
    for (const item of held) {
      if ('start' in item) this.start(item.start, item.attributes)
      else if ('end' in item) this.end(item.end)
      else this.addText(item.text)
    }
    if (!closed) return
    this.flush()
    this.parts.push(endPart('picture'))
  }
  private trim(at: number, text: string): void {
    if (text === '') this.parts.splice(at, 1)
    else this.parts[at] = `"${text}"`
  }
  private flush(): void {
    if (this.text !== '') this.parts.push(textPart(this.text))
    this.text = ''
  }
}

/** The parts of tokenized HTML (a page's `.e-content` inside, or a whole content_html). */
export function bodyParts(tokens: HtmlToken[], base: string): string[] {
  const parts = new BodyParts(base)
  for (const token of tokens) {
    if (token.type === 'text') parts.addText(token.text)
    else if (token.type === 'start') parts.start(token.name, Object.entries(token.attrs))
    else parts.end(token.name)
  }
  return parts.finish()
}

/** The attributes of a picture's `<img>` as a plain image, or undefined when it is not read as one. */
function plainImage(held: Held[], base: string): [string, string][] | undefined {
  const images = held.filter((item) => 'start' in item && item.start === 'img')
  const others = held.filter((item) => ('start' in item ? item.start !== 'img' && item.start !== 'source' : 'end' in item || item.text.trim() !== ''))
  if (images.length !== 1 || others.length > 0) return undefined
  const img = images[0] as { start: string; attributes: [string, string][] }
  const src = img.attributes.find(([key]) => key === 'src')?.[1]
  if (src === undefined) return undefined
  const folder = folderOf(resolve(src, base))
  const srcsets = held.flatMap((item) => ('start' in item ? item.attributes.filter(([key]) => key === 'srcset').map(([, value]) => value) : []))
  const urls = srcsets.flatMap((value) => resolveSrcset(value, base).split(', ').filter(Boolean).map((candidate) => candidate.split(' ')[0]!))
  if (folder === undefined || !urls.every((url) => folderOf(url) === folder)) return undefined
  return img.attributes.filter(([key]) => key !== 'srcset' && key !== 'sizes')
}

/** An absolute http(s) URL up to its last `/`, without query or fragment. */
function folderOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
    return parsed.origin + parsed.pathname.slice(0, parsed.pathname.lastIndexOf('/') + 1)
  } catch {
    return undefined
  }
}

function resolve(value: string, base: string): string {
  try {
    return new URL(value.trim(), base).href
  } catch {
    return value
  }
}

// Each candidate of a srcset is a URL and an optional descriptor, separated by commas (HTML §4.8.4.3).
function resolveSrcset(value: string, base: string): string {
  return value
    .split(',')
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate !== '')
    .map((candidate) => {
      const [url = '', ...descriptor] = candidate.split(/\s+/)
      return [resolve(url, base), ...descriptor].join(' ')
    })
    .join(', ')
}
