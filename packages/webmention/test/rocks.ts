import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Local replicas of the 23 discovery tests of webmention.rocks (lib/Rocks/DiscoveryTestData.php and
 * controllers/DiscoveryTestController.php of aaronpk/webmention.rocks): the same Link headers,
 * <link> tags and post bodies, served from 127.0.0.1. `expected` is the endpoint a sender must use,
 * as a path on the test server; every other advertised endpoint ends in /error.
 */
export interface RocksCase {
  num: number
  name: string
  /** Link header values (one per header line); `name` is the header's spelling. */
  linkHeader?: string[]
  headerName?: string
  linkTag?: string
  body: string
  expected: string
}

export function rocksCases(base: string): RocksCase[] {
  return [
    { num: 1, name: 'HTTP Link header, unquoted rel, relative URL', linkHeader: ['</test/1/webmention>; rel=webmention'], body: 'This post advertises its Webmention endpoint with an HTTP <code>Link</code> header.', expected: '/test/1/webmention' },
    { num: 2, name: 'HTTP Link header, unquoted rel, absolute URL', linkHeader: [`<${base}test/2/webmention>; rel=webmention`], body: 'Absolute URL in the header.', expected: '/test/2/webmention' },
    { num: 3, name: 'HTML <link> tag, relative URL', linkTag: '<link rel="webmention" href="/test/3/webmention">', body: 'A link tag.', expected: '/test/3/webmention' },
    { num: 4, name: 'HTML <link> tag, absolute URL', linkTag: `<link href="${base}test/4/webmention" rel="webmention">`, body: 'A link tag, href first.', expected: '/test/4/webmention' },
    { num: 5, name: 'HTML <a> tag, relative URL', body: 'This post advertises its <a rel="webmention" href="/test/5/webmention">Webmention endpoint</a> with an HTML <code>&lt;a&gt;</code> tag in the body.', expected: '/test/5/webmention' },
    { num: 6, name: 'HTML <a> tag, absolute URL', body: `This post advertises its <a href="${base}test/6/webmention" rel="webmention">Webmention endpoint</a>.`, expected: '/test/6/webmention' },
    { num: 7, name: 'HTTP Link header with strange casing', linkHeader: [`<${base}test/7/webmention>; rel=webmention`], headerName: 'LinK', body: 'Odd casing.', expected: '/test/7/webmention' },
    { num: 8, name: 'HTTP Link header, quoted rel', linkHeader: [`<${base}test/8/webmention>; rel="webmention"`], body: 'Quoted rel.', expected: '/test/8/webmention' },
    { num: 9, name: 'Multiple rel values on a <link> tag', linkTag: `<link rel="webmention somethingelse" href="${base}test/9/webmention">`, body: 'Multiple rel values.', expected: '/test/9/webmention' },
    { num: 10, name: 'Multiple rel values on a Link header', linkHeader: [`<${base}test/10/webmention>; rel="webmention somethingelse"`], body: 'Multiple rel values in the header.', expected: '/test/10/webmention' },
    { num: 11, name: 'Multiple Webmention endpoints advertised: Link, <link>, <a>', linkHeader: ['</test/11/webmention>; rel="webmention"'], linkTag: '<link rel="webmention" href="/test/11/webmention/error">', body: 'As well as an <a href="/test/11/webmention/error" rel="webmention">&lt;a&gt; tag</a>.', expected: '/test/11/webmention' },
    { num: 12, name: 'Checking for exact match of rel=webmention', linkTag: '<link rel="not-webmention" href="/test/12/webmention/error">', body: 'There is also a <a href="/test/12/webmention" rel="webmention">correct endpoint</a> defined.', expected: '/test/12/webmention' },
    { num: 13, name: 'False endpoint inside an HTML comment', body: 'This post contains an HTML comment <!-- <a href="/test/13/webmention/error" rel="webmention"></a> --> that contains a rel=webmention element. There is also a <a href="/test/13/webmention" rel="webmention">correct endpoint</a>.', expected: '/test/13/webmention' },
    { num: 14, name: 'False endpoint in escaped HTML', body: 'Sample code: <code>&lt;a href="/test/14/webmention/error" rel="webmention"&gt;&lt;/a&gt;</code> There is also a <a href="/test/14/webmention" rel="webmention">correct endpoint</a>.', expected: '/test/14/webmention' },
    { num: 15, name: 'Webmention href is an empty string', linkTag: '<link rel="webmention" href="">', body: 'The page is its own endpoint.', expected: '/test/15' },
    { num: 16, name: 'Multiple Webmention endpoints advertised: <a>, <link>', body: 'In an HTML <a href="/test/16/webmention" rel="webmention">&lt;a&gt; tag</a>, followed by a later definition in a &lt;link&gt; tag. <link rel="webmention" href="/test/16/webmention/error">', expected: '/test/16/webmention' },
    { num: 17, name: 'Multiple Webmention endpoints advertised: <link>, <a>', body: 'In an HTML &lt;link&gt; tag <link rel="webmention" href="/test/17/webmention"> followed by a later definition in an <a href="/test/17/webmention/error" rel="webmention">&lt;a&gt; tag</a>.', expected: '/test/17/webmention' },
    { num: 18, name: 'Multiple HTTP Link headers', linkHeader: [`<${base}test/18/webmention/error>; rel="other"`, `<${base}test/18/webmention>; rel="webmention"`], body: 'Two Link headers.', expected: '/test/18/webmention' },
    { num: 19, name: 'Single HTTP Link header with multiple values', linkHeader: [`<${base}test/19/webmention/error>; rel="other", <${base}test/19/webmention>; rel="webmention"`], body: 'One header, two links.', expected: '/test/19/webmention' },
    { num: 20, name: 'Link tag with no href attribute', body: 'This post has a &lt;link&gt; tag <link rel="webmention"> which has no href attribute; send to <a href="/test/20/webmention" rel="webmention">this endpoint</a> instead.', expected: '/test/20/webmention' },
    { num: 21, name: 'Webmention endpoint has query string parameters', linkTag: '<link rel="webmention" href="/test/21/webmention?query=yes">', body: 'A query string.', expected: '/test/21/webmention?query=yes' },
    { num: 22, name: 'Webmention endpoint is relative to the path', linkTag: '<link rel="webmention" href="22/webmention">', body: 'Relative to the page.', expected: '/test/22/webmention' },
    // 23: /test/23/page redirects to page/KEY, which advertises the relative webmention-endpoint/KEY.
    { num: 23, name: 'Webmention target is a redirect and the endpoint is relative', body: '', expected: '/test/23/page/webmention-endpoint/KEY' },
  ]
}

