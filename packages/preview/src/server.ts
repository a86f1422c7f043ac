import { existsSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { contentType, listen } from '@signet/dev-server';
import { headersFor, parseHeaders, type HeaderRule } from './headers.js';

export interface PreviewOptions {
  /** The site folder (the one with signet.config.yaml). */
  root: string;
  /** 0 picks any free port. */
  port?: number;
  host?: string;
}

export interface Preview {
  /** Where the site is served, base path included, such as `http://127.0.0.1:4173/blog/`. */
  url: string;
  close(): Promise<void>;
}

// Files the host reads as its own configuration; a static host never serves them.
const HOST_FILES = new Set(['_headers', '_redirects']);

/**
 * Serves the built output folder as a static host would: under the base path of the config's `url`,
 * `index.html` for folders, `404.html` with status 404 for misses, `_headers` applied. It never builds,
 * never lists a folder and never sends a file outside the output folder (`..` is refused and symlinks
 * are resolved before the check).
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const config = loadConfig(options.root);
  const out = path.resolve(config.root, config.dirs.out);
  if (!existsSync(out) || !statSync(out).isDirectory()) {
    throw new SignetError(`no built site in ${path.relative(process.cwd(), out) || out}/`, {
      hint: 'Run `signet build` first: `signet preview` serves what the build wrote and never builds.',
    });
  }
  const dist = realpathSync(out);
  const base = new URL(config.url).pathname;
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handle(request, response, dist, base).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error\n');
    });
  });
  const port = await listen(server, options.port ?? 4173, host, 'signet preview');
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${base}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, dist: string, base: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const rawPath = (request.url ?? '/').split('?')[0]!;
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return refuse(response, 'the path is not valid percent-encoding');
  }
  if (!pathname.startsWith('/') || pathname.includes('\0') || pathname.split(/[\\/]/).some((segment) => segment === '..')) {
    return refuse(response, 'the path leaves the site');
  }
  const rules = await readRules(dist);
  if (!pathname.startsWith(base)) {
    if (base.startsWith(pathname)) return redirect(response, base);
    return notFound(request, response, dist, rules, pathname);
  }
  const relative = pathname.slice(base.length);
  if (HOST_FILES.has(relative)) return notFound(request, response, dist, rules, pathname);
  const found = resolveFile(dist, relative);
  if (found === 'folder') return redirect(response, `${rawPath}/`);
  if (found === undefined) return notFound(request, response, dist, rules, pathname);
  await send(request, response, 200, found, headersFor(rules, pathname));
}

/** The real file for an output path, `folder` for a folder asked for without its slash, or undefined. */
function resolveFile(dist: string, relative: string): string | 'folder' | undefined {
  const wanted = path.join(dist, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    return undefined;
  }
  // A symlink in the output may point anywhere: only what really lies inside it is served.
  if (real !== dist && !real.startsWith(dist + path.sep)) return undefined;
  const stat = statSync(real);
  if (stat.isFile()) return real;
  if (stat.isDirectory() && !relative.endsWith('/') && resolveFile(dist, `${relative}/`) !== undefined) return 'folder';
  return undefined;
}

async function readRules(dist: string): Promise<HeaderRule[]> {
  try {
    return parseHeaders(await readFile(path.join(dist, '_headers'), 'utf8'));
  } catch {
    return [];
  }
}

async function notFound(request: IncomingMessage, response: ServerResponse, dist: string, rules: HeaderRule[], pathname: string): Promise<void> {
  const page = resolveFile(dist, '404.html');
  if (typeof page === 'string') return send(request, response, 404, page, headersFor(rules, pathname));
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

function refuse(response: ServerResponse, why: string): void {
  response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Bad request: ${why}.\n`);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(301, { location }).end();
}

async function send(request: IncomingMessage, response: ServerResponse, status: number, file: string, headers: Record<string, string>): Promise<void> {
  const body = await readFile(file);
  response.writeHead(status, { ...headers, 'content-type': contentType(file), 'content-length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}
