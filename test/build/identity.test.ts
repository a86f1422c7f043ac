import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { parseFeed } from 'feedsmith';
import { mf2 } from 'microformats-parser';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeSite, signet } from '../helpers/site.js';

// A real image: every image the build publishes is decoded and written again without metadata.
const PNG = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer();
const KOFI = 'https://ko-fi.com/wren';
const LIBERAPAY = 'https://liberapay.com/wren';
const LIGHTNING = 'lightning:wren@getalby.com';
const PATREON = 'https://patreon.com/wren';
const ME = ['https://social.example/@wren', 'https://github.com/wren', 'https://wren.bsky.social/'];
const SWAPPED = 'https://thief.example/pay';

const CONFIG = `title: Field Notes
url: https://field-notes.example/
author:
  name: Wren
  avatar: static/wren.png
  bio: Walks and bread.
  me: [https://social.example/@wren, https://github.com/wren, wren.bsky.social]
funding:
  - { label: Ko-fi, url: "${KOFI}" }
  - { label: Liberapay, url: "${LIBERAPAY}" }
lightning: wren@getalby.com
monetization: $ilp.example/wren
fundingManifest:
  email: letters@field-notes.example
`;

function site(config = CONFIG): string {
  return makeSite({
    'signet.config.yaml': config,
    'static/wren.png': PNG,
    'content/posts/hello.md': `---\ntitle: Hello\ndate: 2026-01-02\ntags: [walks]\nfunding: [{ label: Patreon, url: "${PATREON}" }]\n---\n\nHello.\n`,
    'content/posts/free.md': '---\ntitle: Free\ndate: 2026-01-01\nfunding: false\n---\n\nFree.\n',
    'content/about.md': '---\ntitle: About\n---\n\nAbout me.\n',
  });
}

const read = (root: string, file: string) => readFileSync(path.join(root, 'dist', file), 'utf8');
const SITE_LINKS = [KOFI, LIBERAPAY, LIGHTNING];
const POST_LINKS = [...SITE_LINKS, PATREON];

