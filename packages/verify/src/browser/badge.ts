// Browser entry of the badge (bundled into one file; never imported in Node). Checks the page's
// own envelope with the same core as the library, then compares it with what the page shows.
import { didDocumentUrl, hostOfDid } from '@signet/sign'
import { compareShown, squash } from '../compare.js'
import type { ContentView, Shown, SignedFields } from '../compare.js'
import { checkEnvelope } from '../envelope.js'
import { createDidResolver } from '../resolver.js'

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

async function run(badge: HTMLElement): Promise<void> {
  const status = badge.querySelector<HTMLElement>('[data-signet-status]')
  const show = (state: 'verified' | 'failed' | 'preview', text: string, detail: string) => {
    badge.dataset.state = state
    badge.title = detail
    if (status) status.textContent = text
  }
  const script = document.getElementById('signed-envelope')
  if (!script) return show('failed', '(failed: no signature on this page)', 'This page carries no signed envelope.')
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

function shownOnPage(signed: SignedFields): { fields: Shown; expected?: ContentView } {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel~="canonical"]')?.href
  const entry = document.querySelector('.h-entry')
  const fields: Shown = {}
  if (canonical) fields.url = canonical
  const name = entry?.querySelector('.p-name')
  if (name) fields.title = name.textContent ?? ''
  const published = entry?.querySelector('.dt-published')
  if (published) fields.date = published.getAttribute('datetime') ?? published.textContent ?? ''
  const content = entry?.querySelector('.e-content')
  if (!content) return { fields }
  // Both sides go through the browser's own parser, so markup layout cannot differ between them.
  fields.content = view(content, canonical ?? location.href)
  const parsed = new DOMParser().parseFromString(signed.content_html, 'text/html').body
  return { fields, expected: view(parsed, signed.url) }
}

function view(root: Element, base: string): ContentView {
  const links: string[] = []
  for (const el of root.querySelectorAll('[href],[src],[action],[poster],[cite]')) {
    for (const attr of ['href', 'src', 'action', 'poster', 'cite']) {
      const v = el.getAttribute(attr)
      if (v !== null) links.push(new URL(v.trim(), base).href)
    }
  }
  const text: string[] = []
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text.push(child.nodeValue ?? '')
      else if (child.nodeType === Node.ELEMENT_NODE) {
        text.push(' ')
        walk(child)
        text.push(' ')
      }
    }
  }
  walk(root)
  return { text: squash(text.join('')), links }
}

for (const badge of document.querySelectorAll<HTMLElement>('[data-signet-badge]')) {
  badge.dataset.state = 'checking'
  run(badge).catch((error: unknown) => {
    badge.dataset.state = 'failed'
    const status = badge.querySelector('[data-signet-status]')
    if (status) status.textContent = `(failed: ${(error as Error).message})`
  })
}
