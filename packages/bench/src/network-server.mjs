// The other side of the network bench: HOSTS servers on 127.0.0.1 (one port each, so each is its own
// host and domain), FEEDS_PER_HOST feeds of ITEMS items each. Half the hosts publish signed JSON Feeds
// (with their did.json), half unsigned RSS, as the web is. Every feed has an ETag and answers 304 to
// it. Prints the feed URLs as one JSON line once every server listens, and runs until killed.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { writeJsonFeed } from '@signet/feeds';
import { createDidDocument, didWebFromUrl, encodePublicMultikey, signEnvelope } from '@signet/sign';
import { nodePublicKey, nodeSha256, nodeSign } from '@signet/sign/node';

const [hosts, perHost, items] = process.argv.slice(2).map(Number);
const servers = await Promise.all(Array.from({ length: hosts }, () => new Promise((resolve) => {
  const server = createServer();
  server.listen(0, '127.0.0.1', () => resolve(server));
})));

const urls = [];
servers.forEach((server, h) => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const signed = h % 2 === 0;
  const seed = createHash('sha256').update(`bench host ${h}`).digest();
  const did = didWebFromUrl(`${origin}/`);
  const routes = new Map();
  const add = (path, body, type) => routes.set(path, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  if (signed) add('/.well-known/did.json', JSON.stringify(createDidDocument(did, [{ id: 'key-1', publicKeyMultibase: encodePublicMultikey(nodePublicKey(seed)) }])), 'application/did+json');
  for (let f = 0; f < perHost; f++) {
    const base = `${origin}/site-${f}/`;
    const posts = Array.from({ length: items }, (_, i) => {
      const date = new Date(Date.UTC(2026, 10, 1 + (i % 28), f % 24, h % 60)).toISOString().replace('.000Z', 'Z');
      return {
        id: `${base}posts/${i}/`, url: `${base}posts/${i}/`, title: `Post ${i} of site ${h}.${f}`,
        content_html: `<p>Words of post ${i}, written on site ${h}.${f}, with <a href="${base}about/">a link</a> and some more text to read.</p>`,
        date_published: date, authors: [{ name: `Writer ${h}.${f}` }], language: 'en',
      };
    });
    if (signed) {
      const envelopes = posts.map((p) => signEnvelope(p, { seed, verificationMethod: `${did}#key-1`, created: p.date_published, sign: nodeSign, sha256: nodeSha256 }));
      const channel = { title: `Site ${h}.${f}`, description: 'A signed site', language: 'en', homePageUrl: base, urls: { rss: `${base}feed.xml`, atom: `${base}atom.xml`, json: `${base}feed.json` }, author: { name: `Writer ${h}.${f}` }, fullContent: true };
      add(`/site-${f}/feed.json`, writeJsonFeed(channel, envelopes), 'application/feed+json');
      urls.push(`${base}feed.json`);
    } else {
      const rss = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Site ${h}.${f}</title><link>${base}</link><description>An unsigned site</description>\n${posts.map((p) => `<item><title>${p.title}</title><link>${p.url}</link><guid>${p.id}</guid><pubDate>${new Date(p.date_published).toUTCString()}</pubDate><description>${p.content_html.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</description></item>`).join('\n')}\n</channel></rss>\n`;
      add(`/site-${f}/feed.xml`, rss, 'application/rss+xml');
      urls.push(`${base}feed.xml`);
    }
  }
  server.on('request', (req, res) => {
    const route = routes.get(new URL(req.url, origin).pathname);
    if (!route) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === route.etag) return void res.writeHead(304, { etag: route.etag }).end();
    res.writeHead(200, { 'content-type': route.type, etag: route.etag }).end(route.body);
  });
});
process.stdout.write(`${JSON.stringify(urls)}\n`);
