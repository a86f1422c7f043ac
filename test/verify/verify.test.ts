import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFeed, verifyPage } from '@signet/verify';
import { SIGNET, signet } from '../helpers/site.js';
import { buildAndServe, type ServedSite } from './site.js';

let site: ServedSite;

// The server runs in this process, so a command that talks to it must not block the event loop.
function signetAsync(args: string[], cwd: string): Promise<{ status: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SIGNET, ...args], { cwd });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.on('close', (status) => resolve({ status: status ?? -1, stdout }));
  });
}
beforeAll(async () => { site = await buildAndServe(); });
afterAll(() => site.close());

describe('a built site served over real HTTP on 127.0.0.1', () => {
  it('verifies every format through HTTP, did.json included', async () => {
    for (const feed of ['feed.xml', 'atom.xml', 'feed.json']) {
      const r = await verifyFeed(`${site.origin}/${feed}`, { allowHttpLoopback: true });
      expect(r.items.length, feed).toBe(3);
      for (const item of r.items) expect(item.status, `${feed}: ${item.reasons.join(' ')}`).toBe('verified');
    }
    const page = await verifyPage(`${site.origin}/posts/signed-feeds/`, { allowHttpLoopback: true });
    expect(page.status, page.reasons.join(' ')).toBe('verified');
  });

  it('signet verify: exit 0 for the URL and for the folder with --domain, 1 for a tampered copy, 2 for bad usage', async () => {
    const url = await signetAsync(['verify', `${site.origin}/feed.xml`, '--allow-http-loopback'], site.root);
    expect(url.status, url.stdout).toBe(0);
    expect(url.stdout).toMatch(/All 3 verified\./);
    const folder = signet(['verify', 'dist', '--domain', site.host, '--json'], site.root);
    expect(folder.status, folder.stderr).toBe(0);
    const report = JSON.parse(folder.stdout) as { ok: boolean; results: unknown[] };
    expect(report.ok).toBe(true);
    expect(report.results.length).toBeGreaterThan(10);

    const copy = mkdtempSync(path.join(os.tmpdir(), 'signet-tampered-'));
    cpSync(site.dist, copy, { recursive: true });
    const feed = path.join(copy, 'feed.xml');
    writeFileSync(feed, readFileSync(feed, 'utf8').replace('lose. \\u003ccode\\u003e', 'lose! \\u003ccode\\u003e'));
    const bad = signet(['verify', feed, '--domain', site.host], site.root);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/bad signature/);
    expect(bad.stdout).toMatch(/1 of 3 failed verification/);
    // Another domain's did.json does not vouch for these posts.
    expect(signet(['verify', copy, '--domain', 'other.example'], site.root).stdout).toMatch(/domain mismatch/);
    expect(signet(['verify'], site.root).status).toBe(2);
    expect(signet(['verify', 'dist', '--bogus'], site.root).status).toBe(2);
  });
});
