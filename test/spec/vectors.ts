import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  canonicalize, encodePublicMultikey, referenceDigest, encodeSecretMultikey, hashData, multibaseDecode, publicKeyFromSeed, signEnvelope,
  type SignedEnvelope,
} from '@signet/sign';
import { targetFile } from '@signet/network';
import { nodeSha256 } from '@signet/sign/node';
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
  /** The DID document to verify with, when not did.json (a file of these vectors). */
  did?: string;
  /** The result of §8.4 a verifier must report for each item (one for a page). */
  expected: string[];
  why: string;
}

function build(url?: string, prepare?: (root: string) => void): (file: string) => string {
  const root = copySite(path.join(REPO, 'test/fixtures/spec-site'));
  prepare?.(root);
  if (url !== undefined) {
    const config = path.join(root, 'signet.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^url: .*$/m, `url: ${url}`));
  }
  const run = signet(['build'], root, { SIGNET_SIGNING_KEY: encodeSecretMultikey(TEST_SEED) });
  if (run.status !== 0) throw new Error(`building the vector site failed:\n${run.stderr}`);
  return (file: string) => readFileSync(path.join(root, 'dist', file), 'utf8');
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function generateVectors(): Map<string, string> {
  const read = build();
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
  // date_published and proof.created changed together: well-formed, but not what was signed.
  files.set('tampered/atom.date.xml', atom.replace('"date_published":"2025-09-14T08:30:00Z"', '"date_published":"2025-09-15T08:30:00Z"').replace('"created":"2025-09-14T08:30:00Z"', '"created":"2025-09-15T08:30:00Z"'));
  files.set('tampered/atom.date-only.xml', atom.replace('"date_published":"2025-09-14T08:30:00Z"', '"date_published":"2025-09-15T08:30:00Z"'));
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

  // The signer, byte for byte (§5.2): the JCS texts, both hashes, hashData and the signature.
  const { proofValue, ...proofOptions } = first.proof;
  files.set('signing/envelope.unsigned.jcs', canonicalize(unsigned));
  files.set('signing/proof-options.jcs', canonicalize(proofOptions));
  const data = hashData(unsigned, proofOptions, nodeSha256);
  files.set('signing/hashes.json', json({
    secretKeySeedHex: hex(TEST_SEED),
    secretKeyMultibase: encodeSecretMultikey(TEST_SEED),
    publicKeyHex: hex(publicKeyFromSeed(TEST_SEED)),
    publicKeyMultibase: encodePublicMultikey(publicKeyFromSeed(TEST_SEED)),
    proofHashHex: hex(data.slice(0, 32)),
    documentHashHex: hex(data.slice(32)),
    hashDataHex: hex(data),
    signatureHex: hex(multibaseDecode(proofValue)),
    proofValue,
  }));

  // §7.5: the page body is the signed HTML, not only its words.
  const bodyStart = page.indexOf('<div class="e-content">');
  const inBody = (change: (body: string) => string) => page.slice(0, bodyStart) + change(page.slice(bodyStart));
  files.set('tampered/post.hidden-word.html', inBody((b) => b.replace('saw its first star', 'saw <span hidden>no</span> first star')));
  files.set('tampered/post.styled.html', inBody((b) => b.replace('<table>', '<table style="display:none">')));
  files.set('tampered/post.foreign-class.html', inBody((b) => b.replace('<p>The telescope', '<p class="sr-only">The telescope')));
  files.set('tampered/post.no-e-content.html', inBody((b) => b.replace('<div class="e-content">', '<div class="content">').replace('first star tonight', 'last star tonight')));
  files.set('tampered/post.no-p-name.html', page.replace('<h1 class="p-name">', '<h1>'));
  files.set('tampered/post.two-titles.html', page.replace('<p class="meta">', '<p class="p-name">Something else</p>\n<p class="meta">'));
  files.set('tampered/post.envelope-not-script.html', page.replace('<script type="application/json" id="signed-envelope">', '<script type="text/plain" id="signed-envelope">'));
  // §7.4: repeated fields, content types, summaries, the envelope as a JSON value.
  files.set('tampered/feed.second-title.xml', rss.replace('<title>First light: &lt;signed&gt; &amp; &quot;quoted&quot;</title>', '$&\n<title>Something else</title>'));
  files.set('tampered/feed.description.xml', rss.replace('<description>A title with characters every format must escape.</description>', '<description>Another summary.</description>'));
  files.set('tampered/atom.content-text.xml', atom.replace(/<content type="html">[^<]*<\/content>/, '<content type="text">Another text.</content>'));
  const asText = JSON.parse(jsonFeed) as { items: { _signed: { envelope: unknown } }[] };
  for (const item of asText.items) item._signed.envelope = JSON.stringify(item._signed.envelope);
  files.set('tampered/feed.envelope-as-text.json', json(asText));
  // §4.4: the note's signed funding link swapped for another where each format shows it.
  const swapFunding = (text: string) => text.replaceAll('href="https://ko-fi.com/vector-writer"', 'href="https://pay.elsewhere.example/"');
  files.set('tampered/feed.funding.xml', swapFunding(rss));
  files.set('tampered/atom.funding.xml', swapFunding(atom));
  const swappedJson = JSON.parse(jsonFeed) as { items: { _funding?: { links: { url: string }[] } }[] };
  swappedJson.items[0]!._funding!.links[0]!.url = 'https://pay.elsewhere.example/';
  files.set('tampered/feed.funding.json', json(swappedJson));

  // §8.3 steps 3, 5 and 6: proof forms, and DID documents a verifier must not read two ways.
  const proofWith = (change: Record<string, string>) => json({ ...first, proof: { ...first.proof, ...change } });
  files.set('tampered/envelope.created-not-date.json', `${JSON.stringify(signEnvelope(unsigned, { seed: TEST_SEED, verificationMethod: first.proof.verificationMethod, created: '2025-09-14T08:30:01Z' }), null, 2)}\n`);
  files.set('tampered/envelope.method-not-did.json', proofWith({ verificationMethod: 'https://vectors.example/#key-test' }));
  files.set('tampered/envelope.method-no-fragment.json', proofWith({ verificationMethod: 'did:web:vectors.example' }));
  files.set('tampered/envelope.method-space.json', proofWith({ verificationMethod: 'did:web:vectors.example#key test' }));
  const didDoc = JSON.parse(files.get('did.json')!) as { verificationMethod: Record<string, unknown>[] };
  const current = didDoc.verificationMethod.find((m) => String(m.id).endsWith('#key-test'))!;
  const old = didDoc.verificationMethod.find((m) => String(m.id).endsWith('#key-old'))!;
  files.set('tampered/did.duplicate-id.json', json({ ...didDoc, verificationMethod: [...didDoc.verificationMethod, { ...current, id: '#key-test', publicKeyMultibase: old.publicKeyMultibase }] }));
  files.set('tampered/did.revoked-unreadable.json', json({ ...didDoc, verificationMethod: didDoc.verificationMethod.map((m) => (m === old ? { ...m, revoked: 'June 2025' } : m)) }));
  // §3.4: a key revoked later still vouches for what it signed before.
  const early = { ...unsigned, date_published: '2025-05-01T12:00:00Z' };
  files.set('envelope.before-revocation.json', json(signEnvelope(early, { seed: OLD_SEED, verificationMethod: 'did:web:vectors.example#key-old', created: early.date_published })));

  // §4.5: a reply to the first post, made by the build from what `signet fetch` stored about it.
  const replied = build(undefined, (root) => {
    writeFileSync(path.join(root, 'content/posts/re-first-light.md'), `---\ntitle: "Re: First light"\ndate: 2025-09-15T09:00:00Z\nin_reply_to: ${first.url}\n---\n\nCongratulations on the first star.\n`);
    const target = targetFile(path.join(root, '.signet/network'), first.url);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify({ url: first.url, finalUrl: first.url, title: first.title, site: { title: 'Vectors', url: 'https://vectors.example/' }, status: 'verified', domain: 'vectors.example', id: first.id, digestMultibase: referenceDigest(first, nodeSha256), envelope: JSON.stringify(first), fetched: '2025-09-15T08:00:00Z' }));
  });
  const replyPage = replied('posts/re-first-light/index.html');
  const reply = (JSON.parse(replied('feed.json')) as typeof feed).items.map((item) => item._signed.envelope).find((e) => e.in_reply_to !== undefined)!;
  files.set('reply/envelope.json', json(reply));
  files.set('reply/post.html', replyPage);
  const referenceWith = (change: Record<string, unknown>) => json({ ...reply, in_reply_to: { ...reply.in_reply_to, ...change } });
  files.set('tampered/envelope.reply-relative-url.json', referenceWith({ url: '/posts/first-light/' }));
  files.set('tampered/envelope.reply-no-digest.json', json({ ...reply, in_reply_to: { url: first.url, id: first.id } }));
  files.set('tampered/envelope.reply-bad-digest.json', referenceWith({ digestMultibase: first.proof.proofValue }));
  files.set('tampered/envelope.reply-extra-member.json', referenceWith({ title: 'First light' }));

  // §3.1: a site under a sub-path has a DID with path segments and its did.json under that path.
  const sub = build('https://vectors.example:8443/blog/');
  files.set('subpath/did.json', sub('did.json'));
  files.set('subpath/feed.json', sub('feed.json'));
  files.set('subpath/post.html', sub('posts/first-light/index.html'));

  // §7.5: a page shows a post's image as a responsive <picture> (copies in the image's folder) around
  // the <img> its envelope signs; a copy from another folder makes the picture count as shown.
  const pictured = build(undefined, (root) => {
    const dir = path.join(root, 'content/posts/window');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(REPO, 'test/fixtures/spec-picture.png'), path.join(dir, 'window.png'));
    writeFileSync(path.join(dir, 'index.md'), '---\ntitle: A window\ndate: 2025-09-16T07:00:00Z\n---\n\nThe dome seen from the road at dawn.\n\n![The observatory dome at dawn](window.png)\n');
  });
  const picturePage = pictured('posts/window/index.html');
  files.set('picture/post.html', picturePage);
  const elsewhere = picturePage.replace(/(<source [^>]*srcset=")(window\.)/, '$1../elsewhere/$2');
  if (elsewhere === picturePage) throw new Error('the picture vector has no <source srcset="window.…">');
  files.set('tampered/post.picture-elsewhere.html', elsewhere);

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
    { file: 'tampered/atom.date.xml', expected: ['verified', 'bad signature'], why: 'date_published and proof.created changed inside the envelope' },
    { file: 'tampered/atom.date-only.xml', expected: ['verified', 'malformed'], why: 'date_published changed but not proof.created, which must equal it (§4.3)' },
    { file: 'tampered/post.title.html', expected: ['bad signature'], why: 'title changed inside the page\'s envelope' },
    { file: 'tampered/feed.shown-title.xml', expected: ['verified', 'shown differently from signed'], why: 'the item shows another title than the envelope signs' },
    { file: 'tampered/feed.other-domain.json', expected: ['domain mismatch', 'domain mismatch'], why: 'the proof names another domain\'s key' },
    { file: 'tampered/envelope.revoked-key.json', expected: ['revoked key'], why: 'signed by key-old, revoked 2025-06-01, with created 2025-09-14' },
    { file: 'tampered/envelope.unknown-key.json', expected: ['unknown key'], why: 'the key is not in did.json' },
    { file: 'tampered/envelope.wrong-cryptosuite.json', expected: ['malformed'], why: 'cryptosuite is not eddsa-jcs-2022' },
    { file: 'tampered/post.hidden-word.html', expected: ['shown differently from signed'], why: 'a word inserted in the page body inside <span hidden> (§7.5)' },
    { file: 'tampered/post.styled.html', expected: ['shown differently from signed'], why: 'a style attribute added in the page body (§7.5)' },
    { file: 'tampered/post.foreign-class.html', expected: ['shown differently from signed'], why: 'a class the signed content does not have, added in the page body (§7.5)' },
    { file: 'tampered/post.no-e-content.html', expected: ['shown differently from signed'], why: 'the body is edited and its e-content class renamed: a page without the elements it is compared by (§7.5)' },
    { file: 'tampered/post.no-p-name.html', expected: ['shown differently from signed'], why: 'the signed title is not marked p-name on the page (§7.5)' },
    { file: 'tampered/post.two-titles.html', expected: ['shown differently from signed'], why: 'a second p-name shows another title (§7.5)' },
    { file: 'tampered/post.envelope-not-script.html', expected: ['malformed'], why: 'the #signed-envelope element is not <script type="application/json"> (§7.3)' },
    { file: 'tampered/feed.second-title.xml', expected: ['verified', 'shown differently from signed'], why: 'the item has a second <title> (§7.4)' },
    { file: 'tampered/feed.description.xml', expected: ['verified', 'shown differently from signed'], why: 'the description is not the signed summary (§7.4)' },
    { file: 'tampered/atom.content-text.xml', expected: ['shown differently from signed', 'verified'], why: 'the first entry shows <content type="text"> (§7.4)' },
    { file: 'tampered/feed.envelope-as-text.json', expected: ['malformed', 'malformed'], why: '_signed.envelope is a JSON string, not an object (§7.1)' },
    { file: 'tampered/feed.funding.xml', expected: ['shown differently from signed', 'verified'], why: 'the note shows a funding link (atom:link rel="payment") other than the one it signs (§4.5)' },
    { file: 'tampered/atom.funding.xml', expected: ['shown differently from signed', 'verified'], why: 'the note shows a <link rel="payment"> other than the one it signs (§4.5)' },
    { file: 'tampered/feed.funding.json', expected: ['shown differently from signed', 'verified'], why: 'the note\'s _funding shows a link other than the one it signs (§4.5)' },
    { file: 'tampered/envelope.created-not-date.json', expected: ['malformed'], why: 'validly signed, but proof.created is not the post\'s date (§4.3)' },
    { file: 'tampered/envelope.method-not-did.json', expected: ['malformed'], why: 'verificationMethod is an https URL, not a DID URL (§6)' },
    { file: 'tampered/envelope.method-no-fragment.json', expected: ['malformed'], why: 'verificationMethod has no #KEY-ID (§6)' },
    { file: 'tampered/envelope.method-space.json', expected: ['malformed'], why: 'the KEY-ID has a space (§3.3, §6)' },
    { file: 'envelope.json', did: 'tampered/did.duplicate-id.json', expected: ['malformed'], why: 'the DID document lists key-test twice (once relative), with different keys (§8.3 step 6)' },
    { file: 'envelope.before-revocation.json', did: 'tampered/did.revoked-unreadable.json', expected: ['revoked key'], why: 'key-old\'s revoked date cannot be read, so it counts as revoked from the start (§8.3 step 6)' },
    { file: 'envelope.before-revocation.json', expected: ['verified'], why: 'signed by key-old with created 2025-05-01, before its revocation on 2025-06-01 (§3.4); a verifier with no memory of the post skips step 7' },
    { file: 'reply/envelope.json', expected: ['verified'], why: 'a reply whose in_reply_to names envelope.json by id and digest (§4.5)' },
    { file: 'reply/post.html', expected: ['verified'], why: 'the reply\'s page, which shows what it answers outside its e-content' },
    { file: 'tampered/envelope.reply-relative-url.json', expected: ['malformed'], why: 'in_reply_to.url is relative (§4.5)' },
    { file: 'tampered/envelope.reply-no-digest.json', expected: ['malformed'], why: 'in_reply_to has id without digestMultibase (§4.5)' },
    { file: 'tampered/envelope.reply-bad-digest.json', expected: ['malformed'], why: 'in_reply_to.digestMultibase is not a SHA-256 multihash (§4.5)' },
    { file: 'tampered/envelope.reply-extra-member.json', expected: ['malformed'], why: 'in_reply_to has a member besides url, id and digestMultibase (§4.5)' },
    { file: 'subpath/feed.json', did: 'subpath/did.json', expected: ['verified', 'verified'], why: 'a site at https://vectors.example:8443/blog/ is did:web:vectors.example%3A8443:blog (§3.1)' },
    { file: 'subpath/post.html', did: 'subpath/did.json', expected: ['verified'], why: 'the same site\'s page' },
    { file: 'picture/post.html', expected: ['verified'], why: 'the page shows the signed <img> inside a <picture> whose copies are in the image\'s folder (§7.5)' },
    { file: 'tampered/post.picture-elsewhere.html', expected: ['shown differently from signed'], why: 'one <source> of the picture is in another folder, so the picture counts as shown (§7.5)' },
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
