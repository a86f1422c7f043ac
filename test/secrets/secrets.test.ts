import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeSecretMultikey } from '@signet/sign';
import { describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, readTree, REPO, signet, writeFiles } from '../helpers/site.js';

const site = () => makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/hello.md': '---\ntitle: Hello\ndate: 2026-01-01\n---\n\nHello.\n' });

/** Every way a 32-byte secret could be written down. */
function encodings(secret: string): { name: string; bytes: Buffer }[] {
  const seed = Buffer.from(decodeSecretMultikey(secret));
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const texts = {
    multikey: secret,
    'multikey without z': secret.slice(1),
    hex: seed.toString('hex'),
    HEX: seed.toString('hex').toUpperCase(),
    base64: seed.toString('base64'),
    'base64 unpadded': seed.toString('base64').replace(/=+$/, ''),
    base64url: seed.toString('base64url'),
    'pkcs8 base64': pkcs8.toString('base64'),
  };
  return [
    ...Object.entries(texts).map(([name, text]) => ({ name, bytes: Buffer.from(text) })),
    { name: 'raw bytes', bytes: seed },
    { name: 'pkcs8 DER', bytes: pkcs8 },
  ];
}

function scan(label: string, haystack: Buffer, secret: string): string[] {
  return encodings(secret).filter(({ bytes }) => haystack.includes(bytes)).map(({ name }) => `${label} contains the secret as ${name}`);
}

