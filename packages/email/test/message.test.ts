import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterEach, describe, expect, it } from 'vitest';
import { checkUnsubscribe, emailDoctor, previewPost, sendPosts, type TxtResolver } from '../src/index.js';
import { cleanup, makeSite, post, startServer, writePost, type TestServer } from './helpers.js';
import { readFileSync } from 'node:fs';

const NOW = new Date('2026-06-01T12:00:00Z');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  cleanup();
});

const BODY = [
  'A paragraph with [a link](/walks/one/) and ![the river](/img/river.jpg).',
  '',
  '## Later',
  '',
  'Again [a link](/walks/one/), then [elsewhere](https://elsewhere.example/x).',
  '',
].join('\n');

describe('the letter', () => {
  it('has a readable text part with numbered links, and an inlined HTML part with absolute URLs and nothing remote', async () => {
    const { root } = makeSite({ 'posts/walk.md': post('title: A walk\ndate: 2026-05-30', BODY) });
    const [file] = await previewPost({ root, env: {}, now: NOW });
    const { simpleParser } = await import('mailparser');
    const mail = await simpleParser(readFileSync(file!));
    const text = mail.text!;
    expect(text.startsWith('A walk\n')).toBe(true);
    expect(text).toContain('A paragraph with a link [1] and [image: the river].');
    expect(text).toContain('Again a link [1], then elsewhere [2].');
    expect(text).toContain('Links:\n[1] https://notes.example/walks/one/\n[2] https://elsewhere.example/x');
    expect(text).toContain('https://notes.example/posts/walk/');
    expect(text).not.toMatch(/<[a-z/][^>]*>|&[a-z]+;/);
    const html = mail.html as string;
    expect(html).not.toContain('<style');
    expect(html).toMatch(/<h1 style="[^"]*font-size: 26px/);
    expect(html).toContain('src="https://notes.example/img/river.jpg"');
    expect(html).toContain('width="600"');
    expect(html).not.toMatch(/@import|@font-face|fonts\.googleapis|<script|<link /i);
    // Every URL in the HTML is on the site or the links the post itself made.
    const hosts = new Set([...html.matchAll(/(?:href|src)="(https?:[^"]+)"/g)].map((m) => new URL(m[1]!).host));
    expect(hosts).toEqual(new Set(['notes.example', 'elsewhere.example']));
  });

  it('says its own words in the site\'s language, the config\'s strings: over them', async () => {
    const { root } = makeSite({ 'posts/walk.md': post('title: Ein Spaziergang\ndate: 2026-05-30') }, 'language: de\nstrings:\n  unsubscribe: Austragen\n');
    const [file] = await previewPost({ root, env: {}, now: NOW });
    const { simpleParser } = await import('mailparser');
    const mail = await simpleParser(readFileSync(file!));
    expect(mail.text).toContain('Im Web lesen, wo die Signatur geprüft werden kann:\nhttps://notes.example/posts/walk/');
    expect(mail.text).toMatch(/Austragen: mailto:/);
    const html = mail.html as string;
    expect(html).toContain('Sie erhalten diese Briefe als Abonnent von <a href="https://notes.example/"');
    expect(html).toMatch(/>Austragen<\/a>/);
    expect(`${mail.text}${html}`).not.toMatch(/Read it on the web|You get these letters|Unsubscribe/);
  });

  it('uses a site layout named email instead of the theme one', async () => {
    const { root } = makeSite({ 'posts/walk.md': post('title: A walk\ndate: 2026-05-30') });
    writePost(root, '../layouts/email.liquid', '<html><body><p class="mine">{{ page.title }}</p>{{ page.content | raw }}<a href="{{ email.unsubscribe }}">leave</a></body></html>');
    const [file] = await previewPost({ root, env: {}, now: NOW });
    expect(readFileSync(file!, 'utf8')).toContain('class=3D"mine"');
  });

  it('signs with DKIM for the From domain, covering both List headers, and carries a one-click unsubscribe URL', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { root, list } = makeSite({}, '  unsubscribeUrl: https://notes.example/unsubscribe\n  dkimSelector: s1\n');
    const smtp = await startServer();
    servers.push(smtp);
    const env = { SIGNET_SMTP_URL: smtp.url, SIGNET_UNSUBSCRIBE_SECRET: 'a long random secret', SIGNET_DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    await sendPosts({ root, subscribers: list, env, now: NOW });
    writePost(root, 'posts/new.md', post('title: New\ndate: 2026-05-30'));
    expect(await sendPosts({ root, subscribers: list, env, now: NOW })).toMatchObject({ sent: 3 });
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const resolver = async (name: string) => {
      if (name === 's1._domainkey.notes.example') return [[record]];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    for (const { raw, mail } of smtp.received) {
      const result = await dkimVerify(raw, { resolver });
      const signature = result.results[0]!;
      expect(signature.status.result).toBe('pass');
      expect(signature.signingDomain).toBe('notes.example');
      const signed = signature.signingHeaders.keys.toLowerCase().split(': ').join(':').split(':');
      expect(signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'from']));
      expect(String(raw)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      const header = /^List-Unsubscribe: (.*)$/m.exec(String(raw))![1]!;
      const url = new URL(/<(https:[^>]+)>/.exec(header)![1]!);
      expect(header.startsWith('<mailto:letters@notes.example?subject=unsubscribe>, <https://notes.example/unsubscribe?u=')).toBe(true);
      const to = checkUnsubscribe('a long random secret', 'posts.notes.example', url.searchParams.get('u')!, url.searchParams.get('t')!);
      expect(to).toBe(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address!.toLowerCase() : undefined);
      expect(checkUnsubscribe('another secret', 'posts.notes.example', url.searchParams.get('u')!, url.searchParams.get('t')!)).toBeUndefined();
      expect(mail.html).toContain(url.href.replaceAll('&', '&amp;'));
    }
  });

  it('refuses an unsubscribe endpoint without its secret, and a DKIM key without a selector', async () => {
    const { root, list } = makeSite({}, '  unsubscribeUrl: https://notes.example/unsubscribe\n');
    await expect(sendPosts({ root, subscribers: list, env: { SIGNET_SMTP_URL: 'smtp://127.0.0.1:1' } })).rejects.toThrow(/SIGNET_UNSUBSCRIBE_SECRET is not/);
    const other = makeSite({});
    await expect(sendPosts({ root: other.root, subscribers: other.list, env: { SIGNET_SMTP_URL: 'smtp://127.0.0.1:1', SIGNET_DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' } })).rejects.toThrow(/no DKIM selector/);
  });
});

describe('email doctor', () => {
  const resolverOf = (records: Record<string, string[]>, failWith = 'ENOTFOUND'): TxtResolver => ({
    resolveTxt: async (name) => {
      if (records[name]) return records[name]!.map((r) => [r]);
      throw Object.assign(new Error(failWith), { code: failWith });
    },
  });

  it('says which of SPF, DKIM and DMARC are there and what is missing', async () => {
    const { root } = makeSite({}, '  dkimSelector: s1\n');
    const checks = await emailDoctor({ root, env: {}, resolver: resolverOf({ 'notes.example': ['v=spf1 include:_spf.mail.example -all'], 's1._domainkey.notes.example': [`v=DKIM1; k=rsa; p=${'A'.repeat(60)}`] }) });
    expect(checks.map((c) => [c.name, c.result])).toEqual([['SPF', 'ok'], ['DKIM', 'ok'], ['DMARC', 'missing'], ['One-click unsubscribe', 'missing']]);
    expect(checks[2]!.detail).toContain('v=DMARC1; p=none');
  });

  it('offline, says it could not check instead of guessing', async () => {
    const { root } = makeSite({}, '  dkimSelector: s1\n');
    const checks = await emailDoctor({ root, env: {}, resolver: resolverOf({}, 'ECONNREFUSED') });
    expect(checks.slice(0, 3).map((c) => c.result)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(checks[0]!.detail).toContain('could not look up');
    const slow = await emailDoctor({ root, env: {}, timeoutMs: 20, resolver: { resolveTxt: () => new Promise(() => {}) } });
    expect(slow[0]!.result).toBe('unknown');
  });
});
