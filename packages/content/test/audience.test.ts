import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../src/index.js';
import { errorOf, makeSite, post } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('audience and email', () => {
  it('leaves members-only letters and their bundle files out unless asked for', () => {
    const config = makeSite({
      'content/posts/open.md': post('title: Open\ndate: 2026-01-05'),
      'content/posts/letter/index.md': post('title: Letter\ndate: 2026-01-06\naudience: members'),
      'content/posts/letter/photo.png': 'png',
      'content/posts/quiet.md': post('title: Quiet\ndate: 2026-01-07\nemail: false'),
    });
    const site = loadContent(config, { now: NOW });
    expect(site.posts.map((p) => p.title)).toEqual(['Quiet', 'Open']);
    expect(site.assets.map((a) => a.outputPath)).toEqual([]);
    expect(site.posts.map((p) => [p.audience, p.email])).toEqual([['public', false], ['public', true]]);
    const all = loadContent(config, { now: NOW, members: true });
    expect(all.posts.map((p) => [p.title, p.audience])).toEqual([['Quiet', 'public'], ['Letter', 'members'], ['Open', 'public']]);
    expect(all.assets.map((a) => path.basename(a.file))).toEqual(['photo.png']);
  });

  it('refuses an unknown audience and a non-boolean email, naming the line', () => {
    const audience = errorOf(() => loadContent(makeSite({ 'content/posts/a.md': post('title: A\ndate: 2026-01-05\naudience: friends') }), { now: NOW }));
    expect(audience.message).toBe('`audience` must be public or members, not "friends"');
    expect(audience.line).toBe(4);
    const email = errorOf(() => loadContent(makeSite({ 'content/posts/a.md': post('title: A\ndate: 2026-01-05\nemail: "no"') }), { now: NOW }));
    expect(email.message).toBe('`email` must be true or false, not "no"');
  });
});
