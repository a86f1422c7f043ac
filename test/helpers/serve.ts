import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * Answers a request for `pathname` from the built folder `dir` as a static host does: a folder's
 * index.html, 404 for what is not there, 403 for a path that leaves the folder. The test servers
 * of the verify and network suites share it.
 */
export function sendFromFolder(res: ServerResponse, dir: string, pathname: string, types: Record<string, string>): void {
  let file = path.join(dir, pathname);
  if (!file.startsWith(dir)) return void res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!existsSync(file)) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
}
