import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@signet/config';
import { describe, expect, it } from 'vitest';
import { init } from '../../packages/cli/src/commands/init.js';
import { signet } from './runner.js';

const temp = (): string => mkdtempSync(path.join(os.tmpdir(), 'signet-init-'));

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(path.join(dir, name)).isFile()).sort();
}

describe('signet init', () => {
  it('with --yes writes the config, two pages, .gitignore, the workflow and the public key registry', () => {
    const folder = temp();
    const result = signet(['init', 'blog', '--yes'], folder);
    expect(result.status, result.stderr).toBe(0);
    const site = path.join(folder, 'blog');
    const registry = JSON.parse(readFileSync(path.join(site, 'signet.keys.json'), 'utf8')) as { current: string; keys: { id: string }[] };
    expect(registry.keys.map((k) => k.id)).toEqual([registry.current]);
    expect(tree(site)).toEqual([
      '.github/workflows/publish.yml', '.gitignore', '.signet/.gitignore', `.signet/keys/${registry.current}.secret`,
      'content/about.md', 'content/posts/hello-world.md', 'signet.config.yaml', 'signet.keys.json',
    ].sort());
    const config = loadConfig(site);
    expect({ title: config.title, url: config.url, author: config.author }).toEqual({ title: 'My site', url: 'https://example.com/', author: { name: 'Anonymous' } });
    expect(readFileSync(path.join(site, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['dist/', 'node_modules/', '.signet/']));
  });

  it('prints the secret once, keeps it in a 0600 file, and git never sees it', () => {
    const folder = temp();
    const result = signet(['init', '--yes'], folder);
    const secrets = result.stdout.match(/z3u2\w+/g) ?? [];
    expect(secrets).toHaveLength(1);
    const [file] = readdirSync(path.join(folder, '.signet/keys'));
    const stored = path.join(folder, '.signet/keys', file!);
    expect(readFileSync(stored, 'utf8').trim()).toBe(secrets[0]);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: folder, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    expect(git('add', '.').status).toBe(0);
    const staged = git('ls-files').stdout.split('\n').filter(Boolean).sort();
    expect(staged).toEqual(['.github/workflows/publish.yml', '.gitignore', 'content/about.md', 'content/posts/hello-world.md', 'signet.config.yaml', 'signet.keys.json']);
    for (const name of staged) expect(readFileSync(path.join(folder, name), 'utf8')).not.toContain(secrets[0]);
  });

  it('takes the title, address and pen name from flags, quoting whatever they hold', () => {
    const folder = temp();
    const title = 'Notes: "field" & #1';
    expect(signet(['init', '--yes', '--title', title, '--url', 'notes.example/blog', '--author', 'Wren'], folder).status).toBe(0);
    const config = loadConfig(folder);
    expect(config.title).toBe(title);
    expect(config.url).toBe('https://notes.example/blog/');
    expect(config.author).toEqual({ name: 'Wren' });
    expect(readFileSync(path.join(folder, 'content/about.md'), 'utf8')).toContain('written by Wren');
  });

  it('asks for a title, an address and a pen name, and never for a legal name or an email', async () => {
    const folder = temp();
    const questions: string[] = [];
    const answers = ['Field notes', 'https://field.example', ''];
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line), cwd: folder, env: {} };
    const code = await init([], io, async (question) => {
      questions.push(question);
      return answers[questions.length - 1]!;
    });
    expect(code).toBe(0);
    // Exactly three questions: nothing else, such as an email, is asked for.
    expect(questions).toHaveLength(3);
    expect(questions[0]).toMatch(/^Site title/);
    expect(questions[1]).toMatch(/^Address/);
    expect(questions[2]).toMatch(/^Pen name/);
    const config = loadConfig(folder);
    expect(config.title).toBe('Field notes');
    expect(config.url).toBe('https://field.example/');
    expect(config.author).toEqual({ name: 'Anonymous' });
  });

  it('reads the answers piped on standard input, one line per question, as from a terminal', () => {
    const folder = temp();
    const result = signet(['init'], folder, {}, 'Field notes\nfield.example/blog\nWren\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Site title (My site): Field notes');
    const config = loadConfig(folder);
    expect({ title: config.title, url: config.url, author: config.author }).toEqual({ title: 'Field notes', url: 'https://field.example/blog/', author: { name: 'Wren' } });
  });

  it('asks only what no flag gave, and an empty line takes that default', () => {
    const folder = temp();
    expect(signet(['init', '--title', 'Notes'], folder, {}, '\r\nQuill\r\n').status).toBe(0);
    const config = loadConfig(folder);
    expect({ title: config.title, url: config.url, author: config.author }).toEqual({ title: 'Notes', url: 'https://example.com/', author: { name: 'Quill' } });
  });

  it('never takes defaults silently: input that ends early stops it, naming --yes and the flags, and writes nothing', () => {
    for (const input of ['', 'Field notes\n']) {
      const folder = temp();
      const result = signet(['init'], folder, {}, input);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/standard input ended before an answer to "(Site title|Address readers will use)"; nothing was written/);
      for (const flag of ['--yes', '--title', '--url', '--author']) expect(result.stderr).toContain(flag);
      expect(tree(folder)).toEqual([]);
    }
  });

  it('refuses a folder that already holds any file it would write, and writes nothing', () => {
    for (const existing of ['signet.config.yml', '.gitignore', 'content/about.md', '.github/workflows/publish.yml', 'signet.keys.json']) {
      const folder = temp();
      mkdirSync(path.dirname(path.join(folder, existing)), { recursive: true });
      writeFileSync(path.join(folder, existing), 'mine\n');
      const result = signet(['init', '--yes'], folder);
      expect(result.status, existing).toBe(1);
      expect(result.stderr).toContain(existing);
      expect(result.stderr).toContain('never overwrites');
      expect(readFileSync(path.join(folder, existing), 'utf8')).toBe('mine\n');
      expect(tree(folder)).toEqual([existing]);
    }
  });

  it('starts a site in a folder that holds other files, such as a README', () => {
    const folder = temp();
    writeFileSync(path.join(folder, 'README.md'), '# My notes\n');
    expect(signet(['init', '--yes'], folder).status).toBe(0);
    expect(readFileSync(path.join(folder, 'README.md'), 'utf8')).toBe('# My notes\n');
  });

  it('names the problem when the folder given is a file', () => {
    const folder = temp();
    writeFileSync(path.join(folder, 'notes'), 'mine\n');
    const result = signet(['init', 'notes', '--yes'], folder);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('notes is a file, not a folder');
    expect(tree(folder)).toEqual(['notes']);
  });

  it('rejects an address that is not http(s), before writing anything', () => {
    const folder = temp();
    const result = signet(['init', '--yes', '--url', 'ftp://files.example/'], folder);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('must start with https:// or http://');
    expect(tree(folder)).toEqual([]);
  });
});
