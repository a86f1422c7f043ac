import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, SIGNET, signet } from '../helpers/site.js';

const SITE = { 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/hello.md': '---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello.\n' };

describe('mistakes on the command line', () => {
  it('a misspelt command gets a did-you-mean, not the whole help', () => {
    const run = signet(['buidl'], os.tmpdir());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "buidl" — did you mean `build`?');
    expect(run.stderr).toContain('signet --help');
    expect(run.stderr).not.toContain('Usage: signet <command>');
    expect(signet(['zzzzzz'], os.tmpdir()).stderr).not.toContain('did you mean');
  });

  it('a misspelt flag gets a did-you-mean and the command\'s usage', () => {
    const root = makeSite(SITE);
    const run = signet(['build', '--draft'], root);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown option --draft — did you mean --drafts?');
    expect(run.stderr).toContain('signet build [--drafts]');
    expect(signet(['dev', '--prot', '0'], root).stderr).toContain('did you mean --port?');
    expect(signet(['keys', 'revok', 'x'], root).stderr).toContain('unknown keys action "revok" — did you mean `revoke`?');
  });

  it('`signet <command> --help` lists that command\'s flags and an example', () => {
    for (const [command, flag, example] of [['build', '--drafts', 'signet build --drafts'], ['keys', '--force', 'signet keys revoke'], ['init', '-y, --yes', 'signet init my-site']] as const) {
      const run = signet([command, '--help'], os.tmpdir());
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: signet ${command} `));
      expect(run.stdout).toContain(`\n  ${flag}`);
      expect(run.stdout).toMatch(/\nExamples:\n {2}signet /);
      expect(run.stdout).toContain(example);
    }
  });
});

describe('signet build --timings', () => {
  it('prints each step of the build with its time, and without the flag prints none', () => {
    const root = makeSite(SITE);
    const timed = signet(['build', '--timings'], root);
    expect(timed.status, timed.stderr).toBe(0);
    const line = timed.stdout.split('\n').find((text) => text.startsWith('Steps: '));
    expect(line).toBeDefined();
    // The steps in the order they ran: reading the inputs' times first, writing the folder last.
    const names = [...line!.matchAll(/(?:^Steps: |, )([a-z ]+) \d+ ms/g)].map((m) => m[1]);
    expect(names[0]).toBe('inputs');
    expect(names).toEqual(expect.arrayContaining(['content', 'listings', 'pages', 'feeds']));
    expect(names.indexOf('content')).toBeLessThan(names.indexOf('pages'));
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    expect(signet(['build'], root).stdout).not.toContain('Steps:');
  });
});

describe('outside a site folder', () => {
  it('`signet dev` stops with the error `signet build` gives, instead of waiting', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'signet-empty-'));
    try {
      const build = signet(['build'], empty);
      expect(build.status).toBe(1);
      expect(build.stderr).toContain(`no signet.config.yaml in ${empty}`);
      const child = spawn(process.execPath, [SIGNET, 'dev', '--port', '0'], { cwd: empty });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearTimeout(timer);
      expect(code).toBe(1);
      expect(stderr).toBe(build.stderr);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('signet keys', () => {
  const keyId = (stdout: string) => /(?:New signing key|Added key) (\S+)/.exec(stdout)![1]!;
  const registry = (root: string) => readFileSync(path.join(root, 'signet.keys.json'), 'utf8');

  it('refuses to move an existing revocation unless --force, and says what it is', () => {
    const root = makeSite(SITE);
    const first = keyId(signet(['keys', 'generate'], root).stdout);
    signet(['keys', 'rotate'], root);
    expect(signet(['keys', 'revoke', first, '--at', '2026-01-01'], root).status).toBe(0);
    const before = registry(root);
    for (const args of [[], ['--at', '2030-01-01']]) {
      const again = signet(['keys', 'revoke', first, ...args], root);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain(`key "${first}" is already revoked from 2026-01-01T00:00:00Z; nothing changed`);
      expect(again.stderr).toContain('--force');
      expect(registry(root)).toBe(before);
    }
    const forced = signet(['keys', 'revoke', first, '--at', '2025-06-01', '--force'], root);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`Revoked ${first} from 2025-06-01T00:00:00Z (it was revoked from 2026-01-01T00:00:00Z)`);
  });

  it('revoking the key in use warns that the next build needs a new key, and names the command', () => {
    const root = makeSite(SITE);
    const first = keyId(signet(['keys', 'generate'], root).stdout);
    const run = signet(['keys', 'revoke', first], root);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`warning: ${first} was the key in use: the next build has no key to sign with. Run \`signet keys rotate\``);
    expect(signet(['build'], root).status).toBe(1);
    expect(signet(['keys', 'rotate'], root).status).toBe(0);
    expect(signet(['build'], root).status).toBe(0);
  });

  it('a secret the registry does not list: the error names `signet keys add`, which fixes it', () => {
    const root = makeSite(SITE);
    signet(['keys', 'generate'], root);
    const elsewhere = makeSite(SITE);
    const secret = /^\s+(z3u2\S+)$/m.exec(signet(['keys', 'generate'], elsewhere).stdout)![1]!;
    const refused = signet(['build'], root, { SIGNET_SIGNING_KEY: secret });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('signet keys add');
    expect(refused.stderr).not.toContain('keys rotate');
    const added = signet(['keys', 'add'], root, { SIGNET_SIGNING_KEY: secret });
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).not.toContain(secret);
    expect(signet(['build'], root, { SIGNET_SIGNING_KEY: secret }).status).toBe(0);
    // Piped on standard input instead: the same key is now listed, and said to be.
    const twice = signet(['keys', 'add'], root, {}, `${secret}\n`);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain(`the key in standard input is already listed in signet.keys.json as "${keyId(added.stdout)}"`);
  });
});
