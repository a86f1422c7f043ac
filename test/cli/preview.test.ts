import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, signet, SIGNET } from '../helpers/site.js';

const POST = { 'content/posts/hello.md': '---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello from the preview.\n' };
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function site(url: string): string {
  const root = makeSite({ 'signet.config.yaml': `title: Test site\nurl: ${url}\nauthor: Tester\n`, ...POST });
  roots.push(root);
  return root;
}

/** A raw GET on 127.0.0.1, so that `..` reaches the server as typed (fetch would resolve it away). */
function get(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs the installed `signet preview --port 0` in `root` and hands its port to `check`, then stops it with Ctrl-C. */
async function withPreview(root: string, check: (port: number, base: string) => Promise<void>): Promise<void> {
  const env = { ...process.env };
  delete env.SIGNET_SIGNING_KEY;
  const child = spawn(process.execPath, [SIGNET, 'preview', '--port', '0'], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    let match: RegExpExecArray | null = null;
    while (!(match = /at http:\/\/127\.0\.0\.1:(\d+)(\/\S*) as a static host would/.exec(output))) {
      if (child.exitCode !== null) throw new Error(output);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await check(Number(match[1]), match[2]!);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
}

describe('signet preview', () => {
  it('says to build first, and builds nothing', () => {
    const root = site('https://test.example/');
    const run = signet(['preview', '--port', '0'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no built site in dist/');
    expect(run.stderr).toContain('signet build');
  });

  it('serves a sub-path site as its host would: pages, 404, _headers, no way out', async () => {
    const root = site('https://test.example/blog/');
    expect(signet(['build'], root).status).toBe(0);
    await withPreview(root, async (port, base) => {
      expect(base).toBe('/blog/');
      const home = await get(port, '/blog/');
      expect(home.status).toBe(200);
      expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
      const post = await get(port, '/blog/posts/hello/');
      expect(post.body).toContain('Hello from the preview.');
      // Styles resolve under the base path, which is what opening dist/ from disk loses.
      const css = /href="(\/blog\/assets\/[^"]+\.css)"/.exec(post.body)![1]!;
      expect((await get(port, css)).headers['content-type']).toBe('text/css; charset=utf-8');
      const missing = await get(port, '/blog/no-such-page/');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatch(/<!doctype html>/i);
      const did = await get(port, '/blog/did.json');
      expect(did.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(did.body).id).toBe('did:web:test.example:blog');
      const escape = await get(port, '/blog/../signet.config.yaml');
      expect(escape.status).toBe(400);
      expect(escape.body).not.toContain('Tester');
    });
  });

  it('serves .well-known/did.json of a site at the domain root, with its _headers rule', async () => {
    const root = site('https://test.example/');
    expect(signet(['build'], root).status).toBe(0);
    await withPreview(root, async (port) => {
      const did = await get(port, '/.well-known/did.json');
      expect(did.status).toBe(200);
      expect(did.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(did.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(did.body).id).toBe('did:web:test.example');
    });
  });
});
