import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface TestServer {
  origin: string
  requests: IncomingMessage[]
  close(): Promise<void>
}

/**
 * A real HTTP server on 127.0.0.1. Routes by path are made once the origin is known (the
 * webmention.rocks replicas name absolute endpoints); a string route is an HTML page.
 */
export async function serve(routes: Record<string, Handler | string> | ((origin: string) => Record<string, Handler | string>)): Promise<TestServer> {
  const requests: IncomingMessage[] = []
  let table: Record<string, Handler | string> = {}
  const server = createServer((req, res) => {
    requests.push(req)
    const route = table[new URL(req.url ?? '/', 'http://x').pathname]
    if (route === undefined) return void res.writeHead(404).end('not found')
    if (typeof route === 'string') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(route)
    route(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  table = typeof routes === 'function' ? routes(origin) : routes
  return {
    origin,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
