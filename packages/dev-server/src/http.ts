import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CLIENT_PATH, clientScript, EVENTS_PATH, injectReloadScript } from './client.js';
import type { ReloadHub } from './live-reload.js';
import type { SiteFiles } from './output.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.wasm': 'application/wasm',
};

/** The content type a static host would send for an output path. `_headers` and friends are plain text. */
export function contentType(file: string): string {
  return TYPES[path.posix.extname(file).toLowerCase()] ?? (path.posix.extname(file) === '' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
}

/** What the request handler reads on every request; it changes after each good rebuild. */
export interface ServedSite {
  files: SiteFiles | undefined;
  /** The site's base path from its URL, such as `/` or `/blog/`. */
  base: string;
  version: number;
}

/**
 * Serves the in-memory site the way a static host would: under the base path, `index.html` for
 * folders, `404.html` with status 404 for misses. HTML gets the live-reload script on the way out,
 * and `onPage` hears of every page sent.
 */
export function createHandler(site: () => ServedSite, hub: ReloadHub, onPage: () => void = () => {}): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    response.once('finish', () => {
      if (sentPage.has(response)) onPage();
    });
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS_PATH) return hub.connect(request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === CLIENT_PATH) return send(request, response, 200, 'client.js', clientScript(), 0);
    const { files, base, version } = site();
    if (!files) {
      const page = '<!doctype html><html lang="en"><title>Signet</title><body><p>The site has not built yet.</p></body></html>';
      return send(request, response, 503, 'index.html', page, version);
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the path is not valid percent-encoding.\n');
      return;
    }
    if (!pathname.startsWith(base)) {
      if (base.startsWith(pathname)) return redirect(response, base);
      return notFound(request, response, files, version);
    }
    const relative = pathname.slice(base.length);
    const file = relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
    const bytes = files.get(file);
    if (bytes !== undefined) return send(request, response, 200, file, bytes, version);
    if (files.has(`${file}/index.html`)) return redirect(response, `${url.pathname}/${url.search}`);
    notFound(request, response, files, version);
  };
}

function notFound(request: IncomingMessage, response: ServerResponse, files: SiteFiles, version: number): void {
  const page = files.get('404.html');
  if (page !== undefined) return send(request, response, 404, '404.html', page, version);
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(301, { location, 'cache-control': 'no-store' }).end();
}

// Responses that carried a page (HTML), for `onPage`.
const sentPage = new WeakSet<ServerResponse>();

function send(request: IncomingMessage, response: ServerResponse, status: number, file: string, bytes: string | Uint8Array, version: number): void {
  const type = contentType(file);
  if (type.startsWith('text/html')) sentPage.add(response);
  const body = type.startsWith('text/html') ? Buffer.from(injectReloadScript(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'), version)) : Buffer.from(bytes);
  response.writeHead(status, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
  response.end(request.method === 'HEAD' ? undefined : body);
}
