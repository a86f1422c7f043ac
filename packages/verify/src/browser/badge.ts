// Browser entry of the badge (bundled into one file; never imported in Node). Checks the page's
// own envelope with the same core as the library, then compares it with what the page shows.
import { didDocumentUrl, hostOfDid } from '@signet/sign'
import { compareShown } from '../compare.js'
import type { Shown, SignedFields } from '../compare.js'
import { checkEnvelope } from '../envelope.js'
import { BodyParts } from '../page-body.js'
import { createDidResolver } from '../resolver.js'

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

async function run(badge: HTMLElement): Promise<void> {
  const status = badge.querySelector<HTMLElement>('[data-signet-status]')
  const show = (state: 'verified' | 'failed' | 'preview', text: string, detail: string) => {
    badge.dataset.state = state
    badge.title = detail
    if (status) status.textContent = text
  }
  const scripts = document.querySelectorAll('[id="signed-envelope"]')
  const script = scripts[0]
  if (!script) return show('failed', '(failed: no signature on this page)', 'This page carries no signed envelope.')
  if (scripts.length > 1 || script.localName !== 'script' || (script.getAttribute('type') ?? '').trim().toLowerCase() !== 'application/json') {
    return show('failed', '(failed: malformed)', 'The page must carry exactly one <script type="application/json" id="signed-envelope">.')
  }
  const linked = badge.dataset.didDocument
  const local = location.protocol === 'https:' || LOOPBACK.test(location.hostname)
  const resolver = createDidResolver({
    allowHttpLoopback: LOOPBACK.test(location.hostname),
    // On the signer's own site its did.json is same-origin; anywhere else, ask the signer's domain.
    documentUrl: (did) => (local && linked && hostOfDid(did) === location.host ? new URL(linked, location.href).href : didDocumentUrl(did)),
  })
  const { result, value } = await checkEnvelope(script.textContent ?? '', { resolver, sourceUrl: location.href })
  // A local preview (signet dev, a file server) is not the signer's domain: say so instead of alarming.
  if (result.status === 'domain mismatch' && LOOPBACK.test(location.hostname)) {
    return show('preview', '(checked once published, not in a local preview)', `This page is signed for ${result.domain ?? 'its own domain'}; the check runs when it is served from there.`)
  }
  if (result.status !== 'verified' || !value) return show('failed', `(failed: ${result.status})`, [result.sentence, ...result.reasons].join(' '))
  const shown = shownOnPage(value)
  const differences = compareShown('The page', shown.fields, value, shown.expected)
  if (differences.length > 0) return show('failed', '(failed: shown differently from signed)', differences.join(' '))
  show('verified', '(verified)', result.reasons.join(' '))
}

/** What the page shows, read as the library reads it (spec §7.5), with the browser's own parser on both sides. */
function shownOnPage(signed: SignedFields): { fields: Shown; expected?: string[] } {
  const fields: Shown = { strict: true, dateForm: 'rfc3339', problems: [] }
  fields.urls = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="canonical" i]')].map((link) => link.href)
  const entries = outermost(document, '.h-entry')
  const entry = entries[0]
  if (!entry) {
    fields.problems!.push('marks no h-entry, so its title, date and text cannot be compared with the signed ones.')
    return { fields }
  }
  if (entries.length > 1) fields.problems!.push(`has ${entries.length} h-entry elements; a post page has one.`)
  const contents = outermost(entry, '.e-content')
  const content = contents[0]
  if (contents.length > 1) fields.problems!.push(`has ${contents.length} e-content elements; a post page has one.`)
  const mine = (selector: string) => [...entry.querySelectorAll(selector)].filter((el) => !content?.contains(el))
  fields.titles = mine('.p-name').map((el) => el.textContent ?? '')
  fields.dates = mine('.dt-published').map((el) => el.getAttribute('datetime') ?? '')
  for (const el of [entry, ...(content ? [content] : [])]) {
    const attribute = ['hidden', 'style'].find((name) => el.hasAttribute(name))
    if (attribute) fields.problems!.push(`hides or restyles its post (its ${el === entry ? 'h-entry' : 'e-content'} element has a ${attribute} attribute).`)
  }
  if (!content) return { fields }
  const hidden = hiddenText(content)
  if (hidden) fields.problems!.push(`hides part of its signed text from readers (${JSON.stringify(hidden.slice(0, 60))}).`)
  fields.body = parts(content, signed.url)
  const parsed = new DOMParser().parseFromString(signed.content_html, 'text/html').body
  return { fields, expected: parts(parsed, signed.url) }
}

/** Elements matching `selector` under `root` that are not inside another match. */
function outermost(root: ParentNode, selector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter((el) => !el.parentElement?.closest(selector) || !root.contains(el.parentElement.closest(selector)))
}

function parts(root: Element, base: string): string[] {
  const out = new BodyParts(base)
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.addText(child.nodeValue ?? '')
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const el = child as Element
        out.start(el.localName, [...el.attributes].map((a): [string, string] => [a.name, a.value]))
        walk(el)
        out.end(el.localName)
      }
    }
  }
  walk(root)
  return out.finish()
}

/**
 * The first signed text the page's styles hide (display: none, visibility, opacity 0), if any: the
 * markup is compared exactly, but a stylesheet elsewhere on the page could still hide a word.
 */
function hiddenText(content: Element): string | undefined {
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue ?? ''
    const parent = node.parentElement
    if (text.trim() === '' || !parent || parent.closest('details:not([open]), noscript, template')) continue
    const range = document.createRange()
    range.selectNodeContents(node)
    const invisible = range.getClientRects().length === 0 ||
      (typeof parent.checkVisibility === 'function' && getComputedStyle(parent).display !== 'contents' && !parent.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
    if (invisible) return text.trim()
  }
  return undefined
}

for (const badge of document.querySelectorAll<HTMLElement>('[data-signet-badge]')) {
  badge.dataset.state = 'checking'
  run(badge).catch((error: unknown) => {
    badge.dataset.state = 'failed'
    const status = badge.querySelector('[data-signet-status]')
    if (status) status.textContent = `(failed: ${(error as Error).message})`
  })
}