describe('the author\'s profile and funding links, in every format', () => {
  const root = site();
  const build = signet(['build'], root);

  it('builds, and says the $ payment pointer was converted', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout + build.stderr).not.toMatch(/warning: .*metadata/);
    expect(build.stdout + build.stderr).toMatch(/signet\.config\.yaml:12.*payment pointer.*https:\/\/ilp\.example\/wren/);
  });

  it('pages: rel="me", rel="payment" and rel="monetization" on every page, an h-card on /about/, the author and avatar on posts', () => {
    const base = { baseUrl: 'https://field-notes.example/' };
    const about = mf2(read(root, 'about/index.html'), base);
    expect(about.rels.me).toEqual(expect.arrayContaining(ME));
    expect(about.rels.payment).toEqual(SITE_LINKS);
    expect(about.rels.monetization).toEqual(['https://ilp.example/wren']);
    const card = about.items.find((item) => item.type?.includes('h-card'));
    expect(card?.properties.name).toEqual(['Wren']);
    expect(card?.properties.note).toEqual(['Walks and bread.']);
    expect(card?.properties.photo).toEqual(['https://field-notes.example/wren.png']);
    expect(card?.properties.url).toEqual(expect.arrayContaining(['https://field-notes.example/', ...ME]));

    const hello = mf2(read(root, 'posts/hello/index.html'), base);
    expect(hello.rels.me).toEqual(ME);
    expect(hello.rels.payment).toEqual(POST_LINKS);
    const entry = hello.items.find((item) => item.type?.includes('h-entry'))!;
    const author = entry.properties.author?.[0] as { type: string[]; properties: Record<string, unknown[]> };
    expect(author.type).toEqual(['h-card']);
    expect(author.properties.name).toEqual(['Wren']);
    expect(author.properties.photo).toEqual(['https://field-notes.example/wren.png']);

    const free = mf2(read(root, 'posts/free/index.html'), base);
    expect(free.rels.payment).toBeUndefined();
    expect(free.rels.me).toEqual(ME);
    expect(mf2(read(root, 'index.html'), base).rels.payment).toEqual(SITE_LINKS);
  });

  it('feeds: RSS <podcast:funding> and atom:link, Atom <link rel="payment">, JSON Feed _funding and the author\'s avatar', () => {
    const rss = parseFeed(read(root, 'feed.xml'));
    expect(rss.format).toBe('rss');
    const channel = rss.feed as { podcast?: { fundings?: { url: string; display: string }[] } };
    expect(channel.podcast?.fundings).toEqual([{ url: KOFI, display: 'Ko-fi' }, { url: LIBERAPAY, display: 'Liberapay' }, { url: LIGHTNING, display: 'Lightning' }]);
    const rssText = read(root, 'feed.xml');
    expect(rssText).toContain('xmlns:podcast="https://podcastindex.org/namespace/1.0"');
    const rssItem = /<item>[\s\S]*?<\/item>/.exec(rssText)![0];
    expect([...rssItem.matchAll(/<atom:link rel="payment" href="([^"]+)"/g)].map((m) => m[1])).toEqual(POST_LINKS);

    const atom = parseFeed(read(root, 'atom.xml'));
    expect(atom.format).toBe('atom');
    const atomFeed = atom.feed as { links?: { href: string; rel?: string }[]; entries?: { links?: { href: string; rel?: string }[] }[] };
    expect(atomFeed.links?.filter((l) => l.rel === 'payment').map((l) => l.href)).toEqual(SITE_LINKS);
    expect(atomFeed.entries?.[0]?.links?.filter((l) => l.rel === 'payment').map((l) => l.href)).toEqual(POST_LINKS);
    expect(atomFeed.entries?.[1]?.links?.filter((l) => l.rel === 'payment')).toEqual([]);

    const jsonText = read(root, 'feed.json');
    expect(parseFeed(jsonText).format).toBe('json');
    const json = JSON.parse(jsonText);
    expect(json.authors).toEqual([{ name: 'Wren', avatar: 'https://field-notes.example/wren.png' }]);
    expect(json._funding.about).toBe('urn:signet:spec:funding:v1');
    expect(json._funding.links.map((l: { url: string }) => l.url)).toEqual(SITE_LINKS);
    expect(json.items[0]._funding.links.map((l: { url: string }) => l.url)).toEqual(POST_LINKS);
    expect(json.items[0]._signed.envelope._funding).toEqual(json.items[0]._funding);
    expect(json.items[1]._funding).toBeUndefined();
  });

  it('did.json lists the me links in alsoKnownAs and the funding links as services; funding.json has the chosen email', () => {
    const did = JSON.parse(read(root, '.well-known/did.json'));
    expect(did.alsoKnownAs).toEqual(ME);
    expect(did.service).toEqual(SITE_LINKS.map((url, i) => ({ id: `did:web:field-notes.example#funding-${i + 1}`, type: 'FundingLink', serviceEndpoint: url })));
    const manifest = JSON.parse(read(root, 'funding.json'));
    expect(manifest.version).toBe('v1.0.0');
    expect(manifest.entity).toMatchObject({ name: 'Wren', email: 'letters@field-notes.example', webpageUrl: { url: 'https://field-notes.example/' } });
    expect(manifest.funding.channels.map((c: { address: string }) => c.address)).toEqual(SITE_LINKS);
  });

  it('signet verify passes the build, and fails a swapped funding link in any format as shown differently', () => {
    const ok = signet(['verify', 'dist', '--domain', 'field-notes.example'], root);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const swaps: [string, (text: string) => string][] = [
      ['posts/hello/index.html', (t) => t.replace(`<link rel="payment" href="${PATREON}"`, `<link rel="payment" href="${SWAPPED}"`)],
      ['feed.xml', (t) => t.replace(`<atom:link rel="payment" href="${PATREON}"`, `<atom:link rel="payment" href="${SWAPPED}"`)],
      ['feed.xml', (t) => t.replace(`<podcast:funding url="${PATREON}"`, `<podcast:funding url="${SWAPPED}"`)],
      ['atom.xml', (t) => t.replace(`<link rel="payment" href="${PATREON}"`, `<link rel="payment" href="${SWAPPED}"`)],
      ['feed.json', (t) => { const f = JSON.parse(t); f.items[0]._funding.links[3].url = SWAPPED; return JSON.stringify(f); }],
      // In the envelope itself the signature no longer holds.
      ['feed.json', (t) => { const f = JSON.parse(t); f.items[0]._signed.envelope._funding.links[3].url = SWAPPED; return JSON.stringify(f); }],
    ];
    for (const [i, [file, swap]] of swaps.entries()) {
      const target = path.join(root, 'dist', file);
      const before = readFileSync(target, 'utf8');
      const after = swap(before);
      expect(after, file).not.toBe(before);
      writeFileSync(target, after);
      const run = signet(['verify', path.join('dist', file), '--domain', 'field-notes.example'], root);
      writeFileSync(target, before);
      expect(run.status, `${file}: ${run.stdout}`).toBe(1);
      expect(run.stdout + run.stderr, file).toMatch(i === swaps.length - 1 ? /bad signature/ : /shown differently/);
    }
  });
});

describe('bad funding input', () => {
  it('an http: funding link fails the build with file:line, in the config and in a post', () => {
    const config = site(CONFIG.replace(`url: "${LIBERAPAY}"`, 'url: "http://liberapay.com/wren"'));
    const run = signet(['build'], config);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/signet\.config\.yaml:10:\d+: `funding\[1\]\.url`: "http:\/\/liberapay\.com\/wren" is http/);
    const post = makeSite({ 'signet.config.yaml': 'title: T\nurl: https://t.example/\n', 'content/posts/a.md': '---\ntitle: A\ndate: 2026-01-01\nfunding:\n  - { label: Tip, url: "http://tip.example/" }\n---\n\nA.\n' });
    const bad = signet(['build'], post);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/content\/posts\/a\.md:4\S*: `funding\[0\]\.url`: "http:\/\/tip\.example\/" is http/);
  });

  it('an avatar with GPS and Exif metadata is published without them', async () => {
    const root = site();
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#885533' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'Phone', Artist: 'Legal Name' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .toBuffer();
    expect(await exifr.parse(photo, { gps: true })).toMatchObject({ Make: 'Phone' });
    writeFileSync(path.join(root, 'static/wren.png'), photo);
    const run = signet(['build'], root);
    expect(run.status, run.stderr).toBe(0);
    const published = readFileSync(path.join(root, 'dist/wren.png'));
    expect(await exifr.parse(published, { gps: true, xmp: true, iptc: true })).toBeUndefined();
    expect(published.includes('Legal Name')).toBe(false);
  });

  it('monetization must be an https wallet address', () => {
    const run = signet(['build'], site(CONFIG.replace('monetization: $ilp.example/wren', 'monetization: http://ilp.example/wren')));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/signet\.config\.yaml:12:\d+: `monetization`/);
  });
});
