import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSite, readTree, signet } from '../helpers/site.js';

// Names no site would write, so finding one in dist/ can only mean the machine's identity leaked.
const GIT_NAME = 'Quillon Vexbridge';
const GIT_EMAIL = 'quillon.vexbridge@identity-leak.test';
const USER = 'qvexbridge';

describe('a pen name stays a pen name', () => {
  it('neither git\'s nor the machine\'s user name or email reaches dist/ or the build output', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'signet-home-'));
    const gitConfig = path.join(home, '.gitconfig');
    writeFileSync(gitConfig, `[user]\n\tname = ${GIT_NAME}\n\temail = ${GIT_EMAIL}\n`);
    const env = { HOME: home, GIT_CONFIG_GLOBAL: gitConfig, USER, LOGNAME: USER, GIT_AUTHOR_NAME: GIT_NAME, GIT_AUTHOR_EMAIL: GIT_EMAIL, GIT_COMMITTER_NAME: GIT_NAME, GIT_COMMITTER_EMAIL: GIT_EMAIL };
    const root = makeSite({
      'signet.config.yaml': 'title: Field Notes\nurl: https://field-notes.example/\nauthor: Wren\n',
      'content/posts/hello.md': '---\ntitle: Hello\ndate: 2026-01-01\ntags: [meta]\n---\n\nHello.\n',
      'content/about.md': '---\ntitle: About\n---\n\nWritten by Wren.\n',
    });
    // A site in a git repository with commits by that identity, as most are.
    execFileSync('git', ['init', '-q'], { cwd: root, env: { ...process.env, ...env } });
    execFileSync('git', ['add', '-A'], { cwd: root, env: { ...process.env, ...env } });
    execFileSync('git', ['commit', '-qm', 'first'], { cwd: root, env: { ...process.env, ...env } });
    expect(execFileSync('git', ['log', '-1', '--format=%an <%ae>'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' }).trim()).toBe(`${GIT_NAME} <${GIT_EMAIL}>`);

    const build = signet(['build'], root, env);
    expect(build.status, build.stderr).toBe(0);
    const files = readTree(path.join(root, 'dist'));
    expect(files.size).toBeGreaterThan(5);
    const needles = [GIT_NAME, GIT_EMAIL, USER, home];
    const leaks: string[] = [];
    for (const needle of needles) {
      if ((build.stdout + build.stderr).includes(needle)) leaks.push(`build output contains ${needle}`);
      for (const [name, bytes] of files) if (name.includes(needle) || bytes.includes(needle)) leaks.push(`dist/${name} contains ${needle}`);
    }
    expect(leaks).toEqual([]);
    // The pen name is what is published.
    expect(files.get('posts/hello/index.html')?.toString() ?? files.get('hello/index.html')?.toString() ?? '').toContain('Wren');
  });

  it('warns about an email address or phone number in content or config, except a mailto: link and an allowed one', () => {
    const root = makeSite({
      'signet.config.yaml': 'title: Field Notes\nurl: https://field-notes.example/\nauthor: Wren\ndescription: Write to wren.private@mail.example\n',
      'content/posts/hello.md': [
        '---', 'title: Hello', 'date: 2026-01-01', '---', '',
        'Mail [me](mailto:letters@field-notes.example) at letters@field-notes.example.',
        'Follow @wren@social.example and see https://cdn.example/photo@2x.png.',
        'Or call +44 20 7946 0958 any time.',
        'My other address is home.me@mail.example.', '',
      ].join('\n'),
    });
    const build = signet(['build'], root);
    expect(build.status, build.stderr).toBe(0);
    const out = build.stdout + build.stderr;
    expect(out).toMatch(/signet\.config\.yaml:4\S*.*wren\.private@mail\.example/);
    expect(out).toMatch(/content\/posts\/hello\.md:8\S*.*\+44 20 7946 0958/);
    expect(out).toMatch(/content\/posts\/hello\.md:9\S*.*home\.me@mail\.example/);
    // Written on purpose, a handle and a file name are not contact details.
    expect(out).not.toContain('letters@field-notes.example looks like');
    expect(out).not.toContain('photo@2x');
    expect(out).not.toMatch(/wren@social\.example looks like/);

    writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Field Notes\nurl: https://field-notes.example/\nauthor: Wren\ndescription: Write to wren.private@mail.example\npublicContacts: [wren.private@mail.example, "+44 (20) 7946-0958", HOME.ME@mail.example]\n');
    const allowed = signet(['build'], root);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout + allowed.stderr).not.toMatch(/looks like an email address/);
  });
});
