import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CONFIG = `title: Fixture
url: https://fixture.example/
language: en
description: A site for the build tests.
author: Ada
permalink: /posts/:slug/
postsPerPage: 5
feed:
  items: 10
`;

export function post(i: number, extra = ''): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  return `---\ntitle: Post number ${i}\ndate: 2025-03-${day}T${String(i % 24).padStart(2, '0')}:00:00Z\ntags: [t${i % 3}, all]\n---\n\n` +
    `Paragraph one of post ${i}, with *emphasis* and a [link](/about/).\n\n## Heading ${i}\n\n- a\n- b\n\n\`\`\`js\nconst x = ${i};\n\`\`\`\n\n| a | b |\n| - | - |\n| ${i} | 2 |\n\nText.[^1]\n\n[^1]: Note ${i}.\n${extra}`;
}

/** A site folder in the system temp folder with `count` posts and a page. */
export function makeSite(count: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signet-site-'));
  writeFileSync(path.join(root, 'signet.config.yaml'), CONFIG);
  mkdirSync(path.join(root, 'content', 'posts'), { recursive: true });
  writeFileSync(path.join(root, 'content', 'about.md'), '---\ntitle: About\n---\n\nAbout this site.\n');
  for (let i = 0; i < count; i++) writeFileSync(path.join(root, 'content', 'posts', `post-${i}.md`), post(i));
  return root;
}

/** Every file under `dir`, path → bytes (as a latin1 string, so any byte difference shows). */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), readFileSync(full, 'latin1'));
  }
  return out;
}
