import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyEnvelope, verifySource } from '@signet/verify';
import { describe, expect, it } from 'vitest';
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
    for (const name of tampered.filter((n) => !n.includes('envelope.'))) {
      const base = name.startsWith('tampered/atom') ? 'atom.xml' : name.startsWith('tampered/post') ? 'post.html' : name.endsWith('.xml') ? 'feed.xml' : 'feed.json';
      expect(files.get(name), name).not.toBe(files.get(base));
    }
  });

  it('give the expected result of each file with Signet\'s verifier', async () => {
    const expectations = JSON.parse(files.get('expected.json')!) as Expectation[];
    const options = { didDocuments: { 'did:web:vectors.example': files.get('did.json')! } };
    const got: Record<string, string[]> = {};
    const want: Record<string, string[]> = {};
    for (const { file, expected } of expectations) {
      const text = files.get(file)!;
      want[file] = expected;
      if (file.includes('envelope.')) {
        got[file] = [(await verifyEnvelope(JSON.parse(text), options)).status];
      } else {
        const result = await verifySource(text, options);
        got[file] = result.kind === 'feed' ? result.items.map((item) => item.status) : [result.status];
      }
    }
    expect(got).toEqual(want);
  });
});