/** The page of one case, as webmention.rocks serves it (its layout's head, the post in an h-entry). */
export function rocksPage(c: RocksCase): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Webmention Rocks!</title>${c.linkTag ?? ''}</head><body><div class="post-container h-entry"><h1 class="p-name"><a href="/test/${c.num}">Discovery Test #${c.num}</a></h1><div class="e-content">${c.body}</div></div></body></html>`
}

/** Routes for every case on a test server whose origin ends in `/` as `base`; test 23 included. */
export function rocksRoutes(base: string): Record<string, (req: IncomingMessage, res: ServerResponse) => void> {
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {}
  for (const c of rocksCases(base)) {
    if (c.num === 23) continue
    routes[`/test/${c.num}`] = (_req, res) => {
      if (c.linkHeader) res.setHeader(c.headerName ?? 'Link', c.linkHeader)
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(rocksPage(c))
    }
  }
  routes['/test/23/page'] = (_req, res) => void res.writeHead(302, { location: 'page/KEY' }).end()
  routes['/test/23/page/KEY'] = (_req, res) => void res.writeHead(200, { 'content-type': 'text/html', link: '<webmention-endpoint/KEY>; rel=webmention' })
    .end('<div class="h-entry"><h2 class="p-name">Discovery Test #23</h2><p><a rel="webmention" href="webmention-endpoint/KEY">webmention endpoint</a></p></div>')
  return routes
}
