import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, readTree, SIGNET, writeFiles } from '../helpers/site.js';

// The installed `signet`, run asynchronously: the SMTP server lives in this process and must answer.
function run(args: string[], cwd: string, env: Record<string, string>, onChild?: (kill: () => void) => void): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.SIGNET_SIGNING_KEY;
    const child = spawn(process.execPath, [SIGNET, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    onChild?.(() => child.kill('SIGKILL'));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

const READERS = ['ada@reader.example', 'Bob@Reader.example', 'cy@other.example'];
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('signet email (the installed command)', () => {
  it('sends, survives a kill mid-send without sending anyone a post twice, and never shows an address in dist/ or its output', async () => {
    const root = makeSite({
      'signet.config.yaml': 'title: Field Notes\nurl: https://notes.example/\nauthor: Wren\nemail:\n  from: "Field Notes <letters@notes.example>"\n',
      'content/posts/old.md': '---\ntitle: Old\ndate: 2026-01-05\n---\n\nAn old post.\n',
    });
    const private_ = mkdtempSync(path.join(os.tmpdir(), 'signet-list-'));
    dirs.push(root, private_);
    const list = path.join(private_, 'subscribers.csv');
    writeFileSync(list, `email,name,subscribed_at\n${READERS.map((r, i) => `${r},Reader ${i},2026-01-0${i + 1}`).join('\n')}\n`);

    const received: { to: string; subject: string }[] = [];
    let onRecipient: ((to: string) => void) | undefined;
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      onRcptTo(address, _session, callback) {
        try {
          onRecipient?.(address.address);
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
      onData(stream, session, callback) {
        void simpleParser(stream).then((mail) => {
          received.push({ to: session.envelope.rcptTo[0]!.address.toLowerCase(), subject: mail.subject ?? '' });
          callback();
        });
      },
    });
    // A killed client resets its connection: the server reports it, and carries on.
    server.on('error', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    const env = { SIGNET_SMTP_URL: `smtp://127.0.0.1:${port}/?tls.rejectUnauthorized=false`, SIGNET_SUBSCRIBERS: list };
    const outputs: string[] = [];
    const signet = async (args: string[], onChild?: (kill: () => void) => void) => {
      const result = await run(args, root, env, onChild);
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    try {
      expect((await signet(['build'])).status).toBe(0);
      const first = await signet(['email', 'send']);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('1 published post(s) marked as sent');
      expect(received).toHaveLength(0);

      writeFiles(root, { 'content/posts/walk.md': '---\ntitle: A walk\ndate: 2026-01-10\n---\n\nBy the [river](/river/).\n' });
      const second = await signet(['email', 'send']);
      expect(second.status).toBe(0);
      expect(second.stdout).toContain('"A walk": 3 sent, 0 already sent, 0 failed');
      expect(received.map((r) => r.to).sort()).toEqual(['ada@reader.example', 'bob@reader.example', 'cy@other.example']);

      // Killed while the server takes the third letter of the next post.
      writeFiles(root, { 'content/posts/bread.md': '---\ntitle: Bread\ndate: 2026-01-11\n---\n\nFlour and water.\n' });
      let kill: () => void = () => {};
      let seen = 0;
      onRecipient = () => {
        seen += 1;
        if (seen === 3) {
          kill();
          throw Object.assign(new Error('4.3.0 going away'), { responseCode: 421 });
        }
      };
      const killed = await signet(['email', 'send'], (k) => (kill = k));
      expect(killed.signal).toBe('SIGKILL');
      onRecipient = undefined;
      expect(received.filter((r) => r.subject === 'Bread')).toHaveLength(2);
      const rerun = await signet(['email', 'send']);
      expect(rerun.status).toBe(0);
      expect(rerun.stdout).toContain('"Bread": 1 sent, 2 already sent, 0 failed');
      for (const subject of ['A walk', 'Bread']) {
        expect(received.filter((r) => r.subject === subject).map((r) => r.to).sort(), subject).toEqual(['ada@reader.example', 'bob@reader.example', 'cy@other.example']);
      }

      // A refusal quoting the address: recorded, the exit code says so, the output does not repeat it.
      writeFiles(root, { 'content/posts/rain.md': '---\ntitle: Rain\ndate: 2026-01-12\n---\n\nWet.\n' });
      onRecipient = (to) => {
        if (to.startsWith('cy@')) throw Object.assign(new Error(`5.1.1 <${to}>: Recipient address rejected`), { responseCode: 550 });
      };
      const refused = await signet(['email', 'send']);
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain('1 reader(s) refused for good (5xx)');
      const status = await signet(['email', 'status']);
      expect(status.stdout).toMatch(/sent +Rain: 2 reader\(s\) from .*, 1 refused/);
      expect(status.stdout).toMatch(/marked +Old/);
      expect((await signet(['email', 'preview'])).stdout.trim()).toBe(path.join('.signet', 'email', 'preview', 'posts-rain.eml'));

      // Nothing published or printed holds an address, nor does the ledger.
      expect((await signet(['build'])).status).toBe(0);
      const published = [...readTree(path.join(root, 'dist')).values()].map((b) => b.toString('latin1').toLowerCase());
      const ledger = readFileSync(path.join(root, '.signet/email/ledger.jsonl'), 'utf8').toLowerCase();
      const logs = outputs.join('\n').toLowerCase();
      expect(logs.length).toBeGreaterThan(0);
      for (const reader of READERS) {
        const needle = reader.toLowerCase();
        expect(logs.includes(needle), `${needle} in the output`).toBe(false);
        expect(published.some((text) => text.includes(needle)), `${needle} in dist/`).toBe(false);
        expect(ledger.includes(needle), `${needle} in the ledger`).toBe(false);
        expect(logs.includes(needle.split('@')[0]! + '@')).toBe(false);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 300_000);

  it('refuses a list inside content/ and a send without SIGNET_SMTP_URL, with a message and no stack', async () => {
    const root = makeSite({
      'signet.config.yaml': 'title: T\nurl: https://t.example/\nemail:\n  from: t@t.example\n',
      'content/list.csv': 'email\nada@reader.example\n',
    });
    dirs.push(root);
    const inside = await run(['email', 'send', '--subscribers', 'content/list.csv'], root, { SIGNET_SMTP_URL: 'smtp://127.0.0.1:1' });
    expect(inside.status).toBe(1);
    expect(inside.stderr).toContain('the subscriber list is inside content/');
    expect(inside.stderr).not.toMatch(/\n\s+at /);
    const outside = mkdtempSync(path.join(os.tmpdir(), 'signet-list-'));
    dirs.push(outside);
    writeFileSync(path.join(outside, 'list.csv'), 'email\nada@reader.example\n');
    const noSmtp = await run(['email', 'send', '--subscribers', path.join(outside, 'list.csv')], root, { SIGNET_SMTP_URL: '' });
    expect(noSmtp.stderr).toContain('SIGNET_SMTP_URL is not set');
    expect(noSmtp.stderr).not.toMatch(/\n\s+at /);
  });
});
