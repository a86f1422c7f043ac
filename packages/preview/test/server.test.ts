import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeaders, headersFor, startPreview, type Preview } from '../src/index.js';

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

/** A raw GET, so that `..` reaches the server as typed (fetch would resolve it away). */
function get(url: string, rawPath: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('parseHeaders', () => {
  it('reads rules with wildcards and placeholders, and joins repeated headers', () => {
    const rules = parseHeaders('# comment\n/blog/.well-known/did.json\n  Access-Control-Allow-Origin: *\n\n/blog/*\n  X-Frame-Options: DENY\n/blog/posts/:slug/\n  X-Frame-Options: SAMEORIGIN\n');
    expect(headersFor(rules, '/blog/.well-known/did.json')).toEqual({ 'access-control-allow-origin': '*', 'x-frame-options': 'DENY' });
    expect(headersFor(rules, '/blog/posts/a/')).toEqual({ 'x-frame-options': 'DENY, SAMEORIGIN' });
    expect(headersFor(rules, '/blog/posts/a/b/')).toEqual({ 'x-frame-options': 'DENY' });
    expect(headersFor(rules, '/other')).toEqual({});
  });
});

describe('startPreview', () => {
  let root: string;
  let outside: string;
  let preview: Preview;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'signet-preview-'));
    outside = mkdtempSync(path.join(os.tmpdir(), 'signet-outside-'));
    write(outside, { 'secret.txt': 'private' });
    write(root, {
      'signet.config.yaml': 'title: T\nurl: https://x.example/blog/\nauthor: A\n',
      'secret.txt': 'site source, not output',
      'dist/index.html': '<!doctype html><title>home</title>',
      'dist/posts/a/index.html': '<!doctype html><title>post a</title>',
      'dist/style.css': 'body{}',
      'dist/404.html': '<!doctype html><title>missing</title>',
      'dist/.well-known/did.json': '{"id":"did:web:x.example:blog"}',
      'dist/_headers': '/blog/.well-known/did.json\n  Access-Control-Allow-Origin: *\n',
      'dist/empty/.keep': '',
    });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'dist/leak.txt'));
    symlinkSync(outside, path.join(root, 'dist/linked'));
    preview = await startPreview({ root, port: 0 });
  });
  afterAll(async () => {
    await preview.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('serves pages under the base path with their content types', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/);
    const home = await get(preview.url, '/blog/');
    expect([home.status, home.headers['content-type'], home.body]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>home</title>']);
    expect((await get(preview.url, '/blog/posts/a/')).body).toContain('post a');
    expect((await get(preview.url, '/blog/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('redirects a folder without its slash, and the bare host to the base path', async () => {
    const folder = await get(preview.url, '/blog/posts/a');
    expect([folder.status, folder.headers.location]).toEqual([301, '/blog/posts/a/']);
    expect((await get(preview.url, '/')).headers.location).toBe('/blog/');
  });

  it('answers a missing path with 404.html and status 404, and lists no folder', async () => {
    for (const miss of ['/blog/nope/', '/blog/empty/', '/blog/empty', '/elsewhere/index.html', '/blog/_headers']) {
      const res = await get(preview.url, miss);
      expect([miss, res.status, res.body]).toEqual([miss, 404, '<!doctype html><title>missing</title>']);
    }
  });

  it('applies _headers and serves .well-known/', async () => {
    const did = await get(preview.url, '/blog/.well-known/did.json');
    expect(did.status).toBe(200);
    expect(did.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(did.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(did.body)).toEqual({ id: 'did:web:x.example:blog' });
    expect((await get(preview.url, '/blog/')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never sends a file outside the output folder', async () => {
    for (const escape of ['/blog/../secret.txt', '/blog/%2e%2e/secret.txt', '/blog/..%2fsecret.txt', '/blog/posts/..%5c..%5csecret.txt']) {
      const res = await get(preview.url, escape);
      expect([escape, res.status]).toEqual([escape, 400]);
      expect(res.body).not.toContain('site source');
    }
    for (const link of ['/blog/leak.txt', '/blog/linked/secret.txt']) {
      const res = await get(preview.url, link);
      expect([link, res.status]).toEqual([link, 404]);
      expect(res.body).not.toContain('private');
    }
  });

  it('says to build first when there is no output', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'signet-preview-'));
    write(empty, { 'signet.config.yaml': 'title: T\nurl: https://x.example/\nauthor: A\n' });
    try {
      await expect(startPreview({ root: empty, port: 0 })).rejects.toMatchObject({ hint: expect.stringContaining('signet build') });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
