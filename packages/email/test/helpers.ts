import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const made: string[] = [];

/** A site folder with an email group, and a subscriber list beside it (never inside it). */
export function makeSite(posts: Record<string, string>, config = ''): { root: string; list: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-email-'));
  made.push(dir);
  const root = path.join(dir, 'site');
  mkdirSync(root);
  writeFileSync(path.join(root, 'signet.config.yaml'), `title: Field Notes\nurl: https://notes.example/\nauthor: Wren\nemail:\n  from: "Field Notes <letters@notes.example>"\n${config}`);
  for (const [file, text] of Object.entries(posts)) writePost(root, file, text);
  const list = path.join(dir, 'subscribers.csv');
  writeFileSync(list, 'email,name,subscribed_at\nada@reader.example,Ada,2026-01-01\nBob@Reader.example,Bob,2026-01-02\ncy@other.example,,2026-01-03\nbob@reader.EXAMPLE,Bob again,2026-01-04\n');
  return { root, list, dir };
}

export function writePost(root: string, file: string, text: string): void {
  const full = path.join(root, 'content', file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

export function post(front: string, body = 'Hello **reader**. See [the walk](/walks/one/) and [Signet](https://signet.example/).\n'): string {
  return `---\n${front}\n---\n\n${body}`;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Received {
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
  secure: boolean;
}

export interface TestServer {
  url: string;
  received: Received[];
  /** Called as each message's data arrives; may throw an SMTP error (with responseCode) to refuse it. */
  onMessage?: (count: number, to: string[]) => void;
  /** Called at each RCPT TO, before the message is accepted. */
  onRecipient?: (to: string) => void;
  /** After this many accepted messages, drop the connection when the next one starts, and stop listening. */
  dropAfter?: number;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (STARTTLS offered with smtp-server's own certificate, login required). */
export async function startServer(): Promise<TestServer> {
  const state: TestServer = { url: '', received: [], close: async () => {} };
  let accepted = 0;
  const server = new SMTPServer({
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'signet' && auth.password === 's3cret/pass') callback(null, { user: 'signet' });
      else callback(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      if (state.dropAfter !== undefined && accepted >= state.dropAfter) {
        server.close();
        for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections) connection.close();
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      try {
        state.onRecipient?.(address.address);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        try {
          state.onMessage?.(accepted + 1, to);
        } catch (error) {
          callback(error as Error);
          return;
        }
        const raw = Buffer.concat(chunks);
        accepted += 1;
        void simpleParser(raw).then((mail) => {
          state.received.push({ to, raw, mail, secure: session.secure });
          callback();
        });
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  state.url = `smtp://signet:${encodeURIComponent('s3cret/pass')}@127.0.0.1:${port}/?tls.rejectUnauthorized=false`;
  state.close = () => new Promise<void>((resolve) => {
    if (!server.server.listening) resolve();
    else server.close(() => resolve());
  });
  return state;
}
