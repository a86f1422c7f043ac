import { describe, expect, it } from 'vitest';
import { envelopePageJson, signForCache } from '../src/envelope.js';

const item = {
  id: 'https://example.com/posts/a/',
  url: 'https://example.com/posts/a/',
  title: 'A <b>title</b> & “quotes”',
  content_html: '<p>Text with <a href="https://example.com/">a link</a> & an arrow →.</p>\n',
  date_published: '2026-01-01T00:00:00Z',
  authors: [{ name: 'Pen Name' }],
  language: 'en',
  tags: ['a', 'b'],
};
const seed = new Uint8Array(32).fill(3);

describe('a page’s envelope JSON', () => {
  it('is the same whether the thread that signed the post made it or the page makes it', () => {
    // A site of 20,000 posts or more is signed without it (holding it for every post until its page
    // took hundreds of MB): its pages make it from the envelope instead.
    const made = signForCache(item, 'did:web:example.com#k', seed, 'id', true);
    const left = signForCache(item, 'did:web:example.com#k', seed, 'id', false);
    expect(left.json).toBeUndefined();
    expect(left.proof).toEqual(made.proof);
    expect(typeof made.json).toBe('string');
    const envelope = Object.assign({}, item, { proof: left.proof });
    expect(envelopePageJson(envelope)).toBe(made.json);
    expect(made.json).not.toMatch(/[<>&]/);
  });
});
