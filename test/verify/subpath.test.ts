import { describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, signet } from '../helpers/site.js';

describe('signet verify --domain on a site under a path', () => {
  const root = makeSite({
    'signet.config.yaml': MINIMAL_CONFIG.replace('https://test.example/', 'https://user.example/blog/'),
    'content/posts/a.md': '---\ntitle: A\ndate: 2026-01-01\n---\n\nA post.\n',
  });

  it('reads did:web:HOST:PATH from the folder\'s did.json and verifies every post', () => {
    expect(signet(['build'], root).status).toBe(0);
    const run = signet(['verify', 'dist', '--domain', 'user.example', '--json'], root);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/"status": ?"verified"/);
    expect(run.stdout).not.toMatch(/"status": ?"(?!verified)/);
  });

  it('refuses a did.json that belongs to another host', () => {
    const run = signet(['verify', 'dist', '--domain', 'other.example'], root);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/key document of did:web:user\.example:blog, not of a site on other\.example/);
  });
});
