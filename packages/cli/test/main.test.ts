import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, help, main, version, type Io } from '../src/index.js';

function capture(cwd = process.cwd(), env: Record<string, string | undefined> = {}): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line), cwd, env };
}

function site(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signet-cli-'));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), contents);
  }
  return root;
}

describe('signet (main)', () => {
  it('exports exactly its API', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual(['EXIT', 'help', 'main', 'processIo', 'registerCommand', 'version']);
  });

  it('help lists every command with its usage', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(EXIT.ok);
    for (const name of ['build', 'new', 'keys', 'init', 'verify']) expect(io.stdout.join('\n')).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(help()).toBe(io.stdout[0]);
  });

  it('no command prints help and exits 2', async () => {
    const io = capture();
    expect(await main([], io)).toBe(EXIT.usage);
    expect(io.stdout[0]).toMatch(/Usage: signet <command>/);
  });

  it('version is the package version', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(EXIT.ok);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(io.stdout).toEqual([pkg.version]);
    expect(version()).toBe(pkg.version);
  });

  it('an unknown command exits 2 and names it', async () => {
    const io = capture();
    expect(await main(['biuld'], io)).toBe(EXIT.usage);
    expect(io.stderr.join('\n')).toMatch(/unknown command "biuld"/);
  });

  it('a command\'s --help prints its usage', async () => {
    const io = capture();
    expect(await main(['build', '--help'], io)).toBe(EXIT.ok);
    expect(io.stdout[0]).toMatch(/^Usage: signet build /);
  });

  it('bad input exits 1 with file:line: message and the hint', async () => {
    const root = site({ 'signet.config.yaml': 'title: T\nurl: not a url\n' });
    const io = capture(root);
    expect(await main(['build'], io)).toBe(EXIT.failed);
    expect(io.stderr.join('\n')).toMatch(/^error: .*signet\.config\.yaml:2:1: `url` must be an absolute URL, not "not a url"\n  For example `url: https:\/\/example\.com\/`\.$/);
  });

  it('builds a site and prints one summary line', async () => {
    const root = site({ 'signet.config.yaml': 'title: T\nurl: https://t.example/\n', 'content/posts/a.md': '---\ntitle: A\ndate: 2026-01-01\n---\nA\n' });
    const io = capture(root);
    expect(await main(['build'], io)).toBe(EXIT.ok);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(/^Built 1 post and 0 pages, 3 feeds, \d+ files in \d+ ms → dist\/$/);
  });
});
