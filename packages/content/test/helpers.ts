import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { isSignetError, validateConfig, type SignetError, type SiteConfig } from '@signet/config';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A site folder on disk with the given files (paths relative to the site root). */
export function makeSite(files: Record<string, string>, config: Record<string, unknown> = {}): SiteConfig {
  const root = mkdtempSync(path.join(tmpdir(), 'signet-content-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return validateConfig({ title: 'Test site', url: 'https://example.com/', ...config }, root, undefined);
}

/** The SignetError `run` throws; fails the test when it throws something else or nothing. */
export function errorOf(run: () => unknown): SignetError {
  try {
    run();
  } catch (error) {
    if (isSignetError(error)) return error;
    throw error;
  }
  throw new Error('expected a SignetError');
}

export function post(front: string, body = 'Text.\n'): string {
  return `---\n${front}\n---\n${body}`;
}
