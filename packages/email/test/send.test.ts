import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSiteToDisk } from '@signet/site';
import { emailStatus, sendPosts, type SendOptions } from '../src/index.js';
import { cleanup, makeSite, post, startServer, writePost, type TestServer } from './helpers.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  cleanup();
});

async function server(): Promise<TestServer> {
  const s = await startServer();
  servers.push(s);
  return s;
}

function send(root: string, list: string, smtp: TestServer, more: Partial<SendOptions> = {}) {
  return sendPosts({ root, subscribers: list, env: { SIGNET_SMTP_URL: smtp.url }, now: NOW, retry: { attempts: 2, delayMs: 5 }, ...more });
}

describe('email send', () => {
  it('marks the posts already published on the first send, then sends a new post to each reader once', async () => {
    const { root, list } = makeSite({ 'posts/old.md': post('title: Old\ndate: 2026-01-05') });
    const smtp = await server();
    const first = await send(root, list, smtp);
    expect(first).toMatchObject({ marked: 1, sent: 0 });
    expect(smtp.received).toHaveLength(0);

    writePost(root, 'posts/new.md', post('title: A walk\ndate: 2026-05-30\nsummary: By the river'));
    const second = await send(root, list, smtp);
    expect(second).toMatchObject({ sent: 3, failed: 0 });
    expect(second.posts.map((p) => [p.title, p.sent])).toEqual([['A walk', 3]]);
    // Bob is on the list twice (different case): one letter.
    expect(smtp.received.map((r) => r.to[0]!.toLowerCase()).sort()).toEqual(['ada@reader.example', 'bob@reader.example', 'cy@other.example']);
    for (const { mail, raw, secure } of smtp.received) {
      expect(secure).toBe(true);
      expect(mail.subject).toBe('A walk');
      expect(mail.from?.value[0]).toEqual({ address: 'letters@notes.example', name: 'Field Notes' });
      expect(raw.toString()).toMatch(/Content-Type: multipart\/alternative/);
      expect(mail.text).toContain('Hello reader.');
      expect(mail.html).toContain('<strong>reader</strong>');
      expect(mail.html).toContain('href="https://notes.example/walks/one/"');
      expect(mail.html).toContain('href="https://notes.example/posts/new/"');
      expect(mail.messageId).toMatch(/^<[0-9a-f]{40}@notes\.example>$/);
      expect(String(raw)).toMatch(/^List-Id: Field Notes <posts\.notes\.example>$/im);
      expect(String(raw)).toMatch(/^List-Unsubscribe: <mailto:letters@notes\.example\?subject=unsubscribe>$/m);
      expect(mail.headers.has('list-unsubscribe-post')).toBe(false);
    }

    expect(await send(root, list, smtp)).toMatchObject({ sent: 0, already: 3 });
    writePost(root, 'posts/new.md', post('title: A walk by the river\ndate: 2026-05-30\nsummary: By the river'));
    expect(await send(root, list, smtp)).toMatchObject({ sent: 0, already: 3 });
    // A new address for the site (so new envelope ids): the same file and date are the same post.
    const configFile = path.join(root, 'signet.config.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('url: https://notes.example/', 'url: https://notes.example/blog/'));
    expect(await send(root, list, smtp)).toMatchObject({ sent: 0, already: 3 });
    expect(smtp.received).toHaveLength(3);
  });

  it('a server that drops the connection after two letters: the rerun sends the third, and nobody gets two', async () => {
    const { root, list } = makeSite({});
    const first = await server();
    await send(root, list, first);
    writePost(root, 'posts/new.md', post('title: New\ndate: 2026-05-30'));
    first.dropAfter = 2;
    const cut = await send(root, list, first);
    expect(cut).toMatchObject({ sent: 2, failed: 1 });
    expect(cut.stopped).toBeDefined();
    expect(first.received).toHaveLength(2);

    const second = await server();
    expect(await send(root, list, second)).toMatchObject({ sent: 1, failed: 0, already: 2 });
    const all = [...first.received, ...second.received].map((r) => r.to[0]!.toLowerCase()).sort();
    expect(all).toEqual(['ada@reader.example', 'bob@reader.example', 'cy@other.example']);
    expect(await send(root, list, second)).toMatchObject({ sent: 0 });
  });

  it('--backfill sends what was already published; drafts, future posts and email: false never go', async () => {
    const { root, list } = makeSite({
      'posts/one.md': post('title: One\ndate: 2026-01-05'),
      'posts/two.md': post('title: Two\ndate: 2026-01-06'),
      'posts/draft.md': post('title: Draft\ndate: 2026-01-07\ndraft: true'),
      'posts/later.md': post('title: Later\ndate: 2026-12-01'),
      'posts/quiet.md': post('title: Quiet\ndate: 2026-01-08\nemail: false'),
    });
    const smtp = await server();
    const summary = await send(root, list, smtp, { backfill: true });
    expect(summary.posts.map((p) => [p.title, p.sent])).toEqual([['One', 3], ['Two', 3]]);
    expect(new Set(smtp.received.map((r) => r.mail.subject))).toEqual(new Set(['One', 'Two']));
  });

  it('a members-only letter is sent by email and is nowhere in the built site', async () => {
    const { root, list } = makeSite({ 'posts/open.md': post('title: Open\ndate: 2026-01-05') });
    const smtp = await server();
    await send(root, list, smtp);
    writePost(root, 'posts/letter.md', post('title: Just for you\ndate: 2026-05-30\naudience: members', 'Members-only words.\n'));
    expect(await send(root, list, smtp)).toMatchObject({ sent: 3 });
    expect(smtp.received[0]!.mail.text).toContain('Members-only words.');
    expect(smtp.received[0]!.mail.html).toContain('not published on the site');
    const { outDir } = buildSiteToDisk({ root, diskCache: false, env: {} });
    const { files } = await import('./walk.js').then((m) => m.walk(outDir));
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/Just for you|Members-only words/);
    expect(files.some((file) => file.includes(path.join('posts', 'letter')))).toBe(false);
  });

  it('records a permanent refusal per address and never retries it; a 4xx is retried with backoff', async () => {
    const { root, list } = makeSite({});
    const smtp = await server();
    await send(root, list, smtp);
    writePost(root, 'posts/new.md', post('title: New\ndate: 2026-05-30'));
    let greylisted = false;
    smtp.onRecipient = (to) => {
      if (to.startsWith('cy@')) throw Object.assign(new Error('5.1.1 <cy@other.example>: no such user'), { responseCode: 550 });
      if (to.startsWith('ada@') && !greylisted) {
        greylisted = true;
        throw Object.assign(new Error('4.7.1 try again later'), { responseCode: 451 });
      }
    };
    const summary = await send(root, list, smtp);
    expect(summary).toMatchObject({ sent: 2, failed: 1, permanent: 1 });
    expect(smtp.received.map((r) => r.to[0]!.toLowerCase()).sort()).toEqual(['ada@reader.example', 'bob@reader.example']);
    const ledger = readFileSync(path.join(root, '.signet/email/ledger.jsonl'), 'utf8');
    expect(ledger).toContain('"permanent":true');
    expect(ledger).not.toMatch(/reader\.example|other\.example/);
    smtp.onRecipient = undefined;
    expect(await send(root, list, smtp)).toMatchObject({ sent: 0, failed: 0 });
    const status = emailStatus({ root, subscribers: list, now: NOW });
    expect(status.posts[0]).toMatchObject({ title: 'New', state: 'sent', sent: 2, failed: 1, waiting: 0 });
  });

  it('a reader added after a post went out gets only later posts; a forced resend names one post and one address', async () => {
    const { root, list } = makeSite({});
    const smtp = await server();
    await send(root, list, smtp);
    writePost(root, 'posts/a.md', post('title: A\ndate: 2026-05-01'));
    await send(root, list, smtp);
    writeFileSync(list, `${readFileSync(list, 'utf8')}dee@reader.example,Dee,2026-05-31\n`);
    writePost(root, 'posts/b.md', post('title: B\ndate: 2026-05-20'));
    const later = await send(root, list, smtp, { now: new Date('2026-06-02T00:00:00Z') });
    expect(later.posts.map((p) => [p.title, p.sent])).toEqual([['B', 4]]);
    const resent = await send(root, list, smtp, { resend: { post: 'content/posts/a.md', to: 'ADA@reader.example' } });
    expect(resent).toMatchObject({ sent: 1 });
    const toAda = smtp.received.filter((r) => r.mail.subject === 'A' && r.to[0]!.toLowerCase() === 'ada@reader.example');
    expect(toAda).toHaveLength(2);
    expect(toAda[0]!.mail.messageId).toBe(toAda[1]!.mail.messageId);
  });

  it('refuses a second send while one holds the lock, and a list inside a published folder', async () => {
    const { root, list } = makeSite({});
    const smtp = await server();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, '.signet/email'), { recursive: true });
    writeFileSync(path.join(root, '.signet/email/send.lock'), JSON.stringify({ host: (await import('node:os')).hostname(), pid: process.pid, at: 'now' }));
    await expect(send(root, list, smtp)).rejects.toThrow(/another `signet email send` is running/);
    const inside = path.join(root, 'static', 'list.csv');
    mkdirSync(path.dirname(inside), { recursive: true });
    writeFileSync(inside, 'email\nada@reader.example\n');
    await expect(send(root, inside, smtp)).rejects.toThrow(/inside static\//);
  });
});
