import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, SIGNET } from '../helpers/site.js';

const SITE = { 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/hello.md': '---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello from signet dev.\n' };

function run(args: string[], cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env = { ...process.env };
  delete env.SIGNET_SIGNING_KEY;
  const child = spawn(process.execPath, [SIGNET, ...args], { cwd, env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(check: () => RegExpExecArray | null): Promise<RegExpExecArray> {
  for (;;) {
    const match = check();
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('signet dev', () => {
  it('serves the site and stops cleanly on Ctrl-C', async () => {
    const root = makeSite(SITE);
    const dev = run(['dev', '--port', '0'], root);
    try {
      const url = (await waitFor(() => /Serving \. at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)/.exec(dev.output())))[1]!;
      const page = await fetch(new URL('posts/hello/', url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Hello from signet dev.');
      dev.child.kill('SIGINT');
      expect(await dev.exited).toBe(0);
      expect(dev.output()).toMatch(/Stopped\.\n$/);
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      dev.child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names a free port when the one asked for is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const root = makeSite(SITE);
    try {
      const dev = run(['dev', '--port', String(port)], root);
      expect(await dev.exited).toBe(1);
      expect(dev.output()).toContain(`error: port ${port} on 127.0.0.1 is already in use`);
      expect(dev.output()).toMatch(/Port \d+ is free: run `signet dev --port \d+`/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a port that is not a number', async () => {
    const root = makeSite(SITE);
    try {
      const dev = run(['dev', '--port', 'eighty'], root);
      expect(await dev.exited).toBe(2);
      expect(dev.output()).toContain('--port must be a number from 0 to 65535, not "eighty"');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
