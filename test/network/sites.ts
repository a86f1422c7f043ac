import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { sendFromFolder } from '../helpers/serve.js';
import { makeSite, signet, SIGNET, type Run } from '../helpers/site.js';

/**
 * The installed signet, run without blocking: the servers these tests start live in this process, and
 * a synchronous run would stop them from answering.
 */
export function signetAsync(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.SIGNET_SIGNING_KEY;
    const child = spawn(process.execPath, [SIGNET, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml', '.opml': 'text/xml' };

export interface Served {
  origin: string;
  host: string;
  root: string;
  /** Answered before files: path → body or handler. */
  routes: Map<string, string | ((req: IncomingMessage, res: ServerResponse) => void)>;
  requests: string[];
  build(): void;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 serving `root/dist`, routes first. */
export async function serveFolder(root: string): Promise<Served> {
  const routes: Served['routes'] = new Map();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(pathname);
    const route = routes.get(pathname);
    if (typeof route === 'function') return route(req, res);
    if (route !== undefined) return void res.writeHead(200, { 'content-type': TYPES[path.extname(pathname)] ?? 'text/html' }).end(route);
    const dist = path.join(root, 'dist');
    sendFromFolder(res, dist, pathname, TYPES);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    origin: `http://${host}`, host, root, routes, requests,
    build() {
      const built = signet(['build'], root);
      if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A small signed Signet site, built with the installed signet for its own server's address. */
export async function signedSite(name: string, posts = 2): Promise<Served> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= posts; i++) files[`content/posts/post-${i}.md`] = `---\ntitle: ${name} post ${i}\ndate: 2026-11-0${i}\n---\n\nWords of ${name}, number ${i}.\n`;
  const root = makeSite(files);
  const served = await serveFolder(root);
  writeFileSync(path.join(root, 'signet.config.yaml'), `title: ${name}\nurl: ${served.origin}/\nauthor: ${name} writer\n`);
  if (signet(['keys', 'generate'], root).status !== 0) throw new Error('signet keys generate failed');
  served.build();
  return served;
}
