// Signs 10,000 envelopes of about 2 KB with node:crypto and prints the time.
// Run after building: npx tsc -p packages/sign && node packages/sign/bench/sign-10k.mjs
import { signEnvelope } from '../dist/index.js'
import { nodeSha256, nodeSign } from '../dist/node.js'

const seed = new Uint8Array(32).fill(7)
const posts = Array.from({ length: 10_000 }, (_, i) => ({
  id: `https://example.com/posts/${i}/`,
  url: `https://example.com/posts/${i}/`,
  title: `Post number ${i}`,
  content_html: `<p>Some text with a <a href="https://example.com/about/">link</a>.</p>\n`.repeat(25),
  date_published: '2026-01-05T10:00:00Z',
  authors: [{ name: 'Ada', url: 'https://example.com/' }],
  tags: ['notes'],
  language: 'en',
}))
const options = { seed, verificationMethod: 'did:web:example.com#key-1', created: '2026-01-05T10:00:00Z', sign: nodeSign, sha256: nodeSha256 }

for (let round = 1; round <= 3; round++) {
  const start = performance.now()
  for (const post of posts) signEnvelope(post, options)
  console.log(`round ${round}: 10,000 envelopes signed in ${(performance.now() - start).toFixed(0)} ms`)
}