describe('secret keys never leak', () => {
  it('with a key made by `signet keys generate`: not in dist/, not in build output, not tracked by git', () => {
    const root = site();
    execFileSync('git', ['init', '-q'], { cwd: root });
    const made = signet(['keys', 'generate'], root);
    expect(made.status, made.stderr).toBe(0);
    const secret = /^\s+(z3u2\S+)$/m.exec(made.stdout)?.[1];
    expect(secret).toBeDefined();
    const secretFile = path.join(root, '.signet/keys', `${/New signing key (\S+)/.exec(made.stdout)![1]}.secret`);
    expect(readFileSync(secretFile, 'utf8').trim()).toBe(secret);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    // The scanner finds the secret wherever it is written in any of its encodings.
    for (const { name, bytes } of encodings(secret!)) expect(scan(name, Buffer.concat([Buffer.from('x'), bytes, Buffer.from('y')]), secret!)).not.toEqual([]);

    const build = signet(['build'], root);
    expect(build.status, build.stderr).toBe(0);
    const leaks = scan('build output', Buffer.from(build.stdout + build.stderr), secret!);
    for (const [name, bytes] of readTree(path.join(root, 'dist'))) leaks.push(...scan(`dist/${name}`, bytes, secret!));
    expect(leaks).toEqual([]);

    execFileSync('git', ['add', '-A'], { cwd: root });
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
    expect(tracked).toContain('signet.keys.json');
    expect(tracked.filter((file) => file.startsWith('.signet/'))).toEqual([]);
    for (const file of tracked.filter(Boolean)) expect(scan(file, readFileSync(path.join(root, file)), secret!)).toEqual([]);
  });

  it('with the key in SIGNET_SIGNING_KEY: not in dist/ or build output', () => {
    const root = site();
    const made = signet(['keys', 'generate'], root);
    const secret = /^\s+(z3u2\S+)$/m.exec(made.stdout)![1]!;
    // Only the environment holds the secret now.
    execFileSync('rm', ['-rf', path.join(root, '.signet')]);
    const build = signet(['build'], root, { SIGNET_SIGNING_KEY: secret });
    expect(build.status, build.stderr).toBe(0);
    const leaks = scan('build output', Buffer.from(build.stdout + build.stderr), secret);
    for (const [name, bytes] of readTree(path.join(root, 'dist'))) leaks.push(...scan(`dist/${name}`, bytes, secret));
    expect(leaks).toEqual([]);
  });

  it('no symbolic link or config folder publishes the key folder: each route is refused and dist/ never holds the secret', () => {
    const root = site();
    const made = signet(['keys', 'generate'], root);
    const secret = /^\s+(z3u2\S+)$/m.exec(made.stdout)![1]!;
    const keyFile = `.signet/keys/${/New signing key (\S+)/.exec(made.stdout)![1]}.secret`;
    const config = (dirs: string) => writeFileSync(path.join(root, 'signet.config.yaml'), `${MINIMAL_CONFIG}dirs:\n${dirs}`);
    const routes: { name: string; make: () => void; undo: () => void }[] = [
      { name: 'static/ a link to .signet/keys', make: () => symlinkSync('.signet/keys', path.join(root, 'static')), undo: () => rmSync(path.join(root, 'static')) },
      { name: 'a link in static/ to the key folder', make: () => { writeFiles(root, { 'static/robots-extra.txt': 'x' }); symlinkSync('../.signet/keys', path.join(root, 'static/keys')); }, undo: () => rmSync(path.join(root, 'static'), { recursive: true }) },
      { name: 'a link in static/ to .signet/', make: () => { writeFiles(root, { 'static/robots-extra.txt': 'x' }); symlinkSync('../.signet', path.join(root, 'static/s')); }, undo: () => rmSync(path.join(root, 'static'), { recursive: true }) },
      { name: 'a link in content/ to the key file', make: () => symlinkSync(`../../${keyFile}`, path.join(root, 'content/posts/key.txt')), undo: () => rmSync(path.join(root, 'content/posts/key.txt')) },
      { name: 'a Markdown link in content/ to the key file', make: () => symlinkSync(`../../${keyFile}`, path.join(root, 'content/posts/key.md')), undo: () => rmSync(path.join(root, 'content/posts/key.md')) },
      { name: 'dirs.static: .signet', make: () => config('  static: .signet\n'), undo: () => config('') },
      { name: 'dirs.static: .signet/keys', make: () => config('  static: .signet/keys\n'), undo: () => config('') },
      { name: 'dirs.content: .signet/keys', make: () => config('  content: .signet/keys\n'), undo: () => config('') },
      { name: 'dirs.static: a link to .signet/keys', make: () => { symlinkSync('.signet/keys', path.join(root, 'public')); config('  static: public\n'); }, undo: () => { rmSync(path.join(root, 'public')); config(''); } },
    ];
    expect(signet(['build'], root).status).toBe(0);
    for (const route of routes) {
      route.make();
      const build = signet(['build'], root);
      expect(build.status, route.name).toBe(1);
      expect(build.stderr, route.name).toMatch(/\.signet\/.*secret signing keys/);
      expect(build.stderr, route.name).not.toMatch(/^\s+at /m);
      const leaks = scan(`${route.name}: build output`, Buffer.from(build.stdout + build.stderr), secret);
      for (const [name, bytes] of readTree(path.join(root, 'dist'))) leaks.push(...scan(`${route.name}: dist/${name}`, bytes, secret));
      expect(leaks).toEqual([]);
      route.undo();
      expect(signet(['build'], root).status, `after ${route.name}`).toBe(0);
    }
  });

  it('a malformed SIGNET_SIGNING_KEY: says which and what is wrong, exits non-zero, leaves dist/ alone, never echoes it', () => {
    const root = site();
    signet(['keys', 'generate'], root);
    expect(signet(['build'], root).status).toBe(0);
    const before = readTree(path.join(root, 'dist'));
    const bad = 'z3u2NotARealKeyButLongEnoughToLookLikeOne';
    const run = signet(['build'], root, { SIGNET_SIGNING_KEY: bad });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/SIGNET_SIGNING_KEY does not hold a valid secret key/);
    expect(run.stderr).not.toContain(bad);
    const after = readTree(path.join(root, 'dist'));
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  });

  it('a secret whose public key is not in the registry is refused', () => {
    const a = site();
    const b = site();
    signet(['keys', 'generate'], a);
    const other = /^\s+(z3u2\S+)$/m.exec(signet(['keys', 'generate'], b).stdout)![1]!;
    const run = signet(['build'], a, { SIGNET_SIGNING_KEY: other });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not listed in signet\.keys\.json/);
  });

  it('a revoked key is refused', () => {
    const root = site();
    const made = signet(['keys', 'generate'], root);
    const id = /New signing key (\S+)/.exec(made.stdout)![1]!;
    const secret = /^\s+(z3u2\S+)$/m.exec(made.stdout)![1]!;
    expect(signet(['keys', 'revoke', id], root).status).toBe(0);
    const run = signet(['build'], root, { SIGNET_SIGNING_KEY: secret });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/was revoked/);
  });

  it('the repository tracks no secret key files', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).split('\n');
    expect(tracked.filter((file) => /(^|\/)\.signet\/|\.secret$/.test(file))).toEqual([]);
  });
});
