import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeSecretMultikey } from '@signet/sign';
import { describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, readTree, REPO, signet } from '../helpers/site.js';

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
