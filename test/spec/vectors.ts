import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeSecretMultikey, signEnvelope, type SignedEnvelope } from '@signet/sign';
import { copySite, REPO, signet } from '../helpers/site.js';

/**
 * The published test vectors of docs/spec/signed-posts.md §10, made by Signet's own build from
 * test/fixtures/spec-site with a key whose secret is published here on purpose: seed bytes 100…131.
 * Never trust this key for anything.
 */
export const VECTORS_DIR = path.join(REPO, 'docs/spec/vectors');
export const TEST_SEED = new Uint8Array(32).map((_, i) => 100 + i);
/** The revoked `key-old` of the fixture registry: seed bytes 0…31. */
export const OLD_SEED = new Uint8Array(32).map((_, i) => i);

export interface Expectation {
  file: string;
  /** The result of §8.4 a verifier must report for each item (one for a page). */
  expected: string[];
  why: string;
}

export function generateVectors(): Map<string, string> {
  const root = copySite(path.join(REPO, 'test/fixtures/spec-site'));
  const run = signet(['build'], root, { SIGNET_SIGNING_KEY: encodeSecretMultikey(TEST_SEED) });
  if (run.status !== 0) throw new Error(`building the vector site failed:\n${run.stderr}`);
  const read = (file: string) => readFileSync(path.join(root, 'dist', file), 'utf8');
  const files = new Map<string, string>();
  const jsonFeed = read('feed.json');
  const rss = read('feed.xml');
  const atom = read('atom.xml');
  const page = read('posts/first-light/index.html');
  files.set('did.json', read('.well-known/did.json'));
  files.set('feed.json', jsonFeed);
  files.set('feed.xml', rss);
  files.set('atom.xml', atom);
  files.set('post.html', page);

  const feed = JSON.parse(jsonFeed) as { items: { _signed: { envelope: SignedEnvelope } }[] };
  const first = feed.items.find((item) => item._signed.envelope.title !== undefined)!._signed.envelope;
  const { proof: _proof, ...unsigned } = first;
  files.set('envelope.json', `${JSON.stringify(first, null, 2)}\n`);
  files.set('envelope.unsigned.json', `${JSON.stringify(unsigned, null, 2)}\n`);

  // Tampered copies. Each changes one thing; expected.json says what a verifier must report.
  const contentByte = (text: string) => text.replaceAll('first star tonight', 'first star tonigh7');
  files.set('tampered/feed.content-byte.json', contentByte(jsonFeed));
  files.set('tampered/feed.content-byte.xml', contentByte(rss));
  files.set('tampered/atom.date.xml', atom.replace(/("date_published":"2025-09-14T08:30:00Z")/, '"date_published":"2025-09-15T08:30:00Z"'));
  files.set('tampered/post.title.html', page.replace(/("title":"First light: )/, '$1(edited) '));
  files.set('tampered/feed.shown-title.xml', rss.replace('<title>First light: &lt;signed&gt; &amp; &quot;quoted&quot;</title>', '<title>First light: something else</title>'));
  const withoutEnvelopes = JSON.parse(jsonFeed) as { items: Record<string, unknown>[] };
  for (const item of withoutEnvelopes.items) delete item._signed;
  files.set('tampered/feed.unsigned.json', `${JSON.stringify(withoutEnvelopes, null, 2)}\n`);
  files.set('tampered/feed.other-domain.json', jsonFeed.replaceAll('did:web:vectors.example#', 'did:web:elsewhere.example#'));
  const revokedKey = signEnvelope(unsigned, { seed: OLD_SEED, verificationMethod: 'did:web:vectors.example#key-old', created: unsigned.date_published });
  files.set('tampered/envelope.revoked-key.json', `${JSON.stringify(revokedKey, null, 2)}\n`);
  const unknownKey = signEnvelope(unsigned, { seed: new Uint8Array(32).fill(7), verificationMethod: 'did:web:vectors.example#key-missing', created: unsigned.date_published });
  files.set('tampered/envelope.unknown-key.json', `${JSON.stringify(unknownKey, null, 2)}\n`);
  files.set('tampered/envelope.wrong-cryptosuite.json', `${JSON.stringify({ ...first, proof: { ...first.proof, cryptosuite: 'eddsa-rdfc-2022' } }, null, 2)}\n`);

  const expectations: Expectation[] = [
    { file: 'feed.json', expected: ['verified', 'verified'], why: 'as built' },
    { file: 'feed.xml', expected: ['verified', 'verified'], why: 'as built' },
    { file: 'atom.xml', expected: ['verified', 'verified'], why: 'as built' },
    { file: 'post.html', expected: ['verified'], why: 'as built' },
    { file: 'envelope.json', expected: ['verified'], why: 'as built' },
    { file: 'envelope.unsigned.json', expected: ['malformed'], why: 'an envelope without its proof breaks the rules of §6' },
    { file: 'tampered/feed.unsigned.json', expected: ['unsigned', 'unsigned'], why: 'the items carry no envelope at all' },
    { file: 'tampered/feed.content-byte.json', expected: ['verified', 'bad signature'], why: 'one byte of content_html changed in the envelope and the item' },
    { file: 'tampered/feed.content-byte.xml', expected: ['verified', 'bad signature'], why: 'one byte of content changed in the envelope and the item' },
    { file: 'tampered/atom.date.xml', expected: ['verified', 'bad signature'], why: 'date_published changed inside the envelope' },
    { file: 'tampered/post.title.html', expected: ['bad signature'], why: 'title changed inside the page\'s envelope' },
    { file: 'tampered/feed.shown-title.xml', expected: ['verified', 'shown differently from signed'], why: 'the item shows another title than the envelope signs' },
    { file: 'tampered/feed.other-domain.json', expected: ['domain mismatch', 'domain mismatch'], why: 'the proof names another domain\'s key' },
    { file: 'tampered/envelope.revoked-key.json', expected: ['revoked key'], why: 'signed by key-old, revoked 2025-06-01, with created 2025-09-14' },
    { file: 'tampered/envelope.unknown-key.json', expected: ['unknown key'], why: 'the key is not in did.json' },
    { file: 'tampered/envelope.wrong-cryptosuite.json', expected: ['malformed'], why: 'cryptosuite is not eddsa-jcs-2022' },
  ];
  files.set('expected.json', `${JSON.stringify(expectations, null, 2)}\n`);
  return files;
}

export function writeVectors(files: Map<string, string>): void {
  for (const [name, contents] of files) {
    const file = path.join(VECTORS_DIR, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}
