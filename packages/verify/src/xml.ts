// A small, strict, namespace-aware XML reader: enough for RSS and Atom, no DOM needed, so the
// verifier runs the same in Node and in browsers. It refuses rather than guesses: mismatched tags,
// undeclared prefixes, unknown entities and DTD internal subsets (entity expansion attacks) are errors.

export interface XmlElement {
  /** Namespace URI ('' for none). */
  ns: string
  local: string
  /** Attributes by `{ns}local`, or `local` when the attribute has no namespace. */
  attrs: Record<string, string>
  children: XmlNode[]
  line: number
}
export type XmlNode = XmlElement | string

const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(:[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?$/
const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const MAX_DEPTH = 256

export class XmlError extends Error {}

/** Parses a whole XML document and returns its root element. Throws XmlError with a line number. */
export function parseXml(input: string): XmlElement {
  // XML processors normalise line ends before anything else (XML 1.0 §2.11).
  const text = input.replace(/\r\n?/g, '\n')
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const stack: { element: XmlElement; qname: string; scope: Record<string, string> }[] = []
  let root: XmlElement | undefined
  let scope: Record<string, string> = { xml: XML_NS, '': '' }
  const lineAt = (at: number) => text.slice(0, at).split('\n').length
  const fail = (message: string, at = i): never => {
    throw new XmlError(`line ${lineAt(at)}: ${message}`)
  }

  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const end = lt === -1 ? text.length : lt
    if (end > i) {
      const chunk = text.slice(i, end)
      const top = stack[stack.length - 1]
      if (top) top.element.children.push(decode(chunk, i, fail))
      else if (chunk.trim() !== '') fail('text outside the root element')
    }
    if (lt === -1) break
    i = lt
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4)
      if (close === -1) fail('unclosed comment')
      i = close + 3
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9)
      const top = stack[stack.length - 1]
      if (close === -1 || !top) fail('CDATA section outside an element or unclosed')
      top!.element.children.push(text.slice(i + 9, close))
      i = close + 3
    } else if (text.startsWith('<?', i)) {
      const close = text.indexOf('?>', i + 2)
      if (close === -1) fail('unclosed processing instruction')
      i = close + 2
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const close = text.indexOf('>', i)
      if (close === -1) fail('unclosed DOCTYPE')
      if (text.slice(i, close).includes('[')) fail('DOCTYPE with an internal subset (entity declarations) is not accepted')
      i = close + 1
    } else if (text.startsWith('</', i)) {
      const close = text.indexOf('>', i)
      if (close === -1) fail('unclosed end tag')
      const qname = text.slice(i + 2, close).trim()
      const top = stack.pop()
      if (!top || top.qname !== qname) fail(`</${qname}> does not close ${top ? `<${top.qname}>` : 'any element'}`)
      scope = top!.scope
      i = close + 1
    } else {
      const start = i
      const nameMatch = /^<([^\s/>]+)/.exec(text.slice(i, i + 256))
      if (!nameMatch) fail('a "<" that starts no tag')
      const qname = nameMatch![1]!
      if (!NAME.test(qname)) fail(`${JSON.stringify(qname)} is not an XML name`)
      i += nameMatch![0].length
      const raw: [string, string][] = []
      for (;;) {
        ATTRIBUTE.lastIndex = i
        const m = ATTRIBUTE.exec(text)
        if (!m) break
        raw.push([m[1]!, decode(m[3] ?? m[4] ?? '', i, fail)])
        i = ATTRIBUTE.lastIndex
      }
      while (/\s/.test(text[i] ?? '')) i++
      const selfClosing = text.startsWith('/>', i)
      if (!selfClosing && text[i] !== '>') fail(`malformed tag <${qname}>`)
      i += selfClosing ? 2 : 1
      const outer = scope
      const inner: Record<string, string> = { ...scope }
      for (const [name, value] of raw) {
        if (name === 'xmlns') inner[''] = value
        else if (name.startsWith('xmlns:')) inner[name.slice(6)] = value
      }
      const resolve = (name: string, isAttribute: boolean): [string, string] => {
        const colon = name.indexOf(':')
        if (colon === -1) return [isAttribute ? '' : inner[''] ?? '', name]
        const prefix = name.slice(0, colon)
        const ns = inner[prefix]
        if (ns === undefined || ns === '') fail(`the prefix "${prefix}" of <${name}> is not declared`, start)
        return [ns!, name.slice(colon + 1)]
      }
      const [ns, local] = resolve(qname, false)
      const element: XmlElement = { ns, local, attrs: {}, children: [], line: lineAt(start) }
      for (const [name, value] of raw) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          element.attrs[`{${XMLNS_NS}}${name}`] = value
          continue
        }
        const [ans, alocal] = resolve(name, true)
        const key = ans === '' ? alocal : `{${ans}}${alocal}`
        if (key in element.attrs) fail(`attribute ${name} appears twice on <${qname}>`, start)
        element.attrs[key] = value
      }
      const parent = stack[stack.length - 1]
      if (parent) parent.element.children.push(element)
      else if (root) fail('a second root element', start)
      else root = element
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) fail(`elements nest deeper than ${MAX_DEPTH}`, start)
        stack.push({ element, qname, scope: outer })
        scope = inner
      }
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.qname}> is never closed`, text.length)
  if (!root) throw new XmlError('line 1: no root element')
  return root
}

function decode(chunk: string, at: number, fail: (message: string, at?: number) => never): string {
  if (!chunk.includes('&')) return chunk
  return chunk.replace(/&([^;\s&]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) return fail(`a bare "&" (write &amp;)`, at)
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(name)) return fail(`bad character reference &${name};`, at)
      return String.fromCodePoint(code)
    }
    const value = ENTITIES[name]
    return value ?? fail(`unknown entity &${name};`, at)
  })
}

/** Concatenated text of an element (text and CDATA of it and its descendants). */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('')
}

export function childrenNamed(element: XmlElement, ns: string, local: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && c.ns === ns && c.local === local)
}

export function firstChild(element: XmlElement, ns: string, local: string): XmlElement | undefined {
  return childrenNamed(element, ns, local)[0]
}
