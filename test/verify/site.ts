import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sendFromFolder } from '../helpers/serve.js';
import { copySite, REPO, signet, writeFiles } from '../helpers/site.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml', '.js': 'text/javascript', '.css': 'text/css',
};

export interface ServedSite {
  root: string;
  dist: string;
  origin: string;
  host: string;
  /** Extra routes answered before files: path → body. */
  overrides: Map<string, string>;
  close(): Promise<void>;
}

/**
 * Builds the default site for http://127.0.0.1:PORT/ and serves its dist/ on that port, so the
 * did:web of the build is the server's own address. `files` are added to the site first.
 */
export async function buildAndServe(files: Record<string, string | Uint8Array> = {}): Promise<ServedSite> {
  const overrides = new Map<string, string>();
  let dist = '';
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = overrides.get(pathname);
    if (body !== undefined) return void res.writeHead(200, { 'content-type': TYPES[path.extname(pathname) || '.html'] ?? 'text/html' }).end(body);
    sendFromFolder(res, dist, pathname, TYPES);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const root = copySite(REPO);
  writeFiles(root, files);
  const config = path.join(root, 'signet.config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^url: .*$/m, `url: http://${host}/`));
  const built = signet(['build'], root);
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  dist = path.join(root, 'dist');
  return {
    root, dist, origin: `http://${host}`, host, overrides,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
