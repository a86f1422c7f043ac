import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeSecretMultikey, encodeSecretMultikey, generateSeed } from '@signet/sign';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, signet, type ActionRun } from './runner.js';

interface Site {
  workspace: string;
  site: string;
  secret: string;
  config: string;
}

/** A site made by `signet init --yes`, as a fresh checkout sees it: no .signet/ folder, so no key file. */
function initSite(url = 'https://writer.example/'): Site {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'signet-workspace-'));
  const made = signet(['init', 'site', '--yes', '--url', url, '--author', 'Quill'], workspace);
  expect(made.status, made.stderr).toBe(0);
  const secret = /^\s+(z3u2\w+)$/m.exec(made.stdout)?.[1];
  expect(secret).toBeDefined();
  const site = path.join(workspace, 'site');
  rmSync(path.join(site, '.signet'), { recursive: true });
  return { workspace, site, secret: secret!, config: readFileSync(path.join(site, 'signet.config.yaml'), 'utf8') };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => path.join(dir, name)).filter((file) => statSync(file).isFile());
}

/** The secret as the Multikey text and as its seed in hex, base64 and base64url. */
function encodings(secret: string): { text: string[]; seed: Buffer } {
  const seed = Buffer.from(decodeSecretMultikey(secret));
  return { text: [secret, seed.toString('hex'), seed.toString('base64'), seed.toString('base64url')], seed };
}

