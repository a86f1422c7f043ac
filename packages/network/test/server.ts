import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface TestServer {
  origin: string
  requests: IncomingMessage[]
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 with routes by path; every request is recorded. */
export async function serve(routes: Record<string, Handler | string>): Promise<TestServer> {
  const requests: IncomingMessage[] = []
  const server = createServer((req, res) => {
    requests.push(req)
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname]
    if (route === undefined) return void res.writeHead(404).end('not found')
    if (typeof route === 'string') return void res.writeHead(200, { 'content-type': route.trimStart().startsWith('{') ? 'application/feed+json' : route.includes('<html') ? 'text/html' : 'application/xml' }).end(route)
    route(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

export function rss(items: { title: string; link?: string; guid?: string; description?: string }[], title = 'Plain site'): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://plain.example/</link><description>A plain site</description>${items.map((i) => `<item><title>${i.title}</title>${i.link ? `<link>${i.link}</link>` : ''}${i.guid ? `<guid>${i.guid}</guid>` : ''}<pubDate>Mon, 07 Dec 2026 00:00:00 GMT</pubDate><description>${i.description ?? ''}</description></item>`).join('')}</channel></rss>`
}
