import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { multibaseDecode } from '@signet/sign';
import { verifyEnvelope, verifySource } from '@signet/verify';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/site.js';
import { generateVectors, VECTORS_DIR, writeVectors, type Expectation } from './vectors.js';

describe('the published test vectors (docs/spec/vectors)', () => {
  const files = generateVectors();
  if (process.env.UPDATE_VECTORS === '1') writeVectors(files);

  it('are exactly what the current code produces (run with UPDATE_VECTORS=1 to refresh them)', () => {
    const stale: string[] = [];
    for (const [name, contents] of files) {
      const file = path.join(VECTORS_DIR, name);
      if (!existsSync(file) || readFileSync(file, 'utf8') !== contents) stale.push(name);
    }
    expect(stale).toEqual([]);
  });

  it('cover a did.json, a JSON Feed, RSS, Atom, an HTML page and tampered copies of each kind', () => {
    for (const name of ['did.json', 'feed.json', 'feed.xml', 'atom.xml', 'post.html', 'expected.json']) expect(files.has(name), name).toBe(true);
    const tampered = [...files.keys()].filter((name) => name.startsWith('tampered/'));
    expect(tampered.length).toBeGreaterThanOrEqual(8);
    // Each tampered copy really differs from the file it was made from.
    for (const name of tampered.filter((n) => !n.includes('envelope.') && !n.includes('/did.'))) {
      const base = name.startsWith('tampered/atom') ? 'atom.xml' : name.startsWith('tampered/post') ? 'post.html' : name.endsWith('.xml') ? 'feed.xml' : 'feed.json';
      expect(files.get(name), name).not.toBe(files.get(base));
    }
  });

  it('let a signer be checked byte for byte: the published key, JCS texts, hashes and signature agree', () => {
    const hashes = JSON.parse(files.get('signing/hashes.json')!) as Record<string, string>;
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(hashes.proofHashHex).toBe(sha(files.get('signing/proof-options.jcs')!));
    expect(hashes.documentHashHex).toBe(sha(files.get('signing/envelope.unsigned.jcs')!));
    expect(hashes.hashDataHex).toBe(hashes.proofHashHex! + hashes.documentHashHex!);
    const envelope = JSON.parse(files.get('envelope.json')!) as { proof: { proofValue: string } };
    expect(hashes.proofValue).toBe(envelope.proof.proofValue);
    const seed = Buffer.from(hashes.secretKeySeedHex!, 'hex');
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
    expect(sign(null, Buffer.from(hashes.hashDataHex!, 'hex'), key).toString('hex')).toBe(hashes.signatureHex);
    // The spec's own text publishes the same key.
    expect(readFileSync(path.join(REPO, 'docs/spec/signed-posts.md'), 'utf8')).toContain(hashes.secretKeyMultibase!);
  });

  it('let a reply be checked against what it answers: in_reply_to names envelope.json by id and documentHash (§4.5)', () => {
    const hashes = JSON.parse(files.get('signing/hashes.json')!) as Record<string, string>;
    const target = JSON.parse(files.get('envelope.json')!) as { id: string; url: string };
    const reply = JSON.parse(files.get('reply/envelope.json')!) as { in_reply_to: { url: string; id: string; digestMultibase: string } };
    expect(reply.in_reply_to.url).toBe(target.url);
    expect(reply.in_reply_to.id).toBe(target.id);
    expect(Buffer.from(multibaseDecode(reply.in_reply_to.digestMultibase)).toString('hex')).toBe(`1220${hashes.documentHashHex}`);
    // The page says what it answers, and where.
    expect(files.get('reply/post.html')).toMatch(/In reply to <a class="u-in-reply-to h-cite" href="https:\/\/vectors\.example\/posts\/first-light\/">First light[^<]*<\/a> on <a href="https:\/\/vectors\.example\/">Vectors<\/a> · <span class="mark mark-signed">signed by vectors\.example<\/span>/);
  });

  it('give the expected result of each file with Signet\'s verifier', async () => {
    const expectations = JSON.parse(files.get('expected.json')!) as Expectation[];
    const got: Record<string, string[]> = {};
    const want: Record<string, string[]> = {};
    for (const { file, did, expected } of expectations) {
      const didText = files.get(did ?? 'did.json')!;
      const options = { didDocuments: { [(JSON.parse(didText) as { id: string }).id]: didText } };
      const text = files.get(file)!;
      const key = did === undefined ? file : `${file} with ${did}`;
      want[key] = expected;
      if (file.includes('envelope.')) {
        got[key] = [(await verifyEnvelope(JSON.parse(text), options)).status];
      } else {
        const result = await verifySource(text, options);
        got[key] = result.kind === 'feed' ? result.items.map((item) => item.status) : [result.status];
      }
    }
    expect(got).toEqual(want);
  });
});