function envelopeOf(html: string): { url: string; proof: { verificationMethod: string } } {
  const json = /<script type="application\/json" id="signed-envelope">([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!) as { url: string; proof: { verificationMethod: string } };
}

describe('the Action on a site made by `signet init`', () => {
  let site: Site;
  let run: ActionRun;

  beforeAll(() => {
    site = initSite();
    run = runAction({ workspace: site.workspace, inputs: { 'site-folder': 'site', 'signing-key': site.secret } });
  });

  it('runs the build and verify steps in order, and both succeed', () => {
    expect(run.steps.map((s) => s.state)).toEqual(['uses', 'install', 'uses', 'ran', 'uses', 'ran', 'ran', 'uses', 'uses', 'uses', 'ran', 'uses', 'ran', 'uses']); // the email and Webmention steps do nothing unless asked
    for (const step of run.steps.filter((s) => s.state === 'ran')) expect(step.status, step.stderr).toBe(0);
    expect(run.failed).toBe(false);
  });

  it('writes the site URL and the number of signed posts to the outputs', () => {
    expect(run.outputs).toEqual({ 'site-url': 'https://writer.example/', 'signed-posts': '1' });
    expect(run.steps.find((s) => s.step.id === 'build')!.outputs).toEqual({ dist: path.join(site.site, 'dist') });
  });

  it('builds a site signed with the registry key for its domain', () => {
    const registry = JSON.parse(readFileSync(path.join(site.site, 'signet.keys.json'), 'utf8')) as { current: string };
    const did = JSON.parse(readFileSync(path.join(site.site, 'dist/.well-known/did.json'), 'utf8')) as { id: string; assertionMethod: string[] };
    expect(did.id).toBe('did:web:writer.example');
    expect(did.assertionMethod).toContain(`did:web:writer.example#${registry.current}`);
    const envelope = envelopeOf(readFileSync(path.join(site.site, 'dist/posts/hello-world/index.html'), 'utf8'));
    expect(envelope.url).toBe('https://writer.example/posts/hello-world/');
    expect(envelope.proof.verificationMethod).toBe(`did:web:writer.example#${registry.current}`);
  });

  it('signs with the key from the environment, not from a key file', () => {
    expect(existsSync(path.join(site.site, '.signet/keys'))).toBe(false);
  });

  it('registers the key with ::add-mask:: and prints it nowhere else', () => {
    const { text, seed } = encodings(site.secret);
    expect(run.masks).toEqual(expect.arrayContaining(text));
    for (const line of run.logLines) for (const form of text) expect(line.includes(form), line).toBe(false);
    for (const file of run.runnerFiles) for (const form of text) expect(file.includes(form)).toBe(false);
    for (const file of files(path.join(site.site, 'dist'))) {
      const bytes = readFileSync(file);
      expect(bytes.includes(seed), file).toBe(false);
      for (const form of text) expect(bytes.includes(form), file).toBe(false);
    }
  });

  it('fails the verify step when a post in the built site was changed', () => {
    const inputs = { 'site-folder': 'site', 'signing-key': site.secret };
    const untouched = runAction({ workspace: site.workspace, inputs, only: ['verify'] });
    expect(untouched.failed, untouched.logLines.join('\n')).toBe(false);
    const page = path.join(site.site, 'dist/posts/hello-world/index.html');
    const html = readFileSync(page, 'utf8');
    const tampered = html.replace(/(id="signed-envelope">[\s\S]*?)The first post/, '$1The forged post');
    expect(tampered).not.toBe(html);
    writeFileSync(page, tampered);
    try {
      const again = runAction({ workspace: site.workspace, inputs, only: ['verify'] });
      const verify = again.steps.find((s) => s.step.id === 'verify')!;
      expect(verify.state).toBe('ran');
      expect(verify.status).not.toBe(0);
      expect(again.failed).toBe(true);
      expect(verify.outputs).toEqual({});
    } finally {
      writeFileSync(page, html);
    }
  });
});

describe('the Action with other inputs', () => {
  it('signs for base-url instead of the config url, and leaves the site files as committed', () => {
    const site = initSite();
    const before = files(site.site).map((file) => [file, readFileSync(file, 'utf8')]);
    const run = runAction({ workspace: site.workspace, inputs: { 'site-folder': 'site', 'signing-key': site.secret, 'base-url': 'https://other.example:8443' } });
    expect(run.failed, run.logLines.join('\n')).toBe(false);
    expect(run.outputs['site-url']).toBe('https://other.example:8443/');
    const did = JSON.parse(readFileSync(path.join(site.site, 'dist/.well-known/did.json'), 'utf8')) as { id: string };
    expect(did.id).toBe('did:web:other.example%3A8443');
    const envelope = envelopeOf(readFileSync(path.join(site.site, 'dist/posts/hello-world/index.html'), 'utf8'));
    expect(envelope.url).toBe('https://other.example:8443/posts/hello-world/');
    for (const [file, text] of before) expect(readFileSync(file!, 'utf8'), file).toBe(text);
  });

  it('with webmention, builds a tombstone for a post the restored ledger knows and sends after the deploy, the ledger kept in the site', () => {
    const site = initSite();
    const gone = 'https://other.example:8443/posts/gone-now/';
    // What the cache restore step would put back: a post that told a page, since deleted.
    const ledger = { version: 1, posts: { [gone]: { path: 'posts/gone-now/', digest: 'zOld', targets: {} } } };
    mkdirSync(path.join(site.site, '.signet/webmention'), { recursive: true });
    writeFileSync(path.join(site.site, '.signet/webmention/ledger.json'), JSON.stringify(ledger));
    const run = runAction({ workspace: site.workspace, inputs: { 'site-folder': 'site', 'signing-key': site.secret, 'base-url': 'https://other.example:8443', webmention: 'true' } });
    expect(run.failed, run.logLines.join('\n')).toBe(false);
    expect(readFileSync(path.join(site.site, 'dist/posts/gone-now/index.html'), 'utf8')).toContain('<h1>Deleted</h1>');
    const send = run.steps.find((s) => s.step.id === 'webmention')!;
    expect([send.state, send.status]).toEqual(['ran', 0]);
    expect(send.stdout).toMatch(/Webmentions: 0 sent, 0 targets without an endpoint, 0 failed \(1 post, 1 deleted post\)\./);
    const after = JSON.parse(readFileSync(path.join(site.site, '.signet/webmention/ledger.json'), 'utf8')) as { posts: Record<string, { deleted?: string }> };
    expect(after.posts[gone]?.deleted).toBeDefined();
    expect(existsSync(path.join(site.site, 'dist/.signet'))).toBe(false);
  });

  it('builds a site at the workspace root when site-folder is left at its default', () => {
    const site = initSite();
    const root = mkdtempSync(path.join(os.tmpdir(), 'signet-workspace-'));
    cpSync(site.site, root, { recursive: true });
    const run = runAction({ workspace: root, inputs: { 'signing-key': site.secret } });
    expect(run.failed, run.logLines.join('\n')).toBe(false);
    expect(existsSync(path.join(root, 'dist/.well-known/did.json'))).toBe(true);
    expect(run.outputs['signed-posts']).toBe('1');
  });

  it('stops before building when the signing key is empty, saying what to set', () => {
    const site = initSite();
    const run = runAction({ workspace: site.workspace, inputs: { 'site-folder': 'site', 'signing-key': '' } });
    const build = run.steps.find((s) => s.step.id === 'build')!;
    expect(build.status).not.toBe(0);
    expect(build.stdout).toMatch(/^::error::.*SIGNET_SIGNING_KEY/m);
    expect(run.steps.find((s) => s.step.id === 'verify')!.state).toBe('skipped');
    expect(existsSync(path.join(site.site, 'dist'))).toBe(false);
  });

  it('refuses a key that is not in the registry, without printing it', () => {
    const site = initSite();
    const stranger = encodeSecretMultikey(generateSeed());
    const run = runAction({ workspace: site.workspace, inputs: { 'site-folder': 'site', 'signing-key': stranger } });
    const build = run.steps.find((s) => s.step.id === 'build')!;
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain('is not listed in signet.keys.json');
    for (const form of encodings(stranger).text) expect(run.logLines.some((line) => line.includes(form))).toBe(false);
    expect(existsSync(path.join(site.site, 'dist'))).toBe(false);
  });
});
