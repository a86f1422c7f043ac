import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDidDocument, embedJson, encodePublicMultikey, publicKeyFromSeed, signEnvelope } from '@signet/sign'
import type { EnvelopeItem, KeyEntry, SignedEnvelope } from '@signet/sign'

export const SEED = new Uint8Array(32).map((_, i) => i + 1)
export const OTHER_SEED = new Uint8Array(32).map((_, i) => 200 - i)
export const PUBLIC = encodePublicMultikey(publicKeyFromSeed(SEED))
export const OTHER_PUBLIC = encodePublicMultikey(publicKeyFromSeed(OTHER_SEED))

export function post(origin: string, slug = 'hello', extra: Partial<EnvelopeItem> = {}): EnvelopeItem {
  return {
    id: `${origin}/posts/${slug}/`,
    url: `${origin}/posts/${slug}/`,
    title: 'Hello & welcome',
    content_html: `<p>First post, with <a href="${origin}/about/">a link</a> and <em>markup</em>.</p>\n<p>Second paragraph — ünïcode.</p>`,
    date_published: '2026-01-05T10:00:00Z',
    authors: [{ name: 'Ada' }],
    tags: ['intro'],
    language: 'en',
    ...extra,
  }
}

export function sign(item: EnvelopeItem, did: string, keyId = 'key-1', seed = SEED, created = item.date_published): SignedEnvelope {
  return signEnvelope(item, { seed, verificationMethod: `${did}#${keyId}`, created })
}

export function didJson(did: string, keys: KeyEntry[] = [{ id: 'key-1', publicKeyMultibase: PUBLIC }]): string {
  return JSON.stringify(createDidDocument(did, keys), null, 2)
}

export function rss(items: { envelope: SignedEnvelope; title?: string; link?: string; date?: string; content?: string }[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:s="urn:signet:ns:signed-posts:v1">
<channel><title>T</title><link>https://x/</link><description>d</description>
${items.map((i) => `<item>
<title>${esc(i.title ?? i.envelope.title ?? '')}</title>
<link>${i.link ?? i.envelope.url}</link>
<guid isPermaLink="true">${i.envelope.id}</guid>
<pubDate>${i.date ?? new Date(i.envelope.date_published).toUTCString()}</pubDate>
<content:encoded><![CDATA[${i.content ?? i.envelope.content_html}]]></content:encoded>
<s:envelope>${embedJson(i.envelope)}</s:envelope>
</item>`).join('\n')}
</channel></rss>`
}

export function page(envelope: SignedEnvelope, body = envelope.content_html, title = envelope.title ?? ''): string {
  return `<!doctype html><html><head><title>${title} · Site</title>
<link rel="canonical" href="${envelope.url}">
<script type="application/json" id="signed-envelope">${embedJson(envelope)}</script></head>
<body><article class="h-entry"><h1 class="p-name">${title.replace(/&/g, '&amp;')}</h1>
<time class="dt-published" datetime="${envelope.date_published}">5 January</time>
<div class="e-content">
${body}
</div></article></body></html>`
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A real HTTP server on 127.0.0.1: path → body (JSON for did.json) or a handler. */
export async function serve(routes: Record<string, string | Handler>): Promise<{ origin: string; host: string; did: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname]
    if (route === undefined) {
      res.writeHead(404).end('not found')
    } else if (typeof route === 'string') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(route)
    } else route(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const host = `127.0.0.1:${port}`
  return {
    origin: `http://${host}`,
    host,
    did: `did:web:127.0.0.1%3A${port}`,
    server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
