// Just enough HTML tokenizing to read a post page and compare post content: tags with their
// attributes, text, comments and raw-text elements. Not a full HTML parser: it is used on pages
// whose relevant parts (head, h-entry) are plain, and both sides of a comparison go through it.

export type HtmlToken =
  | { type: 'start'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { type: 'end'; name: string }
  | { type: 'text'; text: string }

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title'])
export const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y

/** Tokens of an HTML document or fragment. Text of script/style is kept raw; other text is decoded. */
export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = []
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    const end = lt === -1 ? html.length : lt
    if (end > i) tokens.push({ type: 'text', text: decodeEntities(html.slice(i, end)) })
    if (lt === -1) break
    i = lt
    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4)
      i = close === -1 ? html.length : close + 3
      continue
    }
    if (html.startsWith('<!', i) || html.startsWith('<?', i)) {
      const close = html.indexOf('>', i)
      i = close === -1 ? html.length : close + 1
      continue
    }
    const tag = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(i, i + 64))
    if (!tag) {
      tokens.push({ type: 'text', text: '<' })
      i++
      continue
    }
    i += tag[0].length
    const attrs: Record<string, string> = {}
    for (;;) {
      while (/[\s/]/.test(html[i] ?? '') && !html.startsWith('/>', i)) i++
      if (i >= html.length || html[i] === '>' || html.startsWith('/>', i)) break
      ATTRIBUTE.lastIndex = i
      const m = ATTRIBUTE.exec(html)
      if (!m) {
        i++
        continue
      }
      const name = m[1]!.toLowerCase()
      if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')
      i = ATTRIBUTE.lastIndex
    }
    const selfClosing = html.startsWith('/>', i)
    i += selfClosing ? 2 : 1
    const name = tag[2]!.toLowerCase()
    if (tag[1]) {
      tokens.push({ type: 'end', name })
      continue
    }
    tokens.push({ type: 'start', name, attrs, selfClosing })
    if (RAW_TEXT.has(name) && !selfClosing) {
      const close = html.toLowerCase().indexOf(`</${name}`, i)
      const stop = close === -1 ? html.length : close
      const raw = html.slice(i, stop)
      tokens.push({ type: 'text', text: name === 'script' || name === 'style' ? raw : decodeEntities(raw) })
      const gt = html.indexOf('>', stop)
      if (close !== -1) tokens.push({ type: 'end', name })
      i = close === -1 || gt === -1 ? html.length : gt + 1
    }
  }
  return tokens
}

/** Index just past the end tag that closes the start tag at `start` (or tokens.length). */
export function closingIndex(tokens: HtmlToken[], start: number): number {
  const open = tokens[start]
  if (!open || open.type !== 'start' || open.selfClosing || VOID.has(open.name)) return start + 1
  let depth = 0
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.type === 'start' && t.name === open.name && !t.selfClosing) depth++
    else if (t.type === 'end' && t.name === open.name && --depth === 0) return i + 1
  }
  return tokens.length
}

export function hasClass(token: HtmlToken, name: string): boolean {
  return token.type === 'start' && (token.attrs.class ?? '').split(/\s+/).includes(name)
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', hellip: '…', mdash: '—',
  ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', times: '×',
}

/** Character references to characters; named ones outside a common set are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
    }
    return NAMED[ref] ?? whole
  })
}
