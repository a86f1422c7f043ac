import { Parser } from 'htmlparser2'

const SKIP = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math'])
const BLOCK = /^(p|div|br|li|h[1-6]|blockquote|pre|tr|section|article)$/

/**
 * The words of an HTML fragment, entities decoded, whitespace collapsed, cut at `max` characters on a
 * word boundary. Nothing of the markup survives, so the result can only ever be shown as text.
 */
export function plainText(html: string, max = 300): string {
  let out = ''
  let skipping = 0
  const parser = new Parser({
    onopentagname(name) {
      if (SKIP.has(name)) skipping++
      else if (BLOCK.test(name)) out += ' '
    },
    onclosetag(name) {
      if (SKIP.has(name) && skipping > 0) skipping--
    },
    ontext(text) {
      if (skipping === 0 && out.length < max * 2) out += text
    },
  }, { decodeEntities: true })
  parser.end(html)
  return cut(out.replace(/\s+/g, ' ').trim(), max)
}

/** Plain text as HTML that shows it (`&` and `<` escaped): a feed's text read the way its HTML is. */
export function textAsHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const slice = text.slice(0, max)
  const space = slice.lastIndexOf(' ')
  return (space > max * 0.6 ? slice.slice(0, space) : slice).trimEnd() + '…'
}
