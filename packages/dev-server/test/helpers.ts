import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite } from '@signet/site';
import { readOutput } from '../src/output.js';

export const NOW = new Date('2030-01-01T00:00:00Z');

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), contents);
  }
}

export function post(title: string, date: string, tags: string[], body: string, extra = ''): string {
  return `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\ntags: [${tags.join(', ')}]\n${extra}---\n\n${body}\n`;
}

/** A small real site served under a base path, with a static stylesheet and a bundled image. */
export function makeSite(extra: Record<string, string | Uint8Array> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signet-dev-'));
  writeFiles(root, {
    'signet.config.yaml': 'title: Dev Test\nurl: https://example.org/blog/\nauthor: Ada\npostsPerPage: 3\n',
    'content/index.md': '---\ntitle: Home\n---\n\nWelcome to the test site.\n',
    'content/about.md': '---\ntitle: About\n---\n\nAbout this site.\n',
    'content/posts/first.md': post('First post', '2024-01-01', ['alpha'], 'The **first** post.'),
    'content/posts/second.md': post('Second post', '2024-02-01', ['alpha', 'beta'], 'The second post, with a [link](../first/).'),
    'content/posts/bundle/index.md': post('Bundled post', '2024-03-01', ['beta'], 'A picture: ![dot](dot.png)'),
    // A real 1×1 PNG: every published image is decoded and written again without metadata.
    'content/posts/bundle/dot.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    'static/extra.css': 'body { color: black; }\n',
    ...extra,
  });
  return root;
}

/** A clean full build of the same folder with a fresh cache, as `signet build` would make it. */
export function cleanBuild(root: string): Map<string, string | Uint8Array> {
  return readOutput(buildSite({ root, now: NOW, env: {}, diskCache: false }).files, new Map());
}

/** A deterministic pseudo-random sequence (mulberry32), so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SseEvent {
  type: string;
  data: unknown;
}

/** A minimal server-sent-events reader over fetch, as the browser's EventSource would see the stream. */
export async function listenEvents(url: string): Promise<{ events: SseEvent[]; next(type: string): Promise<SseEvent>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const events: SseEvent[] = [];
  const wanted: { type: string; resolve: (event: SseEvent) => void }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
          const event = { type, data };
          events.push(event);
          const index = wanted.findIndex((w) => w.type === type);
          if (index !== -1) wanted.splice(index, 1)[0]!.resolve(event);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    next: (type) => new Promise((resolve) => wanted.push({ type, resolve })),
    close: () => controller.abort(),
  };
}
